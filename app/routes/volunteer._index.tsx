import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useLocation } from '@remix-run/react'
import { slotKinds } from '~db/enums'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { CityFilter, FilterForm, HomeFilter, withAll } from '~/components/filters'
import { Field, SelectField } from '~/components/forms'
import { Pager } from '~/components/pager'
import { ProgrammeLinks } from '~/programmes/programme-links'
import { listPublicProgrammes } from '~/programmes/programmes.server'
import { formatSlotTime, remainingLabel, weekdayLabels } from '~/slots/labels'
import {
  listUpcomingSlots,
  monthCalendar,
  parseMonth,
  slotFilterChoices,
  slotFilterSchema,
  type PublicSlotCard,
} from '~/slots/public.server'
import { now } from '~/utils/clock.server'
import { pageMeta } from '~/utils/meta'
import { listQuery } from '~/utils/pagination'
import { shanghaiDateString, shanghaiParts } from '~/utils/shanghai-date'
import { slotKindLabels } from '~/volunteers/labels'

export const meta: MetaFunction = () =>
  pageMeta({ title: '志愿服务', description: '社会开放日（每月第二个周六）、学业辅导、夏令营等志愿活动，在线预约，剩余名额实时可见。' })

type CardView = Omit<PublicSlotCard, 'startsAt' | 'endsAt'> & { startsAt: string; endsAt: string }

const toView = (card: PublicSlotCard): CardView => ({ ...card, startsAt: card.startsAt.toISOString(), endsAt: card.endsAt.toISOString() })

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams
  const { filters, cursor, paged } = listQuery(request, slotFilterSchema)
  const choices = slotFilterChoices()
  if (params.get('view') === 'calendar') {
    const { year, month } = parseMonth(params.get('month'))
    const calendar = monthCalendar(year, month, filters)
    return {
      view: 'calendar' as const,
      filters,
      choices,
      calendar: { ...calendar, today: shanghaiDateString(now()), days: calendar.days.map((d) => ({ ...d, slots: d.slots.map(toView) })) },
      page: null,
      paged: false,
      programmes: listPublicProgrammes(),
    }
  }
  const page = listUpcomingSlots({ filters, cursor })
  return {
    view: 'list' as const,
    filters,
    choices,
    calendar: null,
    page: { items: page.items.map(toView), next: page.next },
    paged,
    programmes: listPublicProgrammes(),
  }
}

const kindOptions = withAll(
  '全部类型',
  slotKinds.map((k) => ({ value: k, label: slotKindLabels[k] })),
)

function Badges({ slot }: { slot: CardView }) {
  return (
    <>
      <span className="rounded-full bg-brand-50 px-2 py-0.5 text-sm text-brand-800">{slotKindLabels[slot.kind]}</span>
      {slot.requiresBackgroundCheck ? (
        <span className="rounded-full bg-stone-100 px-2 py-0.5 text-sm text-stone-800">需背景核验</span>
      ) : null}
      {slot.allowGroups ? <span className="rounded-full bg-stone-100 px-2 py-0.5 text-sm text-stone-800">可团体预约</span> : null}
    </>
  )
}

function Remaining({ slot }: { slot: CardView }) {
  return (
    <p className={`font-semibold ${slot.remaining > 0 ? 'text-green-800' : 'text-red-800'}`} data-testid="slot-remaining">
      {remainingLabel(slot.remaining, slot.capacity)}
    </p>
  )
}

function SlotCard({ slot }: { slot: CardView }) {
  return (
    <li className="card space-y-1" data-testid="slot-card">
      <p className="flex flex-wrap gap-1">
        <Badges slot={slot} />
      </p>
      <h3 className="text-lg font-semibold">
        <Link to={`/volunteer/slots/${slot.id}`} className="link">
          {slot.title}
        </Link>
      </h3>
      <p className="text-stone-800">{formatSlotTime(slot.startsAt, slot.endsAt)}</p>
      <p className="text-sm text-stone-700">
        {slot.homeName} · {slot.city}
      </p>
      <Remaining slot={slot} />
    </li>
  )
}

