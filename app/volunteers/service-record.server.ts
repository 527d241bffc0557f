import { and, asc, desc, eq, gte, lt, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '~db/client.server'
import { institutions, serviceCertificates, serviceRecords, users, volunteerProfiles } from '~db/schema'
import { now } from '~/utils/clock.server'
import { isUniqueViolation } from '~/utils/db-errors.server'
import { CERTIFICATE_CODE, newDoorCode, normaliseCode } from '~/utils/door-code.server'
import { toCsv } from '~/utils/csv'
import { addShanghaiDays, parseShanghaiDate, shanghaiDateString, startOfShanghaiDay } from '~/utils/shanghai-date'
import { hoursOf, serviceSummary } from './hours.server'

// 志愿服务记录: everything a volunteer has served (open-day check-ins and confirmed visits, both
// written to service_records), printable certificates with a public verification code, and
// CSV exports of hours for the volunteer and for a home's staff (national volunteer system).

/** A Shanghai calendar-day range (both ends inclusive, either optional) as instants [from, to). */
function rangeOf(range: { from?: string; to?: string }) {
  return {
    from: range.from && parseShanghaiDate(range.from) ? startOfShanghaiDay(range.from) : undefined,
    to: range.to && parseShanghaiDate(range.to) ? startOfShanghaiDay(addShanghaiDays(range.to, 1)) : undefined,
  }
}

/** All service of a volunteer in an optional date range, with totals per year and per home. */
export function serviceRecordOf(userId: number, range: { from?: string; to?: string } = {}) {
  const summary = serviceSummary(userId, rangeOf(range))
  return {
    ...summary,
    items: summary.items.map((item) => ({
      id: item.id,
      source: item.source,
      date: shanghaiDateString(item.startedAt),
      startedAt: item.startedAt,
      endedAt: item.endedAt,
      institutionId: item.institutionId,
      home: item.home,
      description: item.description,
      minutes: item.minutes,
      hours: item.hours,
    })),
  }
}

// ---- certificates -----------------------------------------------------------------------------

// Codes are CERTIFICATE_CODE (WN-XXXXX-XXXXX, no 0/O, 1/I/L).
const CODE_RE = /^WN-[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/

/** The certificate code typed, pasted or in a link; null when it cannot be one. */
export function parseCertificateCode(input: string | undefined): string | null {
  const code = normaliseCode(input, CERTIFICATE_CODE)
  return CODE_RE.test(code) ? code : null
}

export const certificateSchema = z
  .object({
    fromDate: z
      .string({ required_error: '请选择开始日期' })
      .trim()
      .min(1, '请选择开始日期')
      .refine(parseShanghaiDate, '请填写有效的日期，例如 2026-01-01'),
    toDate: z
      .string({ required_error: '请选择结束日期' })
      .trim()
      .min(1, '请选择结束日期')
      .refine(parseShanghaiDate, '请填写有效的日期，例如 2026-12-31'),
  })
  .superRefine((v, ctx) => {
    if (parseShanghaiDate(v.fromDate) && parseShanghaiDate(v.toDate) && v.fromDate > v.toDate) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['toDate'], message: '结束日期不能早于开始日期' })
    }
  })

export type CertificateSnapshot = {
  realName: string
  homes: string[]
  items: { date: string; home: string; description: string; hours: number; minutes: number }[]
  totalMinutes: number
}

export type IssueResult = { ok: true; code: string } | { ok: false; reason: 'no_real_name' | 'no_records'; message: string }

/**
 * Issue a 志愿服务记录证明 for a date range: a snapshot of the volunteer's real name and the
 * service in that range, under a fresh verification code. Needs the real name from /me/volunteer.
 */
export function issueCertificate(userId: number, input: { fromDate: string; toDate: string }): IssueResult {
  const profile = db
    .select({ realName: volunteerProfiles.realName })
    .from(volunteerProfiles)
    .where(eq(volunteerProfiles.userId, userId))
    .get()
  const realName = profile?.realName.trim() ?? ''
  if (!realName) return { ok: false, reason: 'no_real_name', message: '证明需要写明您的真实姓名，请先在志愿者资料中填写实名信息。' }

  const record = serviceRecordOf(userId, { from: input.fromDate, to: input.toDate })
  if (record.items.length === 0) return { ok: false, reason: 'no_records', message: '这段时间内没有服务记录，请调整日期范围。' }

  // Oldest first on paper.
  const items = [...record.items]
    .reverse()
    .map((i) => ({ date: i.date, home: i.home, description: i.description, hours: i.hours, minutes: i.minutes }))
  const homes = [...new Set(items.map((i) => i.home))]
  const snapshot: CertificateSnapshot = { realName, homes, items, totalMinutes: record.totalMinutes }

  // A collision of ~49-bit codes is vanishingly rare; retry on the unique index anyway.
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newDoorCode(CERTIFICATE_CODE)
    try {
      db.insert(serviceCertificates)
        .values({
          code,
          userId,
          fromDate: input.fromDate,
          toDate: input.toDate,
          totalMinutes: record.totalMinutes,
          snapshot,
          issuedAt: now(),
        })
        .run()
      return { ok: true, code }
    } catch (error) {
      if (!isUniqueViolation(error, 'service_certificates.code')) throw error
    }
  }
  throw new Error('could not allocate a certificate code')
}

export function listCertificates(userId: number) {
  return db
    .select({
      code: serviceCertificates.code,
      fromDate: serviceCertificates.fromDate,
      toDate: serviceCertificates.toDate,
      totalMinutes: serviceCertificates.totalMinutes,
      issuedAt: serviceCertificates.issuedAt,
    })
    .from(serviceCertificates)
    .where(eq(serviceCertificates.userId, userId))
    .orderBy(desc(serviceCertificates.issuedAt), desc(serviceCertificates.id))
    .all()
    .map((c) => ({ ...c, totalHours: hoursOf(c.totalMinutes) }))
}

