import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm'
import { db, type Tx } from '~db/client.server'
import { children, claims, donations, institutions, users, wishes } from '~db/schema'
import { auditedWrite, type Actor } from '~/audit/audit.server'
import { donorPublicName } from '~/donations/display'
import { recordDonation } from '~/donations/ledger.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { siteUrl } from '~/utils/origin.server'
import { now } from '~/utils/clock.server'
import { normaliseCode, PARCEL_CODE } from '~/utils/door-code.server'
import { formatDateTime } from '~/utils/format'

// Receiving and fulfilling wish gifts at a home: staff find the parcel by the reference code
// written on it, confirm it arrived (which records the public log entry in the same
// transaction), then confirm it was given to the child. Every query is scoped to the staff's
// own home (docs/product.md rule 7).

export type DeliveryResult<T = object> = ({ ok: true } & T) | { ok: false; message: string }

const claimView = {
  claimId: claims.id,
  referenceCode: claims.referenceCode,
  status: claims.status,
  publicDisplay: claims.publicDisplay,
  donorUserId: claims.userId,
  donorName: users.displayName,
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
  wishId: wishes.id,
  wishTitle: wishes.title,
  wishStatus: wishes.status,
  quantity: wishes.quantity,
  estimatedValueFen: wishes.estimatedValueFen,
  fulfilledAt: wishes.fulfilledAt,
  thankYouMessage: wishes.thankYouMessage,
  pseudonym: children.pseudonym,
}

function claimsOfHome(institutionId: number) {
  return db
    .select(claimView)
    .from(claims)
    .innerJoin(wishes, and(eq(wishes.id, claims.wishId), eq(wishes.institutionId, institutionId)))
    .innerJoin(children, eq(children.id, wishes.childId))
    .innerJoin(users, eq(users.id, claims.userId))
    .$dynamic()
}

type ClaimRow = Awaited<ReturnType<ReturnType<typeof claimsOfHome>['all']>>[number]

/** What staff see of a claim: the donor only as they chose to appear in public. */
function toStaffView(row: ClaimRow) {
  const { donorUserId, donorName, ...rest } = row
  const receiptNo =
    row.status === 'delivered'
      ? (db
          .select({ receiptNo: donations.receiptNo })
          .from(donations)
          .where(and(eq(donations.wishId, row.wishId), eq(donations.donorUserId, donorUserId), isNull(donations.correctsId)))
          .orderBy(desc(donations.id))
          .get()?.receiptNo ?? null)
      : null
  return { ...rest, donorDisplay: donorPublicName(donorName, row.publicDisplay), receiptNo }
}
export type ClaimForReceiving = ReturnType<typeof toStaffView>

/** Find a parcel's claim by its reference code, case-insensitively, only within this home. */
export function findClaimByReference(institutionId: number, code: string): ClaimForReceiving | null {
  const normalised = normaliseCode(code, PARCEL_CODE)
  if (!normalised) return null
  const row = claimsOfHome(institutionId)
    .where(and(eq(claims.institutionId, institutionId), sql`upper(${claims.referenceCode}) = ${normalised}`))
    .get()
  return row ? toStaffView(row) : null
}

/** Claims of this home still on their way, soonest delivery deadline first. */
export function listActiveClaims(institutionId: number): ClaimForReceiving[] {
  return claimsOfHome(institutionId)
    .where(and(eq(claims.institutionId, institutionId), eq(claims.status, 'active')))
    .orderBy(asc(claims.deliverBy), asc(claims.id))
    .all()
    .map(toStaffView)
}

/** Gifts received but not yet given to the child. */
export function listAwaitingFulfilment(institutionId: number): ClaimForReceiving[] {
  return claimsOfHome(institutionId)
    .where(and(eq(claims.institutionId, institutionId), eq(claims.status, 'delivered'), eq(wishes.status, 'received')))
    .orderBy(asc(claims.receivedAt), asc(claims.id))
    .all()
    .map(toStaffView)
}

