import type { MetaFunction } from '@remix-run/node'
import { ComingSoon } from '~/components/coming-soon'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '微心愿', description: '孩子们的微心愿（课外书籍、学习书桌、文具用品等）将在这里发布，您可以认领并送达。' })

export default function Page() {
  return (
    <ComingSoon title="微心愿">
      <p>孩子们的微心愿（课外书籍、学习书桌、文具用品等）将在这里发布，您可以认领并送达。</p>
      <p>机构工作人员正在准备以化名发布的心愿，敬请期待。</p>
    </ComingSoon>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
