import type { LoaderFunctionArgs } from '@remix-run/node'
import { intParam, jsonError, jsonResponse } from '~/ledger/http.server'
import { listLeaves } from '~/ledger/tree.server'

// GET /api/ledger?after=<leafIndex>&limit=<1..500>: the public log's leaves in order, each with
// the exact canonical bytes it hashes. Page with `after=<next>` until next is null.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const after = intParam(url, 'after')
  const limit = intParam(url, 'limit') ?? 100
  if (Number.isNaN(after) || Number.isNaN(limit) || limit < 1 || limit > 500) {
    return jsonError(
      400,
      'after 须为非负整数，limit 须在 1 到 500 之间',
      'after must be a non-negative integer and limit between 1 and 500',
    )
  }
  return jsonResponse(listLeaves(after ?? -1, limit))
}
