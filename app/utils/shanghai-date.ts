// The one home of Asia/Shanghai calendar arithmetic (browser-safe, no dependencies). Instants
// are stored in UTC; people think in Shanghai calendar days and wall-clock times. China has
// kept UTC+8 all year since it dropped daylight saving in 1991, so a fixed +08:00 offset is
// exact for every date this site handles and needs no time-zone database.

const OFFSET_MS = 8 * 3_600_000
const DAY_MS = 86_400_000

export type CalendarDate = { year: number; month: number; day: number }

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

function dateKey(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

/** Date.UTC without its 1900s reading of years 0–99; out-of-range months and days roll over. */
function utc(year: number, month: number, day: number, hours = 0, minutes = 0): Date {
  const at = new Date(Date.UTC(2000, month - 1, day, hours, minutes))
  at.setUTCFullYear(at.getUTCFullYear() - 2000 + year)
  return at
}

/** 'YYYY-MM-DD' → its parts, or null when malformed or not a real day (2027-02-30 is null, not 03-02). */
export function parseShanghaiDate(text: string): CalendarDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const probe = utc(year, month, day)
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null
  return { year, month, day }
}

/** 'YYYY-MM' → year and month (1–12), or null when malformed. */
export function parseShanghaiMonth(text: string): { year: number; month: number } | null {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text)
  return match ? { year: Number(match[1]), month: Number(match[2]) } : null
}

function calendarDate(date: string): CalendarDate {
  const parsed = parseShanghaiDate(date)
  // Forms check dates with parseShanghaiDate first; reaching here with a bad one is a bug.
  if (!parsed) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`)
  return parsed
}

/** A Date whose UTC fields read as the Shanghai wall clock at `at` (for libraries that think in local time). */
export function shanghaiWallClock(at: Date | string | number): Date {
  return new Date(new Date(at).getTime() + OFFSET_MS)
}

/** The inverse of shanghaiWallClock: the instant a Shanghai wall-clock Date stands for. */
export function fromShanghaiWallClock(local: Date): Date {
  return new Date(local.getTime() - OFFSET_MS)
}

/** The Shanghai calendar date, wall-clock time and weekday (0 = Sunday) of an instant. */
export function shanghaiParts(at: Date | string | number): CalendarDate & { date: string; time: string; weekday: number } {
  const local = shanghaiWallClock(at)
  const year = local.getUTCFullYear()
  const month = local.getUTCMonth() + 1
  const day = local.getUTCDate()
  return {
    date: dateKey(year, month, day),
    time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
    year,
    month,
    day,
    weekday: local.getUTCDay(),
  }
}

/** 'YYYY-MM-DD' of an instant in Shanghai: the value of a date input, "today" with now(). */
export function shanghaiDateString(at: Date | string | number): string {
  return shanghaiParts(at).date
}

/** The instant of wall-clock `time` ('HH:MM') on a Shanghai calendar day. */
export function shanghaiInstant(date: string, time = '00:00'): Date {
  const { year, month, day } = calendarDate(date)
  const clock = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time)
  if (!clock) throw new RangeError(`not a wall-clock time: ${JSON.stringify(time)}`)
  return fromShanghaiWallClock(utc(year, month, day, Number(clock[1]), Number(clock[2])))
}

/** The instant a Shanghai calendar day starts (local midnight). */
export function startOfShanghaiDay(date: string): Date {
  return shanghaiInstant(date)
}

/** The last millisecond of a Shanghai calendar day: "until the end of that day". */
export function endOfShanghaiDay(date: string): Date {
  return new Date(startOfShanghaiDay(date).getTime() + DAY_MS - 1)
}

/** A datetime-local value ('YYYY-MM-DDTHH:MM', read as Shanghai time) → the instant. */
export function parseDateTimeLocal(value: string): Date {
  const [date, time] = value.split('T') as [string, string | undefined]
  return shanghaiInstant(date, time ?? '00:00')
}

/** The datetime-local input value of an instant in Shanghai, or '' for none. */
export function toDateTimeLocal(at: Date | string | number | null | undefined): string {
  if (at == null) return ''
  const p = shanghaiParts(at)
  return `${p.date}T${p.time}`
}

/** The instant a Shanghai month starts; months past 12 or below 1 roll into the next or previous year. */
export function startOfShanghaiMonth(year: number, month: number): Date {
  return fromShanghaiWallClock(utc(year, month, 1))
}

/** A calendar day `days` later (or earlier, when negative). */
export function addShanghaiDays(date: string, days: number): string {
  return shanghaiDateString(new Date(startOfShanghaiDay(date).getTime() + days * DAY_MS))
}

/** The same day `months` later, clamped to the month's last day (01-31 + 1 month → 02-28). */
export function addShanghaiMonths(date: string, months: number): string {
  const { year, month, day } = calendarDate(date)
  const first = shanghaiParts(startOfShanghaiMonth(year, month + months))
  const lastDay = shanghaiParts(new Date(startOfShanghaiMonth(first.year, first.month + 1).getTime() - 1)).day
  return dateKey(first.year, first.month, Math.min(day, lastDay))
}

/** Whole calendar days from one Shanghai date to another (negative when `to` is earlier). */
export function shanghaiDaysBetween(from: string, to: string): number {
  return Math.round((startOfShanghaiDay(to).getTime() - startOfShanghaiDay(from).getTime()) / DAY_MS)
}
