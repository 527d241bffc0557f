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
