import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm'
import { db, writeTransaction, type Tx } from '~db/client.server'
import {
  campaigns,
  children,
  claims,
  donations,
  institutions,
  wishWaitlist,
  wishes,
  type NeedCategory,
  type PublicDisplay,
} from '~db/schema'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { isUniqueViolation } from '~/utils/db-errors.server'
import { newDoorCode, PARCEL_CODE } from '~/utils/door-code.server'
import { formatDateTime } from '~/utils/format'
import { isOpenToClaim } from '~/wishes/claimable.server'
import { ageBand } from '~/wishes/labels'
import { liveOffer, offerNextInLine } from './waitlist.server'

// A claim is a donor's promise with two deadlines (docs/product.md rule 6); at most one active
// claim per wish, however many press the button in the same second (rule 4).
const DAY_MS = 24 * 60 * 60 * 1000

export type ClaimWishResult =
  | { ok: true; claimId: number; referenceCode: string; buyBy: Date; deliverBy: Date }
  | { ok: false; reason: 'taken'; message: string }
  | { ok: false; reason: 'yours'; message: string; claimId: number }
  | { ok: false; reason: 'reserved'; message: string; offerExpiresAt: Date | null }
  | { ok: false; reason: 'unavailable' | 'not_found'; message: string }

export const TAKEN_MESSAGE = '这个心愿刚刚被其他爱心人士认领了'

/** Deadlines a claim made now on a wish of this home would get. */
export function claimDeadlines(home: { claimBuyDays: number; claimDeliverDays: number }, at = now()) {
  return { buyBy: new Date(at.getTime() + home.claimBuyDays * DAY_MS), deliverBy: new Date(at.getTime() + home.claimDeliverDays * DAY_MS) }
}

/**
 * Claim a published wish for a signed-in donor, in one BEGIN IMMEDIATE transaction. The
 * partial unique index claims_one_active_per_wish is the final guard against a double claim.
 */
