import type { ActionFunctionArgs } from '@remix-run/node'
import type Stripe from 'stripe'
import { handleStripeEvent } from '~/payments/payments.server'
import { stripeClient, webhookSecret } from '~/payments/provider.server'

// Stripe's webhook endpoint (resource route). The signature is checked on the raw body with
// the default 300 s timestamp tolerance; only then is the event applied, exactly once.
// Stripe sends no Origin header, so the CSRF origin check in server/security.ts lets it pass.

function reply(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } })
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return reply({ error: 'method not allowed' }, 405)
  const raw = await request.text()
  const signature = request.headers.get('stripe-signature')
  if (!signature) return reply({ error: 'missing Stripe-Signature header' }, 400)
  const secret = webhookSecret()
  if (!secret) {
    console.error('webhooks.stripe: STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not; refusing the webhook')
    return reply({ error: 'webhook secret not configured' }, 503)
  }
  let event: Stripe.Event
  try {
    event = stripeClient().webhooks.constructEvent(raw, signature, secret)
  } catch {
    return reply({ error: 'invalid signature' }, 400)
  }
  const result = handleStripeEvent(event)
  if (!result.ok) return reply({ error: result.message }, 500)
  return reply({ received: true, outcome: result.outcome }, 200)
}

export function loader() {
  return reply({ error: 'method not allowed' }, 405)
}
