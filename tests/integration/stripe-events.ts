import crypto from 'node:crypto'
import Stripe from 'stripe'
import { action as webhookAction } from '~/routes/webhooks.stripe'
import { STRIPE_TEST_SECRET_KEY } from '~tests/mocks/stripe'
import { context, ORIGIN } from './helpers'

// Stripe events as the webhook receives them, for the tests of gifts (teams, matching, …):
// built with a fresh id each, signed here as Stripe signs them, and handed to the route.

const stripe = new Stripe(STRIPE_TEST_SECRET_KEY)

/** An event of `type` carrying `object`, with an id never used before. */
export function stripeEvent(type: string, object: Record<string, unknown>) {
  return {
    id: `evt_${crypto.randomUUID()}`,
    object: 'event',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type,
    data: { object },
  }
}

/** The payment intent the events below give payment `paymentId`. */
export function testIntent(paymentId: number, prefix: string): string {
  return `pi_${prefix}_${paymentId}`
}

/** The payment's checkout session completed and paid, for exactly its amount in CNY. */
export function checkoutCompleted(payment: { id: number; checkoutSessionId: string | null; amountFen: number }, intentPrefix: string) {
  return stripeEvent('checkout.session.completed', {
    id: payment.checkoutSessionId,
    object: 'checkout.session',
    payment_status: 'paid',
    amount_total: payment.amountFen,
    currency: 'cny',
    metadata: { paymentId: String(payment.id) },
    payment_intent: testIntent(payment.id, intentPrefix),
  })
}

/** A refund of the charge behind `paymentIntent`; `amountRefunded` is cumulative, as Stripe sends it. */
export function chargeRefunded(paymentIntent: string, amountRefunded: number, refunded: boolean) {
  return stripeEvent('charge.refunded', {
    id: `ch_${crypto.randomUUID()}`,
    object: 'charge',
    payment_intent: paymentIntent,
    refunded,
    amount_refunded: amountRefunded,
    currency: 'cny',
  })
}

/** Sign `event` with `secret` as Stripe does and hand it to POST /webhooks/stripe. */
export async function deliverSigned(event: unknown, secret: string) {
  const payload = JSON.stringify(event)
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret })
  const request = new Request(`${ORIGIN}/webhooks/stripe`, {
    method: 'POST',
    body: payload,
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
  })
  const response = await webhookAction({ request, params: {}, context: context() })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}
