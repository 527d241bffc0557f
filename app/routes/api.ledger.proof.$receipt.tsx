import type { LoaderFunctionArgs } from '@remix-run/node'
import { intParam, jsonError, jsonResponse } from '~/ledger/http.server'
import { proofForReceipt } from '~/ledger/tree.server'

// GET /api/ledger/proof/<receipt>[?size=]: RFC 9162 inclusion proof of a receipt's leaf, with
// its canonical bytes so the leaf hash can be recomputed by whoever checks it.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const size = intParam(new URL(request.url), 'size')
  if (Number.isNaN(size)) return jsonError(400, 'size 须为非负整数', 'size must be a non-negative integer')
  const result = proofForReceipt(params.receipt ?? '', size)
  if (result === null) return jsonError(404, '找不到该收据编号', 'no log entry with that receipt number')
  if (result === 'bad-size') return jsonError(400, '该大小的树不包含此记录', 'the tree of that size does not contain this entry')
  return jsonResponse(result, { noStore: true })
}
