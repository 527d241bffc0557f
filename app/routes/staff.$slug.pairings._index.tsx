import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { pairingStatusLabels } from '~/programmes/labels'
import { progressLabel } from '~/visits/labels'
import { listPairings } from '~/programmes/pairings.server'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '结对', description: '机构工作人员：结对与进度' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  return { pairings: listPairings(institution.id) }
}

export default function PairingsIndex() {
  const { pairings } = useLoaderData<typeof loader>()
  return (
    <section className="space-y-4" aria-labelledby="pairings-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="pairings-heading" className="text-xl font-semibold">
          结对
        </h2>
        <div className="flex gap-2">
          <Link to="../families" relative="path" className="btn-secondary">
            家庭
          </Link>
          <Link to="../tutoring" relative="path" className="btn-secondary">
            学业辅导匹配
          </Link>
          <Link to="new" className="btn-primary">
            新建结对
          </Link>
        </div>
      </div>
      {pairings.length ? (
        <ul className="space-y-2">
          {pairings.map((p) => (
            <li key={p.id} className="card">
              <Link to={String(p.id)} className="link font-semibold">
                {p.familyAlias ?? p.childPseudonym} · {p.programmeName}
              </Link>
              <p className="text-sm text-stone-700">
                {progressLabel(p.confirmedVisits, p.plannedVisits)} · {pairingStatusLabels[p.status]} · 自 {p.startDate}
                {p.nextDueOn ? ` · 下次陪伴应在 ${p.nextDueOn} 前` : ''}
                {p.overdueDays > 0 ? `（已逾期 ${p.overdueDays} 天）` : ''} · 团队：
                {p.team.map((m) => m.realName ?? m.displayName).join('、')}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-stone-700">还没有结对。</p>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
