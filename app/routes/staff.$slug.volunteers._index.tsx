import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { VerificationStatus } from '~db/enums'
import { requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { formatDate } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { qualificationLabels, verificationLabels } from '~/volunteers/labels'
import { listVolunteersOfHome } from '~/volunteers/profiles.server'

export const meta: MetaFunction = () =>
  pageMeta({ title: '志愿者', description: '机构工作人员：预约过本机构活动或报名本机构项目的志愿者与核验' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const filter = new URL(request.url).searchParams.get('filter') === 'pending' ? 'pending' : null
  // Rule 7 and privacy: only volunteers who booked with this home or applied to its programmes, never anyone else.
  return { filter, volunteers: listVolunteersOfHome(institution.id, { filter }) }
}

const badgeClasses: Record<VerificationStatus | 'expired', string> = {
  none: 'bg-stone-100 text-stone-800',
  pending: 'bg-amber-100 text-amber-900',
  verified: 'bg-green-100 text-green-900',
  rejected: 'bg-red-100 text-red-900',
  expired: 'bg-red-100 text-red-900',
}

function Badge({ state, children }: { state: VerificationStatus | 'expired'; children: string }) {
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${badgeClasses[state]}`}>{children}</span>
}

export default function StaffVolunteers() {
  const { filter, volunteers } = useLoaderData<typeof loader>()
  const filters = [
    { value: null, label: '全部', to: '.' },
    { value: 'pending', label: '待审核', to: '?filter=pending' },
  ] as const
  return (
    <section className="space-y-4" aria-labelledby="volunteers-heading">
      <div>
        <h2 id="volunteers-heading" className="text-xl font-semibold">
          志愿者
        </h2>
        <p className="text-sm text-stone-700">
          只列出预约过本机构活动或报名本机构项目（如焕新乐园）的志愿者。实名资料仅供核验和联系使用，请勿外传。
        </p>
      </div>
      <nav aria-label="按审核状态筛选">
        <ul className="flex flex-wrap gap-1 text-sm">
          {filters.map((f) => (
            <li key={f.label}>
              <Link
                to={f.to}
                aria-current={filter === f.value ? 'page' : undefined}
                className="inline-block rounded-full border border-stone-300 px-3 py-1 text-stone-800 aria-[current=page]:border-brand-700 aria-[current=page]:bg-brand-50 aria-[current=page]:font-semibold"
              >
                {f.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {volunteers.length === 0 ? (
        <p className="text-stone-800">
          {filter === 'pending' ? '没有待审核的志愿者。' : '还没有志愿者预约过本机构的活动或报名本机构的项目。'}
        </p>
      ) : (
        <ul className="space-y-3" data-testid="volunteer-list">
          {volunteers.map((v) => (
            <li key={v.userId} className="card space-y-2">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="text-lg font-semibold">
                  <Link to={String(v.userId)} className="hover:underline">
                    {v.realName ?? v.displayName}
                  </Link>
                </h3>
                <span className="text-sm text-stone-700">
                  {v.realName ? `称呼：${v.displayName} · ` : '未填写实名资料 · '}预约 {v.bookingCount} 次
                  {v.applicationCount ? ` · 项目报名 ${v.applicationCount} 个` : ''}
                </span>
              </div>
              {v.phone ? <p className="text-sm text-stone-800">手机 {v.phone}</p> : null}
              <p className="flex flex-wrap items-center gap-1.5 text-sm">
                <span className="text-stone-700">背景核验</span>
                <Badge state={v.background}>{v.background === 'expired' ? '已过期' : verificationLabels[v.background]}</Badge>
                {v.background === 'verified' && v.backgroundExpiresAt ? (
                  <span className="text-stone-700">至 {formatDate(v.backgroundExpiresAt)}</span>
                ) : null}
              </p>
              {v.qualifications.length ? (
                <p className="flex flex-wrap items-center gap-1.5 text-sm">
                  <span className="text-stone-700">资质</span>
                  {v.qualifications.map((q) => (
                    <Badge key={q.id} state={q.status}>{`${qualificationLabels[q.kind]}·${verificationLabels[q.status]}`}</Badge>
                  ))}
                </p>
              ) : null}
              <Link to={String(v.userId)} className="link text-sm">
                {v.pending ? '审核资料' : '查看资料'}
                <span className="sr-only">：{v.realName ?? v.displayName}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
