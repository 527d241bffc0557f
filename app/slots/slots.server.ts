import { and, asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm'
import { db, type Tx } from '~db/client.server'
import { bookings, institutions, slots, type QualificationKind, type SlotKind } from '~db/schema'
import { attemptAuditedWrite, refuse, type Actor, type AuditEntry, type Refusal } from '~/audit/audit.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { parseDateTimeLocal, shanghaiInstant, shanghaiParts, toDateTimeLocal } from '~/utils/shanghai-date'
import { isTriggerRefusal, TRIGGER_REFUSALS } from '~/utils/db-errors.server'
import { formatSlotTime } from './labels'
import type { SlotFormInput } from './validation'

// Staff side of volunteer slots (a.k.a. activities): create, edit, publish, cancel. Every query
// is scoped by the home's id (docs/product.md rule 7); every write goes through auditedWrite.

export type Slot = typeof slots.$inferSelect

export type SlotInput = {
  kind: SlotKind
  title: string
  description: string
  location: string
  startsAt: Date
  endsAt: Date
  capacity: number
  opensAt: Date | null
  closesAt: Date | null
  allowGroups: boolean
  groupMinDaysAhead: number
  groupMaxSize: number
  cancelCutoffHours: number
  offerHoldHours: number
  minAge: number | null
  requiredQualifications: QualificationKind[]
  requiresBackgroundCheck: boolean
}

export type { Refusal }

/** auditedWrite whose callback may refuse(): a refusal writes nothing, not even an audit row. */
export function attempt<T>(actor: Actor, fn: (tx: Tx) => { result: T; audit: AuditEntry }): T | Refusal {
  return attemptAuditedWrite<T, Refusal>(actor, fn, (error) =>
    // The trigger slots_capacity_not_below_confirmed (migration 0005) refused the update.
    isTriggerRefusal(error, TRIGGER_REFUSALS.slotCapacityBelowConfirmed)
      ? { ok: false, message: '名额不能少于已确认的人数', field: 'capacity' }
      : null,
  )
}

export const LIVE_BOOKING_STATUSES = ['confirmed', 'waitlisted', 'offered'] as const

// ---- Counting -------------------------------------------------------------------------------

/** People confirmed on a slot (party sizes summed): what counts against capacity. */
// Written with explicit aliases: drizzle drops table qualifiers in single-table selects, which
// would make "slot_id" = "id" compare the booking's own columns.
// People holding a place: confirmed, or holding a live 候补 offer (see bookings.server.ts).
// Both read the sums kept on the slot by triggers (migration 0023), not the bookings.
export const takenPeopleSql = sql<number>`("slots"."confirmed_places" + "slots"."held_places")`
export const confirmedPeopleSql = sql<number>`"slots"."confirmed_places"`
const confirmedBookingsSql = sql<number>`(select count(*) from bookings b where b.slot_id = "slots"."id" and b.status = 'confirmed')`
const waitlistSql = sql<number>`(select count(*) from bookings b where b.slot_id = "slots"."id" and b.status in ('waitlisted', 'offered'))`
const waitlistPeopleSql = sql<number>`(select coalesce(sum(b.party_size), 0) from bookings b where b.slot_id = "slots"."id" and b.status in ('waitlisted', 'offered'))`
export const liveBookingsSql = sql<number>`(select count(*) from bookings b where b.slot_id = "slots"."id" and b.status in ('confirmed', 'waitlisted', 'offered'))`
export const anyBookingsSql = sql<number>`(select count(*) from bookings b where b.slot_id = "slots"."id")`

function confirmedPeople(tx: Tx, slotId: number): number {
  const row = tx.select({ n: slots.confirmedPlaces }).from(slots).where(eq(slots.id, slotId)).get()
  return row?.n ?? 0
}

// ---- Reading --------------------------------------------------------------------------------

const staffColumns = {
  id: slots.id,
  seriesId: slots.seriesId,
  kind: slots.kind,
  title: slots.title,
  location: slots.location,
  startsAt: slots.startsAt,
  endsAt: slots.endsAt,
  capacity: slots.capacity,
  status: slots.status,
  confirmedPeople: confirmedPeopleSql,
  confirmedBookings: confirmedBookingsSql,
  waitlist: waitlistSql,
  waitlistPeople: waitlistPeopleSql,
}

/** A home's slots: upcoming (not yet ended, soonest first) or past (most recent first). */
export function listStaffSlots(
  institutionId: number,
  { when = 'upcoming', limit = 100 }: { when?: 'upcoming' | 'past'; limit?: number } = {},
) {
  const at = now()
  return db
    .select(staffColumns)
    .from(slots)
    .where(and(eq(slots.institutionId, institutionId), when === 'upcoming' ? gt(slots.endsAt, at) : lte(slots.endsAt, at)))
    .orderBy(...(when === 'upcoming' ? [asc(slots.startsAt), asc(slots.id)] : [desc(slots.startsAt), desc(slots.id)]))
    .limit(limit)
    .all()
}

export function getStaffSlot(institutionId: number, slotId: number) {
  const row = db
    .select({
      slot: slots,
      confirmedPeople: confirmedPeopleSql,
      confirmedBookings: confirmedBookingsSql,
      waitlist: waitlistSql,
      waitlistPeople: waitlistPeopleSql,
    })
    .from(slots)
    .where(and(eq(slots.id, slotId), eq(slots.institutionId, institutionId)))
    .get()
  if (!row) return null
  return { ...row, ended: row.slot.endsAt <= now() }
}

// ---- Writing --------------------------------------------------------------------------------

function slotValues(input: SlotInput) {
  return {
    kind: input.kind,
    title: input.title.trim(),
    description: input.description.trim(),
    location: input.location.trim(),
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    capacity: input.capacity,
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    allowGroups: input.allowGroups,
    groupMinDaysAhead: input.groupMinDaysAhead,
    groupMaxSize: input.groupMaxSize,
    cancelCutoffHours: input.cancelCutoffHours,
    offerHoldHours: input.offerHoldHours,
    minAge: input.minAge,
    requiredQualifications: [...new Set(input.requiredQualifications)],
    requiresBackgroundCheck: input.requiresBackgroundCheck,
  }
}

function checkTimes(input: SlotInput) {
  if (input.endsAt <= input.startsAt) refuse('结束时间须晚于开始时间', 'endTime')
  if (input.startsAt <= now()) refuse('活动开始时间须在现在之后', 'date')
  if (input.closesAt && input.opensAt && input.closesAt <= input.opensAt) refuse('截止时间须晚于开放时间', 'closesAt')
}

/** A one-off slot; a draft unless `publish` (staff may publish straight from the form). */
export function createSlot(
  actor: Actor,
  institutionId: number,
  input: SlotInput,
  { publish = false } = {},
): { ok: true; slot: Slot } | Refusal {
  return attempt(actor, (tx) => {
    checkTimes(input)
    const slot = tx
      .insert(slots)
      .values({ ...slotValues(input), institutionId, status: publish ? 'published' : 'draft' })
      .returning()
      .get()
    return {
      result: { ok: true as const, slot },
      audit: {
        institutionId,
        action: 'slot.create',
        entityType: 'slot',
        entityId: slot.id,
        summary: { title: slot.title, startsAt: slot.startsAt.toISOString(), capacity: slot.capacity, status: slot.status },
      },
    }
  })
}

function ownSlot(tx: Tx, institutionId: number, slotId: number): Slot {
  const slot = tx
    .select()
    .from(slots)
    .where(and(eq(slots.id, slotId), eq(slots.institutionId, institutionId)))
    .get()
  if (!slot) refuse('找不到该活动')
  return slot
}

function homeName(tx: Tx, institutionId: number): string {
  return tx.select({ name: institutions.name }).from(institutions).where(eq(institutions.id, institutionId)).get()?.name ?? '机构'
}

/**
 * Edit a slot that has not ended and is not cancelled. Capacity may not go below the people
 * already confirmed (the database trigger refuses it too). People with a live booking are
 * told when the time or place changes. Places it adds go to the 候补 queue through
 * `offerFreedPlaces` (bookings' own, passed in: bookings sit on slots, not the other way round).
 */
export function updateSlot(
  actor: Actor,
  institutionId: number,
  slotId: number,
  input: SlotInput,
  offerFreedPlaces: (tx: Tx, slotId: number) => unknown[],
): { ok: true; slot: Slot; notified: number } | Refusal {
  return attempt(actor, (tx) => {
    const before = ownSlot(tx, institutionId, slotId)
    if (before.status === 'cancelled') refuse('该活动已取消，不能再修改')
    if (before.endsAt <= now()) refuse('该活动已结束，不能再修改')
    if (input.endsAt <= input.startsAt) refuse('结束时间须晚于开始时间', 'endTime')
    if (input.startsAt.getTime() !== before.startsAt.getTime() && input.startsAt <= now()) refuse('活动开始时间须在现在之后', 'date')
    const confirmed = confirmedPeople(tx, slotId)
    if (input.capacity < confirmed) refuse(`名额不能少于已确认的 ${confirmed} 人`, 'capacity')
    const slot = tx
      .update(slots)
      .set({ ...slotValues(input), updatedAt: now() })
      .where(eq(slots.id, slotId))
      .returning()
      .get()
    // More places: the 候补 queue gets them before any newcomer.
    const offered = slot.status === 'published' && slot.capacity > before.capacity ? offerFreedPlaces(tx, slotId).length : 0
    let notified = 0
    const moved =
      before.startsAt.getTime() !== slot.startsAt.getTime() ||
      before.endsAt.getTime() !== slot.endsAt.getTime() ||
      before.location !== slot.location
    if (moved && slot.status === 'published') {
      const home = homeName(tx, institutionId)
      const live = tx
        .select({ id: bookings.id, userId: bookings.userId })
        .from(bookings)
        .where(and(eq(bookings.slotId, slotId), inArray(bookings.status, [...LIVE_BOOKING_STATUSES])))
        .all()
      for (const booking of live) {
        enqueueNotification(tx, {
          userId: booking.userId,
          template: 'slot.changed',
          subject: '您预约的志愿活动时间或地点有变化',
          body: `${home}的「${slot.title}」已调整为：${formatSlotTime(slot.startsAt, slot.endsAt)}${slot.location ? `，地点：${slot.location}` : ''}。如无法参加，请在「我的预约」中取消，或联系机构。`,
        })
        notified++
      }
    }
    return {
      result: { ok: true as const, slot, notified },
      audit: {
        institutionId,
        action: 'slot.update',
        entityType: 'slot',
        entityId: slotId,
        summary: {
          title: slot.title,
          capacity: { before: before.capacity, after: slot.capacity },
          startsAt: slot.startsAt.toISOString(),
          notified,
          offered,
        },
      },
    }
  })
}

export function publishSlot(actor: Actor, institutionId: number, slotId: number): { ok: true } | Refusal {
  return attempt(actor, (tx) => {
    const slot = ownSlot(tx, institutionId, slotId)
    if (slot.status === 'published') refuse('该活动已经发布')
    if (slot.status === 'cancelled') refuse('该活动已取消，不能发布')
    if (slot.endsAt <= now()) refuse('该活动已结束，不能发布')
    tx.update(slots).set({ status: 'published', updatedAt: now() }).where(eq(slots.id, slotId)).run()
    return {
      result: { ok: true as const },
      audit: { institutionId, action: 'slot.publish', entityType: 'slot', entityId: slotId, summary: { title: slot.title } },
    }
  })
}

/**
 * Cancel a slot inside the caller's transaction: every live booking (confirmed, waitlisted,
 * offered) is cancelled with reason 'slot_cancelled' and its booker told.
 */
export function cancelSlotInTx(tx: Tx, slot: Slot, reason: string): number[] {
  const at = now()
  const home = homeName(tx, slot.institutionId)
  const cancelled = tx
    .update(bookings)
    .set({ status: 'cancelled', cancelledAt: at, cancelReason: 'slot_cancelled', offerExpiresAt: null })
    .where(and(eq(bookings.slotId, slot.id), inArray(bookings.status, [...LIVE_BOOKING_STATUSES])))
    .returning({ id: bookings.id, userId: bookings.userId, code: bookings.code })
    .all()
  const why = reason.trim() ? `原因：${reason.trim()}。` : ''
  for (const booking of cancelled) {
    enqueueNotification(tx, {
      userId: booking.userId,
      template: 'slot.cancelled',
      subject: '您预约的志愿活动已取消',
      body: `很抱歉，${home}的「${slot.title}」（${formatSlotTime(slot.startsAt, slot.endsAt)}）已由机构取消，您的预约或候补（编号 ${booking.code}）随之取消。${why}欢迎预约其他场次。`,
      dedupeKey: `booking:slot_cancelled:${booking.id}`,
    })
  }
  tx.update(slots).set({ status: 'cancelled', updatedAt: at }).where(eq(slots.id, slot.id)).run()
  return cancelled.map((b) => b.id)
}

export function cancelSlot(
  actor: Actor,
  institutionId: number,
  slotId: number,
  reason = '',
): { ok: true; cancelledBookings: number } | Refusal {
  return attempt(actor, (tx) => {
    const slot = ownSlot(tx, institutionId, slotId)
    if (slot.status === 'cancelled') refuse('该活动已经取消')
    if (slot.endsAt <= now()) refuse('该活动已结束，不能取消')
    const ids = cancelSlotInTx(tx, slot, reason)
    return {
      result: { ok: true as const, cancelledBookings: ids.length },
      audit: {
        institutionId,
        action: 'slot.cancel',
        entityType: 'slot',
        entityId: slotId,
        summary: { title: slot.title, cancelledBookingIds: ids, reason: reason.trim() },
      },
    }
  })
}

// ---- Form glue ------------------------------------------------------------------------------

export function slotInputFrom(value: SlotFormInput): SlotInput {
  return {
    kind: value.kind,
    title: value.title,
    description: value.description ?? '',
    location: value.location ?? '',
    startsAt: shanghaiInstant(value.date, value.startTime),
    endsAt: shanghaiInstant(value.endDate ?? value.date, value.endTime),
    capacity: value.capacity,
    opensAt: value.opensAt ? parseDateTimeLocal(value.opensAt) : null,
    closesAt: value.closesAt ? parseDateTimeLocal(value.closesAt) : null,
    allowGroups: value.allowGroups ?? false,
    groupMinDaysAhead: value.groupMinDaysAhead,
    groupMaxSize: value.groupMaxSize,
    cancelCutoffHours: value.cancelCutoffHours,
    offerHoldHours: value.offerHoldHours,
    minAge: value.minAge ?? null,
    requiredQualifications: value.requiredQualifications ?? [],
    requiresBackgroundCheck: value.requiresBackgroundCheck ?? false,
  }
}

/** Form values (strings, as the inputs hold them) for a slot. */
export function slotFormDefaults(slot: Slot) {
  const start = shanghaiParts(slot.startsAt)
  const end = shanghaiParts(slot.endsAt)
  return {
    kind: slot.kind,
    title: slot.title,
    description: slot.description,
    location: slot.location,
    date: start.date,
    endDate: end.date === start.date ? '' : end.date,
    startTime: start.time,
    endTime: end.time,
    capacity: String(slot.capacity),
    opensAt: toDateTimeLocal(slot.opensAt),
    closesAt: toDateTimeLocal(slot.closesAt),
    allowGroups: slot.allowGroups ? 'on' : '',
    groupMinDaysAhead: String(slot.groupMinDaysAhead),
    groupMaxSize: String(slot.groupMaxSize),
    cancelCutoffHours: String(slot.cancelCutoffHours),
    offerHoldHours: String(slot.offerHoldHours),
    minAge: slot.minAge == null ? '' : String(slot.minAge),
    requiredQualifications: slot.requiredQualifications,
    requiresBackgroundCheck: slot.requiresBackgroundCheck ? 'on' : '',
  }
}
