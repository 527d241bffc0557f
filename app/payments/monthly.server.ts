import crypto from 'node:crypto'
import { and, asc, desc, eq, gt, inArray, lte, or } from 'drizzle-orm'
import type Stripe from 'stripe'
import { db, writeTransaction, type Tx } from '~db/client.server'
import { campaigns, donations, institutions, monthlyGiftCharges, monthlyGifts, monthlyGiftTotals, processedEvents, users } from '~db/schema'
import type { MonthlyGiftStatus, PublicDisplay } from '~db/enums'
import { correctedSoFar, recordCorrection, recordDonation } from '~/donations/ledger.server'
import { applyMatching, reverseMatching } from '~/matching/matching.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { formatDate, formatDateTime, formatFen } from '~/utils/format'
import { parseId } from '~/utils/ids'
import { MAX_MONTHLY_FEN, MIN_MONTHLY_FEN } from './amount'
import {
  ONLINE_GIFTS_UNAVAILABLE,
  onlineGiftsAvailable,
  paymentProvider,
  subscriptionSnapshot,
  type SubscriptionSnapshot,
} from './provider.server'

// 月捐 (issue 14): a monthly gift to a home or one of its campaigns through a provider
// subscription. The row is stored before the provider is called (like startGift); every
// successful charge is recorded in the public log exactly once, only from a signed webhook
// (invoice.paid → recordMonthlyCharge), keyed by the invoice id.

export type MonthlyGift = typeof monthlyGifts.$inferSelect
export type MonthlyTarget = 'institution' | 'campaign'

/** What handleStripeEvent turns into its answer; `retry`: nothing stored, let the provider deliver again. */
export type MonthlyEventResult =
  { ok: true; outcome: 'recorded' | 'ignored' | 'failed' | 'updated' | 'rejected' | 'refunded' | 'expired' } | { retry: string }

const CURRENCY = 'cny'
/** Statuses in which a gift counts for 「N 位月捐人」 (also in the migration's trigger). */
export const LIVE_MONTHLY_STATUSES = ['active', 'past_due'] as const
/** A notice this long before each charge, for donors who asked for it. */
export const MONTHLY_NOTICE_LEAD_MS = 3 * 24 * 60 * 60 * 1000

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null
  return typeof value === 'string' ? value : value.id
}

// ---- Starting a monthly gift -----------------------------------------------------------------

type ResolvedTarget = { institutionId: number; institutionName: string; campaignId: number | null; title: string }

function resolveMonthlyTarget(tx: Tx | typeof db, target: MonthlyTarget, targetId: number): ResolvedTarget | null {
  if (target === 'institution') {
    const home = tx.select().from(institutions).where(eq(institutions.id, targetId)).get()
    return home ? { institutionId: home.id, institutionName: home.name, campaignId: null, title: home.name } : null
  }
  const row = tx
    .select({ campaign: campaigns, home: institutions })
    .from(campaigns)
    .innerJoin(institutions, eq(institutions.id, campaigns.ownerInstitutionId))
    .where(eq(campaigns.id, targetId))
    .get()
  if (!row || row.campaign.endsAt.getTime() <= now().getTime()) return null
  return { institutionId: row.home.id, institutionName: row.home.name, campaignId: row.campaign.id, title: row.campaign.name }
}

function campaignName(tx: Tx | typeof db, campaignId: number | null): string {
  if (campaignId === null) return ''
  return tx.select({ name: campaigns.name }).from(campaigns).where(eq(campaigns.id, campaignId)).get()?.name ?? ''
}

/** The public description of one monthly charge in the log. */
export function monthlyDescription(gift: Pick<MonthlyGift, 'target'>, title: string): string {
  return gift.target === 'campaign' ? `月捐：活动「${title}」` : '月捐：支持机构'
}

export type StartMonthlyResult = { ok: true; monthlyGiftId: number; url: string } | { ok: false; message: string; field?: string }

