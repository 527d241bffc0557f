import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { checkinPath, getBookingSlip } from '~/bookings/bookings.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { PrintLayout } from '~/components/print-layout'
import { QrCode } from '~/components/qr-code'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { slotKindLabels } from '~/volunteers/labels'
import { siteQrCode } from '~/utils/qr.server'
import { invariantFound, requireIdParam } from '~/utils/http.server'

// 来访接待单: the slip that admits a confirmed booking. Its QR opens the home's check-in page
// for this booking's code, so staff check the party in with one scan. Owner only.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const slip = invariantFound(getBookingSlip(user.id, requireIdParam(params, 'id')))
  const qr = await siteQrCode(request, checkinPath(slip))
  return { slip, qrSvg: qr.svg }
}

export const meta: MetaFunction = () => [
  ...pageMeta({ title: '来访接待单', description: '入场时出示给机构工作人员' }),
  { name: 'robots', content: 'noindex' },
]

export default function ReceptionSlipPage() {
  const { slip, qrSvg } = useLoaderData<typeof loader>()
  return (
    <PrintLayout
      paper={{ size: 'A5', margin: '8mm' }}
      printLabel="打印接待单"
      back={{ to: `/me/bookings#booking-${slip.id}`, label: '返回我的预约' }}
      hint="入场时请向工作人员出示本页（手机出示或打印均可）。"
    >
      <article
        aria-labelledby="slip-title"
        className="mx-auto max-w-md space-y-4 rounded-xl border-2 border-stone-800 bg-white p-5 print:shadow-none"
      >
        <div>
          <p className="text-sm font-semibold text-stone-700">微暖 · {slotKindLabels[slip.slotKind]}</p>
          <h1 id="slip-title" className="text-2xl font-bold">
            来访接待单
          </h1>
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-2">
          <dt className="text-stone-700">机构</dt>
          <dd className="font-semibold">{slip.home}</dd>
          <dt className="text-stone-700">活动</dt>
          <dd>{slip.title}</dd>
          <dt className="text-stone-700">时间</dt>
          <dd>
            {formatDateTime(slip.startsAt)} – {formatDateTime(slip.endsAt)}
          </dd>
          <dt className="text-stone-700">地点</dt>
          <dd>{slip.location || slip.homeAddress || slip.home}</dd>
          <dt className="text-stone-700">来访人数</dt>
          <dd>
            {slip.kind === 'group' && slip.organisation ? `${slip.organisation} · ` : ''}
            {slip.partySize} 人
          </dd>
          <dt className="text-stone-700">联系人</dt>
          <dd>{slip.contactName}</dd>
          {slip.homePhone ? (
            <>
              <dt className="text-stone-700">机构电话</dt>
              <dd>{slip.homePhone}</dd>
            </>
          ) : null}
        </dl>
        <div className="flex items-center gap-4 border-t border-stone-300 pt-4">
          <QrCode svg={qrSvg} label="签到二维码" />
          <p>
            <span className="block text-sm text-stone-700">预约码</span>
            <span className="font-mono text-4xl font-bold tracking-widest" data-testid="slip-code">
              {slip.code}
            </span>
            <span className="mt-1 block text-xs text-stone-700">工作人员扫码或输入预约码签到</span>
          </p>
        </div>
      </article>
    </PrintLayout>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
