// The one place dates and money are formatted for display: Asia/Shanghai, integer fen.
const TIME_ZONE = 'Asia/Shanghai'

const dateTimeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
})
const dateFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })

export function formatDateTime(value: Date | string | number): string {
  return dateTimeFormat.format(new Date(value))
}

export function formatDate(value: Date | string | number): string {
  return dateFormat.format(new Date(value))
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