export async function startMonthlyGift(input: {
  userId: number
  target: MonthlyTarget
  targetId: number
  amountFen: number
  publicDisplay: PublicDisplay
  remindBeforeCharge: boolean
  origin: string
}): Promise<StartMonthlyResult> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen < MIN_MONTHLY_FEN || input.amountFen > MAX_MONTHLY_FEN) {
    return { ok: false, message: '每月捐款金额须在 ¥1 至 ¥5,000 之间', field: 'customAmount' }
  }
  if (!onlineGiftsAvailable()) return { ok: false, message: ONLINE_GIFTS_UNAVAILABLE }
  const provider = paymentProvider()
  const created = writeTransaction((tx) => {
    const target = resolveMonthlyTarget(tx, input.target, input.targetId)
    if (!target) return null
    const gift = tx
      .insert(monthlyGifts)
      .values({
        provider: provider.name,
        idempotencyKey: crypto.randomUUID(),
        userId: input.userId,
        institutionId: target.institutionId,
        target: input.target,
        campaignId: target.campaignId,
        amountFen: input.amountFen,
        publicDisplay: input.publicDisplay,
        remindBeforeCharge: input.remindBeforeCharge,
        status: 'open',
        createdAt: now(),
      })
      .returning()
      .get()
    return { gift, target }
  })
  if (!created) return { ok: false, message: '这个捐款对象已不再接受捐款' }
  const { gift, target } = created
  try {
    const session = await provider.createSubscriptionCheckout({
      gift: {
        id: gift.id,
        idempotencyKey: gift.idempotencyKey,
        amountFen: gift.amountFen,
        description: `${monthlyDescription(gift, target.title)} · ${target.institutionName}（每月）`,
      },
      successUrl: `${input.origin}/me/monthly?started=${gift.id}`,
      cancelUrl: `${input.origin}/me/monthly?cancelled=${gift.id}`,
      origin: input.origin,
    })
    writeTransaction((tx) => {
      tx.update(monthlyGifts)
        .set({ checkoutSessionId: session.checkoutSessionId, updatedAt: now() })
        .where(eq(monthlyGifts.id, gift.id))
        .run()
    })
    return { ok: true, monthlyGiftId: gift.id, url: session.url }
  } catch (error) {
    console.error('monthly: subscription checkout could not be created', error)
    writeTransaction((tx) => {
      tx.update(monthlyGifts)
        .set({ status: 'expired', updatedAt: now() })
        .where(and(eq(monthlyGifts.id, gift.id), eq(monthlyGifts.status, 'open')))
        .run()
    })
    return { ok: false, message: '支付服务暂时不可用，请稍后再试' }
  }
}

/** The monthly gift behind a mock checkout session (dev.mock-checkout page), or null. */
export function getMonthlyGiftBySession(checkoutSessionId: string) {
  const gift = db.select().from(monthlyGifts).where(eq(monthlyGifts.checkoutSessionId, checkoutSessionId)).get()
  if (!gift) return null
  const home = db.select({ name: institutions.name }).from(institutions).where(eq(institutions.id, gift.institutionId)).get()
  return {
    gift,
    homeName: home?.name ?? '',
    targetTitle: gift.target === 'campaign' ? campaignName(db, gift.campaignId) : (home?.name ?? ''),
  }
}

// ---- Webhook events (called from handleInTx in payments.server.ts) ----------------------------

function reject(tx: Tx, event: Stripe.Event, error: string): MonthlyEventResult {
  tx.update(processedEvents).set({ error }).where(eq(processedEvents.eventId, event.id)).run()
  console.error(`monthly: webhook event ${event.id} (${event.type}) rejected: ${error}`)
  return { ok: true, outcome: 'rejected' }
}

/** The gift a subscription belongs to: by its id, else by the metadata naming our row (events may come before the link). */
function giftForSubscription(
  tx: Tx,
  subscriptionId: string | null,
  metadata: Record<string, string> | null | undefined,
): MonthlyGift | undefined {
  if (subscriptionId) {
    const bySub = tx.select().from(monthlyGifts).where(eq(monthlyGifts.subscriptionId, subscriptionId)).get()
    if (bySub) return bySub
  }
  const metaId = parseId(metadata?.monthlyGiftId)
  if (metaId === null) return undefined
  const byMeta = tx.select().from(monthlyGifts).where(eq(monthlyGifts.id, metaId)).get()
  // A row already linked to another subscription is not this one's.
  if (!byMeta || (byMeta.subscriptionId !== null && subscriptionId !== null && byMeta.subscriptionId !== subscriptionId)) return undefined
  return byMeta
}

/** Whether a checkout session is a monthly gift's (subscription mode). */
export function isMonthlySession(session: Stripe.Checkout.Session): boolean {
  return session.mode === 'subscription' || Boolean(session.metadata?.monthlyGiftId)
}

