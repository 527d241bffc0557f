import type { MetaFunction } from '@remix-run/node'
import { ComingSoon } from '~/components/coming-soon'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '物资需求', description: '机构和社区临时救助点所需的饮用水、衣物、被褥等物资将在这里按数量发布，您可以认捐其中一部分。' })

export default function Page() {
  return (
    <ComingSoon title="物资需求">
      <p>机构和社区临时救助点所需的饮用水、衣物、被褥等物资将在这里按数量发布，您可以认捐其中一部分。</p>
      <p>每一份到达的物资都会记入公开的捐赠记录。</p>
    </ComingSoon>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
