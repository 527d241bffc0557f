import { shanghaiParts } from './shanghai-date'

// The one place dates and money are formatted for display: Asia/Shanghai, integer fen. Built
// from shanghai-date rather than Intl so the server and every browser print the same text.

/** "2026/05/10 09:30" in Shanghai time. */
export function formatDateTime(value: Date | string | number): string {
  const p = shanghaiParts(value)
  return `${p.date.replaceAll('-', '/')} ${p.time}`
}

/** "2026/05/10", the Shanghai calendar day. */
export function formatDate(value: Date | string | number): string {
  return shanghaiParts(value).date.replaceAll('-', '/')
}

function yuanParts(fen: number) {
  const abs = Math.abs(fen)
  return { sign: fen < 0 ? '-' : '', yuan: String(Math.floor(abs / 100)), cents: String(abs % 100).padStart(2, '0') }
}

/** 12345 fen → "¥123.45"; whole yuan drop the decimals: 5000 → "¥50"; thousands grouped: "¥1,000". */
export function formatFen(fen: number): string {
  const { sign, yuan, cents } = yuanParts(fen)
  const grouped = yuan.replace(/\B(?=(\d{3})+$)/g, ',')
  return `${sign}¥${grouped}${cents === '00' ? '' : `.${cents}`}`
}

/** Plain yuan for an input's value: 12345 → "123.45", 5000 → "50"; `fixed` keeps "50.00" (spreadsheets). */
export function fenToYuan(fen: number, { fixed = false } = {}): string {
  const { sign, yuan, cents } = yuanParts(fen)
  return `${sign}${yuan}${cents === '00' && !fixed ? '' : `.${cents}`}`
}