/** checkout.session.completed / async_payment_succeeded / async_payment_failed / expired in subscription mode: link the subscription, or close an unfinished gift. */
export function monthlyCheckoutEvent(tx: Tx, event: Stripe.Event, session: Stripe.Checkout.Session): MonthlyEventResult {
  const gift =
    tx.select().from(monthlyGifts).where(eq(monthlyGifts.checkoutSessionId, session.id)).get() ??
    giftForSubscription(tx, null, session.metadata)
  if (!gift) return { ok: true, outcome: 'ignored' }
  // Found through metadata before startMonthlyGift stored the session id: let the provider retry.
  if (gift.checkoutSessionId === null) return { retry: `monthly gift ${gift.id} has no checkout session id yet` }
  if (gift.checkoutSessionId !== session.id) return reject(tx, event, `session ${session.id} is not monthly gift ${gift.id}'s session`)
  // Expired, or the first payment of an asynchronous method failed: the gift never started.
  if (event.type === 'checkout.session.expired' || event.type === 'checkout.session.async_payment_failed') {
    if (gift.status !== 'open') return { ok: true, outcome: 'ignored' }
    tx.update(monthlyGifts).set({ status: 'expired', updatedAt: now() }).where(eq(monthlyGifts.id, gift.id)).run()
    return { ok: true, outcome: 'expired' }
  }
  if ((session.currency ?? '').toLowerCase() !== CURRENCY) return reject(tx, event, `currency ${session.currency} is not ${CURRENCY}`)
  if (session.amount_total !== gift.amountFen && session.amount_total !== gift.previousAmountFen)
    return reject(tx, event, `amount_total ${session.amount_total} is not monthly gift ${gift.id}'s ${gift.amountFen} fen`)
  const subscriptionId = idOf(session.subscription)
  if (!subscriptionId) return reject(tx, event, 'subscription session without a subscription')
  if (gift.subscriptionId !== null && gift.subscriptionId !== subscriptionId)
    return reject(tx, event, `monthly gift ${gift.id} is linked to ${gift.subscriptionId}, not ${subscriptionId}`)
  // Already linked by an earlier invoice.paid (events out of order): store the customer and send
  // the welcome notice once (its dedupe key); a repeated completion changes nothing.
  if (gift.subscriptionId === subscriptionId && gift.status !== 'open' && gift.customerId !== null) return { ok: true, outcome: 'ignored' }
  tx.update(monthlyGifts)
    .set({
      subscriptionId,
      customerId: idOf(session.customer as string | { id: string } | null) ?? gift.customerId,
      status: gift.status === 'open' ? 'active' : gift.status,
      updatedAt: now(),
    })
    .where(eq(monthlyGifts.id, gift.id))
    .run()
  enqueueNotification(tx, {
    userId: gift.userId,
    template: 'monthly.started',
    subject: '月捐已开通',
    body: `感谢您！每月 ${formatFen(gift.amountFen)} 的月捐已开通，每次扣款成功后都会记入公开捐赠记录。可随时在“我的月捐”中修改金额、暂停或取消。`,
    dedupeKey: `monthly.started.${gift.id}`,
  })
  return { ok: true, outcome: 'updated' }
}

type InvoiceLike = {
  id: string
  currency?: string | null
  amount_paid?: number | null
  amount_due?: number | null
  attempt_count?: number | null
  next_payment_attempt?: number | null
  billing_reason?: string | null
  subscription?: string | { id: string } | null
  subscription_details?: { metadata?: Record<string, string> | null } | null
  parent?: {
    subscription_details?: { subscription?: string | { id: string } | null; metadata?: Record<string, string> | null } | null
  } | null
  payment_intent?: string | { id: string } | null
  payments?: { data?: Array<{ payment?: { payment_intent?: string | { id: string } | null } | null }> } | null
  lines?: { data?: Array<{ period?: { end?: number | null } | null }> } | null
}

/** The parts of an invoice a monthly charge needs, from the API's current and older shapes. */
function invoiceParts(invoice: InvoiceLike) {
  const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription ?? invoice.subscription ?? null)
  const metadata = invoice.parent?.subscription_details?.metadata ?? invoice.subscription_details?.metadata ?? null
  const paymentIntentId = idOf(invoice.payments?.data?.[0]?.payment?.payment_intent ?? invoice.payment_intent ?? null)
  const periodEnd = invoice.lines?.data?.[0]?.period?.end ?? null
  return { subscriptionId, metadata, paymentIntentId, periodEnd: periodEnd ? new Date(periodEnd * 1000) : null }
}

