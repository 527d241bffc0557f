import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireStaff } from '~/auth/auth.server'
import { listAuditEntries } from '~/audit/audit.server'
import { auditActionLabels } from '~/audit/labels'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '机构后台', description: '机构工作人员后台' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  return { entries: listAuditEntries(institution.id) }
}

export default function StaffDashboard() {
  const { entries } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <section className="card" aria-labelledby="next-title">
        <h2 id="next-title" className="font-semibold">
          工作台
        </h2>
        <p className="mt-1 text-stone-700">儿童档案、微心愿、志愿活动与物资需求的管理功能即将开放。</p>
      </section>
      <section className="card" aria-labelledby="audit-title">
        <h2 id="audit-title" className="font-semibold">
          最近操作记录
        </h2>
        {entries.length ? (
          <ul className="mt-2 divide-y divide-stone-200">
            {entries.map((e) => (
              <li key={e.id} className="py-2 text-sm">
                <span className="text-stone-700">{formatDateTime(e.at)}</span> · {e.actor ?? '系统'} · {auditActionLabels[e.action] ?? e.action}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-stone-700">暂无记录。</p>
        )}
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
