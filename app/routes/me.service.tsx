import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { serverReply } from '~/components/server-reply'
import { formatDate } from '~/utils/format'
import { now } from '~/utils/clock.server'
import { HoursTotals, hoursText } from '~/components/hours-totals'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { shanghaiParts } from '~/utils/shanghai-date'
import {
  certificateSchema,
  issueCertificate,
  listCertificates,
  parseCertificateCode,
  serviceRecordOf,
} from '~/volunteers/service-record.server'

export const meta: MetaFunction = () => [
  ...pageMeta({ title: '志愿服务记录', description: '我的全部志愿服务、时长统计和志愿服务记录证明。' }),
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const issued = parseCertificateCode(new URL(request.url).searchParams.get('issued') ?? undefined)
  return { record: serviceRecordOf(user.id), certificates: listCertificates(user.id), issued, year: shanghaiParts(now()).year }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: certificateSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), needsProfile: false }, { status: 400 })
  const outcome = issueCertificate(user.id, submission.value)
  if (!outcome.ok)
    return data({ result: refusalReply(submission, outcome), needsProfile: outcome.reason === 'no_real_name' }, { status: 409 })
  return redirect(`/me/service?issued=${outcome.code}#certificates`)
}

export default function ServiceRecordPage() {
  const { record, certificates, issued, year } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  // Validated on the server only (no zod nor Conform client in this page's JavaScript).
  const reply = serverReply<{ fromDate: string; toDate: string }>(actionData?.result)
  const values = actionData ? reply.values : { fromDate: `${year}-01-01`, toDate: `${year}-12-31` }
  const message = reply.formErrors?.join('；')

  return (
    <div className="mx-auto max-w-2xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">志愿服务记录</h1>
        <p className="mt-1 text-stone-700">
          开放日签到、学业辅导和已确认的家庭陪伴都会记录在这里。实名信息在{' '}
          <Link to="/me/volunteer" className="link">
            志愿者资料
          </Link>{' '}
          中填写。
        </p>
      </div>

      <section aria-labelledby="totals-title" className="card space-y-4">
        <h2 id="totals-title" className="text-xl font-semibold">
          服务时长
        </h2>
        <p className="text-3xl font-bold text-brand-800" data-testid="service-total-hours">
          共 {hoursText(record.totalHours)}
        </p>
        {record.items.length === 0 ? (
          <p className="text-stone-800">还没有服务记录。参加志愿活动并签到签退、或陪伴探访被确认后，时长会记录在这里。</p>
        ) : (
          <HoursTotals totals={record} testIdPrefix="service" />
        )}
        <p>
          <a href="/me/service.csv" className="link" download>
            下载时长明细（CSV）
          </a>
        </p>
      </section>

      {record.items.length > 0 ? (
        <section aria-labelledby="items-title" className="card space-y-2">
          <h2 id="items-title" className="text-xl font-semibold">
            服务明细
          </h2>
          <ul className="divide-y divide-stone-200" data-testid="service-record-items">
            {record.items.map((item) => (
              <li key={item.id} className="py-2 text-sm">
                <p className="font-medium text-stone-900">{item.description}</p>
                <p className="text-stone-700">
                  {item.date} · {item.home} · {hoursText(item.hours)}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section id="certificates" aria-labelledby="certificates-title" className="card space-y-4">
        <h2 id="certificates-title" className="text-xl font-semibold">
          志愿服务记录证明
        </h2>
        <p className="text-stone-800">
          选择日期范围，生成一份写明您的实名、服务机构、服务内容和时长的证明。任何人都可以用证明上的验证码或二维码核实。
        </p>
        {issued ? (
          <FormMessage tone="success">
            证明已生成，验证码 {issued}。{' '}
            <Link to={`/me/service/certificates/${issued}`} className="link">
              查看并打印证明
            </Link>
          </FormMessage>
        ) : null}
        {message ? (
          <FormMessage>
            {message}
            {actionData?.needsProfile ? (
              <>
                {' '}
                <Link to="/me/volunteer#profile" className="link">
                  去填写实名资料
                </Link>
              </>
            ) : null}
          </FormMessage>
        ) : null}
        <Form method="post" noValidate className="grid gap-4 sm:grid-cols-2" key={reply.key}>
          <Field
            id="fromDate"
            name="fromDate"
            type="date"
            label="开始日期"
            defaultValue={values.fromDate ?? ''}
            errors={reply.errors('fromDate')}
            required
          />
          <Field
            id="toDate"
            name="toDate"
            type="date"
            label="结束日期"
            defaultValue={values.toDate ?? ''}
            errors={reply.errors('toDate')}
            required
          />
          <div className="sm:col-span-2">
            <button type="submit" className="btn-primary" disabled={busy}>
              生成证明
            </button>
          </div>
        </Form>

        {certificates.length === 0 ? (
          <p className="text-stone-700">还没有生成过证明。</p>
        ) : (
          <div>
            <h3 className="font-semibold">已生成的证明</h3>
            <ul className="mt-1 divide-y divide-stone-200" data-testid="certificate-list">
              {certificates.map((c) => (
                <li key={c.code} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                  <span>
                    {c.fromDate} 至 {c.toDate} · {hoursText(c.totalHours)} · {formatDate(c.issuedAt)} 开具
                  </span>
                  <Link to={`/me/service/certificates/${c.code}`} className="link">
                    查看证明 {c.code}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
