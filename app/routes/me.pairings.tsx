import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { pairingRoleLabels } from '~/programmes/labels'
import { pageMeta } from '~/utils/meta'
import { cadenceLabels } from '~/programmes/labels'
import { visitActivityLabels, visitStatusLabels } from '~/visits/labels'
import { listMyPairings, type MyPairing } from '~/visits/visits.server'

export const meta: MetaFunction = () =>
  pageMeta({ title: '我的结对', description: '您参加的家庭陪伴和学业辅导结对、走访进度和下一次走访时间。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  return { pairings: listMyPairings(user.id) }
}

export default function MyPairingsPage() {
  const { pairings } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <h1 className="text-2xl font-semibold">我的结对</h1>
      {pairings.length === 0 ? (
        <p className="text-stone-800">您还没有结对。机构审核您的项目报名后，会在这里看到结对的家庭或孩子。</p>
      ) : (
        <ul className="space-y-4">
          {pairings.map((p) => (
            <li key={p.id}>
              <PairingCard pairing={p} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

function PairingCard({ pairing }: { pairing: MyPairing }) {
  const { progress } = pairing
  return (
    <article id={`pairing-${pairing.id}`} aria-labelledby={`pairing-${pairing.id}-title`} className="card space-y-3">
      <div>
        <h2 id={`pairing-${pairing.id}-title`} className="text-lg font-semibold">
          {pairing.title}
        </h2>
        <p className="text-sm text-stone-700">
          {pairingRoleLabels[pairing.role]} · {cadenceLabels[pairing.cadence]} · {pairing.startDate} 开始
        </p>
      </div>
      <p className="text-2xl font-bold text-brand-800" data-testid="pairing-progress">
        {progress.label}
      </p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-stone-700">上次走访</dt>
        <dd>{progress.lastVisitOn ?? '尚未走访'}</dd>
        {progress.nextDueOn ? (
          <>
            <dt className="text-stone-700">下次走访</dt>
            <dd>{progress.nextDueOn} 前</dd>
          </>
        ) : null}
        <dt className="text-stone-700">团队</dt>
        <dd>{pairing.team.map((m) => `${m.displayName}${m.role === 'lead' ? '（带队）' : ''}`).join('、')}</dd>
      </dl>
      {progress.overdueDays > 0 ? (
        <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          走访已逾期 {progress.overdueDays} 天，请尽快安排；如无法前往，请联系机构安排替班。
        </p>
      ) : null}
      {pairing.canLog ? (
        <Link to={`/me/pairings/${pairing.id}/visit`} className="btn-primary inline-block">
          记录一次走访
        </Link>
      ) : null}
      {pairing.visits.length ? (
        <section aria-labelledby={`pairing-${pairing.id}-visits`} className="space-y-2 border-t border-stone-200 pt-3">
          <h3 id={`pairing-${pairing.id}-visits`} className="font-semibold">
            走访记录
          </h3>
          <ul className="space-y-2 text-sm">
            {pairing.visits.map((v) => (
              <li key={v.id} className="space-y-1">
                <p>
                  {v.visitedOn} · {v.durationMinutes} 分钟 · {v.activities.map((a) => visitActivityLabels[a]).join('、')} ·{' '}
                  <span className="font-medium">{visitStatusLabels[v.status]}</span>
                </p>
                {v.status === 'queried' ? (
                  <div className="rounded-lg border border-amber-300 bg-amber-50 p-2 text-amber-900">
                    <p>机构的疑问：{v.queryNote}</p>
                    {pairing.canEdit ? (
                      <Link to={`/me/pairings/${pairing.id}/visit?visit=${v.id}`} className="link">
                        修改并重新提交
                      </Link>
                    ) : null}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
