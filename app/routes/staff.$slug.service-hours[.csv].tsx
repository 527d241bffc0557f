import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireStaff } from '~/auth/auth.server'
import { hoursCsvForHome, rangeFromSearch } from '~/volunteers/service-record.server'

// This home's service records as CSV for the national volunteer system: staff of this home only
// (anyone else gets 404), real names and phones included, other homes' records never.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const range = rangeFromSearch(new URL(request.url).searchParams)
  return new Response(hoursCsvForHome(institution.id, range), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="weinuan-service-hours-${institution.slug}.csv"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
