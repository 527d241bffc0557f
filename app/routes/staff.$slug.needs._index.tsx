import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { needStatusLabels } from '~/needs/labels'
import { listStaffNeeds } from '~/needs/needs.server'
import { NeedProgressBar } from '~/needs/progress-bar'
import { formatDate } from '~/utils/format'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '物资需求管理', description: '机构工作人员：物资需求' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  return { needs: listStaffNeeds(institution.id) }
}

export default function StaffNeeds() {
  const { needs } = useLoaderData<typeof loader>()
  return (
    <section className="space-y-4" aria-labelledby="needs-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="needs-heading" className="text-xl font-semibold">
          物资需求
        </h2>
        <Link to="new" className="btn-primary">
          发布物资需求
        </Link>
      </div>
      {needs.length === 0 ? (
        <p className="text-stone-800">还没有物资需求。发布后，爱心人士可以按数量认捐。</p>
      ) : (
        <ul className="space-y-3">
          {needs.map((need) => (
            <li key={need.id} className="card space-y-2">
              <div className="flex flex-wrap items-center gap-2">
                <h3 className="text-lg font-semibold">
                  <Link to={String(need.id)} className="link">
                    {need.title}
                  </Link>
                </h3>
                <span className="rounded bg-stone-100 px-2 py-0.5 text-xs text-stone-800">{needStatusLabels[need.status]}</span>
                {need.urgency === 'urgent' ? (
                  <span className="rounded bg-red-700 px-2 py-0.5 text-xs font-semibold text-white">紧急</span>
                ) : null}
              </div>
              {need.deadline ? <p className="text-sm text-stone-700">截止日期：{formatDate(need.deadline)}</p> : null}
              <NeedProgressBar progress={need.progress} unit={need.unit} label={`${need.title}进度`} />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
