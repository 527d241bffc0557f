import { Form, Link, NavLink, useLocation } from '@remix-run/react'
import { useEffect, useRef } from 'react'

// The site header on every page: one row on a 390 px phone (issue 13 item 14). On a phone the
// five public sections and the member's own pages sit in one 菜单 (a <details> menu, so it opens
// without JavaScript); from md up the sections are inline and the menu (我的) keeps the member's
// pages. The member's name links to 账户 and 退出 stays in the row.

export type HeaderUser = { displayName: string; isPlatformAdmin: boolean }

const sections = [
  { to: '/wishes', label: '微心愿' },
  { to: '/volunteer', label: '志愿服务' },
  { to: '/needs', label: '物资需求' },
  { to: '/disclosures', label: '捐赠公示' },
  { to: '/institutions', label: '机构' },
]

const memberPages = [
  { to: '/me/bookings', label: '我的预约' },
  { to: '/me/claims', label: '我的认领' },
  { to: '/me/donations', label: '我的捐赠' },
  { to: '/me/monthly', label: '我的月捐' },
  { to: '/me/service', label: '志愿服务记录' },
  { to: '/me/pairings', label: '我的结对' },
  { to: '/account', label: '账户' },
]

const menuLink =
  'block rounded-lg px-3 py-2.5 text-stone-800 hover:bg-stone-100 aria-[current=page]:bg-brand-50 aria-[current=page]:font-semibold aria-[current=page]:text-brand-800'

function MenuList({ items, label, className = '' }: { items: Array<{ to: string; label: string }>; label: string; className?: string }) {
  return (
    <li className={className}>
      <p className="px-3 pt-1 text-xs font-medium text-stone-700">{label}</p>
      <ul className="grid grid-cols-2 gap-1">
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} className={menuLink}>
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </li>
  )
}

export function SiteHeader({ user, hasStaffConsole }: { user: HeaderUser | null; hasStaffConsole: boolean }) {
  const { pathname } = useLocation()
  const row = useRef<HTMLDivElement>(null)
  // With JavaScript, a tap outside the menu or Escape closes it. Without it, tapping 菜单 again does.
  useEffect(() => {
    const open = () => row.current?.querySelector<HTMLDetailsElement>('details[open]') ?? null
    const onPointer = (event: PointerEvent) => {
      const menu = open()
      if (menu && !menu.contains(event.target as Node)) menu.open = false
    }
    const onKey = (event: KeyboardEvent) => {
      const menu = open()
      if (event.key !== 'Escape' || !menu) return
      menu.open = false
      menu.querySelector('summary')?.focus()
    }
    document.addEventListener('pointerdown', onPointer)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('pointerdown', onPointer)
      document.removeEventListener('keydown', onKey)
    }
  }, [])

  const staffLinks = [
    ...(hasStaffConsole ? [{ to: '/staff', label: '机构后台' }] : []),
    ...(user?.isPlatformAdmin ? [{ to: '/admin', label: '平台管理' }] : []),
  ]
  return (
    <header className="border-b border-stone-200 bg-white">
      {/* Keyed by the path: after a client-side navigation the menu starts closed again. */}
      <div
        key={pathname}
        ref={row}
        className="relative mx-auto flex max-w-5xl items-center gap-x-3 px-4 py-3"
        data-testid="site-header-row"
      >
        <Link to="/" className="shrink-0 text-xl font-bold text-brand-700" aria-label="微暖 首页">
          微暖
        </Link>
        <nav aria-label="主导航" className="hidden md:block">
          <ul className="flex gap-1 text-[15px]">
            {sections.map((item) => (
              <li key={item.to}>
                <NavLink
                  to={item.to}
                  className={({ isActive }) =>
                    `inline-block rounded-md px-2.5 py-2 ${isActive ? 'bg-brand-50 font-semibold text-brand-800' : 'text-stone-800 hover:bg-stone-100'}`
                  }
                >
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="ml-auto flex min-w-0 items-center gap-x-3 text-sm">
          <details className={`group shrink-0 ${user ? '' : 'md:hidden'}`} data-testid="site-menu">
            <summary className="inline-flex min-h-10 cursor-pointer list-none items-center gap-1 rounded-full border border-stone-300 px-3 text-[15px] text-stone-800 hover:bg-stone-100 [&::-webkit-details-marker]:hidden">
              <span className="md:hidden">菜单</span>
              {user ? <span className="hidden md:inline">我的</span> : null}
              <span aria-hidden="true" className="text-xs transition-transform group-open:rotate-180">
                ▾
              </span>
            </summary>
            {/* Positioned against the whole row, so it never runs off a phone's edge. */}
            <nav
              aria-label="网站菜单"
              className="absolute inset-x-4 top-full z-30 mt-1 rounded-xl border border-stone-200 bg-white p-2 shadow-lg md:left-auto md:w-80"
            >
              <ul className="space-y-2">
                <MenuList items={sections} label="浏览" className="md:hidden" />
                {user ? <MenuList items={memberPages} label="我的" /> : null}
                {staffLinks.length ? <MenuList items={staffLinks} label="管理" /> : null}
              </ul>
            </nav>
          </details>
          {user ? (
            <>
              <Link to="/account" className="min-w-0 max-w-[7em] truncate font-medium text-stone-800" data-testid="current-user">
                {user.displayName}
              </Link>
              <Form method="post" action="/logout" className="shrink-0">
                <button type="submit" className="link">
                  退出
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to="/login" className="link shrink-0">
                登录
              </Link>
              <Link to="/register" className="shrink-0 rounded-lg bg-brand-700 px-3 py-1.5 font-medium text-white hover:bg-brand-800">
                注册
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  )
}