export function claimWish({
  userId,
  wishId,
  publicDisplay,
}: {
  userId: number
  wishId: number
  publicDisplay: PublicDisplay
}): ClaimWishResult {
  return writeTransaction((tx): ClaimWishResult => {
    const wish = tx
      .select({
        id: wishes.id,
        status: wishes.status,
        title: wishes.title,
        institutionId: wishes.institutionId,
        pseudonym: children.pseudonym,
        home: institutions.name,
        publicAddress: institutions.publicAddress,
        shippingRecipient: institutions.shippingRecipient,
        shippingPhone: institutions.shippingPhone,
        claimBuyDays: institutions.claimBuyDays,
        claimDeliverDays: institutions.claimDeliverDays,
        campaignEndsAt: campaigns.endsAt,
      })
      .from(wishes)
      .innerJoin(children, eq(children.id, wishes.childId))
      .innerJoin(institutions, eq(institutions.id, wishes.institutionId))
      .leftJoin(campaigns, eq(campaigns.id, wishes.campaignId))
      .where(eq(wishes.id, wishId))
      .get()
    if (!wish || wish.status === 'draft') return { ok: false, reason: 'not_found', message: '没有找到这个心愿' }
    if (wish.status === 'claimed') {
      // A second press of the donor's own button is not "taken by someone else".
      const active = tx
        .select({ id: claims.id, userId: claims.userId })
        .from(claims)
        .where(and(eq(claims.wishId, wishId), eq(claims.status, 'active')))
        .get()
      if (active?.userId === userId) return { ok: false, reason: 'yours', message: '您已认领了这个心愿', claimId: active.id }
      return { ok: false, reason: 'taken', message: TAKEN_MESSAGE }
    }
    const at = now()
    if (!isOpenToClaim(wish, at)) {
      return { ok: false, reason: 'unavailable', message: '这个心愿已不再接受认领' }
    }
    const offer = liveOffer(tx, wishId)
    if (offer && offer.userId !== userId) {
      return {
        ok: false,
        reason: 'reserved',
        message: '这个心愿正为候补中的爱心人士保留，您可以加入候补',
        offerExpiresAt: offer.offerExpiresAt,
      }
    }

    const { buyBy, deliverBy } = claimDeadlines(wish, at)
    let referenceCode = newDoorCode(PARCEL_CODE)
    while (tx.select({ id: claims.id }).from(claims).where(eq(claims.referenceCode, referenceCode)).get()) {
      referenceCode = newDoorCode(PARCEL_CODE)
    }
    let claimId: number
    try {
      claimId = tx
        .insert(claims)
        .values({
          wishId,
          institutionId: wish.institutionId,
          userId,
          status: 'active',
          publicDisplay,
          referenceCode,
          buyBy,
          deliverBy,
          createdAt: at,
        })
        .returning({ id: claims.id })
        .get().id
    } catch (error) {
      if (isUniqueViolation(error)) return { ok: false, reason: 'taken', message: TAKEN_MESSAGE }
      throw error
    }
    tx.update(wishes).set({ status: 'claimed', updatedAt: at }).where(eq(wishes.id, wishId)).run()
    tx.update(wishWaitlist)
      .set({ status: 'claimed' })
      .where(and(eq(wishWaitlist.wishId, wishId), eq(wishWaitlist.userId, userId), inArray(wishWaitlist.status, ['waiting', 'offered'])))
      .run()
    enqueueNotification(tx, {
      userId,
      template: 'claim.confirmed',
      subject: '您已认领一个微心愿',
      body: `感谢您认领「${wish.title}」（${wish.pseudonym}，${wish.home}）。请在 ${formatDateTime(buyBy)} 前购买，${formatDateTime(deliverBy)} 前送达：${wish.publicAddress || wish.home}${recipientWords(wish)}。请在包裹上写明认领编号 ${referenceCode}。`,
      dedupeKey: `claim.confirmed:${claimId}`,
    })
    return { ok: true, claimId, referenceCode, buyBy, deliverBy }
  })
}

export type ClaimActionResult = { ok: true } | { ok: false; reason: 'not_found' | 'not_active'; message: string }

/** The donor's own active claim, or a typed refusal; another user's claim reads as not found. */
function ownActiveClaim(tx: Tx, userId: number, claimId: number) {
  const claim = tx
    .select()
    .from(claims)
    .where(and(eq(claims.id, claimId), eq(claims.userId, userId)))
    .get()
  if (!claim) return { ok: false as const, reason: 'not_found' as const, message: '没有找到这条认领' }
  if (claim.status !== 'active') return { ok: false as const, reason: 'not_active' as const, message: '这条认领已结束，无法再修改' }
  return { ok: true as const, claim }
}

/** 已购买: the buy deadline no longer applies. Repeating it keeps the first time. */
export function markPurchased({ userId, claimId }: { userId: number; claimId: number }): ClaimActionResult {
  return writeTransaction((tx): ClaimActionResult => {
    const found = ownActiveClaim(tx, userId, claimId)
    if (!found.ok) return found
    if (!found.claim.purchasedAt) tx.update(claims).set({ purchasedAt: now() }).where(eq(claims.id, claimId)).run()
    return { ok: true }
  })
}

/** 已寄出, with an optional courier tracking number; shipping implies it was bought. */
export function markShipped({
  userId,
  claimId,
  trackingNumber,
}: {
  userId: number
  claimId: number
  trackingNumber?: string | null
}): ClaimActionResult {
  return writeTransaction((tx): ClaimActionResult => {
    const found = ownActiveClaim(tx, userId, claimId)
    if (!found.ok) return found
    const at = now()
    tx.update(claims)
      .set({
        purchasedAt: found.claim.purchasedAt ?? at,
        shippedAt: found.claim.shippedAt ?? at,
        trackingNumber: trackingNumber?.trim() || found.claim.trackingNumber,
      })
      .where(eq(claims.id, claimId))
      .run()
    return { ok: true }
  })
}

