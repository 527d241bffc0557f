import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { requireStaff } from '~/auth/auth.server'
import { listAuditEntries } from '~/audit/audit.server'
import { auditActionLabels } from '~/audit/labels'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { staffNavGroups } from '~/components/staff-nav'
import { consoleTodos } from '~/console/console.server'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { shanghaiParts } from '~/utils/shanghai-date'
import { weekdayLabels } from '~/slots/labels'

export const meta: MetaFunction = () => pageMeta({ title: '机构后台', description: '机构工作人员后台：今日待办' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution, role } = requireStaff(request, params.slug)
  const todos = consoleTodos(institution.id)
  const day = shanghaiParts(`${todos.today}T12:00:00+08:00`)
  return {
    base: `/staff/${institution.slug}`,
    role,
    todayLabel: `${day.month}月${day.day}日 ${weekdayLabels[day.weekday]}`,
    todos: {
      ...todos,
      slotsToday: todos.slotsToday.map((s) => ({ ...s, time: `${shanghaiParts(s.startsAt).time}–${shanghaiParts(s.endsAt).time}` })),
    },
    entries: listAuditEntries(institution.id).map((e) => ({ ...e, at: formatDateTime(e.at) })),
  }
}

function Todo({
  id,
  title,
  count,
  unit,
  children,
  action,
}: {
  id: string
  title: string
  count: number
  unit: string
  children?: ReactNode
  action: ReactNode
}) {
  const headingId = `todo-${id}-title`
  return (
    <li className="card flex flex-col gap-2" data-testid={`todo-${id}`} aria-labelledby={headingId}>
      <div className="flex items-baseline justify-between gap-3">
        <h3 id={headingId} className="font-semibold">
          {title}
        </h3>
        <p className={count ? 'text-2xl font-semibold text-brand-800' : 'text-2xl font-semibold text-stone-700'}>
          <span data-testid={`todo-${id}-count`}>{count}</span>
          <span className="ml-0.5 text-sm font-normal text-stone-700">{unit}</span>
        </p>
      </div>
      {children ? <div className="text-sm text-stone-700">{children}</div> : null}
      <div className="mt-auto">{action}</div>
    </li>
  )
}

function Go({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link to={to} className="link inline-flex min-h-11 items-center">
      {children} →
    </Link>
  )
}

