import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { SelectField } from '~/components/forms'
import { NeedCard } from '~/needs/need-card'
import { listPublicNeeds, needFilterChoices, needFiltersFrom } from '~/needs/needs.server'
import { pageMeta } from '~/utils/meta'
import { categoryLabels } from '~/wishes/labels'

export const meta: MetaFunction = () =>
  pageMeta({ title: '物资需求', description: '福利院和社区临时救助点所需的饮用水、衣物、被褥等物资，按数量发布，您可以认捐其中一部分，到达后记入公开的捐赠记录。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams
  const filters = needFiltersFrom(params)
  return { filters, page: listPublicNeeds({ filters, cursor: params.get('cursor') }), choices: needFilterChoices(), paged: params.has('cursor') }
}

const categoryOptions = [{ value: '', label: '全部类别' }, ...Object.entries(categoryLabels).map(([value, label]) => ({ value, label }))]
const urgencyOptions = [
  { value: '', label: '全部' },
  { value: 'urgent', label: '紧急' },
  { value: 'normal', label: '普通' },
]

export default function NeedsPage() {
  const { filters, page, choices, paged } = useLoaderData<typeof loader>()
  const location = useLocation()
  const filtered = Object.values(filters).some(Boolean)
  const nextParams = new URLSearchParams(location.search)
  if (page.next) nextParams.set('cursor', page.next)
  const firstParams = new URLSearchParams(location.search)
  firstParams.delete('cursor')
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">物资需求</h1>
        <p className="mt-1 text-stone-700">
          机构和社区临时救助点按数量发布所需物资，您可以认捐其中一部分。每一份到达的物资都会记入
          <Link to="/ledger" className="link">
            捐赠公示
          </Link>
          。
        </p>
      </header>

      <section aria-labelledby="filters-title" className="card">
        <h2 id="filters-title" className="text-lg font-semibold">
          筛选需求
        </h2>
        <Form method="get" key={location.search} className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4">
          <SelectField label="类别" name="category" defaultValue={filters.category ?? ''} options={categoryOptions} />
          <SelectField label="紧急程度" name="urgency" defaultValue={filters.urgency ?? ''} options={urgencyOptions} />
          <SelectField label="城市" name="city" defaultValue={filters.city ?? ''} options={[{ value: '', label: '全部城市' }, ...choices.cities.map((c) => ({ value: c, label: c }))]} />
          <SelectField
            label="机构"
            name="home"
            defaultValue={filters.home ?? ''}
            options={[{ value: '', label: '全部机构' }, ...choices.homes.map((h) => ({ value: h.slug, label: h.name }))]}
          />
          <p className="col-span-2 flex flex-wrap items-center gap-3 sm:col-span-4">
            <button type="submit" className="btn-primary">
              筛选
            </button>
            {filtered ? (
              <Link to="/needs" className="link">
                清除筛选
              </Link>
            ) : null}
          </p>
        </Form>
      </section>

      <section aria-labelledby="list-title">
        <h2 id="list-title" className="sr-only">
          需求列表
        </h2>
        {page.items.length === 0 ? (
          <p className="text-stone-800">{filtered ? '没有符合条件的物资需求。' : '暂时没有正在认捐的物资需求，请稍后再来看看。'}</p>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2">
            {page.items.map((need) => (
              <li key={need.id}>
                <NeedCard need={need} />
              </li>
            ))}
          </ul>
        )}
        <nav aria-label="翻页" className="mt-4 flex flex-wrap gap-3">
          {paged ? (
            <Link to={`/needs${firstParams.toString() ? `?${firstParams}` : ''}`} className="btn-secondary">
              回到第一页
            </Link>
          ) : null}
          {page.next ? (
            <Link to={`/needs?${nextParams}`} className="btn-secondary" rel="next">
              下一页
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
