import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { formatFen } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { invariantFound, notFound } from '~/utils/http.server'

// Local stand-in for Stripe Checkout, active only while STRIPE_SECRET_KEY is unset (the
// MockProvider). Its buttons post a correctly signed webhook to the site's own
// /webhooks/stripe over HTTP, exactly as Stripe would, then return to /give/done.

function randomHex(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, '')
}

export const meta: MetaFunction = () => pageMeta({ title: '模拟支付', description: '本地开发用的模拟支付页面' })

async function mockSessionId(params: { sessionId?: string }) {
  const { isMockProvider } = await import('~/payments/provider.server')
  if (!isMockProvider()) notFound()
  const sessionId = params.sessionId ?? ''
  if (!/^cs_mock_[0-9a-f]+$/.test(sessionId)) notFound()
  return sessionId
}

async function loadMockPayment(params: { sessionId?: string }) {
  const sessionId = await mockSessionId(params)
  const { getPaymentBySession } = await import('~/payments/payments.server')
  const found = invariantFound(getPaymentBySession(sessionId))
  return { ...found, sessionId }
}

/** 月捐 (issue 14): a subscription-mode session of the mock provider, or null. */
async function loadMockMonthly(params: { sessionId?: string }) {
  const sessionId = await mockSessionId(params)
  const { getMonthlyGiftBySession } = await import('~/payments/monthly.server')
  return getMonthlyGiftBySession(sessionId)
}

export async function loader({ params }: LoaderFunctionArgs) {
  const monthly = await loadMockMonthly(params)
  if (monthly) {
    const { gift, homeName, targetTitle } = monthly
    return {
      sessionId: gift.checkoutSessionId ?? '',
      paymentId: gift.id,
      amountFen: gift.amountFen,
      status: gift.status,
      targetTitle,
      homeName,
      monthly: true,
    }
  }
  const { payment, targetTitle, homeName, sessionId } = await loadMockPayment(params)
  return { sessionId, paymentId: payment.id, amountFen: payment.amountFen, status: payment.status, targetTitle, homeName, monthly: false }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const intent = String((await request.formData()).get('intent') ?? '')
  if (intent !== 'succeed' && intent !== 'fail') return data({ error: '未知操作' }, { status: 400 })
  const monthly = await loadMockMonthly(params)
  if (monthly) {
    // Signed checkout.session.completed and the first invoice.paid (or the session's expiry),
    // applied by the webhook handler like Stripe's (app/payments/monthly-mock.server.ts).
    const { gift } = monthly
    if (gift.status !== 'open') return redirect(`/me/monthly`)
    const { completeMockMonthlyCheckout } = await import('~/payments/monthly-mock.server')
    if (!completeMockMonthlyCheckout(gift, intent === 'succeed'))
      return data({ error: '模拟通知处理失败，请查看服务器日志' }, { status: 502 })
    return redirect(intent === 'succeed' ? `/me/monthly?started=${gift.id}` : `/me/monthly?cancelled=${gift.id}`)
  }
  const { payment, sessionId } = await loadMockPayment(params)
  if (payment.status !== 'open') return redirect(`/give/done?payment=${payment.id}`)

  const paid = intent === 'succeed'
  const { signedMockEvent } = await import('~/payments/provider.server')
  const { payload, signature } = signedMockEvent(paid ? 'checkout.session.completed' : 'checkout.session.async_payment_failed', {
    id: sessionId,
    object: 'checkout.session',
    mode: 'payment',
    status: paid ? 'complete' : 'open',
    payment_status: paid ? 'paid' : 'unpaid',
    amount_total: payment.amountFen,
    currency: 'cny',
    client_reference_id: String(payment.id),
    metadata: { paymentId: String(payment.id) },
    payment_intent: `pi_mock_${randomHex()}`,
  })
  // The site posts to itself over loopback, as Stripe would from outside; no Host header or
  // public origin is involved.
  const { getEnv } = await import('~/utils/env.server')
  let ok = false
  try {
    const response = await fetch(`http://127.0.0.1:${getEnv().PORT}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
      body: payload,
    })
    ok = response.ok
  } catch (error) {
    console.error('mock checkout: webhook delivery failed', error)
  }
  if (!ok) return data({ error: '模拟通知发送失败，请查看服务器日志' }, { status: 502 })
  return redirect(`/give/done?payment=${payment.id}`)
}

export default function MockCheckoutPage() {
  const p = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-md space-y-6">
      <h1 className="text-2xl font-semibold">模拟支付</h1>
      <p role="note" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-stone-900">
        这是本地开发用的模拟支付页面（未配置 Stripe），不会产生真实扣款。
      </p>
      <section className="card space-y-1" aria-labelledby="order-title">
        <h2 id="order-title" className="text-lg font-semibold">
          支付 {formatFen(p.amountFen)}
          {p.monthly ? ' / 月（每月捐）' : ''}
        </h2>
        <p className="text-stone-800">收款机构：{p.homeName}</p>
        {p.targetTitle && p.targetTitle !== p.homeName ? <p className="text-stone-800">捐款用于：{p.targetTitle}</p> : null}
      </section>
      <FormMessage id="mock-checkout-error">{actionData?.error}</FormMessage>
      {p.status === 'open' ? (
        <Form method="post" className="grid gap-3">
          <button type="submit" name="intent" value="succeed" className="btn-primary w-full">
            模拟支付成功
          </button>
          <button type="submit" name="intent" value="fail" className="btn-secondary w-full">
            模拟支付失败
          </button>
        </Form>
      ) : (
        <p role="status">这笔支付已结束。</p>
      )}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
