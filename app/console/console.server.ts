import { and, asc, eq, gte, lt, sql } from 'drizzle-orm'
import { db } from '~db/client.server'
import {
  bookings,
  claims,
  disclosures,
  donations,
  pairings,
  pledges,
  programmeApplications,
  programmes,
  slots,
  visits,
  wishes,
} from '~db/schema'
import { periodContaining, REMINDER_GRACE_MS, type PeriodRange } from '~/disclosures/disclosures.server'
import { now } from '~/utils/clock.server'
import { addShanghaiDays, shanghaiDateString, startOfShanghaiDay } from '~/utils/shanghai-date'

// The staff console's home page: what is waiting for this home today. Every figure is one
// bounded, indexed query scoped to the one home (docs/product.md rule 7): it reads what is
// still open (active claims and pledges, today's slots, pending checks, applications and
// visits), never the home's history — a home with ten years of delivered gifts answers as fast
// as a new one. The indexes are named next to each query (db/schema.ts, migration 0017).

/** Claims whose delivery deadline is this close are flagged "due soon". */
export const CLAIM_DUE_SOON_MS = 48 * 3600_000

export type TodaySlot = {
  id: number
  title: string
  startsAt: Date
  endsAt: Date
  /** Confirmed bookings, and the people in them. */
  bookings: number
  people: number
  /** Confirmed bookings checked in, and the people present. */
  checkedIn: number
  present: number
}

export type ProgrammeApplications = { programmeId: number; name: string; pending: number }

export type DisclosureDue = { key: string; label: string; dueBy: string; overdue: boolean }

export type ConsoleTodos = {
  today: string
  /** 签收: gifts for wishes on their way (active claims), those due within 48 h, those past a deadline. */
  parcels: { active: number; dueSoon: number; overdue: number }
  /** Gifts received and not yet given to the child. */
  toHandOver: number
  /** 认捐: active pledges expected today, and those whose expected day has passed without arrival. */
  pledges: { today: number; overdue: number }
  /** Today's published slots with their bookings and check-ins. */
  slotsToday: TodaySlot[]
  /** Volunteers of this home waiting for a background check or a qualification to be verified. */
  checks: { volunteers: number; backgroundChecks: number; qualifications: number }
  /** 焕新乐园 and tutoring applications to review, per programme. */
  applications: ProgrammeApplications[]
  /** Companionship visits logged by volunteers and waiting for staff to confirm. */
  visitsToConfirm: number
  /** The last ended quarter, when the home had entries before its end and has not disclosed it. */
  disclosureDue: DisclosureDue | null
}

function count(row: { n: number } | undefined): number {
  return Number(row?.n ?? 0)
}

/** claims_home_status_idx (institution_id, status, deliver_by): only this home's active claims. */
function parcelCounts(institutionId: number, at: Date) {
  const row = db
    .select({
      active: sql<number>`count(*)`,
      dueSoon: sql<number>`coalesce(sum(${claims.deliverBy} > ${at.getTime()} AND ${claims.deliverBy} <= ${at.getTime() + CLAIM_DUE_SOON_MS}), 0)`,
      // Past the delivery deadline, or past the purchase deadline without being bought: the
      // deadline job releases these within a minute, so this is almost always 0.
      overdue: sql<number>`coalesce(sum(${claims.deliverBy} <= ${at.getTime()} OR (${claims.purchasedAt} IS NULL AND ${claims.buyBy} <= ${at.getTime()})), 0)`,
    })
    .from(claims)
    .where(and(eq(claims.institutionId, institutionId), eq(claims.status, 'active')))
    .get()
  return { active: Number(row?.active ?? 0), dueSoon: Number(row?.dueSoon ?? 0), overdue: Number(row?.overdue ?? 0) }
}

/** wishes_institution_idx (institution_id, status): gifts that arrived and wait to be handed over. */
function toHandOver(institutionId: number): number {
  return count(
    db
      .select({ n: sql<number>`count(*)` })
      .from(wishes)
      .where(and(eq(wishes.institutionId, institutionId), eq(wishes.status, 'received')))
      .get(),
  )
}

/** pledges_home_status_expected_idx (institution_id, status, expected_at): two range counts. */
function pledgeCounts(institutionId: number, today: string) {
  const start = startOfShanghaiDay(today)
  const end = startOfShanghaiDay(addShanghaiDays(today, 1))
  const active = and(eq(pledges.institutionId, institutionId), eq(pledges.status, 'active'))
  const dueToday = count(
    db
      .select({ n: sql<number>`count(*)` })
      .from(pledges)
      .where(and(active, gte(pledges.expectedAt, start), lt(pledges.expectedAt, end)))
      .get(),
  )
  const overdue = count(
    db
      .select({ n: sql<number>`count(*)` })
      .from(pledges)
      .where(and(active, lt(pledges.expectedAt, start)))
      .get(),
  )
  return { today: dueToday, overdue }
}

/** slots_institution_idx (institution_id, starts_at) for today's slots, bookings_slot_status_idx for their bookings. */
function slotsToday(institutionId: number, today: string): TodaySlot[] {
  const start = startOfShanghaiDay(today)
  const end = startOfShanghaiDay(addShanghaiDays(today, 1))
  const rows = db
    .select({
      id: slots.id,
      title: slots.title,
      startsAt: slots.startsAt,
      endsAt: slots.endsAt,
      bookings: sql<number>`count(${bookings.id})`,
      people: sql<number>`coalesce(sum(${bookings.partySize}), 0)`,
      checkedIn: sql<number>`count(${bookings.checkedInAt})`,
      present: sql<number>`coalesce(sum(${bookings.checkedInCount}), 0)`,
    })
    .from(slots)
    .leftJoin(bookings, and(eq(bookings.slotId, slots.id), eq(bookings.status, 'confirmed')))
    .where(and(eq(slots.institutionId, institutionId), gte(slots.startsAt, start), lt(slots.startsAt, end), eq(slots.status, 'published')))
    .groupBy(slots.id)
    .orderBy(asc(slots.startsAt), asc(slots.id))
    .all()
  return rows.map((r) => ({
    ...r,
    bookings: Number(r.bookings),
    people: Number(r.people),
    checkedIn: Number(r.checkedIn),
    present: Number(r.present),
  }))
}

