import { and, asc, desc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { db, writeTransaction, type Tx } from '~db/client.server'
import { donations, institutions, needs, notifications, pledgeArrivals, pledges, users, type PublicDisplay } from '~db/schema'
import { attemptAuditedWrite, refuseWrite, type Actor } from '~/audit/audit.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { newDoorCode, PLEDGE_CODE } from '~/utils/door-code.server'
import { formatDate } from '~/utils/format'
import { shanghaiDateString } from '~/utils/shanghai-date'
import { needProgress, receivedForPledge, refreshNeedStatus } from './progress.server'
import { releaseReasonSchema } from './validation'

// A pledge promises part of a need (docs/product.md: pledges may be partial). The BEGIN IMMEDIATE
// transaction serialises writers, and re-reading the need's progress inside it is what keeps
// simultaneous pledges from ever exceeding the need.

const DAY_MS = 24 * 60 * 60 * 1000
export const PLEDGE_REMINDER_LEAD_MS = 2 * DAY_MS
/** A need without a deadline is held by one pledge for at most this many days. */
export const PLEDGE_MAX_DAYS_AHEAD = 60

/**
 * The last day (YYYY-MM-DD, Asia/Shanghai) a pledge may promise delivery: the need's deadline,
 * or 60 days from today when it has none — so nobody can hold a need with a date in 2099.
 */
export function latestExpectedDay(need: { deadline: Date | null }, at: Date = now()): string {
  return shanghaiDateString(need.deadline ?? new Date(at.getTime() + PLEDGE_MAX_DAYS_AHEAD * DAY_MS))
}

export type PledgeRefusal = {
  ok: false
  reason: 'not_found' | 'unavailable' | 'too_many' | 'invalid' | 'already_pledged'
  message: string
  field?: 'quantity' | 'expectedAt'
}

export function alreadyPledgedMessage(code: string): string {
  return `您已认捐这项需求（认捐编号 ${code}）。每人每项需求同时只能有一份进行中的认捐：送达后可以再次认捐，或在“我的捐赠”中修改或取消这一份。`
}

export type PledgeResult = { ok: true; pledgeId: number; code: string } | PledgeRefusal

export function pledgeToNeed(input: {
  userId: number
  needId: number
  quantity: number
  expectedAt: Date
  publicDisplay: PublicDisplay
}): PledgeResult {
  return writeTransaction((tx): PledgeResult => {
    const need = tx
      .select({
        id: needs.id,
        title: needs.title,
        unit: needs.unit,
        status: needs.status,
        quantityNeeded: needs.quantityNeeded,
        perPledgeMax: needs.perPledgeMax,
        deadline: needs.deadline,
        deliveryAddress: needs.deliveryAddress,
        deliveryHours: needs.deliveryHours,
        institutionId: needs.institutionId,
        home: institutions.name,
        homeAddress: institutions.publicAddress,
        shippingRecipient: institutions.shippingRecipient,
        shippingPhone: institutions.shippingPhone,
      })
      .from(needs)
      .innerJoin(institutions, eq(institutions.id, needs.institutionId))
      .where(eq(needs.id, input.needId))
      .get()
    if (!need) return { ok: false, reason: 'not_found', message: '没有找到这项物资需求' }
    if (need.status === 'fully_pledged') return { ok: false, reason: 'unavailable', message: '这项需求已经认捐满了，感谢您的爱心' }
    if (need.status !== 'open') return { ok: false, reason: 'unavailable', message: '这项需求已不再接受认捐' }
    const at = now()
    if (need.deadline && need.deadline.getTime() < at.getTime())
      return { ok: false, reason: 'unavailable', message: '这项需求已过截止日期' }
    // One active pledge per member per need: a member holds at most one share (and one date) of it.
    const mine = tx
      .select({ code: pledges.code })
      .from(pledges)
      .where(and(eq(pledges.needId, need.id), eq(pledges.userId, input.userId), eq(pledges.status, 'active')))
      .get()
    if (mine) return { ok: false, reason: 'already_pledged', message: alreadyPledgedMessage(mine.code) }
    if (!Number.isInteger(input.quantity) || input.quantity < 1)
      return { ok: false, reason: 'invalid', message: '认捐数量至少为 1', field: 'quantity' }
    if (need.perPledgeMax !== null && input.quantity > need.perPledgeMax) {
      return { ok: false, reason: 'too_many', message: `每份认捐最多 ${need.perPledgeMax} ${need.unit}`, field: 'quantity' }
    }
    const { stillNeeded } = needProgress(tx, need)
    if (stillNeeded < 1) return { ok: false, reason: 'unavailable', message: '这项需求已经认捐满了，感谢您的爱心' }
    if (input.quantity > stillNeeded)
      return { ok: false, reason: 'too_many', message: `目前还需 ${stillNeeded} ${need.unit}，请减少认捐数量`, field: 'quantity' }
    if (input.expectedAt.getTime() < at.getTime())
      return { ok: false, reason: 'invalid', message: '预计送达日期不能早于今天', field: 'expectedAt' }
    const latest = latestExpectedDay(need, at)
    if (shanghaiDateString(input.expectedAt) > latest) {
      const message = need.deadline
        ? `预计送达日期不能晚于需求截止日期（${latest}）`
        : `预计送达日期须在 ${PLEDGE_MAX_DAYS_AHEAD} 天以内（最晚 ${latest}）`
      return { ok: false, reason: 'invalid', message, field: 'expectedAt' }
    }

    let code = newDoorCode(PLEDGE_CODE)
    while (tx.select({ id: pledges.id }).from(pledges).where(eq(pledges.code, code)).get()) code = newDoorCode(PLEDGE_CODE)
    const pledgeId = tx
      .insert(pledges)
      .values({
        needId: need.id,
        institutionId: need.institutionId,
        userId: input.userId,
        quantity: input.quantity,
        expectedAt: input.expectedAt,
        publicDisplay: input.publicDisplay,
        code,
        status: 'active',
        createdAt: at,
        updatedAt: at,
      })
      .returning({ id: pledges.id })
      .get().id
    refreshNeedStatus(tx, need.id)
    enqueueNotification(tx, {
      userId: input.userId,
      template: 'pledge.confirmed',
      subject: '您已认捐物资',
      body: `感谢您为${need.home}认捐「${need.title}」${input.quantity} ${need.unit}。请在 ${formatDate(input.expectedAt)} 前送达：${need.deliveryAddress || need.homeAddress || need.home}${need.deliveryHours ? `（接收时间：${need.deliveryHours}）` : ''}${need.shippingRecipient ? `，收件人：${need.shippingRecipient}` : ''}${need.shippingPhone ? `，电话 ${need.shippingPhone}` : ''}，并出示认捐编号 ${code}。`,
      dedupeKey: `pledge.confirmed:${pledgeId}`,
    })
    return { ok: true, pledgeId, code }
  })
}

export type PledgeChangeResult = { ok: true; status: 'active' | 'fulfilled' | 'cancelled' } | PledgeRefusal

function ownActivePledge(tx: Tx, userId: number, pledgeId: number) {
  const pledge = tx
    .select()
    .from(pledges)
    .where(and(eq(pledges.id, pledgeId), eq(pledges.userId, userId)))
    .get()
  if (!pledge) return { ok: false as const, reason: 'not_found' as const, message: '没有找到这条认捐' }
  if (pledge.status !== 'active') return { ok: false as const, reason: 'unavailable' as const, message: '这条认捐已结束，无法再修改' }
  return { ok: true as const, pledge }
}

/** 减少数量: never below what has already arrived, never below 1. */
export function reducePledge(input: { userId: number; pledgeId: number; quantity: number }): PledgeChangeResult {
  return writeTransaction((tx): PledgeChangeResult => {
    const found = ownActivePledge(tx, input.userId, input.pledgeId)
    if (!found.ok) return found
    const { pledge } = found
    const received = receivedForPledge(tx, pledge.id)
    if (!Number.isInteger(input.quantity) || input.quantity < 1)
      return { ok: false, reason: 'invalid', message: '认捐数量至少为 1', field: 'quantity' }
    if (input.quantity >= pledge.quantity)
      return { ok: false, reason: 'invalid', message: `新的数量须少于原认捐的 ${pledge.quantity}`, field: 'quantity' }
    if (input.quantity < received)
      return { ok: false, reason: 'invalid', message: `已收到 ${received}，数量不能少于已收到的`, field: 'quantity' }
    const status = input.quantity === received ? 'fulfilled' : 'active'
    tx.update(pledges).set({ quantity: input.quantity, status, updatedAt: now() }).where(eq(pledges.id, pledge.id)).run()
    refreshNeedStatus(tx, pledge.needId)
    return { ok: true, status }
  })
}

/** 取消认捐 before anything arrived; after a partial arrival the pledge closes at what arrived. */
export function cancelPledge(input: { userId: number; pledgeId: number }): PledgeChangeResult {
  return writeTransaction((tx): PledgeChangeResult => {
    const found = ownActivePledge(tx, input.userId, input.pledgeId)
    if (!found.ok) return found
    const { pledge } = found
    const received = receivedForPledge(tx, pledge.id)
    const at = now()
    if (received > 0) {
      tx.update(pledges).set({ quantity: received, status: 'fulfilled', updatedAt: at }).where(eq(pledges.id, pledge.id)).run()
    } else {
      tx.update(pledges).set({ status: 'cancelled', cancelledAt: at, updatedAt: at }).where(eq(pledges.id, pledge.id)).run()
    }
    refreshNeedStatus(tx, pledge.needId)
    return { ok: true, status: received > 0 ? 'fulfilled' : 'cancelled' }
  })
}

// ---- Staff release ------------------------------------------------------------------------------

type PledgeReleaseRefusal = { ok: false; reason: 'not_found' | 'unavailable' | 'invalid'; message: string }
export type PledgeReleaseResult = { ok: true; status: 'released' | 'fulfilled'; quantityReleased: number } | PledgeReleaseRefusal

/** An active pledge of this home, with what the release page shows; null when it is not this home's. */
export function pledgeForRelease(institutionId: number, needId: number, pledgeId: number) {
  const row = db
    .select({
      id: pledges.id,
      needId: pledges.needId,
      code: pledges.code,
      quantity: pledges.quantity,
      status: pledges.status,
      expectedAt: pledges.expectedAt,
      createdAt: pledges.createdAt,
      pledgerName: users.displayName,
      title: needs.title,
      unit: needs.unit,
    })
    .from(pledges)
    .innerJoin(needs, eq(needs.id, pledges.needId))
    .innerJoin(users, eq(users.id, pledges.userId))
    .where(
      and(
        eq(pledges.id, pledgeId),
        eq(pledges.needId, needId),
        eq(pledges.institutionId, institutionId),
        eq(needs.institutionId, institutionId),
      ),
    )
    .get()
  return row ? { ...row, received: receivedForPledge(db, row.id) } : null
}

/**
 * Staff of the need's home release one pledge (e.g. the pledger cannot be reached, or holds the
 * need with a date far off). What already arrived stays counted and the pledge closes at it; the
 * rest returns to the need. The pledger is told why; the release is audited.
 */
export function releasePledge(actor: Actor, institutionId: number, pledgeId: number, reasonText: string): PledgeReleaseResult {
  const parsed = releaseReasonSchema.safeParse(reasonText)
  if (!parsed.success) return { ok: false, reason: 'invalid', message: parsed.error.issues[0]?.message ?? '请填写释放原因' }
  const reason = parsed.data
  return attemptAuditedWrite<PledgeReleaseResult, PledgeReleaseRefusal>(actor, (tx) => {
    const pledge = tx
      .select({ pledge: pledges, title: needs.title, unit: needs.unit, home: institutions.name })
      .from(pledges)
      .innerJoin(needs, eq(needs.id, pledges.needId))
      .innerJoin(institutions, eq(institutions.id, pledges.institutionId))
      .where(and(eq(pledges.id, pledgeId), eq(pledges.institutionId, institutionId), eq(needs.institutionId, institutionId)))
      .get()
    if (!pledge) refuseWrite<PledgeReleaseRefusal>({ ok: false, reason: 'not_found', message: '没有找到这条认捐' })
    const p = pledge.pledge
    if (p.status !== 'active')
      refuseWrite<PledgeReleaseRefusal>({ ok: false, reason: 'unavailable', message: '这条认捐已结束，不能再释放' })
    const received = receivedForPledge(tx, p.id)
    const at = now()
    const status = received > 0 ? ('fulfilled' as const) : ('released' as const)
    tx.update(pledges)
      .set({
        status,
        quantity: received > 0 ? received : p.quantity,
        releasedAt: at,
        releasedBy: actor.userId,
        releaseReason: reason,
        updatedAt: at,
      })
      .where(eq(pledges.id, p.id))
      .run()
    refreshNeedStatus(tx, p.needId)
    const quantityReleased = p.quantity - received
    enqueueNotification(tx, {
      userId: p.userId,
      template: 'pledge.released_by_staff',
      subject: '您的认捐已由机构释放',
      body:
        received > 0
          ? `${pledge.home}释放了您认捐的「${pledge.title}」中尚未送达的 ${quantityReleased} ${pledge.unit}（认捐编号 ${p.code}），原因：${reason}。已收到的 ${received} ${pledge.unit} 已记入捐赠公示，感谢您的爱心！如有疑问请联系${pledge.home}。`
          : `${pledge.home}释放了您认捐的「${pledge.title}」${p.quantity} ${pledge.unit}（认捐编号 ${p.code}），原因：${reason}。这部分已重新开放给其他爱心人士；如有疑问请联系${pledge.home}。`,
      dedupeKey: `pledge.released_by_staff:${p.id}`,
    })
    return {
      result: { ok: true as const, status, quantityReleased },
      audit: {
        institutionId,
        action: 'pledge.release',
        entityType: 'pledge',
        entityId: p.id,
        summary: { needId: p.needId, code: p.code, quantityReleased, received, reason },
      },
    }
  })
}

// ---- 我的捐赠 -------------------------------------------------------------------------------------

const homeParent = alias(institutions, 'home_parent')

export function listMyPledges(userId: number) {
  const rows = db
    .select({
      id: pledges.id,
      needId: pledges.needId,
      code: pledges.code,
      quantity: pledges.quantity,
      status: pledges.status,
      expectedAt: pledges.expectedAt,
      publicDisplay: pledges.publicDisplay,
      releasedAt: pledges.releasedAt,
      releaseReason: pledges.releaseReason,
      cancelledAt: pledges.cancelledAt,
      createdAt: pledges.createdAt,
      title: needs.title,
      unit: needs.unit,
      needStatus: needs.status,
      deliveryAddress: needs.deliveryAddress,
      deliveryHours: needs.deliveryHours,
      home: institutions.name,
      homeSlug: institutions.slug,
      homeAddress: institutions.publicAddress,
      homePhone: institutions.publicPhone,
      // 收件人 and phone for the courier: the pledger's own page only, never public.
      shippingRecipient: institutions.shippingRecipient,
      shippingPhone: institutions.shippingPhone,
      parentName: homeParent.name,
    })
    .from(pledges)
    .innerJoin(needs, eq(needs.id, pledges.needId))
    .innerJoin(institutions, eq(institutions.id, pledges.institutionId))
    .leftJoin(homeParent, eq(homeParent.id, institutions.parentId))
    .where(eq(pledges.userId, userId))
    .orderBy(desc(pledges.id))
    .all()
  const ids = rows.map((r) => r.id)
  const arrivals = ids.length
    ? db
        .select({
          pledgeId: pledgeArrivals.pledgeId,
          quantity: pledgeArrivals.quantity,
          receivedAt: pledgeArrivals.receivedAt,
          receiptNo: donations.receiptNo,
        })
        .from(pledgeArrivals)
        .innerJoin(donations, eq(donations.id, pledgeArrivals.donationId))
        .where(inArray(pledgeArrivals.pledgeId, ids))
        .orderBy(asc(pledgeArrivals.id))
        .all()
    : []
  return rows.map((r) => {
    const mine = arrivals.filter((a) => a.pledgeId === r.id)
    return { ...r, received: mine.reduce((n, a) => n + a.quantity, 0), receipts: mine.map(({ pledgeId: _p, ...a }) => a) }
  })
}

/** The user's other log entries (claims delivered, desk gifts recorded against their account). */
export function listMyOtherDonations(userId: number) {
  return db
    .select({
      receiptNo: donations.receiptNo,
      kind: donations.kind,
      description: donations.description,
      quantity: donations.quantity,
      unit: donations.unit,
      amountFen: donations.amountFen,
      receivedAt: donations.receivedAt,
      correctionReason: donations.correctionReason,
      home: institutions.name,
    })
    .from(donations)
    .innerJoin(institutions, eq(institutions.id, donations.institutionId))
    .where(and(eq(donations.donorUserId, userId), sql`${donations.id} not in (select donation_id from pledge_arrivals)`))
    .orderBy(desc(donations.id))
    .all()
}

// ---- Jobs -------------------------------------------------------------------------------------

function activePledgesWithNeed() {
  return db
    .select({
      id: pledges.id,
      userId: pledges.userId,
      needId: pledges.needId,
      quantity: pledges.quantity,
      expectedAt: pledges.expectedAt,
      code: pledges.code,
      title: needs.title,
      unit: needs.unit,
      deliveryAddress: needs.deliveryAddress,
      home: institutions.name,
      homeAddress: institutions.publicAddress,
      graceDays: institutions.pledgeGraceDays,
    })
    .from(pledges)
    .innerJoin(needs, eq(needs.id, pledges.needId))
    .innerJoin(institutions, eq(institutions.id, pledges.institutionId))
    .$dynamic()
}

/** Two days before the expected delivery date, one reminder per pledge (dedupe key). */
export function sendPledgeReminders(): { sent: number } {
  const at = now()
  const soon = new Date(at.getTime() + PLEDGE_REMINDER_LEAD_MS)
  const due = activePledgesWithNeed()
    .where(and(eq(pledges.status, 'active'), lte(pledges.expectedAt, soon), gt(pledges.expectedAt, at)))
    .all()
  let sent = 0
  for (const pledge of due) {
    const key = `reminder:pledge:${pledge.id}`
    writeTransaction((tx) => {
      const live = tx
        .select({ id: pledges.id })
        .from(pledges)
        .where(and(eq(pledges.id, pledge.id), eq(pledges.status, 'active')))
        .get()
      const already = tx.select({ id: notifications.id }).from(notifications).where(eq(notifications.dedupeKey, key)).get()
      if (!live || already) return
      const received = receivedForPledge(tx, pledge.id)
      enqueueNotification(tx, {
        userId: pledge.userId,
        template: 'pledge.reminder',
        subject: '认捐提醒：请按时送达物资',
        body: `您为${pledge.home}认捐的「${pledge.title}」${pledge.quantity - received} ${pledge.unit}预计在 ${formatDate(pledge.expectedAt)} 送达：${pledge.deliveryAddress || pledge.homeAddress || pledge.home}，请出示认捐编号 ${pledge.code}。逾期 ${pledge.graceDays} 天仍未送达的认捐将自动释放；如无法送达，可在“我的捐赠”中减少或取消。`,
        dedupeKey: key,
      })
      sent++
    })
  }
  return { sent }
}

/**
 * Active pledges not fully delivered by expected date + the home's grace days are released;
 * if part arrived, the pledge closes at what arrived (fulfilled). The need reopens for others.
 */
export function releaseOverduePledges(): { released: number; closedAtReceived: number } {
  const at = now()
  const candidates = activePledgesWithNeed()
    .where(and(eq(pledges.status, 'active'), lte(pledges.expectedAt, at)))
    .all()
    .filter((p) => p.expectedAt.getTime() + p.graceDays * DAY_MS <= at.getTime())
  let released = 0
  let closedAtReceived = 0
  for (const pledge of candidates) {
    writeTransaction((tx) => {
      const live = tx
        .select({ id: pledges.id })
        .from(pledges)
        .where(and(eq(pledges.id, pledge.id), eq(pledges.status, 'active')))
        .get()
      if (!live) return
      const received = receivedForPledge(tx, pledge.id)
      if (received >= pledge.quantity) {
        tx.update(pledges).set({ status: 'fulfilled', updatedAt: at }).where(eq(pledges.id, pledge.id)).run()
        refreshNeedStatus(tx, pledge.needId)
        return
      }
      if (received > 0) {
        tx.update(pledges)
          .set({ status: 'fulfilled', quantity: received, releasedAt: at, updatedAt: at })
          .where(eq(pledges.id, pledge.id))
          .run()
        closedAtReceived++
      } else {
        tx.update(pledges).set({ status: 'released', releasedAt: at, updatedAt: at }).where(eq(pledges.id, pledge.id)).run()
        released++
      }
      refreshNeedStatus(tx, pledge.needId)
      enqueueNotification(tx, {
        userId: pledge.userId,
        template: 'pledge.released',
        subject: '您的认捐已释放',
        body:
          received > 0
            ? `您为${pledge.home}认捐的「${pledge.title}」已超过送达期限。已收到的 ${received} ${pledge.unit} 已记入捐赠公示，其余 ${pledge.quantity - received} ${pledge.unit} 已释放给其他爱心人士。感谢您的爱心！`
            : `您为${pledge.home}认捐的「${pledge.title}」${pledge.quantity} ${pledge.unit}已超过送达期限（${formatDate(pledge.expectedAt)}，宽限 ${pledge.graceDays} 天），认捐已自动释放。如已送出，请联系${pledge.home}并提供认捐编号 ${pledge.code}。`,
        dedupeKey: `pledge.released:${pledge.id}`,
      })
    })
  }
  return { released, closedAtReceived }
}

/** What the need page shows a signed-in member: their own active pledges of this need. */
export function myActivePledgesFor(userId: number, needId: number) {
  return db
    .select({ id: pledges.id, code: pledges.code, quantity: pledges.quantity })
    .from(pledges)
    .where(and(eq(pledges.userId, userId), eq(pledges.needId, needId), eq(pledges.status, 'active'), isNull(pledges.cancelledAt)))
    .all()
}
