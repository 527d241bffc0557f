import crypto from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import type Stripe from 'stripe'
import { db, writeTransaction, type Tx } from '~db/client.server'
import { campaigns, donations, institutions, needs, payments, processedEvents, users, wishes } from '~db/schema'
import type { paymentTargets, PublicDisplay } from '~db/enums'
import { correctedSoFar, recordCorrection, recordDonation, type Designation } from '~/donations/ledger.server'
import { applyMatching, reverseMatching } from '~/matching/matching.server'
import { refreshNeedStatus } from '~/needs/progress.server'
import { TEAM_NOT_ACCEPTING, teamAcceptsGift, teamGiftCompleted, teamGiftCorrected } from '~/teams/teams.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { formatFen } from '~/utils/format'
import { parseId } from '~/utils/ids'
import { isOpenToClaim } from '~/wishes/claimable.server'
import { ONLINE_GIFTS_UNAVAILABLE, onlineGiftsAvailable, paymentProvider } from './provider.server'
import { MAX_GIFT_FEN, MIN_GIFT_FEN } from './amount'
import {
  isMonthlySession,
  monthlyChargeRefunded,
  monthlyCheckoutEvent,
  monthlyInvoiceFailed,
  monthlyInvoicePaid,
  monthlySubscriptionChanged,
  type MonthlyEventResult,
} from './monthly.server'

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
    return {
      ...base,
      institutionId: row.home.id,
      institutionName: row.home.name,
      institutionSlug: row.home.slug,
      title: row.campaign.name,
      campaignId: row.campaign.id,
    }
  }
  if (target === 'wish') {
    const row = tx
      .select({ wish: wishes, home: institutions, campaignEndsAt: campaigns.endsAt })
      .from(wishes)
      .innerJoin(institutions, eq(institutions.id, wishes.institutionId))
      .leftJoin(campaigns, eq(campaigns.id, wishes.campaignId))
      .where(eq(wishes.id, targetId))
      .get()
    if (!row || !isOpenToClaim({ status: row.wish.status, campaignEndsAt: row.campaignEndsAt }, now())) return null
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
  const row = tx
    .select({ need: needs, home: institutions })
    .from(needs)
    .innerJoin(institutions, eq(institutions.id, needs.institutionId))
    .where(eq(needs.id, targetId))
    .get()
  if (!row || !(NEED_OPEN as readonly string[]).includes(row.need.status)) return null
  return {
    ...base,
    institutionId: row.home.id,
    institutionName: row.home.name,
    institutionSlug: row.home.slug,
    title: row.need.title,
    needId: row.need.id,
  }
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
    const id = parseId(raw)
    return id === null ? null : resolveGiftTarget(target, id)
  }
  return null
}

/**
 * A wish, need or campaign named in the /give query that exists in public but no longer takes
 * gifts (a fulfilled wish, a fully received need, an ended campaign): what to tell the donor and
 * which home they may give to instead. Null when the query names nothing public.
 */
export function closedGiftTargetFromQuery(
  params: URLSearchParams,
): { title: string; message: string; institutionName: string; institutionSlug: string } | null {
  const home = (id: number) =>
    db.select({ name: institutions.name, slug: institutions.slug }).from(institutions).where(eq(institutions.id, id)).get()
  const campaign = params.get('campaign')
  if (campaign !== null) {
    const row = db.select().from(campaigns).where(eq(campaigns.slug, campaign)).get()
    const h = row ? home(row.ownerInstitutionId) : undefined
    return row && h
      ? { title: row.name, message: '这个活动已经结束，不再接受捐款。', institutionName: h.name, institutionSlug: h.slug }
      : null
  }
  const wishId = params.has('wish') ? parseId(params.get('wish')) : null
  if (wishId !== null) {
    const row = db
      .select({ title: wishes.title, status: wishes.status, institutionId: wishes.institutionId })
      .from(wishes)
      .where(eq(wishes.id, wishId))
      .get()
    // Drafts and withdrawn wishes are not public: nothing to say about them.
    if (!row || row.status === 'draft' || row.status === 'withdrawn') return null
    const message =
      row.status === 'fulfilled'
        ? '这个心愿已经实现，礼物已交到孩子手中，不再接受捐款。'
        : row.status === 'received'
          ? '机构已收到这个心愿的礼物，不再接受捐款。'
          : row.status === 'claimed'
            ? '这个心愿已有爱心人士认领，不再接受捐款。'
            : '这个心愿所属的活动已经结束，不再接受捐款。'
    const h = home(row.institutionId)
    return h ? { title: row.title, message, institutionName: h.name, institutionSlug: h.slug } : null
  }
  const needId = params.has('need') ? parseId(params.get('need')) : null
  if (needId !== null) {
    const row = db
      .select({ title: needs.title, status: needs.status, institutionId: needs.institutionId })
      .from(needs)
      .where(eq(needs.id, needId))
      .get()
    if (!row || row.status === 'cancelled') return null
    const h = home(row.institutionId)
    const message = row.status === 'fully_received' ? '这项物资需求已全部收到，不再接受捐款。' : '这项物资需求已经结束，不再接受捐款。'
    return h ? { title: row.title, message, institutionName: h.name, institutionSlug: h.slug } : null
  }
  return null
}

