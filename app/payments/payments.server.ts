import crypto from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import type Stripe from 'stripe'
import { db, writeTransaction, type Tx } from '~db/client.server'
import { campaigns, donations, institutions, needs, payments, processedEvents, users, wishes } from '~db/schema'
import type { paymentTargets, PublicDisplay } from '~db/enums'
import { recordCorrection, recordDonation, type Designation } from '~/donations/ledger.server'
import { refreshNeedStatus } from '~/needs/progress.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { formatFen } from '~/utils/format'
import { ONLINE_GIFTS_UNAVAILABLE, onlineGiftsAvailable, paymentProvider } from './provider.server'
import { MAX_GIFT_FEN, MIN_GIFT_FEN } from './amount'

// Money gifts (issue 6). A gift starts as an open `payments` row and a checkout session; the
// donation is written to the public log only from the provider's webhook (handleStripeEvent),
// never from the browser's redirect.

export type Payment = typeof payments.$inferSelect
export type PaymentTarget = (typeof paymentTargets)[number]

/** What a gift goes to, resolved from the query (?home= / ?campaign= / ?wish= / ?need=). */
export type GiftTarget = {
  target: PaymentTarget
  targetId: number
  institutionId: number
  institutionName: string
  institutionSlug: string
  /** Public title of the target: the home, the campaign, the wish or the need. */
  title: string
  campaignId: number | null
  wishId: number | null
  needId: number | null
  /** Suggested amount (a wish's estimated value). */
  defaultAmountFen: number | null
}

const NEED_OPEN = ['open', 'fully_pledged'] as const

/** Resolve a target by id; null if it does not exist or no longer accepts gifts. */
export function resolveGiftTarget(target: PaymentTarget, targetId: number, tx: Tx | typeof db = db): GiftTarget | null {
  const base = { campaignId: null, wishId: null, needId: null, defaultAmountFen: null, target, targetId }
  if (target === 'institution') {
    const home = tx.select().from(institutions).where(eq(institutions.id, targetId)).get()
    if (!home) return null
    return { ...base, institutionId: home.id, institutionName: home.name, institutionSlug: home.slug, title: home.name }
  }
  if (target === 'campaign') {
    const row = tx
      .select({ campaign: campaigns, home: institutions })
      .from(campaigns)
      .innerJoin(institutions, eq(institutions.id, campaigns.ownerInstitutionId))
      .where(eq(campaigns.id, targetId))
      .get()
    if (!row || row.campaign.endsAt.getTime() <= now().getTime()) return null
    return { ...base, institutionId: row.home.id, institutionName: row.home.name, institutionSlug: row.home.slug, title: row.campaign.name, campaignId: row.campaign.id }
  }
  if (target === 'wish') {
    const row = tx.select({ wish: wishes, home: institutions }).from(wishes).innerJoin(institutions, eq(institutions.id, wishes.institutionId)).where(eq(wishes.id, targetId)).get()
    if (!row || row.wish.status !== 'published') return null
    return {
      ...base,
      institutionId: row.home.id,
      institutionName: row.home.name,
      institutionSlug: row.home.slug,
      title: row.wish.title,
      wishId: row.wish.id,
      campaignId: row.wish.campaignId,
      defaultAmountFen: row.wish.estimatedValueFen,
    }
  }
  const row = tx.select({ need: needs, home: institutions }).from(needs).innerJoin(institutions, eq(institutions.id, needs.institutionId)).where(eq(needs.id, targetId)).get()
  if (!row || !(NEED_OPEN as readonly string[]).includes(row.need.status)) return null
  return { ...base, institutionId: row.home.id, institutionName: row.home.name, institutionSlug: row.home.slug, title: row.need.title, needId: row.need.id }
}

