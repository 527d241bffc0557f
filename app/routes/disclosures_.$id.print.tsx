import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { PrintLayout } from '~/components/print-layout'
import { disclosureDetail } from '~/disclosures/disclosures.server'
import { DisclosureSummaryView } from '~/disclosures/summary-view'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { invariantFound, requireIdParam } from '~/utils/http.server'

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({ title: data ? `${data.institution.name} ${data.label}捐赠公示（打印版）` : '捐赠公示', description: '捐赠公示打印版' })

export async function loader({ params }: LoaderFunctionArgs) {
  const d = invariantFound(disclosureDetail(requireIdParam(params, 'id')))
  return {
    id: d.id,
    label: d.label,
    institution: d.institution,
    publishedAt: d.publishedAt ? formatDateTime(d.publishedAt) : '',
    treeSize: d.treeSize,
    rootHash: d.rootHash,
    summary: d.summary,
  }
}

export default function PrintDisclosurePage() {
  const d = useLoaderData<typeof loader>()
  return (
    <PrintLayout back={{ to: `/disclosures/${d.id}`, label: '返回公示' }}>
      <article className="mx-auto max-w-3xl space-y-4 bg-white text-black print:max-w-none">
        <h1 className="text-2xl font-semibold">
          {d.institution.name} {d.label}捐赠公示
        </h1>
        <p className="text-sm text-stone-700">
          发布于 {d.publishedAt} · 记录数 {d.treeSize} · 根哈希 <span className="break-all font-mono">{d.rootHash}</span>
        </p>
        <DisclosureSummaryView summary={d.summary} linkEntries={false} />
        <p className="text-sm text-stone-700">核验：/disclosures/{d.id} · /api/ledger · scripts/verify-ledger</p>
      </article>
    </PrintLayout>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