export default function StaffDashboard() {
  const { base, role, todayLabel, todos, entries } = useLoaderData<typeof loader>()
  const { parcels, pledges, checks, applications, disclosureDue } = todos
  const pendingApplications = applications.reduce((sum, a) => sum + a.pending, 0)
  const overdue = parcels.overdue + pledges.overdue
  return (
    <div className="space-y-6">
      <section aria-labelledby="today-title" className="space-y-3">
        <h2 id="today-title" className="text-xl font-semibold">
          今日待办 <span className="text-base font-normal text-stone-700">{todayLabel}</span>
        </h2>
        <ul className="grid gap-3 sm:grid-cols-2">
          <Todo id="parcels" title="待签收包裹" count={parcels.active} unit="件" action={<Go to={`${base}/receive`}>去签收</Go>}>
            {parcels.active ? `认领人正在购买或寄送；48 小时内到送达期限 ${parcels.dueSoon} 件。` : '没有在途的心愿礼物。'}
            {todos.toHandOver ? ` 已签收待交给孩子 ${todos.toHandOver} 件。` : null}
          </Todo>
          <Todo id="pledges" title="今日预计送达的认捐" count={pledges.today} unit="份" action={<Go to={`${base}/intake`}>去门口登记</Go>}>
            按认捐编号登记到货，写入公开捐赠记录。
          </Todo>
          <Todo
            id="slots"
            title="今日志愿活动"
            count={todos.slotsToday.length}
            unit="场"
            action={todos.slotsToday.length ? null : <Go to={`${base}/slots`}>查看志愿活动</Go>}
          >
            {todos.slotsToday.length ? (
              <ul className="space-y-1">
                {todos.slotsToday.map((s) => (
                  <li key={s.id}>
                    <Link to={`${base}/slots/${s.id}/checkin`} className="link inline-flex min-h-11 items-center">
                      签到：{s.title}（{s.time}）
                    </Link>
                    <span className="block" data-testid={`slot-${s.id}-checkin`}>
                      已签到 {s.checkedIn}/{s.bookings} 份预约，到场 {s.present}/{s.people} 人
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              '今天没有志愿活动。'
            )}
          </Todo>
          <Todo
            id="checks"
            title="待审核的志愿者"
            count={checks.volunteers}
            unit="人"
            action={<Go to={`${base}/volunteers?filter=pending`}>去审核</Go>}
          >
            无犯罪记录等背景审查 {checks.backgroundChecks} 份，资质证明 {checks.qualifications} 份。
          </Todo>
          <Todo
            id="applications"
            title="待审核的项目报名"
            count={pendingApplications}
            unit="份"
            action={applications.length ? null : <Go to={`${base}/programmes`}>查看项目</Go>}
          >
            {applications.length ? (
              <ul>
                {applications.map((a) => (
                  <li key={a.programmeId}>
                    <Link to={`${base}/programmes/${a.programmeId}`} className="link inline-flex min-h-11 items-center">
                      审核报名：{a.name}（{a.pending} 份）
                    </Link>
                  </li>
                ))}
              </ul>
            ) : (
              '没有待审核的报名。'
            )}
          </Todo>
          <Todo id="visits" title="待确认的走访" count={todos.visitsToConfirm} unit="次" action={<Go to={`${base}/visits`}>去确认走访</Go>}>
            志愿者记录的焕新乐园家庭走访，确认后计入志愿时长。
          </Todo>
          <Todo
            id="overdue"
            title="逾期的认领与认捐"
            count={overdue}
            unit="项"
            action={
              <span className="flex flex-wrap gap-x-4">
                <Go to={`${base}/receive`}>查看认领</Go>
                <Go to={`${base}/intake`}>查看认捐</Go>
              </span>
            }
          >
            已过期限仍未送达：认领 {parcels.overdue} 件，认捐 {pledges.overdue} 份。认领逾期会自动释放，认捐超过宽限期后自动释放。
          </Todo>
          <Todo
            id="disclosures"
            title="待发布的公示"
            count={disclosureDue ? 1 : 0}
            unit="期"
            action={<Go to={`${base}/disclosures`}>去公示</Go>}
          >
            {disclosureDue
              ? `${disclosureDue.label}的捐赠公示${disclosureDue.overdue ? `已逾期（应于 ${disclosureDue.dueBy} 前发布）` : `请于 ${disclosureDue.dueBy} 前发布`}。`
              : '上一季度已公示，或没有需要公示的捐赠。'}
          </Todo>
        </ul>
      </section>

      <section aria-labelledby="all-title" className="space-y-3">
        <h2 id="all-title" className="text-xl font-semibold">
          全部功能
        </h2>
        <div className="grid gap-3 sm:grid-cols-2">
          {staffNavGroups(role).map((group) => (
            <section key={group.id} className="card" aria-labelledby={`group-${group.id}`}>
              <h3 id={`group-${group.id}`} className="font-semibold">
                {group.label}
              </h3>
              <ul className="mt-1 flex flex-wrap gap-x-4">
                {group.items.map((item) => (
                  <li key={item.to}>
                    <Link to={`${base}/${item.to}`} className="link inline-flex min-h-11 items-center">
                      {item.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      </section>

      <section className="card" aria-labelledby="audit-title">
        <h2 id="audit-title" className="font-semibold">
          最近操作记录
        </h2>
        {entries.length ? (
          <ul className="mt-2 divide-y divide-stone-200">
            {entries.map((e) => (
              <li key={e.id} className="py-2 text-sm">
                <span className="text-stone-700">{e.at}</span> · {e.actor ?? '系统'} · {auditActionLabels[e.action] ?? e.action}
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