function laterOf(a: Date | null, b: Date | null): Date | null {
  if (!a) return b
  if (!b) return a
  return a.getTime() >= b.getTime() ? a : b
}

/**
 * The monthly gift an invoice belongs to, through its subscription or the subscription's
 * metadata; otherwise the event's answer: ignored (not a monthly gift), or retry while the gift
 * named in the metadata is not stored yet.
 */
function giftOfInvoice(
  tx: Tx,
  invoice: InvoiceLike,
): { parts: ReturnType<typeof invoiceParts>; gift: MonthlyGift } | { result: MonthlyEventResult } {
  const parts = invoiceParts(invoice)
  if (!parts.subscriptionId && !parts.metadata?.monthlyGiftId) return { result: { ok: true, outcome: 'ignored' } }
  const gift = giftForSubscription(tx, parts.subscriptionId, parts.metadata)
  if (gift) return { parts, gift }
  if (parts.metadata?.monthlyGiftId) return { result: { retry: `no monthly gift for invoice ${invoice.id} yet` } }
  return { result: { ok: true, outcome: 'ignored' } }
}

/** invoice.paid: one ledger entry per invoice, exactly once. */
export function monthlyInvoicePaid(tx: Tx, event: Stripe.Event, invoice: InvoiceLike): MonthlyEventResult {
  const found = giftOfInvoice(tx, invoice)
  if ('result' in found) return found.result
  const { parts, gift } = found
  if ((invoice.currency ?? '').toLowerCase() !== CURRENCY)
    return reject(tx, event, `invoice currency ${invoice.currency} is not ${CURRENCY}`)
  const amount = invoice.amount_paid ?? 0
  if (amount !== gift.amountFen && amount !== gift.previousAmountFen)
    return reject(tx, event, `invoice amount_paid ${amount} is not monthly gift ${gift.id}'s ${gift.amountFen} fen`)
  // invoice.paid may come before checkout.session.completed: link the subscription here.
  if (gift.subscriptionId === null && parts.subscriptionId)
    tx.update(monthlyGifts).set({ subscriptionId: parts.subscriptionId, updatedAt: now() }).where(eq(monthlyGifts.id, gift.id)).run()
  const recorded = recordMonthlyCharge(
    tx,
    { ...gift, subscriptionId: gift.subscriptionId ?? parts.subscriptionId },
    {
      invoiceId: invoice.id,
      amountFen: amount,
      paymentIntentId: parts.paymentIntentId,
      periodEnd: parts.periodEnd,
    },
  )
  return { ok: true, outcome: recorded ? 'recorded' : 'ignored' }
}

/**
 * Record one successful monthly charge in the public log (the only place that does), once per
 * invoice, and move the gift on: active again after a failure, next charge at the period's end.
 * Returns false when the invoice was already recorded.
 */
