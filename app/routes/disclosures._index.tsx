import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Pager } from '~/components/pager'
import { SelectField } from '~/components/forms'
import { listPublishedDisclosures } from '~/disclosures/disclosures.server'
import { listInstitutions } from '~/institutions/institutions.server'
import { formatDate, formatFen } from '~/utils/format'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () =>
  pageMeta({ title: '捐赠公示', description: '各机构定期公示收到的捐赠与使用情况，每一笔捐赠都在阳光下运行。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const home = url.searchParams.get('home')?.trim() || null
  const cursor = url.searchParams.get('cursor') || null
  const page = listPublishedDisclosures({ institutionSlug: home, cursor })
  return {
    home: home ?? '',
    paged: Boolean(cursor),
    homes: listInstitutions().map((h) => ({ value: h.slug, label: h.name })),
    items: page.items.map((d) => ({
      id: d.id,
      label: d.label,
      institutionName: d.institutionName,
      institutionSlug: d.institutionSlug,
      publishedAt: d.publishedAt ? formatDate(d.publishedAt) : '',
      money: formatFen(d.moneyFen),
      goodsValue: formatFen(d.goodsValueFen),
      entryCount: d.entryCount,
    })),
    next: page.next,
  }
}

function DisclosureList({ items }: { items: ReturnType<typeof useLoaderData<typeof loader>>['items'] }) {
  return (
    <ul className="space-y-3">
      {items.map((d) => (
        <li key={d.id} className="card">
          <h2 className="text-lg font-semibold">
            <Link to={`/disclosures/${d.id}`} className="link">
              {d.institutionName} · {d.label}捐赠公示
            </Link>
          </h2>
          <p className="text-sm text-stone-700">
            发布于 {d.publishedAt} · {d.entryCount} 笔捐赠 · 善款 {d.money} · 物资估值 {d.goodsValue}
          </p>
        </li>
      ))}
    </ul>
  )
}

export default function DisclosuresPage() {
  const { home, paged, homes, items, next } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">捐赠公示</h1>
        <p className="mt-1 text-stone-700">
          各机构定期公示收到的捐赠与使用情况。公示发布后即冻结，更正以新的更正说明发布。每一笔捐赠也逐条公开在{' '}
          <Link to="/ledger" className="link">
            公开捐赠记录
          </Link>{' '}
          中，任何人都可以核验。
        </p>
      </div>
      <Form method="get" className="flex flex-wrap items-end gap-3">
        <SelectField label="机构" name="home" defaultValue={home} options={[{ value: '', label: '全部机构' }, ...homes]} />
        <button type="submit" className="btn-secondary">
          筛选
        </button>
      </Form>
      {items.length ? <DisclosureList items={items} /> : <p className="text-stone-700">还没有已发布的公示。</p>}
      <Pager next={next} paged={paged} nextLabel="更早的公示" />
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
