// Gift amounts: shared by the /give form and the server (browser-safe, no dependencies).

export const MIN_GIFT_FEN = 100 // ¥1
export const MAX_GIFT_FEN = 5_000_000 // ¥50,000
export const PRESET_AMOUNTS_FEN = [5_000, 10_000, 20_000, 50_000] as const

export type ParsedAmount = { ok: true; fen: number } | { ok: false; message: string }

/**
 * Parse an amount typed in yuan ("50", "50.5", "1,000.00", "¥88") to integer fen exactly,
 * from the string (no floating point), and check the per-gift bounds.
 */
export function parseYuanToFen(input: string): ParsedAmount {
  const text = input.trim().replace(/^[¥￥]/, '').replace(/[,，]/g, '').trim()
  if (!text) return { ok: false, message: '请输入捐款金额' }
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text)
  if (!m) return { ok: false, message: '请输入有效的金额，如 50 或 88.50（最多两位小数）' }
  const yuan = (m[1] as string).replace(/^0+(?=\d)/, '')
  if (yuan.length > 9) return { ok: false, message: '每笔捐款最多 ¥50,000' }
  const fen = Number(yuan) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  if (fen < MIN_GIFT_FEN) return { ok: false, message: '每笔捐款至少 ¥1' }
  if (fen > MAX_GIFT_FEN) return { ok: false, message: '每笔捐款最多 ¥50,000' }
  return { ok: true, fen }
}
