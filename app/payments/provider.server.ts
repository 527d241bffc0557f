import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Stripe from 'stripe'
import { getEnv } from '~/utils/env.server'

// Payment providers behind one small interface. StripeProvider talks to Stripe (or to a
// stripe-mock server via STRIPE_API_BASE); MockProvider is used when STRIPE_SECRET_KEY is unset
// and sends the donor to the local mock checkout page, which posts a signed webhook back.
// Configuration is read at call time (not cached) so tests can switch providers.

/**
 * The fixed local secret older versions signed mock webhooks with. It is public (it was in the
 * source), so it is never accepted: production refuses to start with it, and elsewhere the mock
 * uses a random secret of its own (localMockWebhookSecret).
 */
export const PUBLIC_MOCK_WEBHOOK_SECRET = 'whsec_weinuan_local_mock'

const mockSecrets = new Map<string, string>()

/**
 * The mock checkout's signing secret: random, made on first use and kept (mode 0600) in
 * $DATA_DIR/mock-webhook-secret so that it survives restarts. Nobody can read it in the source.
 */
export function localMockWebhookSecret(): string {
  const file = path.resolve(getEnv().DATA_DIR, 'mock-webhook-secret')
  const cached = mockSecrets.get(file)
  if (cached) return cached
  let secret = ''
  try {
    secret = fs.readFileSync(file, 'utf8').trim()
  } catch {
    // not made yet
  }
  if (!/^whsec_[0-9a-f]{64}$/.test(secret)) {
    secret = `whsec_${crypto.randomBytes(32).toString('hex')}`
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 })
  }
  mockSecrets.set(file, secret)
  return secret
}

export type CheckoutPayment = {
  id: number
  idempotencyKey: string
  amountFen: number
  /** What the donor sees on the checkout page, e.g. "捐款：滨州市福利院". */
  description: string
}

export type CreateCheckoutInput = { payment: CheckoutPayment; successUrl: string; cancelUrl: string; origin: string }
export type CheckoutSession = { checkoutSessionId: string; url: string }

export interface PaymentProvider {
  readonly name: 'stripe' | 'mock'
  createCheckout(input: CreateCheckoutInput): Promise<CheckoutSession>
  // 月捐 (issue 14): subscriptions, one monthly price per gift (app/payments/monthly.server.ts).
  createSubscriptionCheckout(input: CreateSubscriptionCheckoutInput): Promise<CheckoutSession>
  /** Change the monthly amount from the next charge on (no proration). */
  updateSubscriptionAmount(subscriptionId: string, amountFen: number, idempotencyKey: string): Promise<SubscriptionSnapshot>
  /** Pause (pause_collection: void, nothing is charged) or resume charging. */
  setSubscriptionPaused(subscriptionId: string, paused: boolean, idempotencyKey: string): Promise<SubscriptionSnapshot>
  /** Cancel now (not at the period's end). */
  cancelSubscription(subscriptionId: string, idempotencyKey: string): Promise<SubscriptionSnapshot>
}

export type CreateSubscriptionCheckoutInput = {
  gift: CheckoutPayment
  successUrl: string
  cancelUrl: string
  origin: string
}

/** A subscription as the provider left it after a change; nulls: the provider said nothing (mock). */
export type SubscriptionSnapshot = {
  status: 'active' | 'past_due' | 'paused' | 'cancelled' | 'open' | null
  amountFen: number | null
  nextChargeAt: Date | null
}

type StripeSubscriptionLike = {
  status: string
  pause_collection?: unknown
  current_period_end?: number | null
  items?: { data?: Array<{ id?: string; current_period_end?: number | null; price?: { unit_amount?: number | null; product?: unknown } }> }
}

