import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { PrintLayout } from '~/components/print-layout'
import { QrCode } from '~/components/qr-code'
import { formatDate } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { siteQrCode } from '~/utils/qr.server'
import { getOwnCertificate } from '~/volunteers/service-record.server'
import { invariantFound } from '~/utils/http.server'

// The printable 志愿服务记录证明, for its owner only (anyone else gets 404). The QR code links to
// the public check at /verify/service/:code, which shows the name, hours and dates only.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const certificate = invariantFound(getOwnCertificate(user.id, params.code))
  const qr = await siteQrCode(request, `/verify/service/${certificate.code}`)
  return { certificate, url: qr.url, qrSvg: qr.svg }
}

export const meta: MetaFunction = () => [
  ...pageMeta({ title: '志愿服务记录证明', description: '可打印的志愿服务记录证明。' }),
  { name: 'robots', content: 'noindex' },
]

export default function ServiceCertificatePage() {
  const { certificate, url, qrSvg } = useLoaderData<typeof loader>()
  return (
    <PrintLayout back={{ to: '/me/service#certificates', label: '返回志愿服务记录' }} hint="也可以使用浏览器菜单中的“打印”，选择 A4 纸张。">
      <article className="mx-auto max-w-[210mm] space-y-5 rounded-2xl border-2 border-stone-300 bg-white px-5 py-8 text-stone-900 print:border-0 print:shadow-none">
        <h1 className="text-center text-2xl font-bold tracking-widest sm:text-3xl">志愿服务记录证明</h1>
        <p className="leading-relaxed">
          兹证明 <strong data-testid="certificate-name">{certificate.realName}</strong> 于 {certificate.fromDate} 至 {certificate.toDate}{' '}
          期间，在
          {certificate.homes.join('、')}参加志愿服务，累计服务时长{' '}
          <strong data-testid="certificate-hours">{certificate.totalHours} 小时</strong>。
        </p>
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">服务明细</caption>
            <thead>
              <tr className="border-b border-stone-400 text-left">
                <th scope="col" className="py-1 pr-2">
                  日期
                </th>
                <th scope="col" className="py-1 pr-2">
                  服务机构
                </th>
                <th scope="col" className="py-1 pr-2">
                  服务内容
                </th>
                <th scope="col" className="py-1 text-right">
                  时长（小时）
                </th>
              </tr>
            </thead>
            <tbody>
              {certificate.items.map((item, i) => (
                <tr key={i} className="border-b border-stone-200 align-top">
                  <td className="whitespace-nowrap py-1 pr-2">{item.date}</td>
                  <td className="py-1 pr-2">{item.home}</td>
                  <td className="py-1 pr-2">{item.description}</td>
                  <td className="py-1 text-right">{item.hours}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="font-semibold">
                <td colSpan={3} className="py-1 pr-2">
                  合计
                </td>
                <td className="py-1 text-right">{certificate.totalHours}</td>
              </tr>
            </tfoot>
          </table>
        </div>
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div className="space-y-1 text-sm">
            <p>开具日期：{formatDate(certificate.issuedAt)}</p>
            <p>
              验证码：
              <span className="font-mono font-semibold" data-testid="certificate-code">
                {certificate.code}
              </span>
            </p>
            <p className="break-all text-stone-700">核验网址：{url}</p>
            <p>开具平台：微暖</p>
          </div>
          <figure className="flex flex-col items-center gap-1">
            <QrCode svg={qrSvg} label="核验本证明的二维码" className="size-32 print:size-[35mm]" testId="certificate-qr" />
            <figcaption className="text-xs text-stone-700">扫码核验</figcaption>
          </figure>
        </div>
      </article>
    </PrintLayout>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
