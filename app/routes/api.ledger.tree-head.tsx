import type { LoaderFunctionArgs } from '@remix-run/node'
import { intParam, jsonError, jsonResponse } from '~/ledger/http.server'
import { signedTreeHead } from '~/ledger/tree.server'

// GET /api/ledger/tree-head[?size=]: the signed tree head (size, root hash, Ed25519 signature
// over "weinuan-ledger-v1\n<size>\n<rootHash>", key id). Public key: /.well-known/weinuan-ledger-key
export async function loader({ request }: LoaderFunctionArgs) {
  const size = intParam(new URL(request.url), 'size')
  if (Number.isNaN(size)) return jsonError(400, 'size 须为非负整数', 'size must be a non-negative integer')
  try {
    return jsonResponse(signedTreeHead(size), { noStore: true })
  } catch (error) {
    if (error instanceof RangeError) return jsonError(404, '日志尚无该大小', 'the log has no tree of that size')
    throw error
  }
}
