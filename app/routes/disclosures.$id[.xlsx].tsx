import type { LoaderFunctionArgs } from '@remix-run/node'
import { disclosureDetail, disclosureXlsx } from '~/disclosures/disclosures.server'
import { invariantFound, requireIdParam } from '~/utils/http.server'

// The itemised entries and uses of a published disclosure as an Excel workbook.
export async function loader({ params }: LoaderFunctionArgs) {
  const detail = invariantFound(disclosureDetail(requireIdParam(params, 'id')))
  const body = await disclosureXlsx(detail)
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="weinuan-disclosure-${detail.id}.xlsx"`,
      'Cache-Control': 'public, max-age=300',
    },
  })
}
