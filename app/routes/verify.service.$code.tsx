import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { formatDate } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { getCertificateByCode } from '~/volunteers/service-record.server'

// Public check of a 志愿服务记录证明: only the volunteer's name, total hours, the date range and
// the issue date — never homes, activities, contacts or notes.
export async function loader({ params }: LoaderFunctionArgs) {
  const certificate = getCertificateByCode(params.code)
  if (!certificate) return data({ certificate: null, code: params.code ?? '' }, { status: 404, headers: { 'X-Robots-Tag': 'noindex' } })
  return data({ certificate, code: certificate.code }, { headers: { 'X-Robots-Tag': 'noindex' } })
}

export const meta: MetaFunction = () => [
  ...pageMeta({ title: '核验志愿服务记录证明', description: '核验微暖开具的志愿服务记录证明。' }),
  { name: 'robots', content: 'noindex' },
]

export default function VerifyServiceCertificatePage() {
  const { certificate, code } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">核验志愿服务记录证明</h1>
      {certificate ? (
        <section aria-labelledby="verified-title" className="card space-y-3" data-testid="verified-certificate">
          <h2 id="verified-title" className="text-lg font-semibold text-green-900">
            证明有效
          </h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            <dt className="text-stone-700">志愿者</dt>
            <dd className="font-semibold">{certificate.realName}</dd>
            <dt className="text-stone-700">服务时长</dt>
            <dd className="font-semibold">{certificate.totalHours} 小时</dd>
            <dt className="text-stone-700">服务期间</dt>
            <dd>
              {certificate.fromDate} 至 {certificate.toDate}
            </dd>
            <dt className="text-stone-700">开具日期</dt>
            <dd>{formatDate(certificate.issuedAt)}</dd>
            <dt className="text-stone-700">验证码</dt>
            <dd className="font-mono">{certificate.code}</dd>
          </dl>
          <p className="text-sm text-stone-700">以上为微暖平台根据福利院签到和确认记录开具的证明信息。</p>
        </section>
      ) : (
        <section aria-labelledby="missing-title" className="card space-y-2" data-testid="certificate-not-found">
          <h2 id="missing-title" className="text-lg font-semibold text-red-900">
            未找到该证明
          </h2>
          <p className="text-stone-800">
            验证码 <span className="break-all font-mono">{code}</span> 没有对应的证明。请核对证明上的验证码（形如 WN-XXXXX-XXXXX）。
          </p>
        </section>
      )}
      <p>
        <Link to="/" className="link">
          返回首页
        </Link>
      </p>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