export function recordMonthlyCharge(
  tx: Tx,
  gift: MonthlyGift,
  charge: { invoiceId: string; amountFen: number; paymentIntentId: string | null; periodEnd: Date | null },
): boolean {
  const existing = tx.select().from(monthlyGiftCharges).where(eq(monthlyGiftCharges.invoiceId, charge.invoiceId)).get()
  if (existing?.donationId != null) return false
  const donor = tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, gift.userId)).get()
  const entry = recordDonation(tx, {
    institutionId: gift.institutionId,
    kind: 'money',
    description: monthlyDescription(gift, campaignName(tx, gift.campaignId)),
    amountFen: charge.amountFen,
    donor: { displayName: donor?.displayName ?? '', choice: gift.publicDisplay, userId: gift.userId },
    designation: gift.target === 'campaign' ? 'campaign' : 'general',
    campaignId: gift.campaignId,
    channel: 'online',
    receivedAt: now(),
    recordedBy: null,
    paymentReference: charge.invoiceId,
  })
  // 配捐 (docs/decisions/024): a monthly charge is a money gift like any other, matched in its transaction.
  applyMatching(tx, { institutionId: gift.institutionId, campaignId: gift.campaignId, gift: entry })
  if (existing) {
    tx.update(monthlyGiftCharges)
      .set({
        status: 'paid',
        amountFen: charge.amountFen,
        donationId: entry.id,
        paymentIntentId: charge.paymentIntentId,
        nextRetryAt: null,
        updatedAt: now(),
      })
      .where(eq(monthlyGiftCharges.id, existing.id))
      .run()
  } else {
    tx.insert(monthlyGiftCharges)
      .values({
        monthlyGiftId: gift.id,
        invoiceId: charge.invoiceId,
        status: 'paid',
        amountFen: charge.amountFen,
        paymentIntentId: charge.paymentIntentId,
        donationId: entry.id,
        createdAt: now(),
      })
      .run()
  }
  const status: MonthlyGiftStatus = gift.status === 'open' || gift.status === 'past_due' ? 'active' : gift.status
  tx.update(monthlyGifts)
    .set({
      status,
      subscriptionId: gift.subscriptionId,
      failedAttempts: 0,
      nextRetryAt: null,
      nextChargeAt: laterOf(gift.nextChargeAt, charge.periodEnd),
      updatedAt: now(),
    })
    .where(eq(monthlyGifts.id, gift.id))
    .run()
  enqueueNotification(tx, {
    userId: gift.userId,
    template: 'monthly.charged',
    subject: '月捐已到账',
    body: `感谢您本月的月捐 ${formatFen(charge.amountFen)}！已记入公开捐赠记录，收据编号 ${entry.receiptNo}。`,
    dedupeKey: `monthly.charged.${charge.invoiceId}`,
  })
  return true
}

/** invoice.payment_failed: the gift is past_due while the provider retries; the donor is told plainly. */
export function monthlyInvoiceFailed(tx: Tx, event: Stripe.Event, invoice: InvoiceLike): MonthlyEventResult {
  const found = giftOfInvoice(tx, invoice)
  if ('result' in found) return found.result
  const { parts, gift } = found
  const existing = tx.select().from(monthlyGiftCharges).where(eq(monthlyGiftCharges.invoiceId, invoice.id)).get()
  // Paid already (the failure of an earlier attempt delivered late): nothing to say.
  if (existing?.status === 'paid') return { ok: true, outcome: 'ignored' }
  const attempts = invoice.attempt_count ?? 1
  // A late delivery of an earlier attempt changes nothing.
  if (existing && existing.attemptCount >= attempts) return { ok: true, outcome: 'ignored' }
  const nextRetryAt = invoice.next_payment_attempt ? new Date(invoice.next_payment_attempt * 1000) : null
  const amount = invoice.amount_due ?? gift.amountFen
  if (existing) {
    tx.update(monthlyGiftCharges)
      .set({ attemptCount: attempts, nextRetryAt, updatedAt: now() })
      .where(eq(monthlyGiftCharges.id, existing.id))
      .run()
  } else {
    tx.insert(monthlyGiftCharges)
      .values({
        monthlyGiftId: gift.id,
        invoiceId: invoice.id,
        status: 'failed',
        amountFen: amount,
        attemptCount: attempts,
        nextRetryAt,
        createdAt: now(),
      })
      .run()
  }
  tx.update(monthlyGifts)
    .set({
      status: gift.status === 'active' || gift.status === 'open' ? 'past_due' : gift.status,
      subscriptionId: gift.subscriptionId ?? parts.subscriptionId,
      failedAttempts: attempts,
      nextRetryAt,
      updatedAt: now(),
    })
    .where(eq(monthlyGifts.id, gift.id))
    .run()
  const retry = nextRetryAt ? `支付机构将于 ${formatDateTime(nextRetryAt)} 自动重试。` : '支付机构将自动重试。'
  enqueueNotification(tx, {
    userId: gift.userId,
    template: 'monthly.failed',
    subject: '本月月捐扣款失败',
    body: `本月扣款失败，支付机构将自动重试（第 ${attempts} 次尝试未成功，金额 ${formatFen(amount)}）。${retry}如需更换付款方式、暂停或取消，请前往“我的月捐”。`,
    dedupeKey: `monthly.failed.${invoice.id}.${attempts}`,
  })
  return { ok: true, outcome: 'failed' }
}

