import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { getParcelLabel } from '~/claims/claims.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { PrintLayout } from '~/components/print-layout'
import { QrCode } from '~/components/qr-code'
import { pageMeta } from '~/utils/meta'
import { siteQrCode } from '~/utils/qr.server'
import { invariantFound, requireIdParam } from '~/utils/http.server'

// A label the donor prints and sticks on the parcel. Its QR opens the home's 签收 page for this
// reference code, so staff receive the gift with one scan.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const label = invariantFound(getParcelLabel(user.id, requireIdParam(params, 'claimId')))
  const qr = await siteQrCode(request, `/staff/${label.homeSlug}/receive?code=${encodeURIComponent(label.referenceCode)}`)
  return { label, qrSvg: qr.svg }
}

export const meta: MetaFunction = () => [
  ...pageMeta({ title: '包裹标签', description: '打印后贴在包裹上' }),
  { name: 'robots', content: 'noindex' },
]

export default function ParcelLabelPage() {
  const { label, qrSvg } = useLoaderData<typeof loader>()
  return (
    <PrintLayout
      paper={{ size: 'A6', margin: '6mm' }}
      printLabel="打印标签"
      back={{ to: '/me/claims', label: '返回我的认领' }}
      hint="打印后贴在包裹外侧（也可使用浏览器菜单中的“打印”）。没有打印机时，请在包裹上手写认领编号。"
    >
      <article className="mx-auto max-w-sm space-y-3 rounded-xl border-4 border-dashed border-stone-800 bg-white p-5 print:border-2 print:shadow-none">
        <p className="text-sm font-semibold text-stone-700">微暖 · 微心愿包裹</p>
        <p>
          <span className="block text-sm text-stone-700">收件机构</span>
          <span className="text-lg font-semibold">{label.home}</span>
        </p>
        {label.deliveryAddress ? (
          <p>
            <span className="block text-sm text-stone-700">送达地址</span>
            {label.deliveryAddress}
            {label.homePhone ? `（${label.homePhone}）` : ''}
          </p>
        ) : null}
        {label.shippingRecipient || label.shippingPhone ? (
          <p>
            <span className="block text-sm text-stone-700">收件人 / 联系电话</span>
            {label.shippingRecipient || label.home}
            {label.shippingPhone ? ` ${label.shippingPhone}` : ''}
          </p>
        ) : null}
        <p>
          <span className="block text-sm text-stone-700">认领编号</span>
          <span className="font-mono text-3xl font-bold tracking-wider" data-testid="label-code">
            {label.referenceCode}
          </span>
        </p>
        <p className="text-sm text-stone-800">
          {label.pseudonym}的心愿：{label.title}
          {label.quantity > 1 ? ` × ${label.quantity}` : ''}
        </p>
        <div className="flex items-center gap-3">
          <QrCode svg={qrSvg} label="签收二维码" className="size-28" />
          <p className="text-xs text-stone-700">机构工作人员扫码即可签收</p>
        </div>
      </article>
    </PrintLayout>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
