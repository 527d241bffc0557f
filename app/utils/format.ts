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

/** 12345 fen → "¥123.45"; whole yuan drop the decimals: 5000 → "¥50". */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  const yuan = Math.floor(abs / 100)
  const rest = abs % 100
  const grouped = yuan.toLocaleString('zh-CN')
  return rest === 0 ? `${sign}¥${grouped}` : `${sign}¥${grouped}.${String(rest).padStart(2, '0')}`
}