/** Read the parts of a Stripe subscription object this site uses (old and new API shapes). */
export function subscriptionSnapshot(sub: StripeSubscriptionLike): SubscriptionSnapshot {
  const item = sub.items?.data?.[0]
  const end = item?.current_period_end ?? sub.current_period_end ?? null
  const status =
    sub.status === 'canceled' || sub.status === 'incomplete_expired'
      ? 'cancelled'
      : sub.pause_collection || sub.status === 'paused'
        ? 'paused'
        : sub.status === 'past_due' || sub.status === 'unpaid'
          ? 'past_due'
          : sub.status === 'incomplete'
            ? 'open'
            : 'active'
  return { status, amountFen: item?.price?.unit_amount ?? null, nextChargeAt: end ? new Date(end * 1000) : null }
}

export function stripeSecretKey(): string | undefined {
  return process.env.STRIPE_SECRET_KEY || undefined
}

/**
 * The webhook signing secret, or null when webhooks are refused. With a real key it must be
 * configured (and not the public mock value). Without a key only the mock checkout's webhooks
 * are taken, signed with its random local secret; where the mock is off (always in
 * production) the endpoint accepts nothing.
 */
export function webhookSecret(): string | null {
  const configured = process.env.STRIPE_WEBHOOK_SECRET || undefined
  const usable = configured && configured !== PUBLIC_MOCK_WEBHOOK_SECRET ? configured : undefined
  if (stripeSecretKey()) return usable ?? null
  if (!mockPaymentsAllowed()) return null
  return usable ?? localMockWebhookSecret()
}

/**
 * The mock checkout lets anyone "pay", so it never runs in production (where PAYMENTS_MOCK=true
 * makes the server refuse to start). Elsewhere it is on unless PAYMENTS_MOCK=false.
 */
export function mockPaymentsAllowed(): boolean {
  if (process.env.NODE_ENV === 'production') return false
  return process.env.PAYMENTS_MOCK !== 'false'
}

export function isMockProvider(): boolean {
  return !stripeSecretKey() && mockPaymentsAllowed()
}

export const ONLINE_GIFTS_UNAVAILABLE = '在线捐款暂未开通，请联系机构了解其他捐赠方式（如现场或银行转账）'

/** Whether online money gifts can be taken at all (a Stripe key, or the allowed mock). */
export function onlineGiftsAvailable(): boolean {
  return Boolean(stripeSecretKey()) || mockPaymentsAllowed()
}

/** A Stripe client; without a key (mock mode) it is only used for webhook signatures, no network. */
export function stripeClient(): Stripe {
  const key = stripeSecretKey() ?? 'sk_test_weinuan_mock_no_network'
  const base = process.env.STRIPE_API_BASE
  if (!base) return new Stripe(key, { maxNetworkRetries: 1 })
  const url = new URL(base)
  const protocol = url.protocol === 'http:' ? 'http' : 'https'
  return new Stripe(key, {
    host: url.hostname,
    port: url.port || (protocol === 'http' ? 80 : 443),
    protocol,
    maxNetworkRetries: 1,
  })
}

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const
  constructor(private readonly stripe: Stripe = stripeClient()) {}

  async createCheckout({ payment, successUrl, cancelUrl }: CreateCheckoutInput): Promise<CheckoutSession> {
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        // API 2026-10: the successor of payment_method_types; offers those of these methods
        // that the account supports.
        allowed_payment_method_types: ['card', 'alipay', 'wechat_pay'],
        payment_method_options: { wechat_pay: { client: 'web' } },
        line_items: [
          {
            quantity: 1,
            price_data: { currency: 'cny', unit_amount: payment.amountFen, product_data: { name: payment.description } },
          },
        ],
        metadata: { paymentId: String(payment.id) },
        client_reference_id: String(payment.id),
        success_url: successUrl,
        cancel_url: cancelUrl,
      },
      { idempotencyKey: payment.idempotencyKey },
    )
    if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL')
    return { checkoutSessionId: session.id, url: session.url }
  }

  async createSubscriptionCheckout({ gift, successUrl, cancelUrl }: CreateSubscriptionCheckoutInput): Promise<CheckoutSession> {
    const metadata = { monthlyGiftId: String(gift.id) }
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: 'subscription',
        // WeChat Pay and Alipay do not take recurring charges in Checkout: cards only.
        allowed_payment_method_types: ['card'],
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: 'cny',
              unit_amount: gift.amountFen,
              recurring: { interval: 'month' },
              product_data: { name: gift.description },
            },
          },
        ],
        metadata,
        subscription_data: { metadata },
        client_reference_id: `monthly-${gift.id}`,
        success_url: successUrl,
        cancel_url: cancelUrl,
      },
      { idempotencyKey: gift.idempotencyKey },
    )
    if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL')
    return { checkoutSessionId: session.id, url: session.url }
  }

  async updateSubscriptionAmount(subscriptionId: string, amountFen: number, idempotencyKey: string): Promise<SubscriptionSnapshot> {
    const current = await this.stripe.subscriptions.retrieve(subscriptionId)
    const item = current.items.data[0]
    if (!item) throw new Error(`subscription ${subscriptionId} has no item`)
    const product = typeof item.price.product === 'string' ? item.price.product : item.price.product.id
    const updated = await this.stripe.subscriptions.update(
      subscriptionId,
      {
        items: [{ id: item.id, price_data: { currency: 'cny', product, unit_amount: amountFen, recurring: { interval: 'month' } } }],
        proration_behavior: 'none',
      },
      { idempotencyKey },
    )
    return subscriptionSnapshot(updated)
  }

  async setSubscriptionPaused(subscriptionId: string, paused: boolean, idempotencyKey: string): Promise<SubscriptionSnapshot> {
    const updated = await this.stripe.subscriptions.update(
      subscriptionId,
      { pause_collection: paused ? { behavior: 'void' } : '' },
      { idempotencyKey },
    )
    return subscriptionSnapshot(updated)
  }

  async cancelSubscription(subscriptionId: string, idempotencyKey: string): Promise<SubscriptionSnapshot> {
    return subscriptionSnapshot(await this.stripe.subscriptions.cancel(subscriptionId, {}, { idempotencyKey }))
  }
}

