import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, NavLink, Outlet, useLoaderData } from '@remix-run/react'
import { requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { listMembershipsOf } from '~/institutions/institutions.server'
import { roleLabels } from '~/institutions/labels'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, institution, role } = requireStaff(request, params.slug)
  return {
    institution: { slug: institution.slug, name: institution.name },
    role,
    homes: listMembershipsOf(user.id),
  }
}

export default function StaffConsole() {
  const { institution, role, homes } = useLoaderData<typeof loader>()
  const base = `/staff/${institution.slug}`
  const tabs = [
    { to: base, label: '概览', end: true },
    { to: `${base}/children`, label: '儿童档案', end: false },
    { to: `${base}/wishes`, label: '微心愿', end: false },
    { to: `${base}/campaigns`, label: '活动', end: false },
    { to: `${base}/needs`, label: '物资需求', end: false },
    { to: `${base}/receive`, label: '签收', end: false },
    { to: `${base}/intake`, label: '门口登记', end: false },
    { to: `${base}/gifts/new`, label: '登记捐赠', end: false },
    { to: `${base}/ledger`, label: '捐赠记录', end: false },
    { to: `${base}/allocations`, label: '用途', end: false },
    { to: `${base}/disclosures`, label: '公示', end: false },
    { to: `${base}/slots`, label: '志愿活动', end: false },
    { to: `${base}/volunteers`, label: '志愿者', end: false },
    { to: `${base}/programmes`, label: '项目', end: false },
    { to: `${base}/pairings`, label: '结对', end: false },
    { to: `${base}/visits`, label: '结对走访', end: false },
    { to: `${base}/service-hours`, label: '志愿时长', end: false },
    ...(role === 'manager' ? [{ to: `${base}/members`, label: '成员', end: false }, { to: `${base}/settings`, label: '设置', end: false }] : []),
  ]
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <p className="text-sm text-stone-700">机构后台 · {roleLabels[role]}</p>
          <h1 className="text-2xl font-semibold">{institution.name}</h1>
        </div>
        {homes.length > 1 ? (
          <details className="relative">
            <summary className="btn-secondary cursor-pointer">切换机构</summary>
            <ul className="absolute right-0 z-10 mt-1 w-64 rounded-lg border border-stone-200 bg-white p-1 shadow-lg">
              {homes.map((h) => (
                <li key={h.slug}>
                  <Link
                    to={`/staff/${h.slug}`}
                    aria-current={h.slug === institution.slug ? 'page' : undefined}
                    className="block rounded px-3 py-2 hover:bg-stone-100 aria-[current=page]:font-semibold"
                  >
                    {h.name}
                  </Link>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
      <nav aria-label="后台导航">
        <ul className="flex gap-1 overflow-x-auto whitespace-nowrap border-b border-stone-200">
          {tabs.map((t) => (
            <li key={t.to}>
              <NavLink
                to={t.to}
                end={t.end}
                className={({ isActive }) => `inline-block px-3 py-2 ${isActive ? 'border-b-2 border-brand-700 font-semibold text-brand-800' : 'text-stone-800'}`}
              >
                {t.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
