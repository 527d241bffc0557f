import { and, asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm'
import { db, writeTransaction, type Tx } from '~db/client.server'
import { campaigns, children, claims, institutions, wishWaitlist, wishes } from '~db/schema'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { formatDateTime } from '~/utils/format'
import { isOpenToClaim } from '~/wishes/claimable.server'

// 候补: donors queue for a claimed wish. When the claim is released the first in line gets a
// 24-hour exclusive offer; while that offer is live only they may claim the wish.
export const OFFER_HOURS = 24
const OFFER_MS = OFFER_HOURS * 60 * 60 * 1000

const OPEN = ['waiting', 'offered'] as const

export type WaitlistResult =
  { ok: true; position: number } | { ok: false; reason: 'not_found' | 'not_claimed' | 'own_claim'; message: string }

/** The offer on this wish that is still within its 24 hours, if any. */
export function liveOffer(tx: Tx, wishId: number) {
  return tx
    .select({ id: wishWaitlist.id, userId: wishWaitlist.userId, offerExpiresAt: wishWaitlist.offerExpiresAt })
    .from(wishWaitlist)
    .where(and(eq(wishWaitlist.wishId, wishId), eq(wishWaitlist.status, 'offered'), gt(wishWaitlist.offerExpiresAt, now())))
    .get()
}

function positionOf(tx: Tx, entryId: number, wishId: number): number {
  const row = tx
    .select({ n: sql<number>`count(*)` })
    .from(wishWaitlist)
    .where(and(eq(wishWaitlist.wishId, wishId), inArray(wishWaitlist.status, [...OPEN]), lte(wishWaitlist.id, entryId)))
    .get()
  return row?.n ?? 1
}

/** Join the queue of a wish that someone else has claimed. Joining twice keeps one place. */
export function joinWaitlist({ userId, wishId }: { userId: number; wishId: number }): WaitlistResult {
  return writeTransaction((tx): WaitlistResult => {
    const wish = tx
      .select({ status: wishes.status, campaignEndsAt: campaigns.endsAt })
      .from(wishes)
      .leftJoin(campaigns, eq(campaigns.id, wishes.campaignId))
      .where(eq(wishes.id, wishId))
      .get()
    if (!wish || wish.status === 'draft') return { ok: false, reason: 'not_found', message: '没有找到这个心愿' }
    if (wish.status !== 'claimed') {
      return {
        ok: false,
        reason: 'not_claimed',
        message: isOpenToClaim(wish, now()) ? '这个心愿现在可以直接认领，无需候补' : '这个心愿已不再接受候补',
      }
    }
    const own = tx
      .select({ id: claims.id })
      .from(claims)
      .where(and(eq(claims.wishId, wishId), eq(claims.userId, userId), eq(claims.status, 'active')))
      .get()
    if (own) return { ok: false, reason: 'own_claim', message: '这是您已认领的心愿，无需候补' }
    const existing = tx
      .select({ id: wishWaitlist.id })
      .from(wishWaitlist)
      .where(and(eq(wishWaitlist.wishId, wishId), eq(wishWaitlist.userId, userId), inArray(wishWaitlist.status, [...OPEN])))
      .get()
    const entryId =
      existing?.id ?? tx.insert(wishWaitlist).values({ wishId, userId, status: 'waiting' }).returning({ id: wishWaitlist.id }).get().id
    return { ok: true, position: positionOf(tx, entryId, wishId) }
  })
}

/** Leave the queue; a live offer given up passes straight to the next in line. */
export function leaveWaitlist({ userId, wishId }: { userId: number; wishId: number }): { ok: true; left: boolean } {
  return writeTransaction((tx) => {
    const entry = tx
      .select({ id: wishWaitlist.id, status: wishWaitlist.status })
      .from(wishWaitlist)
      .where(and(eq(wishWaitlist.wishId, wishId), eq(wishWaitlist.userId, userId), inArray(wishWaitlist.status, [...OPEN])))
      .get()
    if (!entry) return { ok: true, left: false }
    tx.update(wishWaitlist).set({ status: 'left' }).where(eq(wishWaitlist.id, entry.id)).run()
    if (entry.status === 'offered') offerNextInLine(tx, wishId)
    return { ok: true, left: true }
  })
}

/**
 * Give the first waiting donor a 24-hour exclusive offer on a wish that is open again, and
 * tell them. Does nothing while another offer is live or the wish is not published.
 */
export function offerNextInLine(tx: Tx, wishId: number): { userId: number; offerExpiresAt: Date } | null {
  const wish = tx
    .select({
      status: wishes.status,
      title: wishes.title,
      pseudonym: children.pseudonym,
      home: institutions.name,
      campaignEndsAt: campaigns.endsAt,
    })
    .from(wishes)
    .innerJoin(children, eq(children.id, wishes.childId))
    .innerJoin(institutions, eq(institutions.id, wishes.institutionId))
    .leftJoin(campaigns, eq(campaigns.id, wishes.campaignId))
    .where(eq(wishes.id, wishId))
    .get()
  if (!wish || !isOpenToClaim(wish, now())) return null
  if (liveOffer(tx, wishId)) return null
  const next = tx
    .select({ id: wishWaitlist.id, userId: wishWaitlist.userId })
    .from(wishWaitlist)
    .where(and(eq(wishWaitlist.wishId, wishId), eq(wishWaitlist.status, 'waiting')))
    .orderBy(asc(wishWaitlist.id))
    .get()
  if (!next) return null
  const at = now()
  const offerExpiresAt = new Date(at.getTime() + OFFER_MS)
  tx.update(wishWaitlist).set({ status: 'offered', offeredAt: at, offerExpiresAt }).where(eq(wishWaitlist.id, next.id)).run()
  enqueueNotification(tx, {
    userId: next.userId,
    template: 'waitlist.offer',
    subject: '您候补的微心愿可以认领了',
    body: `您候补的微心愿「${wish.title}」（${wish.pseudonym}，${wish.home}）现在可以认领了。我们为您保留到 ${formatDateTime(offerExpiresAt)}，请登录微暖，在“我的认领”中完成认领。`,
    dedupeKey: `waitlist.offer:${next.id}`,
  })
  return { userId: next.userId, offerExpiresAt }
}

/** Offers whose 24 hours passed lapse, and the wish is offered to the next in line. Idempotent. */
export function lapseWaitlistOffers(): { lapsed: number; offered: number } {
  const expired = db
    .select({ id: wishWaitlist.id, wishId: wishWaitlist.wishId })
    .from(wishWaitlist)
    .where(and(eq(wishWaitlist.status, 'offered'), lte(wishWaitlist.offerExpiresAt, now())))
    .all()
  let lapsed = 0
  let offered = 0
  for (const entry of expired) {
    writeTransaction((tx) => {
      const changed = tx
        .update(wishWaitlist)
        .set({ status: 'lapsed' })
        .where(and(eq(wishWaitlist.id, entry.id), eq(wishWaitlist.status, 'offered')))
        .run().changes
      if (!changed) return
      lapsed++
      if (offerNextInLine(tx, entry.wishId)) offered++
    })
  }
  return { lapsed, offered }
}

/** Close every open entry of a wish that will not come back (expired, withdrawn). */
export function closeWaitlist(tx: Tx, wishId: number): void {
  tx.update(wishWaitlist)
    .set({ status: 'lapsed' })
    .where(and(eq(wishWaitlist.wishId, wishId), inArray(wishWaitlist.status, [...OPEN])))
    .run()
}

/** A donor's open waitlist entries, with their place in line or their live offer. */
export function listMyWaitlist(userId: number) {
  const rows = db
    .select({
      id: wishWaitlist.id,
      wishId: wishWaitlist.wishId,
      status: wishWaitlist.status,
      offerExpiresAt: wishWaitlist.offerExpiresAt,
      title: wishes.title,
      wishStatus: wishes.status,
      pseudonym: children.pseudonym,
      home: institutions.name,
      position: sql<number>`(SELECT count(*) FROM wish_waitlist w2 WHERE w2.wish_id = ${wishWaitlist.wishId} AND w2.status IN ('waiting', 'offered') AND w2.id <= ${wishWaitlist.id})`,
    })
    .from(wishWaitlist)
    .innerJoin(wishes, eq(wishes.id, wishWaitlist.wishId))
    .innerJoin(children, eq(children.id, wishes.childId))
    .innerJoin(institutions, eq(institutions.id, wishes.institutionId))
    .where(and(eq(wishWaitlist.userId, userId), inArray(wishWaitlist.status, [...OPEN])))
    .orderBy(desc(wishWaitlist.id))
    .all()
  const at = now().getTime()
  return rows.map((r) => ({ ...r, offerIsLive: r.status === 'offered' && r.offerExpiresAt !== null && r.offerExpiresAt.getTime() > at }))
}
