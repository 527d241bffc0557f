import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/auth/auth.server'
import { hoursCsvForVolunteer } from '~/volunteers/service-record.server'

// 下载时长明细: the signed-in volunteer's own service records as CSV (UTF-8 with BOM).
export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  return new Response(hoursCsvForVolunteer(user.id), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="weinuan-service-hours.csv"',
      'Cache-Control': 'private, no-store',
    },
  })
}