/** customer.subscription.updated / .deleted: status, pause, amount and next date from the provider's object. */
export function monthlySubscriptionChanged(tx: Tx, event: Stripe.Event, sub: Stripe.Subscription): MonthlyEventResult {
  const gift = giftForSubscription(tx, sub.id, sub.metadata)
  if (!gift) {
    if (sub.metadata?.monthlyGiftId) return { retry: `no monthly gift for subscription ${sub.id} yet` }
    return { ok: true, outcome: 'ignored' }
  }
  const snapshot = subscriptionSnapshot(sub)
  if (event.type === 'customer.subscription.deleted') snapshot.status = 'cancelled'
  if (sub.items?.data?.[0]?.price?.currency && sub.items.data[0].price.currency.toLowerCase() !== CURRENCY)
    return reject(tx, event, `subscription currency ${sub.items.data[0].price.currency} is not ${CURRENCY}`)
  return applySnapshot(tx, { ...gift, subscriptionId: gift.subscriptionId ?? sub.id }, snapshot)
    ? { ok: true, outcome: 'updated' }
    : { ok: true, outcome: 'ignored' }
}

/** Store what the provider says a subscription now is; a cancelled gift stays cancelled. True if anything changed. */
function applySnapshot(tx: Tx, gift: MonthlyGift, snapshot: SubscriptionSnapshot): boolean {
  if (gift.status === 'cancelled') return false
  const changes: Partial<typeof monthlyGifts.$inferInsert> = {}
  // 'open' (incomplete) says nothing new about a gift that is already running.
  if (snapshot.status && snapshot.status !== 'open' && snapshot.status !== gift.status) {
    // An unfinished checkout becomes active only through its checkout or invoice events.
    if (!(gift.status === 'open' && snapshot.status === 'active')) changes.status = snapshot.status
    if (snapshot.status === 'cancelled') changes.cancelledAt = now()
  }
  if (snapshot.amountFen !== null && snapshot.amountFen !== gift.amountFen) {
    if (snapshot.amountFen >= MIN_MONTHLY_FEN && snapshot.amountFen <= MAX_MONTHLY_FEN) {
      changes.amountFen = snapshot.amountFen
      changes.previousAmountFen = gift.amountFen
    }
  }
  if (snapshot.nextChargeAt && snapshot.nextChargeAt.getTime() !== gift.nextChargeAt?.getTime())
    changes.nextChargeAt = snapshot.nextChargeAt
  if (gift.subscriptionId !== null && gift.subscriptionId !== undefined) changes.subscriptionId = gift.subscriptionId
  const changed = Object.keys(changes).some((k) => k !== 'subscriptionId')
  if (!changed) return false
  tx.update(monthlyGifts)
    .set({ ...changes, updatedAt: now() })
    .where(eq(monthlyGifts.id, gift.id))
    .run()
  return true
}

/**
 * charge.refunded of a monthly charge (found by the invoice's payment intent): the newly refunded
 * part as a correction entry, like a one-off refund. Null when the intent is not a monthly charge.
 */
export function monthlyChargeRefunded(tx: Tx, event: Stripe.Event, charge: Stripe.Charge): MonthlyEventResult | null {
  const intent = idOf(charge.payment_intent)
  if (!intent) return null
  const row = tx.select().from(monthlyGiftCharges).where(eq(monthlyGiftCharges.paymentIntentId, intent)).get()
  if (!row) return null
  if (row.donationId === null) return { retry: `monthly charge ${row.invoiceId} is not recorded yet` }
  if ((charge.currency ?? CURRENCY).toLowerCase() !== CURRENCY)
    return reject(tx, event, `refund currency ${charge.currency} is not ${CURRENCY}`)
  const refundedTotal = charge.refunded ? row.amountFen : Math.min(charge.amount_refunded ?? 0, row.amountFen)
  const newly = refundedTotal - row.refundedFen
  if (newly <= 0) return { ok: true, outcome: 'ignored' }
  const original = tx.select().from(donations).where(eq(donations.id, row.donationId)).get()
  if (!original || original.amountFen === null) return { ok: true, outcome: 'ignored' }
  const left = original.amountFen - correctedSoFar(tx, row.donationId).amountFen
  const part = Math.min(newly, left)
  tx.update(monthlyGiftCharges).set({ refundedFen: refundedTotal, updatedAt: now() }).where(eq(monthlyGiftCharges.id, row.id)).run()
  if (part <= 0) return { ok: true, outcome: 'ignored' }
  const correction = recordCorrection(tx, {
    originalReceipt: original.receiptNo,
    reason: part === original.amountFen ? '退款' : `部分退款 ${formatFen(part)}`,
    recordedBy: null,
    amountFen: part,
  })
  if (!correction.ok) return { ok: true, outcome: 'ignored' }
  // 配捐: the same share of the charge's match is reversed, same transaction (as correctGift does).
  reverseMatching(tx, { giftDonationId: row.donationId, reason: '已退款' })
  const gift = tx.select({ userId: monthlyGifts.userId }).from(monthlyGifts).where(eq(monthlyGifts.id, row.monthlyGiftId)).get()
  if (gift)
    enqueueNotification(tx, {
      userId: gift.userId,
      template: 'payment.refunded',
      subject: '已退款',
      body: `您的月捐 ${formatFen(row.amountFen)}（收据 ${original.receiptNo}）已退款 ${formatFen(part)}，公开捐赠记录中已登记更正 ${correction.entry.receiptNo}。`,
      dedupeKey: `monthly.refunded.${row.id}.${correction.entry.id}`,
    })
  return { ok: true, outcome: 'refunded' }
}

