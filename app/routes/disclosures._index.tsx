import type { MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { ComingSoon } from '~/components/coming-soon'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '捐赠公示', description: '各机构定期公示收到的捐赠与使用情况，每一笔捐赠都在阳光下运行。' })

export default function Page() {
  return (
    <ComingSoon title="捐赠公示">
      <p>各机构定期公示收到的捐赠与使用情况，每一笔捐赠都在阳光下运行。</p>
      <p>公示发布后即冻结，更正以新的更正说明发布。</p>
      <p>
        每一笔已收到的捐赠现已逐条公开，可在{' '}
        <Link to="/ledger" className="link">
          公开捐赠记录
        </Link>{' '}
        中按机构、月份查询。
      </p>
    </ComingSoon>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