/** Target from the /give query string, looking homes and campaigns up by slug. */
export function giftTargetFromQuery(params: URLSearchParams): GiftTarget | null {
  const home = params.get('home')
  if (home) {
    const row = db.select({ id: institutions.id }).from(institutions).where(eq(institutions.slug, home)).get()
    return row ? resolveGiftTarget('institution', row.id) : null
  }
  const campaign = params.get('campaign')
  if (campaign) {
    const row = db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.slug, campaign)).get()
    return row ? resolveGiftTarget('campaign', row.id) : null
  }
  for (const target of ['wish', 'need'] as const) {
    const raw = params.get(target)
    if (raw === null) continue
    const id = Number(raw)
    return Number.isSafeInteger(id) && id > 0 ? resolveGiftTarget(target, id) : null
  }
  return null
}

function giftDescription(t: Pick<GiftTarget, 'target' | 'title'>): string {
  switch (t.target) {
    case 'institution':
      return '捐款：支持机构'
    case 'campaign':
      return `捐款：活动「${t.title}」`
    case 'wish':
      return `捐款：微心愿「${t.title}」`
    default:
      return `捐款：物资需求「${t.title}」`
  }
}

export type StartGiftResult = { ok: true; paymentId: number; url: string } | { ok: false; message: string }

export async function startGift(input: {
  userId: number
  target: PaymentTarget
  targetId: number
  amountFen: number
  publicDisplay: PublicDisplay
  /** The site's origin, for the return and mock checkout URLs. */
  origin: string
}): Promise<StartGiftResult> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen < MIN_GIFT_FEN || input.amountFen > MAX_GIFT_FEN) {
    return { ok: false, message: '每笔捐款金额须在 ¥1 至 ¥50,000 之间' }
  }
  if (!onlineGiftsAvailable()) return { ok: false, message: ONLINE_GIFTS_UNAVAILABLE }
  const provider = paymentProvider()
  const created = writeTransaction((tx) => {
    const target = resolveGiftTarget(input.target, input.targetId, tx)
    if (!target) return null
    const payment = tx
      .insert(payments)
      .values({
        provider: provider.name,
        idempotencyKey: crypto.randomUUID(),
        userId: input.userId,
        institutionId: target.institutionId,
        target: target.target,
        campaignId: target.campaignId,
        wishId: target.wishId,
        needId: target.needId,
        amountFen: input.amountFen,
        publicDisplay: input.publicDisplay,
        status: 'open',
        createdAt: now(),
      })
      .returning()
      .get()
    return { payment, target }
  })
  if (!created) return { ok: false, message: '这个捐款对象已不再接受捐款' }
  const { payment, target } = created
  try {
    const session = await provider.createCheckout({
      payment: {
        id: payment.id,
        idempotencyKey: payment.idempotencyKey,
        amountFen: payment.amountFen,
        description: `${giftDescription(target)} · ${target.institutionName}`,
      },
      successUrl: `${input.origin}/give/done?payment=${payment.id}`,
      cancelUrl: `${input.origin}/give/done?payment=${payment.id}&cancelled=1`,
      origin: input.origin,
    })
    writeTransaction((tx) => {
      tx.update(payments).set({ checkoutSessionId: session.checkoutSessionId, updatedAt: now() }).where(eq(payments.id, payment.id)).run()
    })
    return { ok: true, paymentId: payment.id, url: session.url }
  } catch (error) {
    console.error('payments: checkout session could not be created', error)
    writeTransaction((tx) => {
      tx.update(payments).set({ status: 'failed', updatedAt: now() }).where(and(eq(payments.id, payment.id), eq(payments.status, 'open'))).run()
    })
    return { ok: false, message: '支付服务暂时不可用，请稍后再试' }
  }
}

/** A donor's own payment for the return page; null if it is not theirs. */
export function getOwnPayment(paymentId: number, userId: number) {
  const row = db
    .select({ payment: payments, homeName: institutions.name, homeSlug: institutions.slug, receiptNo: donations.receiptNo })
    .from(payments)
    .innerJoin(institutions, eq(institutions.id, payments.institutionId))
    .leftJoin(donations, eq(donations.id, payments.donationId))
    .where(and(eq(payments.id, paymentId), eq(payments.userId, userId)))
    .get()
  return row ?? null
}

