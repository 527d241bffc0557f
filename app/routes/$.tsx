import type { MetaFunction } from '@remix-run/node'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { pageMeta } from '~/utils/meta'
import { notFound } from '~/utils/http.server'

// Any path no other route matches: render the Chinese 404 inside the site layout.
export async function loader() {
  notFound()
}

export const meta: MetaFunction = () => pageMeta({ title: '页面不存在', description: '您访问的页面不存在' })

export default function NotFound() {
  return null
}

export { GeneralErrorBoundary as ErrorBoundary }