export default function VolunteerPage() {
  const data = useLoaderData<typeof loader>()
  const { filters, choices, view } = data
  const location = useLocation()
  const filtered = Object.values(filters).some(Boolean)
  const withParams = (changes: Record<string, string | null>) => {
    const params = new URLSearchParams(location.search)
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) params.delete(key)
      else params.set(key, value)
    }
    const text = params.toString()
    return `/volunteer${text ? `?${text}` : ''}`
  }

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">志愿服务</h1>
        <p className="mt-1 text-stone-700">
          社会开放日在每月第二个周六，个人和团体都可以来访，团体请提前预约。预约确认后您会收到来访接待单，凭单进入开放区域。与儿童密切接触的岗位须先通过机构的背景核验。
        </p>
      </header>

      {data.programmes.length ? (
        <section aria-labelledby="programmes-title" className="space-y-2">
          <h2 id="programmes-title" className="text-xl font-semibold">
            长期志愿项目
          </h2>
          <p className="text-stone-700">焕新乐园一年 12 次家庭陪伴、学业辅导等：申请后由机构审核，并核验您的实名资料和背景核验。</p>
          <ProgrammeLinks programmes={data.programmes} />
        </section>
      ) : null}

      <FilterForm title="筛选活动" filtered={filtered} clearTo={view === 'calendar' ? '/volunteer?view=calendar' : '/volunteer'}>
        {view === 'calendar' ? (
          <>
            <input type="hidden" name="view" value="calendar" />
            <input type="hidden" name="month" value={`${data.calendar.year}-${String(data.calendar.month).padStart(2, '0')}`} />
          </>
        ) : null}
        <SelectField label="类型" name="kind" defaultValue={filters.kind ?? ''} options={kindOptions} />
        <HomeFilter homes={choices.homes} value={filters.home} />
        <CityFilter cities={choices.cities} value={filters.city} />
        {view === 'list' ? (
          <>
            <Field label="从日期" name="from" type="date" defaultValue={filters.from ?? ''} />
            <Field label="到日期" name="to" type="date" defaultValue={filters.to ?? ''} />
          </>
        ) : null}
      </FilterForm>

      <nav aria-label="显示方式" className="flex gap-2">
        <Link
          to={withParams({ view: null, month: null, cursor: null })}
          className={view === 'list' ? 'btn-primary' : 'btn-secondary'}
          aria-current={view === 'list' ? 'page' : undefined}
        >
          列表
        </Link>
        <Link
          to={withParams({ view: 'calendar', cursor: null, from: null, to: null })}
          className={view === 'calendar' ? 'btn-primary' : 'btn-secondary'}
          aria-current={view === 'calendar' ? 'page' : undefined}
        >
          月历
        </Link>
      </nav>

      {data.view === 'list' ? (
        <section aria-labelledby="list-title">
          <h2 id="list-title" className="sr-only">
            即将开始的活动
          </h2>
          {data.page.items.length ? (
            <ul className="grid gap-3 sm:grid-cols-2">
              {data.page.items.map((slot) => (
                <SlotCard key={slot.id} slot={slot} />
              ))}
            </ul>
          ) : (
            <p className="card text-stone-800">
              {filtered ? (
                <>
                  没有符合条件的活动。试试
                  <Link to="/volunteer" className="link">
                    查看全部活动
                  </Link>
                  。
                </>
              ) : (
                '暂时还没有开放预约的活动，请稍后再来看看。'
              )}
            </p>
          )}
          <Pager next={data.page.next} paged={data.paged} />
        </section>
      ) : (
        <CalendarView calendar={data.calendar} monthLink={(month) => withParams({ view: 'calendar', month })} />
      )}
    </div>
  )
}

type CalendarData = {
  year: number
  month: number
  label: string
  prev: string
  next: string
  today: string
  days: Array<{ date: string; day: number; weekday: number; slots: CardView[] }>
}

/** A month grid on wider screens; on a phone only the days with slots, as a list. */
function CalendarView({ calendar, monthLink }: { calendar: CalendarData; monthLink: (month: string) => string }) {
  const leading = calendar.days[0]?.weekday ?? 0
  const total = calendar.days.reduce((n, d) => n + d.slots.length, 0)
  const today = calendar.today
  return (
    <section aria-labelledby="calendar-title" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="calendar-title" className="text-xl font-semibold">
          {calendar.label}
        </h2>
        <nav aria-label="切换月份" className="flex gap-2">
          <Link to={monthLink(calendar.prev)} className="btn-secondary">
            上个月
          </Link>
          <Link to={monthLink(calendar.next)} className="btn-secondary">
            下个月
          </Link>
        </nav>
      </div>
      {total === 0 ? <p className="card text-stone-800">本月没有开放预约的活动。</p> : null}
      <div className="hidden grid-cols-7 gap-1 text-center text-sm font-medium text-stone-700 sm:grid" aria-hidden="true">
        {weekdayLabels.map((w) => (
          <span key={w}>{w}</span>
        ))}
      </div>
      <ol className="space-y-2 sm:grid sm:grid-cols-7 sm:gap-1 sm:space-y-0" data-testid="calendar">
        {Array.from({ length: leading }, (_, i) => (
          <li key={`blank-${i}`} aria-hidden="true" className="hidden sm:block" />
        ))}
        {calendar.days.map((day) => (
          <li
            key={day.date}
            className={`${day.slots.length ? 'card sm:p-2' : 'hidden rounded-lg border border-stone-200 bg-white p-2 sm:block'} sm:min-h-24 ${day.date === today ? 'ring-2 ring-brand-700' : ''}`}
          >
            <h3 className="text-sm font-semibold text-stone-800">
              {calendar.month}月{day.day}日<span className="sm:sr-only">（{weekdayLabels[day.weekday]}）</span>
            </h3>
            {day.slots.length ? (
              <ul className="mt-1 space-y-1">
                {day.slots.map((slot) => (
                  <li key={slot.id} className="text-sm">
                    <Link to={`/volunteer/slots/${slot.id}`} className="link">
                      {shanghaiParts(slot.startsAt).time} {slot.title}
                    </Link>
                    <span className="block text-stone-700">
                      {slot.homeName} · {remainingLabel(slot.remaining, slot.capacity)}
                    </span>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
