import crypto from 'node:crypto'
import { and, desc, eq } from 'drizzle-orm'
import { db } from '~db/client.server'
import { monthlyGiftCharges, monthlyGifts } from '~db/schema'
import { now } from '~/utils/clock.server'
import { dueMockMonthlyGifts, type MonthlyGift } from './monthly.server'
import { handleStripeEvent, type HandleEventResult } from './payments.server'
import { isMockProvider, signedMockEvent, stripeClient, webhookSecret } from './provider.server'

// The mock provider's subscriptions (never in production: isMockProvider() is false there). What
// Stripe would send — checkout.session.completed, invoice.paid, invoice.payment_failed — is built
// here, signed with the webhook secret and verified and applied by the same code as a real
// delivery (constructEvent → handleStripeEvent). Nothing here writes a donation itself.

const hex = () => crypto.randomBytes(12).toString('hex')

/** Sign an event as Stripe does, verify it like the webhook route, and apply it. */
export function deliverMockEvent(type: string, object: Record<string, unknown>): HandleEventResult {
  const { payload, signature } = signedMockEvent(type, object)
  return handleStripeEvent(stripeClient().webhooks.constructEvent(payload, signature, webhookSecret() ?? ''))
}

function oneMonthAfter(at: Date): Date {
  const next = new Date(at)
  next.setUTCMonth(next.getUTCMonth() + 1)
  return next
}

function invoiceObject(gift: MonthlyGift, subscriptionId: string, fields: { id: string; paid: boolean; attempt: number; periodEnd: Date }) {
  return {
    id: fields.id,
    object: 'invoice',
    currency: 'cny',
    status: fields.paid ? 'paid' : 'open',
    amount_due: gift.amountFen,
    amount_paid: fields.paid ? gift.amountFen : 0,
    attempt_count: fields.attempt,
    next_payment_attempt: fields.paid ? null : Math.floor((now().getTime() + 3 * 24 * 3600 * 1000) / 1000),
    billing_reason: fields.attempt === 0 ? 'subscription_create' : 'subscription_cycle',
    parent: {
      type: 'subscription_details',
      subscription_details: { subscription: subscriptionId, metadata: { monthlyGiftId: String(gift.id) } },
    },
    payments: { object: 'list', data: fields.paid ? [{ payment: { type: 'payment_intent', payment_intent: `pi_mock_${hex()}` } }] : [] },
    lines: {
      object: 'list',
      data: [{ period: { start: Math.floor(now().getTime() / 1000), end: Math.floor(fields.periodEnd.getTime() / 1000) } }],
    },
  }
}

/** The mock checkout page's buttons for a subscription session: start it (and its first charge), or let it lapse. */
export function completeMockMonthlyCheckout(gift: MonthlyGift, paid: boolean): boolean {
  if (!gift.checkoutSessionId) return false
  const session = {
    id: gift.checkoutSessionId,
    object: 'checkout.session',
    mode: 'subscription',
    status: paid ? 'complete' : 'expired',
    payment_status: paid ? 'paid' : 'unpaid',
    amount_total: gift.amountFen,
    currency: 'cny',
    client_reference_id: `monthly-${gift.id}`,
    metadata: { monthlyGiftId: String(gift.id) },
    subscription: null as string | null,
    customer: `cus_mock_${hex()}`,
  }
  if (!paid) return deliverMockEvent('checkout.session.expired', session).ok
  const subscriptionId = `sub_mock_${hex()}`
  session.subscription = subscriptionId
  const linked = deliverMockEvent('checkout.session.completed', session)
  if (!linked.ok) return false
  const first = invoiceObject(gift, subscriptionId, { id: `in_mock_${hex()}`, paid: true, attempt: 1, periodEnd: oneMonthAfter(now()) })
  return deliverMockEvent('invoice.paid', { ...first, billing_reason: 'subscription_create' }).ok
}

/**
 * 模拟下一次扣款 / 模拟扣款失败: the next renewal of a mock subscription, paid or failed. After a
 * failure the same invoice is retried (as Stripe does), so a later success settles it.
 */
export function simulateMockRenewal(giftId: number, userId: number | null, paid: boolean): { ok: boolean; message?: string } {
  if (!isMockProvider()) return { ok: false, message: '只有模拟支付模式下可以模拟扣款' }
  const gift = db
    .select()
    .from(monthlyGifts)
    .where(userId === null ? eq(monthlyGifts.id, giftId) : and(eq(monthlyGifts.id, giftId), eq(monthlyGifts.userId, userId)))
    .get()
  if (!gift || gift.provider !== 'mock' || !gift.subscriptionId) return { ok: false, message: '没有找到这份模拟月捐' }
  if (gift.status !== 'active' && gift.status !== 'past_due') return { ok: false, message: '这份月捐已暂停或取消，不会扣款' }
  const pending = db
    .select()
    .from(monthlyGiftCharges)
    .where(and(eq(monthlyGiftCharges.monthlyGiftId, gift.id), eq(monthlyGiftCharges.status, 'failed')))
    .orderBy(desc(monthlyGiftCharges.id))
    .get()
  const from = gift.nextChargeAt ?? now()
  const invoice = invoiceObject(gift, gift.subscriptionId, {
    id: pending?.invoiceId ?? `in_mock_${hex()}`,
    paid,
    attempt: (pending?.attemptCount ?? 0) + 1,
    periodEnd: oneMonthAfter(from),
  })
  const result = deliverMockEvent(paid ? 'invoice.paid' : 'invoice.payment_failed', invoice)
  return result.ok ? { ok: true } : { ok: false, message: '模拟扣款未被处理，请查看服务器日志' }
}

/** Job: in mock mode, renew every mock subscription whose next charge date has passed. */
export function renewDueMockMonthlyGifts(): { renewed: number } {
  if (!isMockProvider()) return { renewed: 0 }
  let renewed = 0
  for (const gift of dueMockMonthlyGifts()) if (simulateMockRenewal(gift.id, null, true).ok) renewed++
  return { renewed }
}
