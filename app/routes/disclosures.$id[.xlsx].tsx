import type { LoaderFunctionArgs } from '@remix-run/node'
import { disclosureDetail, disclosureXlsx } from '~/disclosures/disclosures.server'

// The itemised entries and uses of a published disclosure as an Excel workbook.
export async function loader({ params }: LoaderFunctionArgs) {
  const id = /^\d{1,12}$/.test(params.id ?? '') ? Number(params.id) : NaN
  const detail = disclosureDetail(id)
  if (!detail) throw new Response('Not Found', { status: 404 })
  const body = await disclosureXlsx(detail)
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="weinuan-disclosure-${detail.id}.xlsx"`,
      'Cache-Control': 'public, max-age=300',
    },
  })
}
