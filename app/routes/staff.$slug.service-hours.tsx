import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { pageMeta } from '~/utils/meta'
import { homeHoursTable, rangeFromSearch } from '~/volunteers/service-record.server'

// 志愿时长: this home's volunteer hours (from service_records only), filterable by date, with a
// CSV for reporting to the national volunteer system. Scoped to this home (rule 7).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const search = new URL(request.url).searchParams
  const range = rangeFromSearch(search)
  const query = new URLSearchParams()
  if (range.from) query.set('from', range.from)
  if (range.to) query.set('to', range.to)
  const qs = query.toString()
  return {
    slug: institution.slug,
    home: institution.name,
    filters: { from: search.get('from') ?? '', to: search.get('to') ?? '' },
    invalid: range.invalid,
    table: homeHoursTable(institution.id, range),
    csvHref: `/staff/${institution.slug}/service-hours.csv${qs ? `?${qs}` : ''}`,
  }
}

export const meta: MetaFunction = () => [
  ...pageMeta({ title: '志愿时长', description: '本机构志愿者的服务时长统计与导出。' }),
  { name: 'robots', content: 'noindex' },
]

export default function StaffServiceHoursPage() {
  const { home, filters, invalid, table, csvHref } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-xl font-semibold">志愿时长</h2>
        <p className="mt-1 text-stone-700">
          {home}的志愿者服务时长，来自签到签退和已确认的探访记录。导出的表格含实名和手机号，仅供向全国志愿服务信息系统报送使用。
        </p>
      </div>
      <Form method="get" className="card grid gap-4 sm:grid-cols-3 sm:items-end">
        <Field id="from" name="from" type="date" label="开始日期" defaultValue={filters.from} />
        <Field id="to" name="to" type="date" label="结束日期" defaultValue={filters.to} />
        <div>
          <button type="submit" className="btn-secondary">
            筛选
          </button>
        </div>
      </Form>
      {invalid ? <FormMessage>日期格式不正确，已忽略无效的日期。</FormMessage> : null}
      <section aria-labelledby="hours-table-title" className="card space-y-3">
        <h3 id="hours-table-title" className="text-lg font-semibold">
          共 {table.volunteers.length} 位志愿者 · {table.records} 条记录 ·{' '}
          <span data-testid="home-total-hours">{table.totalHours} 小时</span>
        </h3>
        {table.volunteers.length === 0 ? (
          <p className="text-stone-800">这段时间没有服务记录。</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="home-hours-table">
              <thead>
                <tr className="border-b border-stone-300 text-left">
                  <th scope="col" className="py-1 pr-2">
                    姓名
                  </th>
                  <th scope="col" className="py-1 pr-2">
                    记录数
                  </th>
                  <th scope="col" className="py-1 pr-2">
                    最近服务
                  </th>
                  <th scope="col" className="py-1 text-right">
                    时长（小时）
                  </th>
                </tr>
              </thead>
              <tbody>
                {table.volunteers.map((v) => (
                  <tr key={v.userId} className="border-b border-stone-200">
                    <td className="py-1 pr-2">{v.name}</td>
                    <td className="py-1 pr-2">{v.records}</td>
                    <td className="py-1 pr-2">{v.lastDate}</td>
                    <td className="py-1 text-right">{v.hours}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p>
          <a href={csvHref} className="link" download>
            下载时长明细（CSV）
          </a>
        </p>
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
