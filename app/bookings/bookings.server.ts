import { and, asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm'
import { createEvent } from 'ics'
import { db, preparedOnce, writeTransaction, type Tx } from '~db/client.server'
import { groupCommit } from '~db/group-commit.server'
import {
  bookings,
  institutions,
  notifications,
  serviceRecords,
  slots,
  users,
  volunteerProfiles,
  type BookingStatus,
  type QualificationKind,
  type SlotKind,
} from '~db/schema'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { isTriggerRefusal, isUniqueViolation, TRIGGER_REFUSALS } from '~/utils/db-errors.server'
import { BOOKING_CODE, newDoorCode } from '~/utils/door-code.server'
import { siteUrl } from '~/utils/origin.server'
import { formatDateTime } from '~/utils/format'
import { missingRequirements, requirementWords, VOLUNTEER_PROFILE_PATH, type MissingRequirement } from '~/volunteers/eligibility.server'
import { acceptsGroups, GROUPS_REFUSED_FOR_REQUIREMENTS, hasRequirements } from '~/slots/labels'
import { slotKindLabels } from '~/volunteers/labels'

// Booking a slot (docs/product.md rule 4): every check and the insert run in one BEGIN IMMEDIATE
// transaction, and the bookings_capacity_* triggers make an over-capacity confirmed booking
// impossible whatever this code does. A full slot puts the booking on the waitlist; freed places
// are offered, in order, to the first waiting entries whose party fits, for offer_hold_hours.

const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS
export const REMINDER_LEAD_MS = DAY_MS

const LIVE = ['confirmed', 'waitlisted', 'offered'] as const

/** An absolute link when the site knows its origin (notices leave the site), else a path. */
export function siteLink(path: string): string {
  return siteUrl(path)
}

export function slipPath(bookingId: number): string {
  return `/me/bookings/${bookingId}/slip`
}

const isCapacityExceeded = (error: unknown) => isTriggerRefusal(error, TRIGGER_REFUSALS.slotCapacityExceeded)

// ---- Places ------------------------------------------------------------------------------

/** People confirmed, and people holding an offer (their places are kept for them). */
export function slotOccupancy(_tx: Tx | typeof db, slotId: number): { confirmed: number; held: number } {
  const row = occupancyQuery().get({ slotId })
  return { confirmed: row?.confirmed ?? 0, held: row?.held ?? 0 }
}

// The queries of a booking, prepared once (db/client.server.ts preparedOnce). They run on the
// process's one connection, so a caller passing `tx` still gets them inside its transaction.
// The places are the sums the bookings' triggers keep on the slot (migration 0023): one row read,
// whatever the slot's size.
const occupancyQuery = preparedOnce(() =>
  db
    .select({ confirmed: slots.confirmedPlaces, held: slots.heldPlaces })
    .from(slots)
    .where(eq(slots.id, sql.placeholder('slotId')))
    .prepare(),
)

/** Places a new booking could take now: capacity minus confirmed minus held offers. */
export function remainingPlaces(tx: Tx | typeof db, slot: { id: number; capacity: number }): number {
  const { confirmed, held } = slotOccupancy(tx, slot.id)
  return Math.max(0, slot.capacity - confirmed - held)
}

const waitlistPositionQuery = preparedOnce(() =>
  db
    .select({ n: sql<number>`count(*)` })
    .from(bookings)
    .where(
      and(
        eq(bookings.slotId, sql.placeholder('slotId')),
        eq(bookings.status, 'waitlisted'),
        lte(bookings.id, sql.placeholder('bookingId')),
      ),
    )
    .prepare(),
)

function waitlistPosition(_tx: Tx | typeof db, slotId: number, bookingId: number): number {
  return waitlistPositionQuery().get({ slotId, bookingId })?.n ?? 1
}

const slotWithHomeQuery = preparedOnce(() =>
  db
    .select({
      slot: slots,
      home: institutions.name,
      homeSlug: institutions.slug,
      homePhone: institutions.publicPhone,
      homeAddress: institutions.publicAddress,
    })
    .from(slots)
    .innerJoin(institutions, eq(institutions.id, slots.institutionId))
    .where(eq(slots.id, sql.placeholder('slotId')))
    .prepare(),
)

function slotWithHome(_tx: Tx | typeof db, slotId: number) {
  return slotWithHomeQuery().get({ slotId })
}

/** The member's live (confirmed, waitlisted or offered) booking of a slot. */
const liveBookingQuery = preparedOnce(() =>
  db
    .select({ id: bookings.id, status: bookings.status })
    .from(bookings)
    .where(
      and(
        eq(bookings.slotId, sql.placeholder('slotId')),
        eq(bookings.userId, sql.placeholder('userId')),
        inArray(bookings.status, [...LIVE]),
      ),
    )
    .prepare(),
)

const waitingQuery = preparedOnce(() =>
  db
    .select({ id: bookings.id, userId: bookings.userId, kind: bookings.kind, partySize: bookings.partySize })
    .from(bookings)
    .where(and(eq(bookings.slotId, sql.placeholder('slotId')), eq(bookings.status, 'waitlisted')))
    .orderBy(asc(bookings.id))
    .prepare(),
)

// The timestamps go in as plain SQL placeholders (epoch ms, or null): drizzle's placeholder
// encoder for a timestamp column would call getTime() on a null.
const insertBookingQuery = preparedOnce(() =>
  db
    .insert(bookings)
    .values({
      slotId: sql.placeholder('slotId'),
      institutionId: sql.placeholder('institutionId'),
      userId: sql.placeholder('userId'),
      kind: sql.placeholder('kind'),
      partySize: sql.placeholder('partySize'),
      organisation: sql.placeholder('organisation'),
      contactName: sql.placeholder('contactName'),
      contactPhone: sql.placeholder('contactPhone'),
      attendeeNames: sql.placeholder('attendeeNames'),
      code: sql.placeholder('code'),
      status: sql.placeholder('status'),
      createdAt: sql`${sql.placeholder('createdAt')}`,
      confirmedAt: sql`${sql.placeholder('confirmedAt')}`,
    })
    .returning({ id: bookings.id, code: bookings.code, status: bookings.status })
    .prepare(),
)

function contactTheHome(home: { home: string; homePhone: string }): string {
  return home.homePhone ? `请直接联系机构：${home.homePhone}` : `请直接联系${home.home}`
}

// ---- Booking -----------------------------------------------------------------------------

export type BookingKind = 'individual' | 'group'

export type BookSlotInput = {
  userId: number
  slotId: number
  kind: BookingKind
  partySize: number
  organisation?: string | null
  contactName: string
  contactPhone: string
  attendeeNames?: string | null
}

export type BookingField = 'kind' | 'partySize'

export type BookSlotResult =
  | { ok: true; bookingId: number; status: 'confirmed' | 'waitlisted'; code: string; position: number | null }
  | { ok: false; reason: 'requirements'; message: string; missing: MissingRequirement[] }
  | { ok: false; reason: 'already_booked'; message: string; bookingId: number }
  | { ok: false; reason: 'group_rules'; message: string; field: BookingField }
  | { ok: false; reason: 'not_found' | 'cancelled' | 'started' | 'not_open' | 'closed'; message: string }

export const ALREADY_BOOKED_MESSAGE = '您已预约了这个活动，每人每个活动只能有一个有效预约'

/** The booking window, group rules and party limits, as a typed refusal or null. */
function bookingRefusal(
  s: typeof slots.$inferSelect,
  input: { kind: BookingKind; partySize: number },
  at: Date,
): Exclude<BookSlotResult, { ok: true } | { reason: 'requirements' | 'already_booked' }> | null {
  if (s.status === 'draft') return { ok: false, reason: 'not_found', message: '没有找到这个活动' }
  if (s.status === 'cancelled') return { ok: false, reason: 'cancelled', message: '这个活动已取消' }
  if (s.startsAt.getTime() <= at.getTime()) return { ok: false, reason: 'started', message: '活动已开始，不能再预约' }
  if (s.opensAt && at.getTime() < s.opensAt.getTime())
    return { ok: false, reason: 'not_open', message: `预约将于 ${formatDateTime(s.opensAt)} 开放` }
  if (s.closesAt && at.getTime() >= s.closesAt.getTime())
    return { ok: false, reason: 'closed', message: `预约已于 ${formatDateTime(s.closesAt)} 截止` }
  if (input.kind === 'group') {
    if (s.allowGroups && !acceptsGroups(s))
      return { ok: false, reason: 'group_rules', field: 'kind', message: GROUPS_REFUSED_FOR_REQUIREMENTS }
    if (!s.allowGroups) return { ok: false, reason: 'group_rules', field: 'kind', message: '这个活动不接受团体预约，请以个人身份预约' }
    const latest = new Date(s.startsAt.getTime() - s.groupMinDaysAhead * DAY_MS)
    if (s.groupMinDaysAhead > 0 && at.getTime() > latest.getTime()) {
      return {
        ok: false,
        reason: 'group_rules',
        field: 'kind',
        message: `团体须至少提前 ${s.groupMinDaysAhead} 天预约（最晚 ${formatDateTime(latest)}）`,
      }
    }
    if (input.partySize > s.groupMaxSize)
      return { ok: false, reason: 'group_rules', field: 'partySize', message: `团体人数不能超过 ${s.groupMaxSize} 人` }
    if (input.partySize < 2)
      return { ok: false, reason: 'group_rules', field: 'partySize', message: '团体预约至少 2 人；1 人请选择个人预约' }
  }
  if (input.partySize > s.capacity)
    return { ok: false, reason: 'group_rules', field: 'partySize', message: `人数超过活动的总名额（${s.capacity} 人）` }
  return null
}

/**
 * bookSlot for a member's booking request: in a transaction shared with the other bookings of
 * this turn of the event loop (docs/decisions/027), so that a rush pays one lock and one fsync
 * per group. Resolves only once the booking is committed: answer the member after awaiting it.
 */
export function requestBooking(input: BookSlotInput): Promise<BookSlotResult> {
  return groupCommit(() => bookSlot(input))
}

/**
 * Book a slot for a signed-in member (themselves, or a group they lead). Confirmed when the
 * party fits the places left, otherwise waitlisted with its party size.
 */
export function bookSlot(input: BookSlotInput): BookSlotResult {
  const partySize = input.kind === 'individual' ? 1 : input.partySize
  return writeTransaction((tx): BookSlotResult => {
    const found = slotWithHome(tx, input.slotId)
    if (!found) return { ok: false, reason: 'not_found', message: '没有找到这个活动' }
    const s = found.slot
    const at = now()
    const refusal = bookingRefusal(s, { kind: input.kind, partySize }, at)
    if (refusal) return refusal

    const missing = missingRequirements(input.userId, s, tx)
    if (missing.length) return { ok: false, reason: 'requirements', message: '您还不满足这个活动的参加要求', missing }

    const existing = liveBookingQuery().get({ slotId: s.id, userId: input.userId })
    if (existing) return { ok: false, reason: 'already_booked', message: ALREADY_BOOKED_MESSAGE, bookingId: existing.id }

    const values = {
      slotId: s.id,
      institutionId: s.institutionId,
      userId: input.userId,
      kind: input.kind,
      partySize,
      organisation: input.kind === 'group' ? input.organisation?.trim() || null : null,
      contactName: input.contactName.trim(),
      contactPhone: input.contactPhone.trim(),
      attendeeNames: input.attendeeNames?.trim() ?? '',
      createdAt: at,
    }
    // The queue comes first: places freed without an offer (e.g. capacity raised) go to it.
    // The slot read above is current: this transaction holds the write lock.
    // Places left after those offers: counted by the offers themselves, not summed again.
    const left = offerPlaces(tx, s.id, found).remaining
    const fits = (left ?? remainingPlaces(tx, s)) >= partySize
    let inserted: { id: number; code: string; status: BookingStatus } | null = null
    for (let attempt = 0; !inserted; attempt++) {
      const code = newDoorCode(BOOKING_CODE)
      const insert = (status: 'confirmed' | 'waitlisted') =>
        insertBookingQuery().get({
          ...values,
          code,
          status,
          createdAt: at.getTime(),
          confirmedAt: status === 'confirmed' ? at.getTime() : null,
        })
      try {
        try {
          inserted = insert(fits ? 'confirmed' : 'waitlisted')
        } catch (error) {
          // The trigger is the last word on capacity: what it refuses goes to the waitlist.
          if (!isCapacityExceeded(error)) throw error
          inserted = insert('waitlisted')
        }
      } catch (error) {
        if (isUniqueViolation(error, 'bookings.code') && attempt < 5) continue
        if (isUniqueViolation(error, 'bookings.slot_id')) {
          const live = liveBookingQuery().get({ slotId: s.id, userId: input.userId })
          return { ok: false, reason: 'already_booked', message: ALREADY_BOOKED_MESSAGE, bookingId: live?.id ?? 0 }
        }
        throw error
      }
    }

    if (inserted.status === 'confirmed') {
      announceConfirmed(tx, { id: inserted.id, userId: input.userId }, found, partySize, inserted.code)
      return { ok: true, bookingId: inserted.id, status: 'confirmed', code: inserted.code, position: null }
    }
    const position = waitlistPosition(tx, s.id, inserted.id)
    enqueueNotification(tx, {
      userId: input.userId,
      template: 'booking.waitlisted',
      subject: '您已加入活动候补',
      body: `「${s.title}」（${found.home}，${formatDateTime(s.startsAt)}）名额已满，您（${partySize} 人）已加入候补第 ${position} 位。有名额空出时我们会通知您，并为您保留 ${s.offerHoldHours} 小时。`,
      dedupeKey: `booking.waitlisted:${inserted.id}`,
    })
    return { ok: true, bookingId: inserted.id, status: 'waitlisted', code: inserted.code, position }
  })
}

function announceConfirmed(
  tx: Tx,
  booking: { id: number; userId: number },
  found: { slot: typeof slots.$inferSelect; home: string; homeAddress: string },
  partySize: number,
  code: string,
) {
  const bookingId = booking.id
  const s = found.slot
  enqueueNotification(tx, {
    userId: booking.userId,
    template: 'booking.confirmed',
    subject: '预约成功：来访接待单',
    body: `您已预约「${s.title}」：${found.home}，${formatDateTime(s.startsAt)}–${formatDateTime(s.endsAt)}，${s.location || found.homeAddress || found.home}，${partySize} 人，预约码 ${code}。入场时请出示来访接待单：${siteLink(slipPath(bookingId))}`,
    dedupeKey: `booking.confirmed:${bookingId}`,
  })
}

// ---- Offers ------------------------------------------------------------------------------

/**
 * Walk the waitlist in order and offer freed places to every entry whose party fits what is
 * left (a group too big for the free places is skipped, not blocking the singles behind it).
 * Offers are held for the slot's offer_hold_hours, never beyond its start.
 */
export function offerFreedPlaces(
  tx: Tx,
  slotId: number,
  /** The slot as this same transaction already read it (saves reading it again). */
  preloaded?: ReturnType<typeof slotWithHome>,
): Array<{ bookingId: number; userId: number; offerExpiresAt: Date }> {
  return offerPlaces(tx, slotId, preloaded).offered
}

/** offerFreedPlaces, also saying how many places are left after the offers (null: not counted). */
function offerPlaces(
  tx: Tx,
  slotId: number,
  preloaded?: ReturnType<typeof slotWithHome>,
): { offered: Array<{ bookingId: number; userId: number; offerExpiresAt: Date }>; remaining: number | null } {
  const found = preloaded && preloaded.slot.id === slotId ? preloaded : slotWithHome(tx, slotId)
  const at = now()
  if (!found || found.slot.status !== 'published' || found.slot.startsAt.getTime() <= at.getTime()) return { offered: [], remaining: null }
  const s = found.slot
  let free = remainingPlaces(tx, s)
  if (free <= 0) return { offered: [], remaining: free }
  const waiting = waitingQuery().all({ slotId })
  // Rule 5 on the queue too: a group, or someone who no longer meets the slot's requirements,
  // could not accept the place, so it goes to the next entry instead of being held for nothing.
  const eligible = (entry: { userId: number; kind: string }) =>
    !hasRequirements(s) || (entry.kind === 'individual' && missingRequirements(entry.userId, s, tx).length === 0)
  const offerExpiresAt = new Date(Math.min(at.getTime() + s.offerHoldHours * HOUR_MS, s.startsAt.getTime()))
  const offered: Array<{ bookingId: number; userId: number; offerExpiresAt: Date }> = []
  for (const entry of waiting) {
    if (free <= 0) break
    if (entry.partySize > free || !eligible(entry)) continue
    tx.update(bookings).set({ status: 'offered', offerExpiresAt }).where(eq(bookings.id, entry.id)).run()
    free -= entry.partySize
    offered.push({ bookingId: entry.id, userId: entry.userId, offerExpiresAt })
    enqueueNotification(tx, {
      userId: entry.userId,
      template: 'booking.offer',
      subject: '您候补的活动有名额了',
      body: `「${s.title}」（${found.home}，${formatDateTime(s.startsAt)}）空出了名额，为您（${entry.partySize} 人）保留到 ${formatDateTime(offerExpiresAt)}。请登录微暖，在“我的预约”中接受：${siteLink(`/me/bookings#booking-${entry.id}`)}`,
      dedupeKey: `booking.offer:${entry.id}`,
    })
  }
  return { offered, remaining: free }
}

export type BookingActionResult =
  { ok: true } | { ok: false; reason: 'not_found' | 'not_live' | 'cutoff' | 'lapsed' | 'full' | 'requirements'; message: string }

function ownBooking(tx: Tx, userId: number, bookingId: number) {
  return tx
    .select({
      booking: bookings,
      slot: slots,
      home: institutions.name,
      homePhone: institutions.publicPhone,
      homeAddress: institutions.publicAddress,
    })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(institutions, eq(institutions.id, bookings.institutionId))
    .where(and(eq(bookings.id, bookingId), eq(bookings.userId, userId)))
    .get()
}

const NOT_FOUND = { ok: false, reason: 'not_found', message: '没有找到这条预约' } as const

function endBooking(tx: Tx, bookingId: number, from: BookingStatus, reason: string): boolean {
  return (
    tx
      .update(bookings)
      .set({ status: 'cancelled', cancelledAt: now(), cancelReason: reason, offerExpiresAt: null })
      .where(and(eq(bookings.id, bookingId), eq(bookings.status, from)))
      .run().changes > 0
  )
}

/** The last moment a member may cancel a confirmed booking themselves. */
export function cancelDeadline(slot: { startsAt: Date; cancelCutoffHours: number }): Date {
  return new Date(slot.startsAt.getTime() - slot.cancelCutoffHours * HOUR_MS)
}

/**
 * 取消预约: a member cancels their own booking (a waitlist entry or an offer ends the same way).
 * A confirmed booking only until the cutoff; after it, the home must be contacted.
 */
export function cancelBooking({ userId, bookingId }: { userId: number; bookingId: number }): BookingActionResult {
  return writeTransaction((tx): BookingActionResult => {
    const found = ownBooking(tx, userId, bookingId)
    if (!found) return NOT_FOUND
    const { booking, slot } = found
    if (booking.status === 'waitlisted') {
      endBooking(tx, bookingId, 'waitlisted', 'left_waitlist')
      return { ok: true }
    }
    if (booking.status === 'offered') {
      endBooking(tx, bookingId, 'offered', 'offer_declined')
      offerFreedPlaces(tx, slot.id)
      return { ok: true }
    }
    if (booking.status !== 'confirmed' || booking.checkedInAt) return { ok: false, reason: 'not_live', message: '这条预约已结束，无法取消' }
    if (now().getTime() > cancelDeadline(slot).getTime()) {
      return { ok: false, reason: 'cutoff', message: `已过取消截止时间，${contactTheHome(found)}` }
    }
    endBooking(tx, bookingId, 'confirmed', 'member_cancelled')
    enqueueNotification(tx, {
      userId,
      template: 'booking.cancelled',
      subject: '您已取消预约',
      body: `您已取消「${slot.title}」（${found.home}，${formatDateTime(slot.startsAt)}）的预约（预约码 ${booking.code}）。`,
      dedupeKey: `booking.cancelled:${bookingId}`,
    })
    offerFreedPlaces(tx, slot.id)
    return { ok: true }
  })
}

/** 接受: an offered place becomes a confirmed booking, capacity re-checked in the transaction. */
export function acceptOffer({ userId, bookingId }: { userId: number; bookingId: number }): BookingActionResult {
  return writeTransaction((tx): BookingActionResult => {
    const found = ownBooking(tx, userId, bookingId)
    if (!found) return NOT_FOUND
    const { booking, slot } = found
    if (booking.status !== 'offered') return { ok: false, reason: 'not_live', message: '这个候补名额已不可接受' }
    const at = now()
    if (!booking.offerExpiresAt || booking.offerExpiresAt.getTime() <= at.getTime()) {
      endBooking(tx, bookingId, 'offered', 'offer_lapsed')
      offerFreedPlaces(tx, slot.id)
      return { ok: false, reason: 'lapsed', message: '保留时间已过，这个名额已提供给候补中的下一位' }
    }
    if (hasRequirements(slot)) {
      if (booking.kind === 'group') {
        endBooking(tx, bookingId, 'offered', 'group_not_allowed')
        offerFreedPlaces(tx, slot.id)
        return { ok: false, reason: 'requirements', message: GROUPS_REFUSED_FOR_REQUIREMENTS }
      }
      const missing = missingRequirements(userId, slot, tx)
      if (missing.length)
        return { ok: false, reason: 'requirements', message: `您还不满足这个活动的参加要求：${requirementWords(missing)}` }
    }
    const { confirmed } = slotOccupancy(tx, slot.id)
    if (confirmed + booking.partySize > slot.capacity) return { ok: false, reason: 'full', message: '名额已满，无法确认' }
    try {
      tx.update(bookings).set({ status: 'confirmed', confirmedAt: at, offerExpiresAt: null }).where(eq(bookings.id, bookingId)).run()
    } catch (error) {
      if (isCapacityExceeded(error)) return { ok: false, reason: 'full', message: '名额已满，无法确认' }
      throw error
    }
    announceConfirmed(tx, { id: bookingId, userId: booking.userId }, found, booking.partySize, booking.code)
    return { ok: true }
  })
}

/** 放弃: the offered place passes to the next entry that fits. */
export function declineOffer({ userId, bookingId }: { userId: number; bookingId: number }): BookingActionResult {
  return writeTransaction((tx): BookingActionResult => {
    const found = ownBooking(tx, userId, bookingId)
    if (!found) return NOT_FOUND
    if (!endBooking(tx, bookingId, 'offered', 'offer_declined')) return { ok: false, reason: 'not_live', message: '这个候补名额已不可放弃' }
    offerFreedPlaces(tx, found.slot.id)
    return { ok: true }
  })
}

/** 退出候补. */
export function leaveWaitlist({ userId, bookingId }: { userId: number; bookingId: number }): BookingActionResult {
  return writeTransaction((tx): BookingActionResult => {
    const found = ownBooking(tx, userId, bookingId)
    if (!found) return NOT_FOUND
    if (!endBooking(tx, bookingId, 'waitlisted', 'left_waitlist')) return { ok: false, reason: 'not_live', message: '您已不在候补中' }
    return { ok: true }
  })
}

// ---- Jobs --------------------------------------------------------------------------------

/** Offers past their hold lapse (cancelled, reason offer_lapsed); the places go to the next in line. */
export function lapseBookingOffers(): { lapsed: number; offered: number } {
  const expired = db
    .select({ id: bookings.id, slotId: bookings.slotId, userId: bookings.userId, title: slots.title, startsAt: slots.startsAt })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .where(and(eq(bookings.status, 'offered'), lte(bookings.offerExpiresAt, now())))
    .all()
  let lapsed = 0
  let offered = 0
  for (const entry of expired) {
    writeTransaction((tx) => {
      const changed = tx
        .update(bookings)
        .set({ status: 'cancelled', cancelledAt: now(), cancelReason: 'offer_lapsed', offerExpiresAt: null })
        .where(and(eq(bookings.id, entry.id), eq(bookings.status, 'offered'), lte(bookings.offerExpiresAt, now())))
        .run().changes
      if (!changed) return
      lapsed++
      enqueueNotification(tx, {
        userId: entry.userId,
        template: 'booking.offer_lapsed',
        subject: '候补名额保留时间已过',
        body: `「${entry.title}」（${formatDateTime(entry.startsAt)}）为您保留的名额已过期，已提供给候补中的下一位。`,
        dedupeKey: `booking.offer_lapsed:${entry.id}`,
      })
      offered += offerFreedPlaces(tx, entry.slotId).length
    })
  }
  return { lapsed, offered }
}

/** One day before the slot, one reminder per confirmed booking (dedupe key). */
export function sendBookingReminders(): { sent: number } {
  const at = now()
  const due = db
    .select({
      id: bookings.id,
      userId: bookings.userId,
      code: bookings.code,
      partySize: bookings.partySize,
      title: slots.title,
      startsAt: slots.startsAt,
      location: slots.location,
      home: institutions.name,
      homeAddress: institutions.publicAddress,
    })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(institutions, eq(institutions.id, bookings.institutionId))
    .where(
      and(
        eq(bookings.status, 'confirmed'),
        eq(slots.status, 'published'),
        gt(slots.startsAt, at),
        lte(slots.startsAt, new Date(at.getTime() + REMINDER_LEAD_MS)),
      ),
    )
    .all()
  let sent = 0
  for (const b of due) {
    const key = `reminder:booking:${b.id}`
    writeTransaction((tx) => {
      const live = tx
        .select({ id: bookings.id })
        .from(bookings)
        .where(and(eq(bookings.id, b.id), eq(bookings.status, 'confirmed')))
        .get()
      const already = tx.select({ id: notifications.id }).from(notifications).where(eq(notifications.dedupeKey, key)).get()
      if (!live || already) return
      enqueueNotification(tx, {
        userId: b.userId,
        template: 'booking.reminder',
        subject: '活动提醒：明天见',
        body: `提醒：您预约的「${b.title}」将于 ${formatDateTime(b.startsAt)} 开始，地点 ${b.location || b.homeAddress || b.home}，${b.partySize} 人，预约码 ${b.code}。请带好来访接待单：${siteLink(slipPath(b.id))}`,
        dedupeKey: key,
      })
      sent++
    })
  }
  return { sent }
}

// ---- Reading -----------------------------------------------------------------------------

/** 我的预约: every booking of the member, with the waitlist position of waiting entries. */
const myBookingsQuery = preparedOnce(() =>
  db
    .select({
      id: bookings.id,
      slotId: bookings.slotId,
      kind: bookings.kind,
      partySize: bookings.partySize,
      organisation: bookings.organisation,
      contactName: bookings.contactName,
      status: bookings.status,
      code: bookings.code,
      offerExpiresAt: bookings.offerExpiresAt,
      checkedInAt: bookings.checkedInAt,
      checkedOutAt: bookings.checkedOutAt,
      servedMinutes: serviceRecords.minutes,
      cancelledAt: bookings.cancelledAt,
      cancelReason: bookings.cancelReason,
      createdAt: bookings.createdAt,
      title: slots.title,
      slotKind: slots.kind,
      slotStatus: slots.status,
      startsAt: slots.startsAt,
      endsAt: slots.endsAt,
      location: slots.location,
      cancelCutoffHours: slots.cancelCutoffHours,
      home: institutions.name,
      homeSlug: institutions.slug,
      homePhone: institutions.publicPhone,
      homeAddress: institutions.publicAddress,
      position: sql<number>`(SELECT count(*) FROM bookings b2 WHERE b2.slot_id = ${bookings.slotId} AND b2.status = 'waitlisted' AND b2.id <= ${bookings.id})`,
    })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(institutions, eq(institutions.id, bookings.institutionId))
    .leftJoin(
      serviceRecords,
      and(eq(serviceRecords.source, 'slot_booking'), eq(serviceRecords.sourceId, bookings.id), eq(serviceRecords.userId, bookings.userId)),
    )
    .where(eq(bookings.userId, sql.placeholder('userId')))
    .orderBy(asc(slots.startsAt), desc(bookings.id))
    .prepare(),
)

export function listMyBookings(userId: number) {
  const rows = myBookingsQuery().all({ userId })
  const at = now().getTime()
  return rows.map((r) => {
    const cancelBy = cancelDeadline(r)
    return {
      ...r,
      slotKind: r.slotKind as SlotKind,
      status: r.status as BookingStatus,
      // Checked out (签退) means the visit is over, even while the slot still runs.
      upcoming: r.endsAt.getTime() > at && !r.checkedOutAt,
      position: r.status === 'waitlisted' ? r.position : null,
      offerIsLive: r.status === 'offered' && r.offerExpiresAt !== null && r.offerExpiresAt.getTime() > at,
      cancelBy,
      canCancel: r.status === 'confirmed' && !r.checkedInAt && at <= cancelBy.getTime(),
    }
  })
}

export type MyBooking = ReturnType<typeof listMyBookings>[number]

/** What the booking form shows: the slot, places left, what the member lacks, their live booking. */
export function getSlotForBooking(slotId: number, userId: number) {
  const found = slotWithHome(db, slotId)
  if (!found || found.slot.status === 'draft') return null
  const s = found.slot
  const at = now()
  const live = liveBookingQuery().get({ slotId, userId })
  const refusal = bookingRefusal(s, { kind: 'individual', partySize: 1 }, at)
  const user = db.select({ phone: users.phone, displayName: users.displayName }).from(users).where(eq(users.id, userId)).get()
  const profile = db
    .select({ realName: volunteerProfiles.realName, phone: volunteerProfiles.phone })
    .from(volunteerProfiles)
    .where(eq(volunteerProfiles.userId, userId))
    .get()
  return {
    slot: {
      id: s.id,
      kind: s.kind as SlotKind,
      title: s.title,
      description: s.description,
      location: s.location || found.homeAddress,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      capacity: s.capacity,
      // The form offers the group option only where a group may book (not on slots with requirements).
      allowGroups: acceptsGroups(s),
      groupsNeedIndividualBookings: s.allowGroups && !acceptsGroups(s),
      groupMinDaysAhead: s.groupMinDaysAhead,
      groupMaxSize: s.groupMaxSize,
      cancelCutoffHours: s.cancelCutoffHours,
      offerHoldHours: s.offerHoldHours,
      minAge: s.minAge,
      requiredQualifications: s.requiredQualifications as QualificationKind[],
      requiresBackgroundCheck: s.requiresBackgroundCheck,
      home: found.home,
      homeSlug: found.homeSlug,
    },
    remaining: remainingPlaces(db, s),
    // Only refusals that hold for everyone close the form; group rules are checked on submit.
    closedMessage: refusal && refusal.reason !== 'group_rules' ? refusal.message : null,
    missing: missingRequirements(userId, s),
    liveBooking: live ? { id: live.id, status: live.status as BookingStatus } : null,
    prefill: { contactName: profile?.realName ?? user?.displayName ?? '', contactPhone: profile?.phone ?? user?.phone ?? '' },
    profilePath: VOLUNTEER_PROFILE_PATH,
  }
}

/** The 来访接待单 of a confirmed booking, for its owner only (anyone else gets null). */
export function getBookingSlip(userId: number, bookingId: number) {
  const row = db
    .select({
      id: bookings.id,
      status: bookings.status,
      kind: bookings.kind,
      partySize: bookings.partySize,
      organisation: bookings.organisation,
      contactName: bookings.contactName,
      attendeeNames: bookings.attendeeNames,
      code: bookings.code,
      checkedInAt: bookings.checkedInAt,
      slotId: slots.id,
      slotKind: slots.kind,
      title: slots.title,
      startsAt: slots.startsAt,
      endsAt: slots.endsAt,
      location: slots.location,
      home: institutions.name,
      homeSlug: institutions.slug,
      homePhone: institutions.publicPhone,
      homeAddress: institutions.publicAddress,
    })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(institutions, eq(institutions.id, bookings.institutionId))
    .where(and(eq(bookings.id, bookingId), eq(bookings.userId, userId)))
    .get()
  if (!row || row.status !== 'confirmed') return null
  return { ...row, slotKind: row.slotKind as SlotKind }
}

/** The staff check-in page a slip's QR code opens (built by the check-in module). */
export function checkinPath(slip: { homeSlug: string; slotId: number; code: string }): string {
  return `/staff/${slip.homeSlug}/slots/${slip.slotId}/checkin?code=${encodeURIComponent(slip.code)}`
}

type IcsBooking = {
  id: number
  code: string
  partySize: number
  title: string
  slotKind: SlotKind
  startsAt: Date
  endsAt: Date
  location: string
  home: string
  homeAddress: string
  status: BookingStatus
}

/** An .ics calendar entry for a booking (times in UTC; calendars show them locally). */
/** The booking as an .ics file; `origin` makes the slip link absolute (calendar apps open no relative links). */
export function bookingIcs(booking: IcsBooking, origin: string): string {
  const utc = (d: Date): [number, number, number, number, number] => [
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
  ]
  const { error, value } = createEvent({
    uid: `booking-${booking.id}@weinuan`,
    productId: 'weinuan/bookings',
    title: `${booking.title}（${booking.home}）`,
    start: utc(booking.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: utc(booking.endsAt),
    endInputType: 'utc',
    endOutputType: 'utc',
    location: booking.location || booking.homeAddress || booking.home,
    description: `${slotKindLabels[booking.slotKind]}，${booking.partySize} 人。预约码：${booking.code}。入场请出示来访接待单：${origin}${slipPath(booking.id)}`,
    status: booking.status === 'confirmed' ? 'CONFIRMED' : booking.status === 'cancelled' ? 'CANCELLED' : 'TENTATIVE',
    busyStatus: 'BUSY',
  })
  if (error || !value) throw error ?? new Error('ics: no calendar produced')
  return value
}

/** The member's own booking in the shape bookingIcs needs, or null. */
export function getBookingForCalendar(userId: number, bookingId: number): IcsBooking | null {
  const row = db
    .select({
      id: bookings.id,
      code: bookings.code,
      partySize: bookings.partySize,
      status: bookings.status,
      title: slots.title,
      slotKind: slots.kind,
      startsAt: slots.startsAt,
      endsAt: slots.endsAt,
      location: slots.location,
      home: institutions.name,
      homeAddress: institutions.publicAddress,
    })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(institutions, eq(institutions.id, bookings.institutionId))
    .where(and(eq(bookings.id, bookingId), eq(bookings.userId, userId)))
    .get()
  return row ? { ...row, slotKind: row.slotKind as SlotKind, status: row.status as BookingStatus } : null
}