export class MockProvider implements PaymentProvider {
  readonly name = 'mock' as const

  async createCheckout({ origin }: CreateCheckoutInput): Promise<CheckoutSession> {
    const checkoutSessionId = `cs_mock_${crypto.randomBytes(12).toString('hex')}`
    return { checkoutSessionId, url: `${origin}/dev/mock-checkout/${checkoutSessionId}` }
  }

  // The mock's subscriptions live only in monthly_gifts: a change is applied by the caller as it
  // would be after Stripe's answer (the snapshot says nothing beyond the change itself).
  async createSubscriptionCheckout({ origin }: CreateSubscriptionCheckoutInput): Promise<CheckoutSession> {
    const checkoutSessionId = `cs_mock_${crypto.randomBytes(12).toString('hex')}`
    return { checkoutSessionId, url: `${origin}/dev/mock-checkout/${checkoutSessionId}` }
  }

  async updateSubscriptionAmount(_id: string, amountFen: number): Promise<SubscriptionSnapshot> {
    return { status: null, amountFen, nextChargeAt: null }
  }

  async setSubscriptionPaused(_id: string, paused: boolean): Promise<SubscriptionSnapshot> {
    return { status: paused ? 'paused' : 'active', amountFen: null, nextChargeAt: null }
  }

  async cancelSubscription(): Promise<SubscriptionSnapshot> {
    return { status: 'cancelled', amountFen: null, nextChargeAt: null }
  }
}

/**
 * A Stripe event as the mock provider sends it (the shape Stripe posts), signed with the mock's
 * webhook secret: the payload and its `Stripe-Signature` header. Never used with a real key.
 */
export function signedMockEvent(type: string, object: Record<string, unknown>): { payload: string; signature: string } {
  const secret = webhookSecret()
  if (!isMockProvider() || !secret) throw new Error('mock events are only for the mock provider')
  const payload = JSON.stringify({
    id: `evt_mock_${crypto.randomBytes(12).toString('hex')}`,
    object: 'event',
    api_version: null,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  })
  return { payload, signature: stripeClient().webhooks.generateTestHeaderString({ payload, secret }) }
}

export function paymentProvider(): PaymentProvider {
  return isMockProvider() ? new MockProvider() : new StripeProvider()
}