/** The owner's full certificate (for printing); null for anyone else or an unknown code. */
export function getOwnCertificate(userId: number, code: string | undefined) {
  const normalised = parseCertificateCode(code)
  if (!normalised) return null
  const row = db
    .select()
    .from(serviceCertificates)
    .where(and(eq(serviceCertificates.code, normalised), eq(serviceCertificates.userId, userId)))
    .get()
  if (!row) return null
  const snapshot = row.snapshot as unknown as CertificateSnapshot
  return {
    code: row.code,
    fromDate: row.fromDate,
    toDate: row.toDate,
    issuedAt: row.issuedAt,
    totalMinutes: row.totalMinutes,
    totalHours: hoursOf(row.totalMinutes),
    realName: snapshot.realName,
    homes: snapshot.homes,
    items: snapshot.items,
  }
}

/** The public check at /verify/service/:code: ONLY the name, total hours, the range and issue date. */
export function getCertificateByCode(code: string | undefined) {
  const normalised = parseCertificateCode(code)
  if (!normalised) return null
  const row = db.select().from(serviceCertificates).where(eq(serviceCertificates.code, normalised)).get()
  if (!row) return null
  const snapshot = row.snapshot as unknown as CertificateSnapshot
  return {
    code: row.code,
    realName: snapshot.realName,
    totalHours: hoursOf(row.totalMinutes),
    fromDate: row.fromDate,
    toDate: row.toDate,
    issuedAt: row.issuedAt,
  }
}

// ---- CSV exports -----------------------------------------------------------------------------

const CSV_HEADERS = ['姓名（实名）', '手机号', '日期', '服务内容', '时长（小时）', '服务机构']

function hoursRows(conditions: SQL[]) {
  return db
    .select({
      id: serviceRecords.id,
      userId: serviceRecords.userId,
      realName: volunteerProfiles.realName,
      profilePhone: volunteerProfiles.phone,
      displayName: users.displayName,
      accountPhone: users.phone,
      home: institutions.name,
      description: serviceRecords.description,
      startedAt: serviceRecords.startedAt,
      minutes: serviceRecords.minutes,
    })
    .from(serviceRecords)
    .innerJoin(users, eq(users.id, serviceRecords.userId))
    .innerJoin(institutions, eq(institutions.id, serviceRecords.institutionId))
    .leftJoin(volunteerProfiles, eq(volunteerProfiles.userId, serviceRecords.userId))
    .where(and(...conditions))
    .orderBy(asc(serviceRecords.startedAt), asc(serviceRecords.id))
    .all()
    .map((r) => ({
      ...r,
      name: r.realName ?? `${r.displayName}（未实名）`,
      phone: r.profilePhone ?? r.accountPhone ?? '',
      date: shanghaiDateString(r.startedAt),
      hours: hoursOf(r.minutes),
    }))
}

function csvRows(rows: ReturnType<typeof hoursRows>): string[][] {
  return rows.map((r) => [r.name, r.phone, r.date, r.description, String(r.hours), r.home])
}

/** The volunteer's own hours, every record. */
export function hoursCsvForVolunteer(userId: number): string {
  return toCsv(CSV_HEADERS, csvRows(hoursRows([eq(serviceRecords.userId, userId)])))
}

function homeConditions(institutionId: number, range: { from?: string; to?: string }): SQL[] {
  const { from, to } = rangeOf(range)
  const conditions: SQL[] = [eq(serviceRecords.institutionId, institutionId)]
  if (from) conditions.push(gte(serviceRecords.startedAt, from))
  if (to) conditions.push(lt(serviceRecords.startedAt, to))
  return conditions
}

/** One home's records (staff only; real names and phones are private to that home's staff). */
export function hoursCsvForHome(institutionId: number, range: { from?: string; to?: string } = {}): string {
  return toCsv(CSV_HEADERS, csvRows(hoursRows(homeConditions(institutionId, range))))
}

/** The staff table: per volunteer, the number of records and hours at this home in the range. */
export function homeHoursTable(institutionId: number, range: { from?: string; to?: string } = {}) {
  const rows = hoursRows(homeConditions(institutionId, range))
  const perVolunteer = new Map<number, { userId: number; name: string; records: number; minutes: number; lastDate: string }>()
  let totalMinutes = 0
  for (const r of rows) {
    totalMinutes += r.minutes
    const v = perVolunteer.get(r.userId) ?? { userId: r.userId, name: r.name, records: 0, minutes: 0, lastDate: r.date }
    v.records += 1
    v.minutes += r.minutes
    if (r.date > v.lastDate) v.lastDate = r.date
    perVolunteer.set(r.userId, v)
  }
  return {
    volunteers: [...perVolunteer.values()]
      .sort((a, b) => b.minutes - a.minutes || a.userId - b.userId)
      .map((v) => ({ ...v, hours: hoursOf(v.minutes) })),
    records: rows.length,
    totalMinutes,
    totalHours: hoursOf(totalMinutes),
  }
}

/** Optional date filters from a query string; invalid dates are ignored (and reported). */
export function rangeFromSearch(params: URLSearchParams): { from?: string; to?: string; invalid: boolean } {
  const from = params.get('from')?.trim() ?? ''
  const to = params.get('to')?.trim() ?? ''
  const okFrom = from === '' || parseShanghaiDate(from) !== null
  const okTo = to === '' || parseShanghaiDate(to) !== null
  return { from: okFrom && from ? from : undefined, to: okTo && to ? to : undefined, invalid: !okFrom || !okTo }
}