/** Whether the /give query names any target at all (home, campaign, wish or need). */
export function namesGiftTarget(params: URLSearchParams): boolean {
  return ['home', 'campaign', 'wish', 'need'].some((k) => params.has(k))
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
  /** 一起捐: the team page the gift is given through (app/teams), if any. */
  teamId?: number | null
}): Promise<StartGiftResult> {
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen < MIN_GIFT_FEN || input.amountFen > MAX_GIFT_FEN) {
    return { ok: false, message: '每笔捐款金额须在 ¥1 至 ¥50,000 之间' }
  }
  if (!onlineGiftsAvailable()) return { ok: false, message: ONLINE_GIFTS_UNAVAILABLE }
  const provider = paymentProvider()
  const created = writeTransaction((tx) => {
    const target = resolveGiftTarget(input.target, input.targetId, tx)
    if (!target) return null
    if (input.teamId != null && !teamAcceptsGift(tx, input.teamId, target)) return 'team_closed' as const
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
        teamId: input.teamId ?? null,
        status: 'open',
        createdAt: now(),
      })
      .returning()
      .get()
    return { payment, target }
  })
  if (!created) return { ok: false, message: '这个捐款对象已不再接受捐款' }
  if (created === 'team_closed') return { ok: false, message: TEAM_NOT_ACCEPTING }
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
      tx.update(payments)
        .set({ status: 'failed', updatedAt: now() })
        .where(and(eq(payments.id, payment.id), eq(payments.status, 'open')))
        .run()
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

/** The webhook events this site handles (configure the Stripe endpoint to send these). */
export const HANDLED_STRIPE_EVENTS = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'charge.refunded',
  'charge.dispute.closed',
  // 月捐 (issue 14, app/payments/monthly.server.ts)
  'invoice.paid',
  'invoice.payment_failed',
  'customer.subscription.updated',
  'customer.subscription.deleted',
] as const

export type HandleEventResult =
  | {
      ok: true
      outcome: 'duplicate' | 'recorded' | 'ignored' | 'failed' | 'expired' | 'refunded' | 'disputed' | 'pending' | 'rejected' | 'updated'
    }
  /** Not processed (nothing stored): the webhook answers 500 so the provider delivers it again. */
  | { ok: false; retry: true; message: string }

class RetryLater extends Error {}

/** A monthly gift's event result as this handler's answer (issue 14). */
function monthlyOutcome(result: MonthlyEventResult): HandleEventResult {
  if ('retry' in result) throw new RetryLater(result.retry)
  return result
}

const GIFT_CURRENCY = 'cny'

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null
  return typeof value === 'string' ? value : value.id
}

function paymentForSession(tx: Tx, session: Stripe.Checkout.Session): Payment | undefined {
  const bySession = tx.select().from(payments).where(eq(payments.checkoutSessionId, session.id)).get()
  if (bySession) return bySession
  const metaId = parseId(session.metadata?.paymentId)
  if (metaId === null) return undefined
  return tx.select().from(payments).where(eq(payments.id, metaId)).get()
}

/** Why a session event does not belong to this payment (or to what was asked for), or null. */
function sessionMismatch(payment: Payment, session: Stripe.Checkout.Session, checkAmount: boolean): string | null {
  // Found through metadata before startGift stored the session id: let the provider retry.
  if (payment.checkoutSessionId === null) throw new RetryLater(`payment ${payment.id} has no checkout session id yet`)
  if (payment.checkoutSessionId !== session.id)
    return `session id ${session.id} is not payment ${payment.id}'s session ${payment.checkoutSessionId}`
  if (!checkAmount) return null
  if ((session.currency ?? '').toLowerCase() !== GIFT_CURRENCY) return `currency ${session.currency} is not ${GIFT_CURRENCY}`
  if (session.amount_total !== payment.amountFen)
    return `amount_total ${session.amount_total} is not the payment's ${payment.amountFen} fen`
  return null
}