function claimInHome(tx: Tx | typeof db, institutionId: number, claimId: number) {
  return tx
    .select()
    .from(claims)
    .where(and(eq(claims.id, claimId), eq(claims.institutionId, institutionId)))
    .get()
}

const NOT_FOUND = '找不到该认领（只能处理本机构的包裹）'

/** Note that part of a parcel arrived; notes accumulate, each with its time. */
export function recordPartialArrival(actor: Actor, institutionId: number, claimId: number, note: string): DeliveryResult {
  const text = note.trim()
  if (!text) return { ok: false, message: '请填写到达情况' }
  if (!claimInHome(db, institutionId, claimId)) return { ok: false, message: NOT_FOUND }
  return auditedWrite<DeliveryResult>(actor, (tx) => {
    const claim = claimInHome(tx, institutionId, claimId)
    if (!claim || claim.status !== 'active') {
      return {
        result: { ok: false, message: '该认领已不在进行中，无法登记部分到达' },
        audit: {
          institutionId,
          action: 'claim.partial_arrival_refused',
          entityType: 'claim',
          entityId: claimId,
          summary: { status: claim?.status ?? null },
        },
      }
    }
    const at = now()
    const line = `${formatDateTime(at)} ${text}`
    tx.update(claims)
      .set({ partialArrivalNote: claim.partialArrivalNote ? `${claim.partialArrivalNote}\n${line}` : line, partialArrivalAt: at })
      .where(eq(claims.id, claim.id))
      .run()
    return {
      result: { ok: true },
      audit: {
        institutionId,
        action: 'claim.partial_arrival',
        entityType: 'claim',
        entityId: claim.id,
        summary: { wishId: claim.wishId, note: text },
      },
    }
  })
}

function ledgerUrl(receiptNo: string): string {
  return siteUrl(`/ledger/${receiptNo}`)
}

/**
 * Staff confirm the gift arrived: in one transaction the claim becomes delivered, the wish
 * received, the public log gains its entry, the donor is told the receipt number, and the
 * audit row is written. A second submit finds the claim no longer active and writes nothing.
 */
export function markWishReceived(
  actor: Actor,
  institutionId: number,
  claimId: number,
  options: { note?: string } = {},
): DeliveryResult<{ receiptNo: string; wishId: number }> {
  if (!claimInHome(db, institutionId, claimId)) return { ok: false, message: NOT_FOUND }
  return auditedWrite<DeliveryResult<{ receiptNo: string; wishId: number }>>(actor, (tx) => {
    const claim = claimInHome(tx, institutionId, claimId)!
    const wish = tx
      .select()
      .from(wishes)
      .where(and(eq(wishes.id, claim.wishId), eq(wishes.institutionId, institutionId)))
      .get()
    if (claim.status !== 'active' || !wish || wish.status !== 'claimed') {
      const message = claim.status === 'delivered' ? '该包裹已确认收到，无需重复签收' : '该认领已释放或心愿状态已变化，无法签收'
      return {
        result: { ok: false, message },
        audit: {
          institutionId,
          action: 'wish.receive_refused',
          entityType: 'claim',
          entityId: claim.id,
          summary: { claimStatus: claim.status, wishStatus: wish?.status ?? null },
        },
      }
    }
    const at = now()
    tx.update(claims).set({ status: 'delivered', receivedAt: at }).where(eq(claims.id, claim.id)).run()
    tx.update(wishes).set({ status: 'received', receivedAt: at, updatedAt: at }).where(eq(wishes.id, wish.id)).run()
    const donor = tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, claim.userId)).get()
    const home = tx.select({ name: institutions.name }).from(institutions).where(eq(institutions.id, institutionId)).get()
    const entry = recordDonation(tx, {
      institutionId,
      kind: 'goods',
      description: `${wish.title} ×${wish.quantity}`,
      quantity: wish.quantity,
      unit: '件',
      estimatedValueFen: wish.estimatedValueFen,
      donor: { displayName: donor?.displayName ?? '', choice: claim.publicDisplay, userId: claim.userId },
      designation: 'wish',
      wishId: wish.id,
      campaignId: wish.campaignId,
      channel: 'wish_claim',
      receivedAt: at,
      recordedBy: actor.userId,
    })
    enqueueNotification(tx, {
      userId: claim.userId,
      template: 'wish.received',
      subject: '您认领的微心愿已送达',
      body: `您认领的微心愿「${wish.title}」已由${home?.name ?? '机构'}确认收到，谢谢您！这份爱心已记入公开捐赠记录，收据编号 ${entry.receiptNo}：${ledgerUrl(entry.receiptNo)}`,
      dedupeKey: `wish.received:claim:${claim.id}`,
    })
    return {
      result: { ok: true, receiptNo: entry.receiptNo, wishId: wish.id },
      audit: {
        institutionId,
        action: 'wish.receive',
        entityType: 'claim',
        entityId: claim.id,
        summary: { wishId: wish.id, receiptNo: entry.receiptNo, ...(options.note?.trim() ? { note: options.note.trim() } : {}) },
      },
    }
  })
}

