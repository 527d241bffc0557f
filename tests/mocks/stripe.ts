import { http, HttpResponse } from 'msw'

// A stand-in for the Stripe endpoints the site uses (app/payments/provider.server.ts): create
// and retrieve a Checkout Session. Tests read what was requested from `stripeSessions`.
export const STRIPE_TEST_SECRET_KEY = 'sk_test_weinuan_msw'

export type MockedStripeSession = {
  id: string
  url: string
  idempotencyKey: string | null
  form: URLSearchParams
}
export const stripeSessions: MockedStripeSession[] = []

function sessionObject(s: MockedStripeSession) {
  return {
    id: s.id,
    object: 'checkout.session',
    mode: 'payment',
    status: 'open',
    payment_status: 'unpaid',
    amount_total: Number(s.form.get('line_items[0][price_data][unit_amount]')),
    currency: s.form.get('line_items[0][price_data][currency]'),
    metadata: { paymentId: s.form.get('metadata[paymentId]') },
    payment_intent: null,
    url: s.url,
  }
}

export const stripeHandlers = [
  http.post('https://api.stripe.com/v1/checkout/sessions', async ({ request }) => {
    if (request.headers.get('Authorization') !== `Bearer ${STRIPE_TEST_SECRET_KEY}`) {
      return HttpResponse.json({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }, { status: 401 })
    }
    const form = new URLSearchParams(await request.text())
    const idempotencyKey = request.headers.get('Idempotency-Key')
    const required = [
      'mode',
      'success_url',
      'cancel_url',
      'line_items[0][price_data][currency]',
      'line_items[0][price_data][unit_amount]',
      'metadata[paymentId]',
    ]
    const missing = required.filter((k) => !form.get(k))
    if (missing.length || !idempotencyKey) {
      return HttpResponse.json(
        { error: { type: 'invalid_request_error', message: `missing ${missing.join(', ') || 'Idempotency-Key'}` } },
        { status: 400 },
      )
    }
    // Stripe answers a repeated idempotency key with the first response.
    const earlier = stripeSessions.find((s) => s.idempotencyKey === idempotencyKey)
    if (earlier) return HttpResponse.json(sessionObject(earlier))
    const id = `cs_test_${stripeSessions.length + 1}_${Math.random().toString(36).slice(2, 10)}`
    const session = { id, url: `https://checkout.stripe.com/c/pay/${id}`, idempotencyKey, form }
    stripeSessions.push(session)
    return HttpResponse.json(sessionObject(session))
  }),
  http.get('https://api.stripe.com/v1/checkout/sessions/:id', ({ params, request }) => {
    if (request.headers.get('Authorization') !== `Bearer ${STRIPE_TEST_SECRET_KEY}`) {
      return HttpResponse.json({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }, { status: 401 })
    }
    const session = stripeSessions.find((s) => s.id === params.id)
    if (!session)
      return HttpResponse.json({ error: { type: 'invalid_request_error', message: 'No such checkout.session' } }, { status: 404 })
    return HttpResponse.json(sessionObject(session))
  }),
]
