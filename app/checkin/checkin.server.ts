import { and, asc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm'
import { db, writeTransaction, type Tx } from '~db/client.server'
import { bookings, serviceRecords, slots, users, volunteerProfiles } from '~db/schema'
import { auditedWrite, type Actor } from '~/audit/audit.server'
import { now } from '~/utils/clock.server'
import { BOOKING_CODE, normaliseCode } from '~/utils/door-code.server'
import { hasRequirements, lapseWords, missingRequirements, notifyEligibilityLapse } from '~/volunteers/eligibility.server'

// 来访接待单 check-in at the door: staff find a booking (scanned QR, code, name or phone), check
// the party in with the number present, check them out, and after the slot mark the rest as
// no-shows. Service hours (志愿时长) are written per booking as a service_records row; the
// unique index (source, source_id, user_id) keeps that at one row, however often it is rerun.
// Every query is scoped to the staff's own home (docs/product.md rule 7).

const MINUTE_MS = 60_000
/** One served item never counts more than this, e.g. when a check-out is forgotten overnight. */
export const MAX_SERVICE_MINUTES = 12 * 60
/** Check-in opens this long before the slot starts (people arrive early). */
export const CHECKIN_OPENS_BEFORE_MS = 3 * 60 * MINUTE_MS
/** The job closes the hours of slots that ended at least this long ago. */
export const CLOSE_HOURS_AFTER_MS = 2 * 60 * MINUTE_MS

/**
 * A 签退 this soon after 签到 is asked about before it is written. Decision (issue 13 item 5):
 * such a check-out is almost always a slip of the finger (签退 pressed right after 签到, or on the
 * wrong card), and once written it fixes the volunteer's hours at a few minutes. Rounding it up
 * would credit time nobody served, and refusing it would leave a volunteer who really left early
 * unrecorded; so the hours stay honest (whole minutes, rounded) and staff are told the number and
 * asked to confirm, the same on a phone without JavaScript (a second form with confirmShort).
 */
export const SHORT_VISIT_MINUTES = 10

export type CheckinResult<T = object> = ({ ok: true } & T) | { ok: false; message: string; field?: 'presentCount'; confirmShort?: boolean }

const bookingView = {
  id: bookings.id,
  slotId: bookings.slotId,
  userId: bookings.userId,
  kind: bookings.kind,
  partySize: bookings.partySize,
  organisation: bookings.organisation,
  contactName: bookings.contactName,
  contactPhone: bookings.contactPhone,
  attendeeNames: bookings.attendeeNames,
  status: bookings.status,
  code: bookings.code,
  confirmedAt: bookings.confirmedAt,
  checkedInAt: bookings.checkedInAt,
  checkedInCount: bookings.checkedInCount,
  checkedOutAt: bookings.checkedOutAt,
  realName: volunteerProfiles.realName,
}

export type CheckinBooking = {
  id: number
  slotId: number
  userId: number
  kind: 'individual' | 'group'
  partySize: number
  organisation: string | null
  contactName: string
  contactPhone: string
  attendeeNames: string
  status: 'confirmed' | 'waitlisted' | 'offered' | 'cancelled' | 'no_show'
  code: string
  confirmedAt: Date | null
  checkedInAt: Date | null
  checkedInCount: number | null
  checkedOutAt: Date | null
  realName: string | null
}

export function slotInHome(institutionId: number, slotId: number, tx: Tx | typeof db = db) {
  return tx
    .select()
    .from(slots)
    .where(and(eq(slots.id, slotId), eq(slots.institutionId, institutionId)))
    .get()
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * The bookings staff check in for one slot: confirmed ones (checked in or not) and no-shows.
 * `search` matches the slip code, the contact's or volunteer's name, the organisation or the
 * phone. Null if the slot is not this home's.
 */
export function listSlotBookingsForCheckin(institutionId: number, slotId: number, search?: string | null) {
  const slot = slotInHome(institutionId, slotId)
  if (!slot) return null
  const q = search?.trim() ?? ''
  const phoneDigits = q.replace(/[\s-]/g, '')
  const conditions = [
    eq(bookings.slotId, slot.id),
    eq(bookings.institutionId, institutionId),
    inArray(bookings.status, ['confirmed', 'no_show']),
  ]
  if (q) {
    const pattern = likePattern(q)
    const code = normaliseCode(q, BOOKING_CODE)
    conditions.push(
      or(
        ...(code ? [sql`${bookings.code} LIKE ${likePattern(code)} ESCAPE '\\'`] : []),
        sql`${bookings.contactName} LIKE ${pattern} ESCAPE '\\'`,
        sql`${bookings.organisation} LIKE ${pattern} ESCAPE '\\'`,
        sql`${volunteerProfiles.realName} LIKE ${pattern} ESCAPE '\\'`,
        ...(phoneDigits ? [sql`${bookings.contactPhone} LIKE ${likePattern(phoneDigits)} ESCAPE '\\'`] : []),
      )!,
    )
  }
  const rows: CheckinBooking[] = db
    .select(bookingView)
    .from(bookings)
    .leftJoin(volunteerProfiles, eq(volunteerProfiles.userId, bookings.userId))
    .where(and(...conditions))
    .orderBy(asc(bookings.contactName), asc(bookings.id))
    .all()
  const confirmed = db
    .select({
      people: sql<number>`coalesce(sum(${bookings.partySize}), 0)`,
      present: sql<number>`coalesce(sum(${bookings.checkedInCount}), 0)`,
      awaiting: sql<number>`coalesce(sum(${bookings.checkedInAt} IS NULL), 0)`,
    })
    .from(bookings)
    .where(and(eq(bookings.slotId, slot.id), eq(bookings.status, 'confirmed')))
    .get()
  return {
    slot,
    bookings: rows,
    totals: {
      confirmedPeople: Number(confirmed?.people ?? 0),
      presentPeople: Number(confirmed?.present ?? 0),
      awaitingBookings: Number(confirmed?.awaiting ?? 0),
    },
  }
}

/** The booking with this slip code at this home (any slot), for a scanned QR. */
export function findBookingByCode(institutionId: number, code: string): CheckinBooking | null {
  const normalised = normaliseCode(code, BOOKING_CODE)
  if (!normalised) return null
  return (
    db
      .select(bookingView)
      .from(bookings)
      .leftJoin(volunteerProfiles, eq(volunteerProfiles.userId, bookings.userId))
      .where(and(eq(bookings.institutionId, institutionId), sql`upper(${bookings.code}) = ${normalised}`))
      .get() ?? null
  )
}

function bookingInHome(tx: Tx, institutionId: number, bookingId: number) {
  return tx
    .select({ booking: bookings, slot: slots })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .where(and(eq(bookings.id, bookingId), eq(bookings.institutionId, institutionId), eq(slots.institutionId, institutionId)))
    .get()
}

function minutesBetween(start: Date, end: Date): number {
  return Math.min(MAX_SERVICE_MINUTES, Math.max(0, Math.round((end.getTime() - start.getTime()) / MINUTE_MS)))
}

/** Write (or correct) the service record of a served booking. */
function recordServiceHours(
  tx: Tx,
  booking: { id: number; userId: number; institutionId: number },
  slotTitle: string,
  startedAt: Date,
  endedAt: Date,
): number {
  const minutes = minutesBetween(startedAt, endedAt)
  const at = now()
  tx.insert(serviceRecords)
    .values({
      userId: booking.userId,
      institutionId: booking.institutionId,
      source: 'slot_booking',
      sourceId: booking.id,
      description: slotTitle,
      startedAt,
      endedAt,
      minutes,
    })
    .onConflictDoUpdate({
      target: [serviceRecords.source, serviceRecords.sourceId, serviceRecords.userId],
      set: { startedAt, endedAt, minutes, description: slotTitle, updatedAt: at },
    })
    .run()
  return minutes
}

/**
 * 签到: a confirmed booking, with how many of the party came (1..party size). Checking in a
 * booking that is already checked in changes nothing and says so.
 */
export function checkIn(
  actor: Actor,
  institutionId: number,
  bookingId: number,
  presentCount: number,
): CheckinResult<{ already: boolean; message: string }> {
  return auditedWrite<CheckinResult<{ already: boolean; message: string }>>(actor, (tx) => {
    const row = bookingInHome(tx, institutionId, bookingId)
    const refuse = (message: string, summary: Record<string, unknown> = {}, field?: 'presentCount') => ({
      result: { ok: false as const, message, ...(field ? { field } : {}) },
      audit: { institutionId, action: 'booking.checkin_refused', entityType: 'booking', entityId: bookingId, summary },
    })
    if (!row) return refuse('没有找到这条预约')
    const { booking, slot } = row
    if (booking.checkedInAt) {
      return {
        result: { ok: true, already: true, message: `已签到（${booking.checkedInCount ?? booking.partySize} 人），无需重复签到` },
        audit: {
          institutionId,
          action: 'booking.checkin_repeat',
          entityType: 'booking',
          entityId: booking.id,
          summary: { code: booking.code },
        },
      }
    }
    if (booking.status !== 'confirmed')
      return refuse(booking.status === 'no_show' ? '这条预约已标记为未到场' : '只有已确认的预约可以签到', { status: booking.status })
    if (!Number.isInteger(presentCount) || presentCount < 1 || presentCount > booking.partySize) {
      return refuse(`到场人数须在 1 到 ${booking.partySize} 之间`, { presentCount }, 'presentCount')
    }
    const at = now()
    if (at.getTime() < slot.startsAt.getTime() - CHECKIN_OPENS_BEFORE_MS) return refuse('活动开始前 3 小时起才能签到')
    if (hasRequirements(slot)) {
      // Rule 5 again at the door: a group's other members were never checked (booked before
      // groups were refused on such slots, or before the slot asked anything).
      if (booking.kind === 'group')
        return refuse('这个活动对参加者有资格要求，团体预约不能签到：请每位参加者用自己的账号预约并通过核验', { kind: 'group' })
      const missing = missingRequirements(
        booking.userId,
        { ...slot, startsAt: new Date(Math.max(slot.startsAt.getTime(), at.getTime())) },
        tx,
      )
      if (missing.length) {
        const person = tx
          .select({ displayName: users.displayName, realName: volunteerProfiles.realName })
          .from(users)
          .leftJoin(volunteerProfiles, eq(volunteerProfiles.userId, users.id))
          .where(eq(users.id, booking.userId))
          .get()
        notifyEligibilityLapse(tx, {
          institutionId,
          userId: booking.userId,
          volunteerName: person?.realName ?? person?.displayName ?? booking.contactName,
          missing,
          where: `活动「${slot.title}」`,
        })
        return refuse(`志愿者资格已失效，不能签到：${lapseWords(missing)}。志愿者本人和本机构工作人员已收到通知。`, {
          lapsed: missing.map((m) => m.key),
        })
      }
    }
    tx.update(bookings).set({ checkedInAt: at, checkedInCount: presentCount }).where(eq(bookings.id, booking.id)).run()
    return {
      result: { ok: true, already: false, message: `已签到 ${presentCount} 人` },
      audit: {
        institutionId,
        action: 'booking.checkin',
        entityType: 'booking',
        entityId: booking.id,
        summary: { code: booking.code, slotId: slot.id, presentCount, partySize: booking.partySize },
      },
    }
  })
}

/** 签退: closes the visit and writes the volunteer's service hours (check-out − check-in, capped). */
export function checkOut(
  actor: Actor,
  institutionId: number,
  bookingId: number,
  options: { confirmShort?: boolean } = {},
): CheckinResult<{ already: boolean; minutes: number; message: string }> {
  return auditedWrite<CheckinResult<{ already: boolean; minutes: number; message: string }>>(actor, (tx) => {
    const row = bookingInHome(tx, institutionId, bookingId)
    const refuse = (message: string) => ({
      result: { ok: false as const, message },
      audit: { institutionId, action: 'booking.checkout_refused', entityType: 'booking', entityId: bookingId, summary: {} },
    })
    if (!row) return refuse('没有找到这条预约')
    const { booking, slot } = row
    if (!booking.checkedInAt || booking.status !== 'confirmed') return refuse('这条预约还没有签到，不能签退')
    if (booking.checkedOutAt) {
      const minutes = minutesBetween(booking.checkedInAt, booking.checkedOutAt)
      return {
        result: { ok: true, already: true, minutes, message: '已签退，无需重复操作' },
        audit: {
          institutionId,
          action: 'booking.checkout_repeat',
          entityType: 'booking',
          entityId: booking.id,
          summary: { code: booking.code },
        },
      }
    }
    const at = now()
    const served = minutesBetween(booking.checkedInAt, at)
    if (served < SHORT_VISIT_MINUTES && !options.confirmShort) {
      const howLong = at.getTime() - booking.checkedInAt.getTime() < MINUTE_MS / 2 ? '不到 1 分钟' : `仅 ${formatMinutes(served)}`
      return {
        result: {
          ok: false as const,
          confirmShort: true,
          message: `签到后${howLong}就签退，志愿时长将只记为 ${formatMinutes(served)}。如果志愿者确实已离开，请确认签退；如果按错了，不用操作，等志愿者离开时再签退。`,
        },
        audit: {
          institutionId,
          action: 'booking.checkout_short_asked',
          entityType: 'booking',
          entityId: booking.id,
          summary: { code: booking.code, minutes: served },
        },
      }
    }
    tx.update(bookings).set({ checkedOutAt: at }).where(eq(bookings.id, booking.id)).run()
    const minutes = recordServiceHours(tx, booking, slot.title, booking.checkedInAt, at)
    return {
      result: { ok: true, already: false, minutes, message: `已签退，记录志愿时长 ${formatMinutes(minutes)}` },
      audit: {
        institutionId,
        action: 'booking.checkout',
        entityType: 'booking',
        entityId: booking.id,
        summary: { code: booking.code, slotId: slot.id, minutes },
      },
    }
  })
}

/** After the slot has ended: confirmed bookings that never checked in become 未到场. */
export function markNoShows(actor: Actor, institutionId: number, slotId: number): CheckinResult<{ count: number }> {
  return auditedWrite<CheckinResult<{ count: number }>>(actor, (tx) => {
    const slot = slotInHome(institutionId, slotId, tx)
    if (!slot) {
      return {
        result: { ok: false, message: '没有找到这个活动' },
        audit: { institutionId, action: 'slot.no_shows_refused', entityType: 'slot', entityId: slotId, summary: {} },
      }
    }
    if (now().getTime() < slot.endsAt.getTime()) {
      return {
        result: { ok: false, message: '活动结束后才能标记未到场' },
        audit: { institutionId, action: 'slot.no_shows_refused', entityType: 'slot', entityId: slot.id, summary: {} },
      }
    }
    const marked = tx
      .update(bookings)
      .set({ status: 'no_show' })
      .where(and(eq(bookings.slotId, slot.id), eq(bookings.status, 'confirmed'), isNull(bookings.checkedInAt)))
      .returning({ id: bookings.id })
      .all()
    return {
      result: { ok: true, count: marked.length },
      audit: {
        institutionId,
        action: 'slot.no_shows',
        entityType: 'slot',
        entityId: slot.id,
        summary: { count: marked.length, bookingIds: marked.map((b) => b.id) },
      },
    }
  })
}

/**
 * Checked-in bookings that were never checked out get the slot's length (start..end) as their
 * service hours. Records that exist already are left alone, so reruns change nothing.
 */
export function closeSlotHours(slotId: number): { recorded: number } {
  return writeTransaction((tx) => {
    const slot = tx.select().from(slots).where(eq(slots.id, slotId)).get()
    if (!slot) return { recorded: 0 }
    const open = tx
      .select({ id: bookings.id, userId: bookings.userId, institutionId: bookings.institutionId })
      .from(bookings)
      .where(
        and(eq(bookings.slotId, slot.id), eq(bookings.status, 'confirmed'), isNotNull(bookings.checkedInAt), isNull(bookings.checkedOutAt)),
      )
      .all()
    let recorded = 0
    for (const booking of open) {
      recorded += tx
        .insert(serviceRecords)
        .values({
          userId: booking.userId,
          institutionId: booking.institutionId,
          source: 'slot_booking',
          sourceId: booking.id,
          description: slot.title,
          startedAt: slot.startsAt,
          endedAt: slot.endsAt,
          minutes: minutesBetween(slot.startsAt, slot.endsAt),
        })
        .onConflictDoNothing()
        .run().changes
    }
    return { recorded }
  })
}

/** Job: close the hours of every slot that ended more than two hours ago and still has open check-ins. */
export function closeEndedSlotsHours(): { slots: number; recorded: number } {
  const cutoff = new Date(now().getTime() - CLOSE_HOURS_AFTER_MS)
  const due = db
    .selectDistinct({ slotId: bookings.slotId })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .leftJoin(
      serviceRecords,
      and(eq(serviceRecords.source, 'slot_booking'), eq(serviceRecords.sourceId, bookings.id), eq(serviceRecords.userId, bookings.userId)),
    )
    .where(
      and(
        lte(slots.endsAt, cutoff),
        eq(bookings.status, 'confirmed'),
        isNotNull(bookings.checkedInAt),
        isNull(bookings.checkedOutAt),
        isNull(serviceRecords.id),
      ),
    )
    .all()
  let recorded = 0
  for (const { slotId } of due) recorded += closeSlotHours(slotId).recorded
  return { slots: due.length, recorded }
}

/** 90 → "1 小时 30 分钟". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  if (!h) return `${m} 分钟`
  return m ? `${h} 小时 ${m} 分钟` : `${h} 小时`
}
