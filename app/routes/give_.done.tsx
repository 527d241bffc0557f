import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { paymentPageHeading } from '~/payments/labels'
import { formatFen } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { invariantFound, notFound } from '~/utils/http.server'
import { parseId } from '~/utils/ids'

// The browser's return from checkout (give_ : not nested in give.tsx, which has no Outlet). It only shows the payment's status: the donation is
// recorded from the provider's webhook, never from this redirect.

export const meta: MetaFunction = () => pageMeta({ title: '捐款状态', description: '捐款状态' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const url = new URL(request.url)
  const id = parseId(url.searchParams.get('payment')) ?? notFound()
  const { getOwnPayment } = await import('~/payments/payments.server')
  const row = invariantFound(getOwnPayment(id, user.id))
  const cancelled = url.searchParams.get('cancelled') === '1'
  return {
    paymentId: row.payment.id,
    status: row.payment.status,
    amountFen: row.payment.amountFen,
    homeName: row.homeName,
    homeSlug: row.homeSlug,
    receiptNo: row.receiptNo,
    cancelled,
    heading: paymentPageHeading(row.payment.status, cancelled),
  }
}

export default function GiveDonePage() {
  const p = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">{p.heading}</h1>
      <section className="card space-y-3" aria-labelledby="status-title">
        <h2 id="status-title" className="text-lg font-semibold">
          给{p.homeName}的捐款 {formatFen(p.amountFen)}
        </h2>
        {p.status === 'completed' ? (
          <div role="status" className="space-y-2">
            <p>支付已确认，这笔捐款已记入公开捐赠记录。</p>
            {p.receiptNo ? (
              <p>
                收据编号：
                <Link to={`/ledger/${p.receiptNo}`} className="link font-mono">
                  {p.receiptNo}
                </Link>
              </p>
            ) : null}
          </div>
        ) : p.status === 'open' ? (
          <div role="status" className="space-y-2">
            {p.cancelled ? (
              <p>您取消了支付，这笔捐款没有发生。可以返回重新捐款。</p>
            ) : (
              <p>支付确认正在路上：支付服务商确认收款后，这笔捐款会记入公开捐赠记录，我们也会通知您收据编号。</p>
            )}
            <p>
              <Link to={`/give/done?payment=${p.paymentId}`} className="link" reloadDocument>
                刷新状态
              </Link>
            </p>
          </div>
        ) : p.status === 'failed' ? (
          <p role="alert">支付未成功，没有扣款，也没有记录捐款。您可以重新尝试。</p>
        ) : (
          <p role="alert">支付已过期，没有扣款，也没有记录捐款。您可以重新尝试。</p>
        )}
      </section>
      <p className="flex flex-wrap gap-4">
        <Link to={`/ledger?home=${p.homeSlug}`} className="link">
          查看{p.homeName}的公开捐赠记录
        </Link>
        {p.status !== 'completed' ? (
          <Link to={`/give?home=${p.homeSlug}`} className="link">
            重新捐款
          </Link>
        ) : null}
      </p>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