/**
 * End an active claim: the wish is open again and offered first to its 候补 queue. Shared by
 * the donor's cancel and the deadline job; returns false if the claim was no longer active.
 */
export function releaseClaim(tx: Tx, claimId: number, reason: 'cancelled' | 'deadline'): boolean {
  const at = now()
  const released = tx
    .update(claims)
    .set({ status: 'released', releasedAt: at, releaseReason: reason })
    .where(and(eq(claims.id, claimId), eq(claims.status, 'active')))
    .returning({ wishId: claims.wishId })
    .get()
  if (!released) return false
  tx.update(wishes)
    .set({ status: 'published', updatedAt: at })
    .where(and(eq(wishes.id, released.wishId), eq(wishes.status, 'claimed')))
    .run()
  offerNextInLine(tx, released.wishId)
  return true
}

/** 取消认领: the donor gives the wish back. */
export function cancelClaim({ userId, claimId }: { userId: number; claimId: number }): ClaimActionResult {
  return writeTransaction((tx): ClaimActionResult => {
    const found = ownActiveClaim(tx, userId, claimId)
    if (!found.ok) return found
    releaseClaim(tx, claimId, 'cancelled')
    return { ok: true }
  })
}

/** Everything the donor needs on 我的认领, newest first. Only public fields of the child. */
export function listMyClaims(userId: number) {
  const rows = db
    .select({
      id: claims.id,
      wishId: claims.wishId,
      status: claims.status,
      referenceCode: claims.referenceCode,
      publicDisplay: claims.publicDisplay,
      buyBy: claims.buyBy,
      deliverBy: claims.deliverBy,
      purchasedAt: claims.purchasedAt,
      shippedAt: claims.shippedAt,
      trackingNumber: claims.trackingNumber,
      partialArrivalNote: claims.partialArrivalNote,
      partialArrivalAt: claims.partialArrivalAt,
      receivedAt: claims.receivedAt,
      releasedAt: claims.releasedAt,
      releaseReason: claims.releaseReason,
      createdAt: claims.createdAt,
      title: wishes.title,
      category: wishes.category,
      itemDetails: wishes.itemDetails,
      quantity: wishes.quantity,
      wishStatus: wishes.status,
      wishThankYou: wishes.thankYouMessage,
      pseudonym: children.pseudonym,
      home: institutions.name,
      homeSlug: institutions.slug,
      city: institutions.city,
      deliveryAddress: institutions.publicAddress,
      homePhone: institutions.publicPhone,
      // 收件人 and phone for the courier: the claimer's own page only, never public.
      shippingRecipient: institutions.shippingRecipient,
      shippingPhone: institutions.shippingPhone,
    })
    .from(claims)
    .innerJoin(wishes, eq(wishes.id, claims.wishId))
    .innerJoin(children, eq(children.id, wishes.childId))
    .innerJoin(institutions, eq(institutions.id, claims.institutionId))
    .where(eq(claims.userId, userId))
    .orderBy(desc(claims.id))
    .all()
  const wishIds = rows.filter((r) => r.status === 'delivered').map((r) => r.wishId)
  const receipts = wishIds.length
    ? db
        .select({ wishId: donations.wishId, receiptNo: donations.receiptNo })
        .from(donations)
        .where(and(inArray(donations.wishId, wishIds), eq(donations.donorUserId, userId), isNull(donations.correctsId)))
        .orderBy(asc(donations.id))
        .all()
    : []
  return rows.map(({ wishThankYou, ...r }) => ({
    ...r,
    category: r.category as NeedCategory,
    // The thank-you belongs to the donor whose gift was delivered, nobody else.
    thankYouMessage: r.status === 'delivered' && r.wishStatus === 'fulfilled' ? wishThankYou : null,
    receiptNo: r.status === 'delivered' ? (receipts.find((d) => d.wishId === r.wishId)?.receiptNo ?? null) : null,
  }))
}

