import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { formatSlotTime, recurrenceLabels, slotStatusLabels } from '~/slots/labels'
import { listSeriesOf } from '~/slots/series.server'
import { listStaffSlots } from '~/slots/slots.server'
import { pageMeta } from '~/utils/meta'
import { slotKindLabels } from '~/volunteers/labels'

export const meta: MetaFunction = () => pageMeta({ title: '志愿活动', description: '机构工作人员：志愿活动与社会开放日' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const when = new URL(request.url).searchParams.get('when') === 'past' ? 'past' : 'upcoming'
  return {
    when,
    slots: listStaffSlots(institution.id, { when }).map((s) => ({
      ...s,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      confirmedPeople: Number(s.confirmedPeople),
      waitlist: Number(s.waitlist),
    })),
    series: listSeriesOf(institution.id).map((s) => ({
      id: s.id,
      title: s.template.title,
      rule: `${recurrenceLabels[s.template.recurrence] ?? ''} ${s.template.startTime}–${s.template.endTime}，${s.template.capacity} 人`,
      status: s.template.status,
    })),
  }
}

const statusTone = {
  draft: 'bg-amber-100 text-amber-950',
  published: 'bg-green-100 text-green-900',
  cancelled: 'bg-stone-200 text-stone-800',
} as const

export default function StaffSlots() {
  const { when, slots, series } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">志愿活动</h2>
        <Link to="new" className="btn-primary">
          新建活动
        </Link>
      </div>

      <nav aria-label="活动时间" className="flex gap-2">
        <Link
          to="?when=upcoming"
          className={when === 'upcoming' ? 'btn-primary' : 'btn-secondary'}
          aria-current={when === 'upcoming' ? 'page' : undefined}
        >
          即将开始
        </Link>
        <Link
          to="?when=past"
          className={when === 'past' ? 'btn-primary' : 'btn-secondary'}
          aria-current={when === 'past' ? 'page' : undefined}
        >
          已结束
        </Link>
      </nav>

      <section aria-labelledby="slot-list-heading">
        <h3 id="slot-list-heading" className="sr-only">
          {when === 'past' ? '已结束的活动' : '即将开始的活动'}
        </h3>
        {slots.length ? (
          <ul className="space-y-2" data-testid="staff-slot-list">
            {slots.map((s) => (
              <li key={s.id} className="card space-y-1">
                <p className="flex flex-wrap items-center gap-2">
                  <Link to={String(s.id)} className="link font-semibold">
                    {s.title}
                  </Link>
                  <span className={`rounded-full px-2 py-0.5 text-sm ${statusTone[s.status]}`}>{slotStatusLabels[s.status]}</span>
                  <span className="rounded-full bg-stone-100 px-2 py-0.5 text-sm text-stone-800">{slotKindLabels[s.kind]}</span>
                </p>
                <p className="text-stone-800">{formatSlotTime(s.startsAt, s.endsAt)}</p>
                <p className="text-sm text-stone-700">
                  已确认 {s.confirmedPeople} / {s.capacity} 人 · 候补 {s.waitlist} 组
                </p>
                <p className="flex flex-wrap gap-3 text-sm">
                  <Link to={`${s.id}/checkin`} className="link">
                    签到<span className="sr-only">：{s.title}</span>
                  </Link>
                  {s.seriesId ? (
                    <Link to={`../series/${s.seriesId}`} relative="path" className="link">
                      所属重复活动<span className="sr-only">：{s.title}</span>
                    </Link>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="card text-stone-800">
            {when === 'past' ? '还没有已结束的活动。' : '还没有即将开始的活动。点击「新建活动」发布社会开放日或志愿活动。'}
          </p>
        )}
      </section>

      {series.length ? (
        <section className="card space-y-2" aria-labelledby="series-heading">
          <h3 id="series-heading" className="font-semibold">
            重复活动
          </h3>
          <ul className="space-y-1">
            {series.map((s) => (
              <li key={s.id}>
                <Link to={`../series/${s.id}`} relative="path" className="link">
                  {s.title}
                </Link>
                <span className="ml-2 text-sm text-stone-700">
                  {s.rule} · {s.status === 'published' ? '已发布' : '草稿'}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
