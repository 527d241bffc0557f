import { and, asc, eq, gt, ne } from 'drizzle-orm'
import * as rruleModule from 'rrule'
import { db, writeTransaction, type Tx } from '~db/client.server'
import { slotSeries, slots, type QualificationKind, type SlotKind } from '~db/schema'
import { refuse, type Actor } from '~/audit/audit.server'
import { now } from '~/utils/clock.server'
import { endOfShanghaiDay, fromShanghaiWallClock, shanghaiDateString, shanghaiWallClock } from '~/utils/shanghai-date'
import { recurrenceKinds, rruleWeekdays, type RecurrenceKind } from './labels'
import { anyBookingsSql, attempt, confirmedPeopleSql, liveBookingsSql, type Refusal } from './slots.server'
import type { SeriesFormInput } from './validation'

// Recurring slots (e.g. 社会开放日, 每月第二个周六 9:30–11:30). The series keeps an RFC 5545
// RRULE whose DTSTART is Asia/Shanghai wall-clock time; occurrences are computed in that
// "floating" local frame (so BYDAY means the Shanghai weekday) and shifted by −8 h to UTC.

// rrule ships a UMD bundle: under Node's ESM loader its exports sit on `default`.
const { RRule } = ((rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule) as typeof rruleModule

/** How far ahead slots are generated. */
export const GENERATE_MONTHS = 6

export type SeriesTemplate = {
  kind: SlotKind
  title: string
  description: string
  location: string
  capacity: number
  allowGroups: boolean
  groupMinDaysAhead: number
  groupMaxSize: number
  cancelCutoffHours: number
  offerHoldHours: number
  minAge: number | null
  requiredQualifications: QualificationKind[]
  requiresBackgroundCheck: boolean
  /** Booking opens this many days before each occurrence (null: as soon as it is published). */
  opensDaysBefore: number | null
  /** Booking closes this many hours before the start (null: at the start). */
  closesHoursBefore: number | null
  /** Status new and updated unbooked occurrences get. */
  status: 'draft' | 'published'
  // The recurrence as the form shows it; the rrule column is the source of truth.
  recurrence: RecurrenceKind
  weekday: number
  firstDate: string
  untilDate: string | null
  startTime: string
  endTime: string
}

export type SeriesInput = Omit<SeriesTemplate, 'status'>
export type Series = typeof slotSeries.$inferSelect

// ---- RRULE ----------------------------------------------------------------------------------

const compact = (date: string, time: string) => `${date.replaceAll('-', '')}T${time.replace(':', '')}00`

/** The RRULE text for a series, DTSTART in Asia/Shanghai wall-clock, UNTIL in UTC (RFC 5545). */
export function buildRrule(input: Pick<SeriesInput, 'recurrence' | 'weekday' | 'firstDate' | 'untilDate' | 'startTime'>): string {
  const day = rruleWeekdays[input.weekday] ?? 'SA'
  const rule =
    input.recurrence === 'monthly_2nd_saturday'
      ? 'FREQ=MONTHLY;BYDAY=+2SA'
      : input.recurrence === 'biweekly'
        ? `FREQ=WEEKLY;INTERVAL=2;BYDAY=${day}`
        : `FREQ=WEEKLY;BYDAY=${day}`
  const until = input.untilDate
    ? `;UNTIL=${endOfShanghaiDay(input.untilDate)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '')}`
    : ''
  return `DTSTART;TZID=Asia/Shanghai:${compact(input.firstDate, input.startTime)}\nRRULE:${rule}${until}`
}

/** Occurrence starts (UTC instants) of a series' RRULE strictly after `from` and up to `to`. */
export function occurrencesBetween(rruleText: string, from: Date, to: Date): Date[] {
  const dtstart = /^DTSTART;TZID=Asia\/Shanghai:(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/m.exec(rruleText)
  const ruleLine = /^RRULE:(.+)$/m.exec(rruleText)
  if (!dtstart || !ruleLine?.[1]) throw new Error(`unsupported series rrule: ${rruleText}`)
  const [, y, mo, d, h, mi] = dtstart.map(Number) as [number, number, number, number, number, number]
  const options = RRule.parseString(ruleLine[1])
  // Floating frame: a Date whose UTC fields are the Shanghai wall-clock fields.
  const rule = new RRule({
    ...options,
    dtstart: new Date(Date.UTC(y, mo - 1, d, h, mi)),
    until: options.until ? shanghaiWallClock(options.until) : null,
  })
  return rule.between(shanghaiWallClock(from), shanghaiWallClock(to), false).map(fromShanghaiWallClock)
}

function addMonths(at: Date, months: number): Date {
  const d = new Date(at)
  d.setUTCMonth(d.getUTCMonth() + months)
  return d
}

// ---- Generating -----------------------------------------------------------------------------

function occurrenceValues(template: SeriesTemplate, startsAt: Date, durationMinutes: number) {
  return {
    kind: template.kind,
    title: template.title,
    description: template.description,
    location: template.location,
    startsAt,
    endsAt: new Date(startsAt.getTime() + durationMinutes * 60_000),
    capacity: template.capacity,
    opensAt: template.opensDaysBefore != null ? new Date(startsAt.getTime() - template.opensDaysBefore * 86_400_000) : null,
    closesAt: template.closesHoursBefore != null ? new Date(startsAt.getTime() - template.closesHoursBefore * 3_600_000) : null,
    allowGroups: template.allowGroups,
    groupMinDaysAhead: template.groupMinDaysAhead,
    groupMaxSize: template.groupMaxSize,
    cancelCutoffHours: template.cancelCutoffHours,
    offerHoldHours: template.offerHoldHours,
    minAge: template.minAge,
    requiredQualifications: template.requiredQualifications,
    requiresBackgroundCheck: template.requiresBackgroundCheck,
  }
}

/** The upcoming occurrences of a series within the generation window, keyed by Shanghai date. */
function upcomingOccurrences(series: Pick<Series, 'rrule'>, at: Date): Map<string, Date> {
  const byDate = new Map<string, Date>()
  for (const startsAt of occurrencesBetween(series.rrule, at, addMonths(at, GENERATE_MONTHS)))
    byDate.set(shanghaiDateString(startsAt), startsAt)
  return byDate
}

/**
 * Insert the slots of a series' upcoming occurrences that do not exist yet. Idempotent: an
 * occurrence counts as generated when the series has a slot (of any status, so a cancelled
 * occurrence is not brought back) on that Shanghai date.
 */
export function generateSeriesSlots(tx: Tx, series: Series, at = now()): number {
  const template = series.template as SeriesTemplate
  const taken = new Set(
    tx
      .select({ startsAt: slots.startsAt })
      .from(slots)
      .where(eq(slots.seriesId, series.id))
      .all()
      .map((s) => shanghaiDateString(s.startsAt)),
  )
  let added = 0
  for (const [date, startsAt] of upcomingOccurrences(series, at)) {
    if (taken.has(date)) continue
    tx.insert(slots)
      .values({
        ...occurrenceValues(template, startsAt, series.durationMinutes),
        institutionId: series.institutionId,
        seriesId: series.id,
        status: template.status,
      })
      .run()
    added++
  }
  return added
}

/** Keep every series generated six months ahead (run by the background jobs). */
export function extendAllSeries(at = now()): number {
  let added = 0
  for (const { id } of db.select({ id: slotSeries.id }).from(slotSeries).all()) {
    added += writeTransaction((tx) => {
      const series = tx.select().from(slotSeries).where(eq(slotSeries.id, id)).get()
      return series ? generateSeriesSlots(tx, series, at) : 0
    })
  }
  return added
}

function durationOf(input: Pick<SeriesInput, 'startTime' | 'endTime'>): number {
  const [sh, sm] = input.startTime.split(':').map(Number) as [number, number]
  const [eh, em] = input.endTime.split(':').map(Number) as [number, number]
  return eh * 60 + em - (sh * 60 + sm)
}

function checkSeries(input: SeriesInput) {
  if (!recurrenceKinds.includes(input.recurrence)) refuse('请选择重复方式', 'recurrence')
  if (durationOf(input) <= 0) refuse('结束时间须晚于开始时间', 'endTime')
}

export function createSeries(
  actor: Actor,
  institutionId: number,
  input: SeriesInput,
  { publish = false } = {},
): { ok: true; series: Series; generated: number } | Refusal {
  return attempt(actor, (tx) => {
    checkSeries(input)
    const template: SeriesTemplate = { ...input, status: publish ? 'published' : 'draft' }
    const series = tx
      .insert(slotSeries)
      .values({ institutionId, rrule: buildRrule(input), durationMinutes: durationOf(input), template, createdBy: actor.userId })
      .returning()
      .get()
    const generated = generateSeriesSlots(tx, series)
    if (generated === 0) refuse('按此规则，未来 6 个月内没有活动日期，请检查开始和结束日期', 'firstDate')
    return {
      result: { ok: true as const, series, generated },
      audit: {
        institutionId,
        action: 'series.create',
        entityType: 'slot_series',
        entityId: series.id,
        summary: { title: input.title, rrule: series.rrule, generated, status: template.status },
      },
    }
  })
}

export type SeriesUpdateOutcome = { ok: true; updated: number; kept: number; added: number; removed: number }

/**
 * Edit a series. Future occurrences with no live booking follow the new rule and fields
 * (moved, changed, or removed when their date is no longer an occurrence); occurrences someone
 * has booked are left untouched and counted as kept. New dates are generated.
 */
export function updateSeries(
  actor: Actor,
  institutionId: number,
  seriesId: number,
  input: SeriesInput,
  { publish }: { publish?: boolean } = {},
): SeriesUpdateOutcome | Refusal {
  return attempt(actor, (tx) => {
    const series = tx
      .select()
      .from(slotSeries)
      .where(and(eq(slotSeries.id, seriesId), eq(slotSeries.institutionId, institutionId)))
      .get()
    if (!series) refuse('找不到该重复活动')
    checkSeries(input)
    const previous = series.template as SeriesTemplate
    const template: SeriesTemplate = { ...input, status: publish ? 'published' : previous.status }
    const at = now()
    const updatedSeries = tx
      .update(slotSeries)
      .set({ rrule: buildRrule(input), durationMinutes: durationOf(input), template, updatedAt: at })
      .where(eq(slotSeries.id, seriesId))
      .returning()
      .get()
    const occurrences = upcomingOccurrences(updatedSeries, at)
    const future = tx
      .select({
        id: slots.id,
        startsAt: slots.startsAt,
        live: liveBookingsSql,
        any: anyBookingsSql,
      })
      .from(slots)
      .where(and(eq(slots.seriesId, seriesId), gt(slots.startsAt, at), ne(slots.status, 'cancelled')))
      .all()
    let updated = 0
    let kept = 0
    let removed = 0
    for (const slot of future) {
      if (Number(slot.live) > 0) {
        kept++
        continue
      }
      const startsAt = occurrences.get(shanghaiDateString(slot.startsAt))
      if (startsAt) {
        tx.update(slots)
          .set({ ...occurrenceValues(template, startsAt, updatedSeries.durationMinutes), status: template.status, updatedAt: at })
          .where(eq(slots.id, slot.id))
          .run()
        updated++
      } else if (Number(slot.any) > 0) {
        // Cancelled bookings still point at it: keep the row, take it off the calendar.
        tx.update(slots).set({ status: 'cancelled', updatedAt: at }).where(eq(slots.id, slot.id)).run()
        removed++
      } else {
        tx.delete(slots).where(eq(slots.id, slot.id)).run()
        removed++
      }
    }
    const added = generateSeriesSlots(tx, updatedSeries, at)
    return {
      result: { ok: true as const, updated, kept, added, removed },
      audit: {
        institutionId,
        action: 'series.update',
        entityType: 'slot_series',
        entityId: seriesId,
        summary: { title: input.title, rrule: updatedSeries.rrule, updated, kept, added, removed, status: template.status },
      },
    }
  })
}

/** Publish a series: its future draft occurrences go public, and new ones will be generated published. */
export function publishSeries(actor: Actor, institutionId: number, seriesId: number): { ok: true; published: number } | Refusal {
  return attempt(actor, (tx) => {
    const series = tx
      .select()
      .from(slotSeries)
      .where(and(eq(slotSeries.id, seriesId), eq(slotSeries.institutionId, institutionId)))
      .get()
    if (!series) refuse('找不到该重复活动')
    const at = now()
    const template = { ...(series.template as SeriesTemplate), status: 'published' as const }
    tx.update(slotSeries).set({ template, updatedAt: at }).where(eq(slotSeries.id, seriesId)).run()
    const published = tx
      .update(slots)
      .set({ status: 'published', updatedAt: at })
      .where(and(eq(slots.seriesId, seriesId), eq(slots.status, 'draft'), gt(slots.startsAt, at)))
      .returning({ id: slots.id })
      .all().length
    return {
      result: { ok: true as const, published },
      audit: {
        institutionId,
        action: 'series.publish',
        entityType: 'slot_series',
        entityId: seriesId,
        summary: { title: template.title, published },
      },
    }
  })
}

// ---- Reading --------------------------------------------------------------------------------

export function listSeriesOf(institutionId: number) {
  return db
    .select()
    .from(slotSeries)
    .where(eq(slotSeries.institutionId, institutionId))
    .orderBy(asc(slotSeries.id))
    .all()
    .map((s) => ({ id: s.id, template: s.template as SeriesTemplate }))
}

export function getStaffSeries(institutionId: number, seriesId: number) {
  const series = db
    .select()
    .from(slotSeries)
    .where(and(eq(slotSeries.id, seriesId), eq(slotSeries.institutionId, institutionId)))
    .get()
  if (!series) return null
  const upcoming = db
    .select({
      id: slots.id,
      startsAt: slots.startsAt,
      endsAt: slots.endsAt,
      capacity: slots.capacity,
      status: slots.status,
      confirmedPeople: confirmedPeopleSql,
      live: liveBookingsSql,
    })
    .from(slots)
    .where(and(eq(slots.seriesId, seriesId), gt(slots.endsAt, now())))
    .orderBy(asc(slots.startsAt), asc(slots.id))
    .all()
  return { series, template: series.template as SeriesTemplate, upcoming }
}

// ---- Form glue ------------------------------------------------------------------------------

export function seriesInputFrom(value: SeriesFormInput): SeriesInput {
  return {
    kind: value.kind,
    title: value.title.trim(),
    description: (value.description ?? '').trim(),
    location: (value.location ?? '').trim(),
    capacity: value.capacity,
    allowGroups: value.allowGroups ?? false,
    groupMinDaysAhead: value.groupMinDaysAhead,
    groupMaxSize: value.groupMaxSize,
    cancelCutoffHours: value.cancelCutoffHours,
    offerHoldHours: value.offerHoldHours,
    minAge: value.minAge ?? null,
    requiredQualifications: [...new Set(value.requiredQualifications ?? [])],
    requiresBackgroundCheck: value.requiresBackgroundCheck ?? false,
    opensDaysBefore: value.opensDaysBefore ?? null,
    closesHoursBefore: value.closesHoursBefore ?? null,
    recurrence: value.recurrence,
    weekday: value.weekday,
    firstDate: value.firstDate,
    untilDate: value.untilDate ?? null,
    startTime: value.startTime,
    endTime: value.endTime,
  }
}

export function seriesFormDefaults(template: SeriesTemplate) {
  return {
    kind: template.kind,
    title: template.title,
    description: template.description,
    location: template.location,
    recurrence: template.recurrence,
    weekday: String(template.weekday),
    firstDate: template.firstDate,
    untilDate: template.untilDate ?? '',
    startTime: template.startTime,
    endTime: template.endTime,
    capacity: String(template.capacity),
    opensDaysBefore: template.opensDaysBefore == null ? '' : String(template.opensDaysBefore),
    closesHoursBefore: template.closesHoursBefore == null ? '' : String(template.closesHoursBefore),
    allowGroups: template.allowGroups ? 'on' : '',
    groupMinDaysAhead: String(template.groupMinDaysAhead),
    groupMaxSize: String(template.groupMaxSize),
    cancelCutoffHours: String(template.cancelCutoffHours),
    offerHoldHours: String(template.offerHoldHours),
    minAge: template.minAge == null ? '' : String(template.minAge),
    requiredQualifications: template.requiredQualifications,
    requiresBackgroundCheck: template.requiresBackgroundCheck ? 'on' : '',
  }
}
