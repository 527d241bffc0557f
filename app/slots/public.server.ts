import { and, asc, eq, gt, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { db } from '~db/client.server'
import { institutions, slotKinds, slots, type QualificationKind, type SlotKind } from '~db/schema'
import { now } from '~/utils/clock.server'
import {
  addShanghaiDays,
  parseShanghaiDate,
  parseShanghaiMonth,
  shanghaiDateString,
  shanghaiParts,
  startOfShanghaiDay,
  startOfShanghaiMonth,
} from '~/utils/shanghai-date'
import { decodeCursor, PAGE_SIZE, pageOf } from '~/utils/pagination'
import { cancelCutoffWords, groupRuleWords, requirementWords } from './labels'
import { takenPeopleSql } from './slots.server'

// The public face of volunteering: published slots only, public columns picked by hand (no
// booker, phone or staff field ever rides along). Remaining places = capacity − people confirmed or holding a 候补 offer.

export type PublicSlotCard = {
  id: number
  kind: SlotKind
  title: string
  startsAt: Date
  endsAt: Date
  capacity: number
  remaining: number
  homeName: string
  homeSlug: string
  city: string
  allowGroups: boolean
  requiresBackgroundCheck: boolean
  hasRequirements: boolean
}

// ---- Filters -------------------------------------------------------------------------------

/** Query-string filters; anything unknown or malformed reads as "no filter". */
export const slotFilterSchema = z.object({
  kind: z.enum(slotKinds).optional().catch(undefined),
  home: z.string().trim().max(100).optional().catch(undefined),
  city: z.string().trim().max(50).optional().catch(undefined),
  from: z.string().refine(parseShanghaiDate).optional().catch(undefined),
  to: z.string().refine(parseShanghaiDate).optional().catch(undefined),
})
export type SlotFilters = z.infer<typeof slotFilterSchema>

const cardColumns = {
  id: slots.id,
  kind: slots.kind,
  title: slots.title,
  startsAt: slots.startsAt,
  endsAt: slots.endsAt,
  capacity: slots.capacity,
  taken: takenPeopleSql,
  homeName: institutions.name,
  homeSlug: institutions.slug,
  city: institutions.city,
  allowGroups: slots.allowGroups,
  minAge: slots.minAge,
  requiredQualifications: slots.requiredQualifications,
  requiresBackgroundCheck: slots.requiresBackgroundCheck,
}

type CardRow = {
  id: number
  kind: SlotKind
  title: string
  startsAt: Date
  endsAt: Date
  capacity: number
  taken: number
  homeName: string
  homeSlug: string
  city: string
  allowGroups: boolean
  minAge: number | null
  requiredQualifications: QualificationKind[]
  requiresBackgroundCheck: boolean
}

function toCard(row: CardRow): PublicSlotCard {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    capacity: row.capacity,
    remaining: Math.max(0, row.capacity - Number(row.taken)),
    homeName: row.homeName,
    homeSlug: row.homeSlug,
    city: row.city,
    allowGroups: row.allowGroups,
    requiresBackgroundCheck: row.requiresBackgroundCheck,
    hasRequirements: row.minAge != null || row.requiresBackgroundCheck || row.requiredQualifications.length > 0,
  }
}

/** Published, not yet ended, matching the filters (dates are Asia/Shanghai calendar days). */
function publicConditions(filters: SlotFilters, at: Date): Array<SQL | undefined> {
  const conditions: Array<SQL | undefined> = [eq(slots.status, 'published'), gt(slots.endsAt, at)]
  if (filters.kind) conditions.push(eq(slots.kind, filters.kind))
  if (filters.home) conditions.push(eq(institutions.slug, filters.home))
  if (filters.city) conditions.push(eq(institutions.city, filters.city))
  if (filters.from) conditions.push(gte(slots.startsAt, startOfShanghaiDay(filters.from)))
  if (filters.to) conditions.push(lt(slots.startsAt, startOfShanghaiDay(addShanghaiDays(filters.to, 1))))
  return conditions
}

function cardQuery(where: SQL | undefined) {
  return db.select(cardColumns).from(slots).innerJoin(institutions, eq(institutions.id, slots.institutionId)).where(where)
}

/**
 * Upcoming published slots, soonest first, one keyset page at a time: the next page starts
 * strictly after the last (starts_at, id) seen.
 */
export function listUpcomingSlots({
  filters = {},
  cursor,
  limit = PAGE_SIZE,
}: { filters?: SlotFilters; cursor?: string | null; limit?: number } = {}): {
  items: PublicSlotCard[]
  next: string | null
} {
  const after = decodeCursor(cursor)
  const conditions = publicConditions(filters, now())
  if (after) conditions.push(or(gt(slots.startsAt, new Date(after.k)), and(eq(slots.startsAt, new Date(after.k)), gt(slots.id, after.id))))
  const rows = cardQuery(and(...conditions))
    .orderBy(asc(slots.startsAt), asc(slots.id))
    .limit(limit + 1)
    .all() as CardRow[]
  const page = pageOf(rows, limit, (r) => ({ k: r.startsAt.getTime(), id: r.id }))
  return { items: page.items.map(toCard), next: page.next }
}

