import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { CityFilter, FilterForm, HomeFilter, withAll } from '~/components/filters'
import { SelectField } from '~/components/forms'
import { Pager } from '~/components/pager'
import { NeedCard } from '~/needs/need-card'
import { listPublicNeeds, needFilterChoices, needFilterSchema } from '~/needs/needs.server'
import { pageMeta } from '~/utils/meta'
import { listQuery } from '~/utils/pagination'
import { categoryOptions } from '~/wishes/labels'

export const meta: MetaFunction = () =>
  pageMeta({
    title: '物资需求',
    description: '福利院和社区临时救助点所需的饮用水、衣物、被褥等物资，按数量发布，您可以认捐其中一部分，到达后记入公开的捐赠记录。',
  })

export async function loader({ request }: LoaderFunctionArgs) {
  const { filters, cursor, paged } = listQuery(request, needFilterSchema)
  return { filters, page: listPublicNeeds({ filters, cursor }), choices: needFilterChoices(), paged }
}

const urgencyOptions = withAll('全部', [
  { value: 'urgent', label: '紧急' },
  { value: 'normal', label: '普通' },
])

export default function NeedsPage() {
  const { filters, page, choices, paged } = useLoaderData<typeof loader>()
  const filtered = Object.values(filters).some(Boolean)
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

      <FilterForm title="筛选需求" filtered={filtered} clearTo="/needs" columns={4}>
        <SelectField label="类别" name="category" defaultValue={filters.category ?? ''} options={withAll('全部类别', categoryOptions)} />
        <SelectField label="紧急程度" name="urgency" defaultValue={filters.urgency ?? ''} options={urgencyOptions} />
        <CityFilter cities={choices.cities} value={filters.city} />
        <HomeFilter homes={choices.homes} value={filters.home} />
      </FilterForm>

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
        <Pager next={page.next} paged={paged} />
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