export type MyClaim = ReturnType<typeof listMyClaims>[number]

/**
 * What the claim page shows about a wish: public fields only (pseudonym and age band, never
 * the child's record), the home's deadlines and address, and this user's 候补 standing.
 */
export function getWishForClaim(wishId: number, userId: number) {
  const wish = db
    .select({
      id: wishes.id,
      status: wishes.status,
      title: wishes.title,
      category: wishes.category,
      itemDetails: wishes.itemDetails,
      quantity: wishes.quantity,
      estimatedValueFen: wishes.estimatedValueFen,
      pseudonym: children.pseudonym,
      birthDate: children.birthDate,
      home: institutions.name,
      city: institutions.city,
      deliveryAddress: institutions.publicAddress,
      claimBuyDays: institutions.claimBuyDays,
      claimDeliverDays: institutions.claimDeliverDays,
      campaignEndsAt: campaigns.endsAt,
    })
    .from(wishes)
    .innerJoin(children, eq(children.id, wishes.childId))
    .innerJoin(institutions, eq(institutions.id, wishes.institutionId))
    .leftJoin(campaigns, eq(campaigns.id, wishes.campaignId))
    .where(eq(wishes.id, wishId))
    .get()
  if (!wish || wish.status === 'draft') return null
  const at = now()
  const { birthDate, campaignEndsAt: _campaignEndsAt, ...rest } = wish
  const offer = db.transaction((tx) => liveOffer(tx, wishId))
  const myClaim = db
    .select({ id: claims.id })
    .from(claims)
    .where(and(eq(claims.wishId, wishId), eq(claims.userId, userId), eq(claims.status, 'active')))
    .get()
  const myEntry = db
    .select({ status: wishWaitlist.status })
    .from(wishWaitlist)
    .where(and(eq(wishWaitlist.wishId, wishId), eq(wishWaitlist.userId, userId), inArray(wishWaitlist.status, ['waiting', 'offered'])))
    .get()
  const open = isOpenToClaim(wish, at)
  return {
    ...rest,
    category: wish.category as NeedCategory,
    ageBand: ageBand(birthDate, at),
    deadlines: claimDeadlines(wish, at),
    open,
    myClaimId: myClaim?.id ?? null,
    onWaitlist: Boolean(myEntry),
    offer: offer ? { mine: offer.userId === userId, expiresAt: offer.offerExpiresAt } : null,
  }
}

/** What a parcel label shows, for the donor who owns the claim only (others get null). */
export function getParcelLabel(userId: number, claimId: number) {
  return (
    db
      .select({
        referenceCode: claims.referenceCode,
        status: claims.status,
        title: wishes.title,
        quantity: wishes.quantity,
        pseudonym: children.pseudonym,
        home: institutions.name,
        homeSlug: institutions.slug,
        deliveryAddress: institutions.publicAddress,
        homePhone: institutions.publicPhone,
        shippingRecipient: institutions.shippingRecipient,
        shippingPhone: institutions.shippingPhone,
      })
      .from(claims)
      .innerJoin(wishes, eq(wishes.id, claims.wishId))
      .innerJoin(children, eq(children.id, wishes.childId))
      .innerJoin(institutions, eq(institutions.id, claims.institutionId))
      .where(and(eq(claims.id, claimId), eq(claims.userId, userId)))
      .get() ?? null
  )
}

/** "（收件人：张老师，电话 0543-…）" for the claimer's message, or nothing when the home gave none. */
function recipientWords(home: { shippingRecipient: string; shippingPhone: string }): string {
  const parts = [home.shippingRecipient ? `收件人：${home.shippingRecipient}` : '', home.shippingPhone ? `电话 ${home.shippingPhone}` : '']
  const text = parts.filter(Boolean).join('，')
  return text ? `（${text}）` : ''
}