/**
 * The volunteers the home's 志愿者 page lists under 待审核: people who booked with this home
 * and have a background check or a qualification pending. Starts from what is pending
 * (volunteer_profiles_background_idx, volunteer_qualifications_status_idx) and checks each
 * person's own bookings (bookings_user_idx), never the home's booking history.
 */
function checkCounts(institutionId: number) {
  const bookedHere = (userId: ReturnType<typeof sql>) =>
    sql`EXISTS (SELECT 1 FROM ${bookings} b WHERE b.user_id = ${userId} AND b.institution_id = ${institutionId})`
  const row = db.get<{ volunteers: number; backgroundChecks: number; qualifications: number }>(sql`
    WITH pending AS (
      SELECT user_id, 1 AS background, 0 AS qualification FROM volunteer_profiles WHERE background_check_status = 'pending'
      UNION ALL
      SELECT user_id, 0, 1 FROM volunteer_qualifications WHERE status = 'pending'
    ),
    here AS (SELECT * FROM pending p WHERE ${bookedHere(sql`p.user_id`)})
    SELECT count(DISTINCT user_id) AS volunteers, coalesce(sum(background), 0) AS backgroundChecks, coalesce(sum(qualification), 0) AS qualifications FROM here
  `)
  return {
    volunteers: Number(row?.volunteers ?? 0),
    backgroundChecks: Number(row?.backgroundChecks ?? 0),
    qualifications: Number(row?.qualifications ?? 0),
  }
}

/** programmes_institution_idx, then programme_applications_programme_status_idx per programme. */
function applicationCounts(institutionId: number): ProgrammeApplications[] {
  return db
    .select({ programmeId: programmes.id, name: programmes.name, pending: sql<number>`count(*)` })
    .from(programmes)
    .innerJoin(
      programmeApplications,
      and(eq(programmeApplications.programmeId, programmes.id), eq(programmeApplications.status, 'pending')),
    )
    .where(eq(programmes.institutionId, institutionId))
    .groupBy(programmes.id)
    .orderBy(asc(programmes.id))
    .all()
    .map((r) => ({ ...r, pending: Number(r.pending) }))
}

/** visits_status_pairing_idx (status, pairing_id): logged visits of this home's pairings. */
function visitsToConfirm(institutionId: number): number {
  return count(
    db
      .select({ n: sql<number>`count(*)` })
      .from(visits)
      .innerJoin(pairings, eq(pairings.id, visits.pairingId))
      .where(and(eq(visits.status, 'logged'), eq(pairings.institutionId, institutionId)))
      .get(),
  )
}

/**
 * The last quarter that has ended, when the home received anything before its end and has
 * published neither that quarter nor its three months. Disclosures are due 15 days after the
 * quarter (the grace the reminder job gives, REMINDER_GRACE_MS). Each lookup is a seek on
 * disclosures_period_unique (institution_id, period, period_start) or donations_home_received_idx.
 */
function disclosureDue(institutionId: number, at: Date): DisclosureDue | null {
  const quarter: PeriodRange = periodContaining('quarter', new Date(periodContaining('quarter', at).start.getTime() - 1))
  const hadEntries = db
    .select({ one: sql`1` })
    .from(donations)
    .where(and(eq(donations.institutionId, institutionId), lt(donations.receivedAt, quarter.end)))
    .limit(1)
    .get()
  if (!hadEntries) return null
  const published = and(eq(disclosures.institutionId, institutionId), eq(disclosures.status, 'published'))
  const quarterly = db
    .select({ one: sql`1` })
    .from(disclosures)
    .where(and(published, eq(disclosures.period, 'quarter'), eq(disclosures.periodStart, quarter.start)))
    .get()
  if (quarterly) return null
  const months = count(
    db
      .select({ n: sql<number>`count(DISTINCT ${disclosures.periodStart})` })
      .from(disclosures)
      .where(
        and(
          published,
          eq(disclosures.period, 'month'),
          gte(disclosures.periodStart, quarter.start),
          lt(disclosures.periodStart, quarter.end),
        ),
      )
      .get(),
  )
  if (months >= 3) return null
  const dueAt = new Date(quarter.end.getTime() + REMINDER_GRACE_MS)
  return {
    key: quarter.key,
    label: quarter.label,
    dueBy: shanghaiDateString(new Date(dueAt.getTime() - 1)),
    overdue: at.getTime() >= dueAt.getTime(),
  }
}

/** Everything the console home shows, for one home, as of now. */
export function consoleTodos(institutionId: number): ConsoleTodos {
  const at = now()
  const today = shanghaiDateString(at)
  return {
    today,
    parcels: parcelCounts(institutionId, at),
    toHandOver: toHandOver(institutionId),
    pledges: pledgeCounts(institutionId, today),
    slotsToday: slotsToday(institutionId, today),
    checks: checkCounts(institutionId),
    applications: applicationCounts(institutionId),
    visitsToConfirm: visitsToConfirm(institutionId),
    disclosureDue: disclosureDue(institutionId, at),
  }
}
