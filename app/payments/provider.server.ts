import crypto from 'node:crypto'
import Stripe from 'stripe'

// Payment providers behind one small interface. StripeProvider talks to Stripe (or to a
// stripe-mock server via STRIPE_API_BASE); MockProvider is used when STRIPE_SECRET_KEY is unset
// and sends the donor to the local mock checkout page, which posts a signed webhook back.
// Configuration is read at call time (not cached) so tests can switch providers.

export const LOCAL_MOCK_WEBHOOK_SECRET = 'whsec_weinuan_local_mock'

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
}

export function stripeSecretKey(): string | undefined {
  return process.env.STRIPE_SECRET_KEY || undefined
}

/**
 * The webhook signing secret. With a real key it must be configured: the local default is
 * public, so accepting it would let anyone forge a payment. null then (webhooks refused).
 */
export function webhookSecret(): string | null {
  const configured = process.env.STRIPE_WEBHOOK_SECRET
  if (configured && !(stripeSecretKey() && configured === LOCAL_MOCK_WEBHOOK_SECRET)) return configured
  return stripeSecretKey() || !mockPaymentsAllowed() ? null : LOCAL_MOCK_WEBHOOK_SECRET
}

/**
 * The mock checkout lets anyone "pay", so it runs only where it is explicitly allowed:
 * PAYMENTS_MOCK=true (scripts/start sets it for local runs, the e2e server too), or by default
 * outside production. A production site without a Stripe key has no online gifts at all.
 */
export function mockPaymentsAllowed(): boolean {
  const flag = process.env.PAYMENTS_MOCK
  if (flag) return flag === 'true'
  return process.env.NODE_ENV !== 'production'
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
}

export class MockProvider implements PaymentProvider {
  readonly name = 'mock' as const

  async createCheckout({ origin }: CreateCheckoutInput): Promise<CheckoutSession> {
    const checkoutSessionId = `cs_mock_${crypto.randomBytes(12).toString('hex')}`
    return { checkoutSessionId, url: `${origin}/dev/mock-checkout/${checkoutSessionId}` }
  }
}

export function paymentProvider(): PaymentProvider {
  return isMockProvider() ? new MockProvider() : new StripeProvider()
}
