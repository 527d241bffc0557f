import type { LoaderFunctionArgs } from '@remix-run/node'
import { disclosureCsv, disclosureDetail } from '~/disclosures/disclosures.server'
import { invariantFound, requireIdParam } from '~/utils/http.server'

// The itemised entries of a published disclosure as CSV (UTF-8 with BOM for Excel).
export async function loader({ params }: LoaderFunctionArgs) {
  const detail = invariantFound(disclosureDetail(requireIdParam(params, 'id')))
  return new Response(disclosureCsv(detail), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="weinuan-disclosure-${detail.id}.csv"`,
      'Cache-Control': 'public, max-age=300',
    },
  })
}
