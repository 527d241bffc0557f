import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { getUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { listMembershipsOf } from '~/institutions/institutions.server'
import { useNonce } from '~/utils/nonce'
import stylesheet from '~/tailwind.css?url'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = getUser(request)
  const hasStaffConsole = user ? listMembershipsOf(user.id).length > 0 : false
  return {
    user: user ? { displayName: user.displayName, isPlatformAdmin: user.isPlatformAdmin } : null,
    hasStaffConsole,
  }
}

const nav = [
  { to: '/wishes', label: '微心愿' },
  { to: '/volunteer', label: '志愿服务' },
  { to: '/needs', label: '物资需求' },
  { to: '/disclosures', label: '捐赠公示' },
  { to: '/institutions', label: '机构' },
]

function Header() {
  const data = useRouteLoaderData<typeof loader>('root')
  const user = data?.user
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link to="/" className="text-xl font-bold text-brand-700" aria-label="微暖 首页">
          微暖
        </Link>
        <div className="ml-auto flex flex-wrap items-center justify-end gap-x-3 gap-y-1 text-sm">
          {user ? (
            <>
              {data.hasStaffConsole ? (
                <Link to="/staff" className="link">
                  机构后台
                </Link>
              ) : null}
              {user.isPlatformAdmin ? (
                <Link to="/admin" className="link">
                  平台管理
                </Link>
              ) : null}
              <Link to="/me/claims" className="link">
                我的认领
              </Link>
              <Link to="/me/bookings" className="link">
                我的预约
              </Link>
              <Link to="/me/pairings" className="link">
                我的结对
              </Link>
              <Link to="/account" className="font-medium text-stone-800" data-testid="current-user">
                {user.displayName}
              </Link>
              <Form method="post" action="/logout">
                <button type="submit" className="link">
                  退出
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to="/login" className="link">
                登录
              </Link>
              <Link to="/register" className="rounded-lg bg-brand-700 px-3 py-1.5 font-medium text-white hover:bg-brand-800">
                注册
              </Link>
            </>
          )}
        </div>
        <nav aria-label="主导航" className="-mx-1 w-full">
          <ul className="flex flex-wrap gap-1 text-[15px]">
            {nav.map((item) => (
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
      </div>
    </header>
  )
}

function Footer() {
  return (
    <footer className="mt-16 border-t border-stone-200 bg-white">
      <div className="mx-auto max-w-5xl space-y-2 px-4 py-6 text-sm text-stone-700">
        <p>微暖 · 慈善之光，虽微而暖。每一笔捐赠都在阳光下运行。</p>
        <p>平台仅展示化名与年龄段，不公开任何儿童的真实身份信息。</p>
        <p>
          <Link to="/ledger" className="link">
            公开捐赠记录
          </Link>
        </p>
      </div>
    </footer>
  )
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce()
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#9a3412" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
          跳到主要内容
        </a>
        <Header />
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-6">
          {children}
        </main>
        <Footer />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  useLoaderData<typeof loader>()
  return <Outlet />
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />
}