// ---- 我的月捐: the donor's own gifts and their actions -------------------------------------------

export function listMyMonthlyGifts(userId: number) {
  const gifts = db
    .select({
      gift: monthlyGifts,
      homeName: institutions.name,
      homeSlug: institutions.slug,
      campaignName: campaigns.name,
      campaignSlug: campaigns.slug,
    })
    .from(monthlyGifts)
    .innerJoin(institutions, eq(institutions.id, monthlyGifts.institutionId))
    .leftJoin(campaigns, eq(campaigns.id, monthlyGifts.campaignId))
    .where(and(eq(monthlyGifts.userId, userId), inArray(monthlyGifts.status, ['active', 'past_due', 'paused', 'cancelled'])))
    .orderBy(desc(monthlyGifts.id))
    .all()
  if (gifts.length === 0) return []
  const charges = db
    .select({ charge: monthlyGiftCharges, receiptNo: donations.receiptNo })
    .from(monthlyGiftCharges)
    .leftJoin(donations, eq(donations.id, monthlyGiftCharges.donationId))
    .where(
      inArray(
        monthlyGiftCharges.monthlyGiftId,
        gifts.map((g) => g.gift.id),
      ),
    )
    .orderBy(desc(monthlyGiftCharges.id))
    .all()
  return gifts.map((g) => ({
    ...g,
    charges: charges.filter((c) => c.charge.monthlyGiftId === g.gift.id),
  }))
}

export type MonthlyActionResult = { ok: true } | { ok: false; reason: 'not_found' | 'refused'; message: string; field?: string }

function ownGift(giftId: number, userId: number): MonthlyGift | undefined {
  return db
    .select()
    .from(monthlyGifts)
    .where(and(eq(monthlyGifts.id, giftId), eq(monthlyGifts.userId, userId)))
    .get()
}

const PROVIDER_DOWN = '支付服务暂时不可用，请稍后再试；您的月捐没有改变'

/**
 * Change, pause, resume or cancel a monthly gift: the provider first (its answer is the truth),
 * then the row. The webhook that follows finds the same values and changes nothing.
 */
export async function changeMonthlyGift(
  input: { userId: number; giftId: number } & ({ intent: 'amount'; amountFen: number } | { intent: 'pause' | 'resume' | 'cancel' }),
): Promise<MonthlyActionResult> {
  const gift = ownGift(input.giftId, input.userId)
  if (!gift || gift.status === 'open' || gift.status === 'expired') return { ok: false, reason: 'not_found', message: '没有找到这份月捐' }
  if (gift.status === 'cancelled' || !gift.subscriptionId) return { ok: false, reason: 'refused', message: '这份月捐已取消' }
  const provider = paymentProvider()
  if (provider.name !== gift.provider) return { ok: false, reason: 'refused', message: PROVIDER_DOWN }
  const key = `${gift.idempotencyKey}:${input.intent}:${crypto.randomUUID()}`
  let snapshot: SubscriptionSnapshot
  try {
    if (input.intent === 'amount') {
      if (input.amountFen === gift.amountFen) return { ok: false, reason: 'refused', message: '新金额与当前金额相同', field: 'newAmount' }
      snapshot = await provider.updateSubscriptionAmount(gift.subscriptionId, input.amountFen, key)
    } else if (input.intent === 'pause') {
      if (gift.status === 'paused') return { ok: true }
      snapshot = await provider.setSubscriptionPaused(gift.subscriptionId, true, key)
    } else if (input.intent === 'resume') {
      if (gift.status !== 'paused') return { ok: true }
      snapshot = await provider.setSubscriptionPaused(gift.subscriptionId, false, key)
    } else {
      snapshot = await provider.cancelSubscription(gift.subscriptionId, key)
    }
  } catch (error) {
    console.error(`monthly: provider refused ${input.intent} of monthly gift ${gift.id}`, error)
    return { ok: false, reason: 'refused', message: PROVIDER_DOWN }
  }
  writeTransaction((tx) => {
    const fresh = tx.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)).get()
    if (!fresh) return
    // Stripe may still call a paused gift 'active' with pause_collection set: read by snapshot.
    applySnapshot(tx, fresh, snapshot)
  })
  return { ok: true }
}

