import type { LoaderFunctionArgs } from '@remix-run/node'
import { disclosureCsv, disclosureDetail } from '~/disclosures/disclosures.server'

// The itemised entries of a published disclosure as CSV (UTF-8 with BOM for Excel).
export async function loader({ params }: LoaderFunctionArgs) {
  const id = /^\d{1,12}$/.test(params.id ?? '') ? Number(params.id) : NaN
  const detail = disclosureDetail(id)
  if (!detail) throw new Response('Not Found', { status: 404 })
  return new Response(disclosureCsv(detail), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="weinuan-disclosure-${detail.id}.csv"`,
      'Cache-Control': 'public, max-age=300',
    },
  })
}
