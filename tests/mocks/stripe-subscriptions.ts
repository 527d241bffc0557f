import { http, HttpResponse } from 'msw'
import { STRIPE_TEST_SECRET_KEY } from './stripe'

// Stripe's subscription endpoints as the 月捐 code uses them (issue 14): a Checkout Session in
// subscription mode, retrieve / update / cancel a subscription. Tests read what was asked from
// `subscriptionSessions` and `subscriptionCalls`, and put subscriptions in `stripeSubscriptions`
// (what a completed checkout would have created). `failSubscriptionCalls` makes Stripe answer 500.

export type MockedSubscriptionSession = { id: string; url: string; idempotencyKey: string | null; form: URLSearchParams }
export const subscriptionSessions: MockedSubscriptionSession[] = []
export const subscriptionCalls: Array<{ method: string; id: string; form: URLSearchParams; idempotencyKey: string | null }> = []
export const stripeSubscriptions = new Map<
  string,
  { amountFen: number; status: string; paused: boolean; periodEnd: number; metadata: Record<string, string> }
>()
export const subscriptionControl = { fail: false }

function unauthorised(request: Request) {
  return request.headers.get('Authorization') !== `Bearer ${STRIPE_TEST_SECRET_KEY}`
    ? HttpResponse.json({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }, { status: 401 })
    : null
}

export function subscriptionObject(id: string) {
  const s = stripeSubscriptions.get(id)!
  return {
    id,
    object: 'subscription',
    status: s.status,
    pause_collection: s.paused ? { behavior: 'void', resumes_at: null } : null,
    metadata: s.metadata,
    items: {
      object: 'list',
      data: [
        {
          id: `si_${id}`,
          object: 'subscription_item',
          current_period_end: s.periodEnd,
          price: {
            id: `price_${id}_${s.amountFen}`,
            currency: 'cny',
            unit_amount: s.amountFen,
            product: `prod_${id}`,
            recurring: { interval: 'month' },
          },
        },
      ],
    },
  }
}

export const stripeSubscriptionHandlers = [
  http.post('https://api.stripe.com/v1/checkout/sessions', async ({ request }) => {
    const form = new URLSearchParams(await request.clone().text())
    if (form.get('mode') !== 'subscription') return undefined // a one-off gift: tests/mocks/stripe.ts
    const denied = unauthorised(request)
    if (denied) return denied
    const idempotencyKey = request.headers.get('Idempotency-Key')
    const required = [
      'success_url',
      'cancel_url',
      'line_items[0][price_data][currency]',
      'line_items[0][price_data][unit_amount]',
      'line_items[0][price_data][recurring][interval]',
      'metadata[monthlyGiftId]',
      'subscription_data[metadata][monthlyGiftId]',
    ]
    const missing = required.filter((k) => !form.get(k))
    if (missing.length || !idempotencyKey)
      return HttpResponse.json(
        { error: { type: 'invalid_request_error', message: `missing ${missing.join(', ') || 'Idempotency-Key'}` } },
        { status: 400 },
      )
    const earlier = subscriptionSessions.find((s) => s.idempotencyKey === idempotencyKey)
    const session = earlier ?? {
      id: `cs_test_sub_${subscriptionSessions.length + 1}_${Math.random().toString(36).slice(2, 10)}`,
      url: '',
      idempotencyKey,
      form,
    }
    if (!earlier) {
      session.url = `https://checkout.stripe.com/c/pay/${session.id}`
      subscriptionSessions.push(session)
    }
    return HttpResponse.json({
      id: session.id,
      object: 'checkout.session',
      mode: 'subscription',
      status: 'open',
      url: session.url,
      metadata: { monthlyGiftId: form.get('metadata[monthlyGiftId]') },
    })
  }),
  http.get('https://api.stripe.com/v1/subscriptions/:id', ({ params, request }) => {
    const denied = unauthorised(request)
    if (denied) return denied
    const id = String(params.id)
    if (!stripeSubscriptions.has(id))
      return HttpResponse.json({ error: { type: 'invalid_request_error', message: 'No such subscription' } }, { status: 404 })
    return HttpResponse.json(subscriptionObject(id))
  }),
  http.post('https://api.stripe.com/v1/subscriptions/:id', async ({ params, request }) => {
    const denied = unauthorised(request)
    if (denied) return denied
    const id = String(params.id)
    const form = new URLSearchParams(await request.text())
    subscriptionCalls.push({ method: 'update', id, form, idempotencyKey: request.headers.get('Idempotency-Key') })
    if (subscriptionControl.fail) return HttpResponse.json({ error: { type: 'api_error', message: 'down' } }, { status: 500 })
    const sub = stripeSubscriptions.get(id)
    if (!sub) return HttpResponse.json({ error: { type: 'invalid_request_error', message: 'No such subscription' } }, { status: 404 })
    const amount = form.get('items[0][price_data][unit_amount]')
    if (amount) sub.amountFen = Number(amount)
    if (form.has('pause_collection[behavior]')) sub.paused = true
    else if (form.has('pause_collection')) sub.paused = false
    return HttpResponse.json(subscriptionObject(id))
  }),
  http.delete('https://api.stripe.com/v1/subscriptions/:id', ({ params, request }) => {
    const denied = unauthorised(request)
    if (denied) return denied
    const id = String(params.id)
    subscriptionCalls.push({ method: 'cancel', id, form: new URLSearchParams(), idempotencyKey: request.headers.get('Idempotency-Key') })
    if (subscriptionControl.fail) return HttpResponse.json({ error: { type: 'api_error', message: 'down' } }, { status: 500 })
    const sub = stripeSubscriptions.get(id)
    if (!sub) return HttpResponse.json({ error: { type: 'invalid_request_error', message: 'No such subscription' } }, { status: 404 })
    sub.status = 'canceled'
    return HttpResponse.json(subscriptionObject(id))
  }),
]