/** The payment behind a mock checkout session, with what it goes to (mock checkout page). */
export function getPaymentBySession(checkoutSessionId: string) {
  const payment = db.select().from(payments).where(eq(payments.checkoutSessionId, checkoutSessionId)).get()
  if (!payment) return null
  const target = resolveGiftTarget(payment.target, targetIdOf(payment))
  const home = db.select({ name: institutions.name }).from(institutions).where(eq(institutions.id, payment.institutionId)).get()
  return { payment, targetTitle: target?.title ?? home?.name ?? '', homeName: home?.name ?? '' }
}

function targetIdOf(p: Payment): number {
  if (p.target === 'campaign') return p.campaignId as number
  if (p.target === 'wish') return p.wishId as number
  if (p.target === 'need') return p.needId as number
  return p.institutionId
}

// ---- Webhook events ------------------------------------------------------------------------

export type HandleEventResult =
  | { ok: true; outcome: 'duplicate' | 'recorded' | 'ignored' | 'failed' | 'expired' | 'refunded' | 'pending' }
  /** Not processed (nothing stored): the webhook answers 500 so the provider delivers it again. */
  | { ok: false; retry: true; message: string }

class RetryLater extends Error {}

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null
  return typeof value === 'string' ? value : value.id
}

function paymentForSession(tx: Tx, session: Stripe.Checkout.Session): Payment | undefined {
  const bySession = tx.select().from(payments).where(eq(payments.checkoutSessionId, session.id)).get()
  if (bySession) return bySession
  const metaId = Number(session.metadata?.paymentId)
  if (!Number.isSafeInteger(metaId) || metaId <= 0) return undefined
  return tx.select().from(payments).where(eq(payments.id, metaId)).get()
}

function designationOf(target: PaymentTarget): Designation {
  return target === 'institution' ? 'general' : target
}

/** Record the donation of a paid payment, once. */
function completePayment(tx: Tx, payment: Payment, paymentIntentId: string | null): 'recorded' | 'ignored' {
  if (payment.status === 'completed' || payment.donationId !== null) return 'ignored'
  const donor = tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, payment.userId)).get()
  const target = resolveGiftTargetAnyStatus(tx, payment)
  const entry = recordDonation(tx, {
    institutionId: payment.institutionId,
    kind: 'money',
    description: giftDescription({ target: payment.target, title: target }),
    amountFen: payment.amountFen,
    donor: { displayName: donor?.displayName ?? '', choice: payment.publicDisplay, userId: payment.userId },
    designation: designationOf(payment.target),
    wishId: payment.wishId,
    campaignId: payment.campaignId,
    designationRef: payment.target === 'need' ? payment.needId : null,
    channel: 'online',
    receivedAt: now(),
    recordedBy: null,
    paymentReference: paymentIntentId ?? payment.checkoutSessionId,
  })
  tx.update(payments)
    .set({ status: 'completed', donationId: entry.id, paymentIntentId: paymentIntentId ?? payment.paymentIntentId, updatedAt: now() })
    .where(eq(payments.id, payment.id))
    .run()
  if (payment.needId !== null) refreshNeedStatus(tx, payment.needId)
  enqueueNotification(tx, {
    userId: payment.userId,
    template: 'payment.completed',
    subject: '捐款已到账',
    body: `感谢您的捐款 ${formatFen(payment.amountFen)}！已记入公开捐赠记录，收据编号 ${entry.receiptNo}。`,
    dedupeKey: `payment.completed.${payment.id}`,
  })
  return 'recorded'
}

