import type { LoaderFunctionArgs } from '@remix-run/node'
import { intParam, jsonError, jsonResponse } from '~/ledger/http.server'
import { consistencyBetween, ledgerSize } from '~/ledger/tree.server'

// GET /api/ledger/consistency?from=&to=: RFC 9162 consistency proof that the tree of `from`
// leaves is a prefix of the tree of `to` leaves (to defaults to the current size).
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const from = intParam(url, 'from')
  const to = intParam(url, 'to')
  if (from === undefined || Number.isNaN(from) || Number.isNaN(to)) {
    return jsonError(400, 'from 为必填的非负整数', 'from must be a non-negative integer')
  }
  const result = consistencyBetween(from, to ?? ledgerSize())
  if (!result) return jsonError(400, '须满足 0 ≤ from ≤ to ≤ 当前日志大小', 'need 0 <= from <= to <= current log size')
  return jsonResponse(result, { noStore: true })
}