/** Homes and cities that have upcoming published slots, for the filter form. */
export function slotFilterChoices() {
  const rows = db
    .selectDistinct({ slug: institutions.slug, name: institutions.name, city: institutions.city })
    .from(slots)
    .innerJoin(institutions, eq(institutions.id, slots.institutionId))
    .where(and(eq(slots.status, 'published'), gt(slots.endsAt, now())))
    .orderBy(asc(institutions.name))
    .all()
  return { homes: rows.map((r) => ({ slug: r.slug, name: r.name })), cities: [...new Set(rows.map((r) => r.city))].sort() }
}

// ---- Month calendar ------------------------------------------------------------------------

export type CalendarDay = { date: string; day: number; weekday: number; slots: PublicSlotCard[] }
export type MonthCalendar = { year: number; month: number; label: string; prev: string; next: string; days: CalendarDay[] }

/** 'YYYY-MM' → {year, month}, or the current Shanghai month when missing or malformed. */
export function parseMonth(value: string | null | undefined, at = now()): { year: number; month: number } {
  const parsed = parseShanghaiMonth(value ?? '')
  if (parsed) return parsed
  const today = shanghaiParts(at)
  return { year: today.year, month: today.month }
}

/** Every day of a month (Asia/Shanghai) with the upcoming published slots that start on it. */
export function monthCalendar(year: number, month: number, filters: SlotFilters = {}): MonthCalendar {
  const first = startOfShanghaiMonth(year, month)
  const end = startOfShanghaiMonth(year, month + 1)
  const conditions = publicConditions({ ...filters, from: undefined, to: undefined }, now())
  conditions.push(gte(slots.startsAt, first), lt(slots.startsAt, end))
  const rows = cardQuery(and(...conditions))
    .orderBy(asc(slots.startsAt), asc(slots.id))
    .all() as CardRow[]
  const days: CalendarDay[] = []
  for (let at = first; at < end; at = startOfShanghaiDay(addShanghaiDays(shanghaiDateString(at), 1))) {
    const { date, day, weekday } = shanghaiParts(at)
    days.push({ date, day, weekday, slots: [] })
  }
  for (const row of rows) days[shanghaiParts(row.startsAt).day - 1]?.slots.push(toCard(row))
  const monthKey = (start: Date) => shanghaiDateString(start).slice(0, 7)
  return { year, month, label: `${year}年${month}月`, prev: monthKey(startOfShanghaiMonth(year, month - 1)), next: monthKey(end), days }
}

// ---- One slot ------------------------------------------------------------------------------

/** A published or cancelled slot's public page data; drafts do not exist in public. */
export function getPublicSlot(id: number) {
  const row = db
    .select({
      ...cardColumns,
      description: slots.description,
      location: slots.location,
      status: slots.status,
      opensAt: slots.opensAt,
      closesAt: slots.closesAt,
      groupMinDaysAhead: slots.groupMinDaysAhead,
      groupMaxSize: slots.groupMaxSize,
      cancelCutoffHours: slots.cancelCutoffHours,
      waitlist: sql<number>`(select count(*) from bookings b where b.slot_id = "slots"."id" and b.status in ('waitlisted', 'offered'))`,
      province: institutions.province,
      district: institutions.district,
      publicAddress: institutions.publicAddress,
      publicPhone: institutions.publicPhone,
    })
    .from(slots)
    .innerJoin(institutions, eq(institutions.id, slots.institutionId))
    .where(and(eq(slots.id, id), inArray(slots.status, ['published', 'cancelled'])))
    .get()
  if (!row) return null
  const at = now()
  const card = toCard(row as CardRow)
  const booking =
    row.status === 'cancelled'
      ? ('cancelled' as const)
      : row.endsAt <= at
        ? ('ended' as const)
        : row.opensAt && row.opensAt > at
          ? ('not_open' as const)
          : (row.closesAt ?? row.startsAt) <= at
            ? ('closed' as const)
            : ('open' as const)
  return {
    ...card,
    description: row.description,
    location: row.location,
    status: row.status,
    opensAt: row.opensAt,
    closesAt: row.closesAt,
    waitlist: Number(row.waitlist),
    booking,
    requirements: requirementWords(row),
    groupRules: groupRuleWords(row),
    cancelCutoff: cancelCutoffWords(row.cancelCutoffHours),
    home: {
      name: row.homeName,
      slug: row.homeSlug,
      province: row.province,
      city: row.city,
      district: row.district,
      publicAddress: row.publicAddress,
      publicPhone: row.publicPhone,
    },
  }
}
