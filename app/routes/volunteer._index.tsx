import type { MetaFunction } from '@remix-run/node'
import { ComingSoon } from '~/components/coming-soon'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '志愿服务', description: '社会开放日（每月第二个周六）、学业辅导、焕新乐园家庭陪伴等志愿服务将在这里开放预约。' })

export default function Page() {
  return (
    <ComingSoon title="志愿服务">
      <p>社会开放日（每月第二个周六）、学业辅导、焕新乐园家庭陪伴等志愿服务将在这里开放预约。</p>
      <p>团体来访需提前预约；接触儿童的岗位需通过背景核验。</p>
    </ComingSoon>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