// ---- Public counts ------------------------------------------------------------------------------

/** 「N 位月捐人 · 每月 ¥X」 for a home (its gifts and its campaigns') or a campaign: one row, no history read. */
export function monthlyTotals(scope: 'institution' | 'campaign', scopeId: number): { donors: number; monthlyFen: number } {
  const row = db
    .select({ donors: monthlyGiftTotals.donors, monthlyFen: monthlyGiftTotals.monthlyFen })
    .from(monthlyGiftTotals)
    .where(and(eq(monthlyGiftTotals.scope, scope), eq(monthlyGiftTotals.scopeId, scopeId)))
    .get()
  return row ?? { donors: 0, monthlyFen: 0 }
}

/** The same for a campaign named by its slug (the campaign page). */
export function campaignMonthlyTotals(slug: string): { donors: number; monthlyFen: number } {
  const campaign = db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.slug, slug)).get()
  return campaign ? monthlyTotals('campaign', campaign.id) : { donors: 0, monthlyFen: 0 }
}

// ---- The notice before each charge (job) --------------------------------------------------------

/**
 * For donors who asked (「每次扣款前 3 天提醒我」): one notice per gift and charge date, queued in
 * the outbox up to three days before the next charge. Idempotent through the dedupe key.
 */
export function sendMonthlyChargeNotices(): { sent: number } {
  const at = now()
  const soon = new Date(at.getTime() + MONTHLY_NOTICE_LEAD_MS)
  const due = db
    .select({ gift: monthlyGifts, homeName: institutions.name })
    .from(monthlyGifts)
    .innerJoin(institutions, eq(institutions.id, monthlyGifts.institutionId))
    .where(
      and(
        eq(monthlyGifts.remindBeforeCharge, true),
        eq(monthlyGifts.status, 'active'),
        gt(monthlyGifts.nextChargeAt, at),
        lte(monthlyGifts.nextChargeAt, soon),
      ),
    )
    .orderBy(asc(monthlyGifts.nextChargeAt))
    .all()
  let sent = 0
  for (const { gift, homeName } of due) {
    const date = formatDate(gift.nextChargeAt as Date)
    writeTransaction((tx) => {
      const live = tx
        .select({ id: monthlyGifts.id })
        .from(monthlyGifts)
        .where(and(eq(monthlyGifts.id, gift.id), eq(monthlyGifts.status, 'active'), eq(monthlyGifts.remindBeforeCharge, true)))
        .get()
      if (!live) return
      enqueueNotification(tx, {
        userId: gift.userId,
        template: 'monthly.notice',
        subject: '月捐扣款提醒',
        body: `您每月 ${formatFen(gift.amountFen)} 的月捐（${homeName}）将于 ${date} 扣款。如需修改金额、暂停或取消，请在扣款前前往“我的月捐”。`,
        dedupeKey: `monthly.notice.${gift.id}.${date}`,
      })
      sent++
    })
  }
  return { sent }
}

/** Mock subscriptions whose next charge date has passed (the mock renewal job). */
export function dueMockMonthlyGifts(): MonthlyGift[] {
  return db
    .select()
    .from(monthlyGifts)
    .where(
      and(
        eq(monthlyGifts.provider, 'mock'),
        or(eq(monthlyGifts.status, 'active'), eq(monthlyGifts.status, 'past_due')),
        lte(monthlyGifts.nextChargeAt, now()),
      ),
    )
    .all()
}