/** Keep the event as processed with its error (so it is not retried) and record nothing. */
function rejectEvent(tx: Tx, event: Stripe.Event, error: string): HandleEventResult {
  tx.update(processedEvents).set({ error }).where(eq(processedEvents.eventId, event.id)).run()
  console.error(`payments: webhook event ${event.id} (${event.type}) rejected: ${error}`)
  return { ok: true, outcome: 'rejected' }
}

/** The completed payment behind a charge's payment intent; retry later while it is not completed. */
function completedPaymentForIntent(tx: Tx, intent: string | null, what: string): Payment & { donationId: number } {
  const payment = intent ? tx.select().from(payments).where(eq(payments.paymentIntentId, intent)).get() : undefined
  // A refund or dispute of a payment whose completion has not arrived yet: let the provider retry.
  if (!payment || payment.donationId === null) throw new RetryLater(`${what} for unknown or uncompleted payment intent ${intent}`)
  return payment as Payment & { donationId: number }
}

/**
 * Reverse `amountFen` more of a completed gift (bounded by what is still unreversed) as a
 * correction entry with a published reason, and tell the donor. Returns false when nothing is
 * left to reverse.
 */
function correctGift(
  tx: Tx,
  payment: Payment & { donationId: number },
  amountFen: number,
  reason: (part: { amountFen: number; wholeRest: boolean; partial: boolean }) => string,
  notice: string,
): boolean {
  const original = tx
    .select({ receiptNo: donations.receiptNo, amountFen: donations.amountFen })
    .from(donations)
    .where(eq(donations.id, payment.donationId))
    .get()
  if (!original || original.amountFen === null) return false
  const left = original.amountFen - correctedSoFar(tx, payment.donationId).amountFen
  const part = Math.min(amountFen, left)
  if (part <= 0) return false
  const correction = recordCorrection(tx, {
    originalReceipt: original.receiptNo,
    reason: reason({ amountFen: part, wholeRest: part === left, partial: part < original.amountFen }),
    recordedBy: null,
    amountFen: part,
  })
  if (!correction.ok) return false
  // 配捐 (docs/decisions/024): the same share of the gift's match is reversed, same transaction.
  reverseMatching(tx, { giftDonationId: payment.donationId, reason: notice })
  if (payment.needId !== null) refreshNeedStatus(tx, payment.needId)
  teamGiftCorrected(tx, payment, part, part === left)
  enqueueNotification(tx, {
    userId: payment.userId,
    template: 'payment.refunded',
    subject: notice,
    body: `您的捐款 ${formatFen(payment.amountFen)}（收据 ${original.receiptNo}）${notice} ${formatFen(part)}，公开捐赠记录中已登记更正 ${correction.entry.receiptNo}。`,
    dedupeKey: `payment.refunded.${payment.id}.${correction.entry.id}`,
  })
  return true
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
  // 配捐 (docs/decisions/024): the matched entry, if a live pledge covers this gift, same transaction.
  applyMatching(tx, { institutionId: payment.institutionId, campaignId: payment.campaignId, gift: entry })
  tx.update(payments)
    .set({ status: 'completed', donationId: entry.id, paymentIntentId: paymentIntentId ?? payment.paymentIntentId, updatedAt: now() })
    .where(eq(payments.id, payment.id))
    .run()
  if (payment.needId !== null) refreshNeedStatus(tx, payment.needId)
  teamGiftCompleted(tx, payment)
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
  const inserted = tx
    .insert(processedEvents)
    .values({ eventId: event.id, type: event.type, processedAt: now() })
    .onConflictDoNothing()
    .run()
  if (inserted.changes === 0) return { ok: true, outcome: 'duplicate' }

  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object
      if (isMonthlySession(session)) return monthlyOutcome(monthlyCheckoutEvent(tx, event, session))
      const payment = paymentForSession(tx, session)
      if (!payment) return { ok: true, outcome: 'ignored' }
      // Only the payment's own session, for exactly the amount and currency it was opened with.
      const mismatch = sessionMismatch(payment, session, true)
      if (mismatch) return rejectEvent(tx, event, mismatch)
      const intent = idOf(session.payment_intent)
      if (event.type === 'checkout.session.completed' && session.payment_status !== 'paid') {
        // Async methods: paid later (async_payment_succeeded) or not at all.
        if (intent && !payment.paymentIntentId)
          tx.update(payments).set({ paymentIntentId: intent, updatedAt: now() }).where(eq(payments.id, payment.id)).run()
        return { ok: true, outcome: 'pending' }
      }
      return { ok: true, outcome: completePayment(tx, payment, intent) }
    }
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const session = event.data.object
      if (isMonthlySession(session)) return monthlyOutcome(monthlyCheckoutEvent(tx, event, session))
      const payment = paymentForSession(tx, session)
      if (!payment || payment.status !== 'open') return { ok: true, outcome: 'ignored' }
      const mismatch = sessionMismatch(payment, session, false)
      if (mismatch) return rejectEvent(tx, event, mismatch)
      const status = event.type === 'checkout.session.expired' ? 'expired' : 'failed'
      tx.update(payments).set({ status, updatedAt: now() }).where(eq(payments.id, payment.id)).run()
      return { ok: true, outcome: status }
    }
    case 'charge.refunded': {
      // amount_refunded is cumulative: only the part not yet corrected is recorded, so repeated
      // and out-of-order events never count a refund twice.
      const charge = event.data.object
      const monthly = monthlyChargeRefunded(tx, event, charge)
      if (monthly) return monthlyOutcome(monthly)
      const payment = completedPaymentForIntent(tx, idOf(charge.payment_intent), 'refund')
      if ((charge.currency ?? GIFT_CURRENCY).toLowerCase() !== GIFT_CURRENCY)
        return rejectEvent(tx, event, `refund currency ${charge.currency} is not ${GIFT_CURRENCY}`)
      const refundedTotal = charge.refunded ? payment.amountFen : Math.min(charge.amount_refunded ?? 0, payment.amountFen)
      const newly = refundedTotal - payment.refundedFen
      if (newly <= 0) return { ok: true, outcome: 'ignored' }
      tx.update(payments).set({ refundedFen: refundedTotal, updatedAt: now() }).where(eq(payments.id, payment.id)).run()
      const corrected = correctGift(
        tx,
        payment,
        newly,
        (part) =>
          !part.partial ? '退款' : part.wholeRest ? `退款（余下 ${formatFen(part.amountFen)}）` : `部分退款 ${formatFen(part.amountFen)}`,
        '已退款',
      )
      return { ok: true, outcome: corrected ? 'refunded' : 'ignored' }
    }
    case 'charge.dispute.closed': {
      // A lost dispute (chargeback) takes the disputed amount back: a correction for it,
      // bounded by what refunds have left. A won one changes nothing.
      const dispute = event.data.object
      if (dispute.status !== 'lost') return { ok: true, outcome: 'ignored' }
      const payment = completedPaymentForIntent(tx, idOf(dispute.payment_intent), 'dispute')
      if ((dispute.currency ?? '').toLowerCase() !== GIFT_CURRENCY)
        return rejectEvent(tx, event, `dispute currency ${dispute.currency} is not ${GIFT_CURRENCY}`)
      const disputedTotal = Math.min(dispute.amount, payment.amountFen)
      const newly = disputedTotal - payment.disputedFen
      if (newly <= 0) return { ok: true, outcome: 'ignored' }
      tx.update(payments).set({ disputedFen: disputedTotal, updatedAt: now() }).where(eq(payments.id, payment.id)).run()
      const corrected = correctGift(
        tx,
        payment,
        newly,
        (part) =>
          !part.partial
            ? '争议败诉'
            : part.wholeRest
              ? `争议败诉（余下 ${formatFen(part.amountFen)}）`
              : `争议败诉 ${formatFen(part.amountFen)}`,
        '因支付争议被退回',
      )
      return { ok: true, outcome: corrected ? 'disputed' : 'ignored' }
    }
    // 月捐 (issue 14): each handled in app/payments/monthly.server.ts.
    case 'invoice.paid':
      return monthlyOutcome(monthlyInvoicePaid(tx, event, event.data.object))
    case 'invoice.payment_failed':
      return monthlyOutcome(monthlyInvoiceFailed(tx, event, event.data.object))
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return monthlyOutcome(monthlySubscriptionChanged(tx, event, event.data.object))
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