/** The public title of what a payment went to, even if the wish/need has moved on since. */
function resolveGiftTargetAnyStatus(tx: Tx, payment: Payment): string {
  if (payment.target === 'campaign' && payment.campaignId !== null) {
    return tx.select({ name: campaigns.name }).from(campaigns).where(eq(campaigns.id, payment.campaignId)).get()?.name ?? ''
  }
  if (payment.target === 'wish' && payment.wishId !== null) {
    return tx.select({ title: wishes.title }).from(wishes).where(eq(wishes.id, payment.wishId)).get()?.title ?? ''
  }
  if (payment.target === 'need' && payment.needId !== null) {
    return tx.select({ title: needs.title }).from(needs).where(eq(needs.id, payment.needId)).get()?.title ?? ''
  }
  return ''
}

function handleInTx(tx: Tx, event: Stripe.Event): HandleEventResult {
  const inserted = tx.insert(processedEvents).values({ eventId: event.id, type: event.type, processedAt: now() }).onConflictDoNothing().run()
  if (inserted.changes === 0) return { ok: true, outcome: 'duplicate' }

  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object
      const payment = paymentForSession(tx, session)
      if (!payment) return { ok: true, outcome: 'ignored' }
      const intent = idOf(session.payment_intent)
      if (event.type === 'checkout.session.completed' && session.payment_status !== 'paid') {
        // Async methods: paid later (async_payment_succeeded) or not at all.
        if (intent && !payment.paymentIntentId) tx.update(payments).set({ paymentIntentId: intent, updatedAt: now() }).where(eq(payments.id, payment.id)).run()
        return { ok: true, outcome: 'pending' }
      }
      return { ok: true, outcome: completePayment(tx, payment, intent) }
    }
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const payment = paymentForSession(tx, event.data.object)
      if (!payment || payment.status !== 'open') return { ok: true, outcome: 'ignored' }
      const status = event.type === 'checkout.session.expired' ? 'expired' : 'failed'
      tx.update(payments).set({ status, updatedAt: now() }).where(eq(payments.id, payment.id)).run()
      return { ok: true, outcome: status }
    }
    case 'charge.refunded': {
      const charge = event.data.object
      const intent = idOf(charge.payment_intent)
      if (!intent) return { ok: true, outcome: 'ignored' }
      const payment = tx.select().from(payments).where(eq(payments.paymentIntentId, intent)).get()
      // A refund of a payment whose completion has not arrived yet: let the provider retry.
      if (!payment || payment.donationId === null) throw new RetryLater(`refund for unknown or uncompleted payment intent ${intent}`)
      // Only a full refund reverses the entry (a correction reverses the whole amount).
      if (!charge.refunded) return { ok: true, outcome: 'ignored' }
      const original = tx.select({ receiptNo: donations.receiptNo }).from(donations).where(eq(donations.id, payment.donationId)).get()
      if (!original) return { ok: true, outcome: 'ignored' }
      // recordCorrection refuses a second reversal, so a repeated refund event changes nothing.
      const correction = recordCorrection(tx, { originalReceipt: original.receiptNo, reason: '退款', recordedBy: null })
      if (!correction.ok) return { ok: true, outcome: 'ignored' }
      if (payment.needId !== null) refreshNeedStatus(tx, payment.needId)
      enqueueNotification(tx, {
        userId: payment.userId,
        template: 'payment.refunded',
        subject: '捐款已退款',
        body: `您的捐款 ${formatFen(payment.amountFen)}（收据 ${original.receiptNo}）已退款，公开捐赠记录中已登记更正 ${correction.entry.receiptNo}。`,
        dedupeKey: `payment.refunded.${payment.id}`,
      })
      return { ok: true, outcome: 'refunded' }
    }
    default:
      return { ok: true, outcome: 'ignored' }
  }
}

/**
 * Apply one verified provider event, exactly once: the event id goes into processed_events in
 * the same transaction as its effect, so duplicate deliveries do nothing and out-of-order ones
 * find the payment already in its final state.
 */
export function handleStripeEvent(event: Stripe.Event): HandleEventResult {
  try {
    return writeTransaction((tx) => handleInTx(tx, event))
  } catch (error) {
    if (error instanceof RetryLater) return { ok: false, retry: true, message: error.message }
    throw error
  }
}
