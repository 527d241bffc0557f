import { Link, useLocation } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import type { MembershipRole } from '~db/enums'

// The staff console's navigation, grouped so it fits a 390 px phone without scrolling sideways
// and works without JavaScript: a wrapping bar of groups, each a <details> menu of its pages,
// and under it the current group's pages. The console home lists every group in full too.

export type StaffNavItem = { to: string; label: string; /** Further path segments that belong to this item. */ also?: string[] }
export type StaffNavGroup = { id: string; label: string; items: StaffNavItem[] }

/** Every staff page, grouped. Paths are relative to /staff/<slug>. */
export function staffNavGroups(role: MembershipRole): StaffNavGroup[] {
  const groups: StaffNavGroup[] = [
    {
      id: 'wishes',
      label: '心愿',
      items: [
        { to: 'children', label: '儿童档案' },
        { to: 'wishes', label: '微心愿' },
        { to: 'campaigns', label: '活动' },
        { to: 'receive', label: '签收' },
      ],
    },
    {
      id: 'volunteering',
      label: '志愿',
      items: [
        { to: 'slots', label: '志愿活动', also: ['series'] },
        { to: 'volunteers', label: '志愿者' },
        { to: 'service-hours', label: '志愿时长' },
      ],
    },
    {
      id: 'goods',
      label: '物资',
      items: [
        { to: 'needs', label: '物资需求' },
        { to: 'intake', label: '门口登记' },
      ],
    },
    {
      id: 'money',
      label: '资金与公示',
      items: [
        { to: 'gifts/new', label: '登记捐赠', also: ['gifts'] },
        { to: 'ledger', label: '捐赠记录' },
        { to: 'allocations', label: '用途' },
        { to: 'disclosures', label: '公示' },
        { to: 'teams', label: '一起捐' },
        { to: 'matching', label: '配捐' },
      ],
    },
    {
      id: 'programmes',
      label: '焕新乐园',
      items: [
        { to: 'programmes', label: '项目' },
        { to: 'pairings', label: '结对' },
        { to: 'visits', label: '结对走访' },
        { to: 'families', label: '家庭' },
        { to: 'tutoring', label: '学业辅导' },
      ],
    },
  ]
  if (role === 'manager') {
    groups.push({
      id: 'settings',
      label: '机构设置',
      items: [
        { to: 'members', label: '成员' },
        { to: 'settings', label: '设置' },
      ],
    })
  }
  return groups
}

/** The group and item a console path belongs to (none on the console home). */
export function currentNav(groups: StaffNavGroup[], base: string, pathname: string): { group: StaffNavGroup; item: StaffNavItem } | null {
  const rest = pathname.startsWith(`${base}/`) ? pathname.slice(base.length + 1) : ''
  if (!rest) return null
  const first = rest.split('/')[0]
  for (const group of groups) {
    for (const item of group.items) {
      if (item.to.split('/')[0] === first || item.also?.includes(first ?? '')) return { group, item }
    }
  }
  return null
}

const pill = 'inline-flex min-h-10 items-center rounded-full border px-3 text-[15px]'
const pillIdle = 'border-stone-300 bg-white text-stone-800 hover:bg-stone-100'
const pillCurrent = 'border-brand-700 bg-brand-50 font-semibold text-brand-800'

export function StaffNav({ base, role }: { base: string; role: MembershipRole }) {
  const { pathname } = useLocation()
  const groups = staffNavGroups(role)
  const here = currentNav(groups, base, pathname.replace(/\/+$/, ''))
  const onHome = pathname.replace(/\/+$/, '') === base
  const bar = useRef<HTMLDivElement>(null)
  // With JavaScript, a tap outside the menus or Escape closes the open one (Escape hands the
  // focus back to its button). Without it, tapping the group again closes it.
  useEffect(() => {
    const openMenu = () => bar.current?.querySelector<HTMLDetailsElement>('details[open]') ?? null
    const onPointer = (event: PointerEvent) => {
      const open = openMenu()
      if (open && !open.contains(event.target as Node)) open.open = false
    }
    const onKey = (event: KeyboardEvent) => {
      const open = openMenu()
      if (event.key !== 'Escape' || !open) return
      open.open = false
      open.querySelector('summary')?.focus()
    }
    document.addEventListener('pointerdown', onPointer)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('pointerdown', onPointer)
      document.removeEventListener('keydown', onKey)
    }
  }, [])
  return (
    // Keyed by the path: after a client-side navigation every menu starts closed again.
    <div key={pathname} ref={bar} className="relative space-y-2">
      <nav aria-label="后台导航">
        <ul className="flex flex-wrap gap-1.5">
          <li>
            <Link to={base} aria-current={onHome ? 'page' : undefined} className={`${pill} ${onHome ? pillCurrent : pillIdle}`}>
              工作台
            </Link>
          </li>
          {groups.map((group) => {
            const current = here?.group.id === group.id
            return (
              <li key={group.id}>
                <details name="staff-nav" className="group">
                  <summary
                    aria-current={current ? 'true' : undefined}
                    className={`${pill} ${current ? pillCurrent : pillIdle} cursor-pointer list-none gap-1 [&::-webkit-details-marker]:hidden`}
                  >
                    {group.label}
                    <span aria-hidden="true" className="text-xs transition-transform group-open:rotate-180">
                      ▾
                    </span>
                  </summary>
                  {/* Positioned against the whole bar, not the button, so it never runs off a phone's edge. */}
                  <ul className="absolute inset-x-0 z-20 mt-1 grid grid-cols-2 gap-1 rounded-xl border border-stone-200 bg-white p-2 shadow-lg sm:grid-cols-3">
                    {group.items.map((item) => {
                      const isItem = here?.item.to === item.to
                      return (
                        <li key={item.to}>
                          <Link
                            to={`${base}/${item.to}`}
                            aria-current={isItem ? 'page' : undefined}
                            className="block rounded-lg px-3 py-2.5 text-stone-800 hover:bg-stone-100 aria-[current=page]:bg-brand-50 aria-[current=page]:font-semibold aria-[current=page]:text-brand-800"
                          >
                            {item.label}
                          </Link>
                        </li>
                      )
                    })}
                  </ul>
                </details>
              </li>
            )
          })}
        </ul>
      </nav>
      {here ? (
        <nav aria-label={`${here.group.label}：本组页面`}>
          <ul className="flex flex-wrap gap-x-1 border-b border-stone-200">
            {here.group.items.map((item) => {
              const isItem = here.item.to === item.to
              return (
                <li key={item.to}>
                  <Link
                    to={`${base}/${item.to}`}
                    aria-current={isItem ? 'page' : undefined}
                    className={`inline-block px-3 py-2 ${isItem ? 'border-b-2 border-brand-700 font-semibold text-brand-800' : 'text-stone-800'}`}
                  >
                    {item.label}
                  </Link>
                </li>
              )
            })}
          </ul>
        </nav>
      ) : null}
    </div>
  )
}
