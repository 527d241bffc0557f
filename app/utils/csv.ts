// The one place spreadsheet exports (CSV and XLSX) make text safe and encode CSV.

// A cell starting with one of these is run as a formula by Excel, WPS or LibreOffice (CSV
// injection): = + - @, TAB, CR, LF, and the full-width ＝ ＋ － ＠ that some spreadsheets
// normalise to their ASCII forms.
const FORMULA_TRIGGER = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/
// A plain negative number (-12.50, a correction's amount) is data, not a formula.
const PLAIN_NEGATIVE_NUMBER = /^-\d+(\.\d+)?$/

/** Text as a spreadsheet should show it: a formula trigger is neutralised with a leading '. */
export function spreadsheetText(value: string): string {
  return FORMULA_TRIGGER.test(value) && !PLAIN_NEGATIVE_NUMBER.test(value) ? `'${value}` : value
}

/** One CSV field: guarded, then quoted when it holds a comma, quote, CR or LF. */
export function csvField(value: string): string {
  const safe = spreadsheetText(value)
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** UTF-8 CSV with a BOM (so Excel shows the Chinese correctly) and CRLF line ends. */
export function toCsv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return `\uFEFF${[headers, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`
}
