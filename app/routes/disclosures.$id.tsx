import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { disclosureDetail } from '~/disclosures/disclosures.server'
import { DisclosureSummaryView } from '~/disclosures/summary-view'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { invariantFound, requireIdParam } from '~/utils/http.server'

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? pageMeta({
        title: `${data.institution.name} ${data.label}捐赠公示`,
        description: `${data.institution.name}${data.label}收到的捐赠、使用情况与结余。`,
      })
    : pageMeta({ title: '捐赠公示', description: '微暖捐赠公示' })

export async function loader({ params }: LoaderFunctionArgs) {
  const d = invariantFound(disclosureDetail(requireIdParam(params, 'id')))
  return {
    id: d.id,
    label: d.label,
    institution: d.institution,
    publishedAt: d.publishedAt ? formatDateTime(d.publishedAt) : '',
    treeSize: d.treeSize,
    rootHash: d.rootHash,
    signature: d.signature,
    summary: d.summary,
    correctedIn: d.correctedIn,
  }
}

export default function DisclosurePage() {
  const d = useLoaderData<typeof loader>()
  return (
    <article className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to="/disclosures" className="link">
          ← 捐赠公示
        </Link>
      </p>
      <div>
        <h1 className="text-2xl font-semibold">
          {d.institution.name} · {d.label}捐赠公示
        </h1>
        <p className="mt-1 text-stone-700">发布于 {d.publishedAt}。本公示已冻结，不可修改；之后的更正以“更正说明”发布在下一期公示中。</p>
        <p className="mt-2 flex flex-wrap gap-3 text-sm">
          <a href={`/disclosures/${d.id}.csv`} className="btn-secondary" download>
            下载 CSV
          </a>
          <a href={`/disclosures/${d.id}.xlsx`} className="btn-secondary" download>
            下载 Excel
          </a>
          <Link to={`/disclosures/${d.id}/print`} className="btn-secondary">
            打印版
          </Link>
          <Link to={`/institutions/${d.institution.slug}/disclosures`} className="btn-secondary">
            本机构全部公示
          </Link>
        </p>
      </div>
      {d.correctedIn.length ? (
        <div role="note" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <p className="font-semibold">本期的部分记录在之后被更正：</p>
          <ul className="mt-1 space-y-1">
            {d.correctedIn.map((c) => (
              <li key={c.id}>
                <Link to={`/disclosures/${c.id}`} className="link">
                  {c.label}公示的更正说明
                </Link>
                （{c.receipts.join('、')}）
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <DisclosureSummaryView summary={d.summary} />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">可验证的记录</h2>
        <p className="text-sm text-stone-700">
          发布时，全站捐赠记录的默克尔树（RFC 9162）状态被记录并由本站密钥签名。任何人都可以用 <code>scripts/verify-ledger</code> 或公开接口{' '}
          <code>/api/ledger</code> 核验：本期明细没有被悄悄修改或删除。
        </p>
        <dl className="card grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-stone-700">记录数（树大小）</dt>
          <dd data-testid="tree-size">{d.treeSize}</dd>
          <dt className="text-stone-700">根哈希</dt>
          <dd className="break-all font-mono">{d.rootHash}</dd>
          <dt className="text-stone-700">签名（Ed25519）</dt>
          <dd className="break-all font-mono">{d.signature}</dd>
        </dl>
        <p className="text-sm">
          <a href="/.well-known/weinuan-ledger-key" className="link">
            本站公钥
          </a>{' '}
          ·{' '}
          <a href="/api/ledger/tree-head" className="link">
            当前树状态
          </a>
        </p>
      </section>
    </article>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
