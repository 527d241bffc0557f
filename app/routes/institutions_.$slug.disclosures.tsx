import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { listPublishedDisclosures } from '~/disclosures/disclosures.server'
import { getInstitutionBySlug } from '~/institutions/institutions.server'
import { formatDate, formatFen } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { invariantFound } from '~/utils/http.server'

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({ title: data ? `${data.institution.name}的捐赠公示` : '捐赠公示', description: '机构定期公示收到的捐赠与使用情况。' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const institution = invariantFound(getInstitutionBySlug(params.slug ?? ''))
  const cursor = new URL(request.url).searchParams.get('cursor') || null
  const page = listPublishedDisclosures({ institutionSlug: institution.slug, cursor })
  return {
    institution: { slug: institution.slug, name: institution.name },
    items: page.items.map((d) => ({
      id: d.id,
      label: d.label,
      publishedAt: d.publishedAt ? formatDate(d.publishedAt) : '',
      money: formatFen(d.moneyFen),
      goodsValue: formatFen(d.goodsValueFen),
      entryCount: d.entryCount,
    })),
    next: page.next,
  }
}

export default function HomeDisclosuresPage() {
  const { institution, items, next } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to={`/institutions/${institution.slug}`} className="link">
          ← {institution.name}
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">{institution.name}的捐赠公示</h1>
      {items.length ? (
        <ul className="space-y-3">
          {items.map((d) => (
            <li key={d.id} className="card">
              <h2 className="text-lg font-semibold">
                <Link to={`/disclosures/${d.id}`} className="link">
                  {d.label}捐赠公示
                </Link>
              </h2>
              <p className="text-sm text-stone-700">
                发布于 {d.publishedAt} · {d.entryCount} 笔捐赠 · 善款 {d.money} · 物资估值 {d.goodsValue}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-stone-700">本机构还没有发布公示。</p>
      )}
      <p className="flex gap-4">
        {next ? (
          <Link to={`?cursor=${encodeURIComponent(next)}`} className="link">
            更早的公示
          </Link>
        ) : null}
        <Link to={`/ledger?home=${encodeURIComponent(institution.slug)}`} className="link">
          本机构的公开捐赠记录
        </Link>
      </p>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