/**
 * Staff confirm the gift was given to the child, optionally with a thank-you. The thank-you is
 * stored on the wish and sent to the donor only; the public sees just 已实现.
 */
export function markWishFulfilled(
  actor: Actor,
  institutionId: number,
  wishId: number,
  options: { thankYou?: string } = {},
): DeliveryResult<{ wishId: number }> {
  const exists = db
    .select({ id: wishes.id })
    .from(wishes)
    .where(and(eq(wishes.id, wishId), eq(wishes.institutionId, institutionId)))
    .get()
  if (!exists) return { ok: false, message: '找不到该心愿（只能处理本机构的心愿）' }
  const thankYou = options.thankYou?.trim() || null
  return auditedWrite<DeliveryResult<{ wishId: number }>>(actor, (tx) => {
    const at = now()
    const wish = tx
      .update(wishes)
      .set({ status: 'fulfilled', fulfilledAt: at, thankYouMessage: thankYou, updatedAt: at })
      .where(and(eq(wishes.id, wishId), eq(wishes.institutionId, institutionId), eq(wishes.status, 'received')))
      .returning()
      .get()
    if (!wish) {
      return {
        result: { ok: false, message: '只有已确认收到的心愿才能标记为已交给孩子' },
        audit: { institutionId, action: 'wish.fulfil_refused', entityType: 'wish', entityId: wishId },
      }
    }
    const claim = tx
      .select({ id: claims.id, userId: claims.userId })
      .from(claims)
      .where(and(eq(claims.wishId, wish.id), eq(claims.status, 'delivered')))
      .orderBy(desc(claims.id))
      .get()
    const pseudonym =
      tx.select({ pseudonym: children.pseudonym }).from(children).where(eq(children.id, wish.childId)).get()?.pseudonym ?? '孩子'
    if (claim) {
      enqueueNotification(tx, {
        userId: claim.userId,
        template: 'wish.fulfilled',
        subject: '您送出的微心愿已交到孩子手中',
        body: thankYou
          ? `您认领的微心愿「${wish.title}」已交到${pseudonym}手中。孩子和机构想对您说：${thankYou}`
          : `您认领的微心愿「${wish.title}」已交到${pseudonym}手中，谢谢您的爱心！`,
        dedupeKey: `wish.fulfilled:wish:${wish.id}`,
      })
    }
    return {
      result: { ok: true, wishId: wish.id },
      audit: {
        institutionId,
        action: 'wish.fulfil',
        entityType: 'wish',
        entityId: wish.id,
        summary: { thankYou: Boolean(thankYou), claimId: claim?.id ?? null },
      },
    }
  })
}

/** The thank-you for a wish, only for the donor whose gift it was (else null). */
export function thankYouForDonor(userId: number, wishId: number): string | null {
  const row = db
    .select({ message: wishes.thankYouMessage })
    .from(wishes)
    .innerJoin(claims, and(eq(claims.wishId, wishes.id), eq(claims.userId, userId), eq(claims.status, 'delivered')))
    .where(and(eq(wishes.id, wishId), eq(wishes.status, 'fulfilled')))
    .get()
  return row?.message ?? null
}
