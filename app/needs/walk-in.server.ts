import { and, desc, eq, inArray } from 'drizzle-orm'
import { db } from '~db/client.server'
import { children, donations, needs, walkInDonors, wishes } from '~db/schema'
import type { PublicDisplay } from '~db/enums'
import { auditedWrite, type Actor } from '~/audit/audit.server'
import { recordDonation } from '~/donations/ledger.server'
import { publicTextProblem } from '~/privacy/public-text.server'
import { now } from '~/utils/clock.server'
import { refreshNeedStatus } from './progress.server'
import { walkInTarget, type WalkInGiftForm } from './validation'

// Walk-in gifts (登记捐赠): goods or money handed over at the desk or by bank transfer, with no
// pledge. The donor's real name and contact stay private in walk_in_donors; the public log
// gets only the name as they chose to be shown (donorPublicName of the name staff typed).

export type WalkInResult =
  | { ok: true; receiptNo: string; donationId: number }
  | { ok: false; message: string; field?: 'items' | 'needId' | 'wishId' | 'amountFen' | 'quantity' }

export type WalkInInput = {
  kind: 'goods' | 'money'
  items: string
  quantity?: number | null
  unit?: string | null
  estimatedValueFen?: number | null
  amountFen?: number | null
  channel: 'desk' | 'bank_transfer'
  paymentReference?: string | null
  donorName: string
  donorContact?: string | null
  publicDisplay: PublicDisplay
  needId?: number | null
  wishId?: number | null
}

/** What the parsed 登记捐赠 form (validation.ts) records: the fields of the other kind are dropped. */
export function walkInInputFrom(v: WalkInGiftForm): WalkInInput {
  const money = v.kind === 'money'
  return {
    kind: v.kind,
    items: v.items,
    quantity: !money && v.quantity ? Number(v.quantity) : null,
    unit: money ? null : v.unit || null,
    estimatedValueFen: money ? null : (v.estimatedValue ?? null),
    amountFen: money ? (v.amount ?? null) : null,
    channel: v.channel,
    paymentReference: v.paymentReference || null,
    donorName: v.donorName,
    donorContact: v.donorContact || null,
    publicDisplay: v.publicDisplay,
    ...walkInTarget(v.target),
  }
}

/** Open needs of this home a walk-in gift can be counted against (for the form's choice). */
export function needsForWalkIn(institutionId: number) {
  return db
    .select({ id: needs.id, title: needs.title, unit: needs.unit, status: needs.status })
    .from(needs)
    .where(eq(needs.institutionId, institutionId))
    .orderBy(needs.id)
    .all()
    .filter((n) => n.status !== 'cancelled')
}

/** Public wishes of this home a walk-in gift can be given towards (pseudonym only). */
export function wishesForWalkIn(institutionId: number, limit = 100) {
  return db
    .select({ id: wishes.id, title: wishes.title, pseudonym: children.pseudonym })
    .from(wishes)
    .innerJoin(children, eq(children.id, wishes.childId))
    .where(and(eq(wishes.institutionId, institutionId), inArray(wishes.status, ['published', 'claimed', 'received'])))
    .orderBy(desc(wishes.id))
    .limit(limit)
    .all()
}

/** An entry of this home by receipt number (the form's "saved" message), or null. */
export function entryOfHome(institutionId: number, receiptNo: string): { receiptNo: string; description: string } | null {
  return (
    db
      .select({ receiptNo: donations.receiptNo, description: donations.description })
      .from(donations)
      .where(and(eq(donations.receiptNo, receiptNo.trim().toUpperCase()), eq(donations.institutionId, institutionId)))
      .get() ?? null
  )
}

export function recordWalkInGift(actor: Actor, institutionId: number, input: WalkInInput): WalkInResult {
  const items = input.items.trim()
  const donorName = input.donorName.trim()
  if (!items) return { ok: false, message: '请填写捐赠内容' }
  if (!donorName) return { ok: false, message: '请填写捐赠人姓名' }
  if (input.kind === 'money') {
    if (!Number.isSafeInteger(input.amountFen) || (input.amountFen ?? 0) < 1)
      return { ok: false, message: '请填写金额（至少 0.01 元）', field: 'amountFen' }
  } else if (input.quantity != null && (!Number.isInteger(input.quantity) || input.quantity < 1)) {
    return { ok: false, message: '数量须为正整数', field: 'quantity' }
  }
  if (input.kind === 'goods' && input.needId && !input.quantity)
    return { ok: false, message: '计入物资需求时请填写数量', field: 'quantity' }
  if (input.needId && input.wishId) return { ok: false, message: '只能选择一个用途', field: 'needId' }
  // The description goes into the public log: no child of the home may be identifiable.
  const problem = publicTextProblem(db, [institutionId], [['items', items]] as const)
  if (problem) return { ok: false, ...problem }

  return auditedWrite<WalkInResult>(actor, (tx) => {
    const need = input.needId
      ? tx
          .select({ id: needs.id, unit: needs.unit, status: needs.status })
          .from(needs)
          .where(and(eq(needs.id, input.needId), eq(needs.institutionId, institutionId)))
          .get()
      : null
    const wish = input.wishId
      ? tx
          .select({ id: wishes.id, campaignId: wishes.campaignId })
          .from(wishes)
          .where(and(eq(wishes.id, input.wishId), eq(wishes.institutionId, institutionId)))
          .get()
      : null
    if ((input.needId && !need) || (input.wishId && !wish)) {
      return {
        result: { ok: false, message: '找不到所选用途（只能选择本机构的需求或心愿）', field: input.needId ? 'needId' : 'wishId' },
        audit: {
          institutionId,
          action: 'gift.walk_in_refused',
          entityType: input.needId ? 'need' : 'wish',
          entityId: input.needId ?? input.wishId ?? null,
          summary: {},
        },
      }
    }
    const money = input.kind === 'money'
    const entry = recordDonation(tx, {
      institutionId,
      kind: input.kind,
      description: items,
      quantity: money ? null : (input.quantity ?? null),
      // Counted against a need, the need's unit applies (progress adds quantities up).
      unit: money ? null : (need?.unit ?? (input.unit?.trim() || null)),
      estimatedValueFen: money ? null : (input.estimatedValueFen ?? null),
      amountFen: money ? input.amountFen : null,
      donor: { displayName: donorName, choice: input.publicDisplay, userId: null },
      designation: need ? 'need' : wish ? 'wish' : 'general',
      designationRef: need?.id ?? null,
      wishId: wish?.id ?? null,
      campaignId: wish?.campaignId ?? null,
      channel: input.channel,
      receivedAt: now(),
      recordedBy: actor.userId,
      paymentReference: input.paymentReference?.trim() || null,
    })
    tx.insert(walkInDonors)
      .values({ donationId: entry.id, name: donorName, contact: input.donorContact?.trim() ?? '' })
      .run()
    if (need) refreshNeedStatus(tx, need.id)
    return {
      result: { ok: true, receiptNo: entry.receiptNo, donationId: entry.id },
      audit: {
        institutionId,
        action: 'gift.walk_in',
        entityType: 'donation',
        entityId: entry.id,
        summary: {
          receiptNo: entry.receiptNo,
          kind: input.kind,
          channel: input.channel,
          needId: need?.id ?? null,
          wishId: wish?.id ?? null,
        },
      },
    }
  })
}
