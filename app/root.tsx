import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node'
import { Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { getUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { SiteHeader } from '~/components/site-header'
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

function Header() {
  const data = useRouteLoaderData<typeof loader>('root')
  return <SiteHeader user={data?.user ?? null} hasStaffConsole={data?.hasStaffConsole ?? false} />
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
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2"
        >
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
