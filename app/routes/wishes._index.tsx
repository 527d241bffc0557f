import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { CityFilter, FilterForm, HomeFilter, withAll } from '~/components/filters'
import { SelectField } from '~/components/forms'
import { Pager } from '~/components/pager'
import { WishCardList } from '~/wishes/wish-card'
import { pageMeta } from '~/utils/meta'
import { listQuery } from '~/utils/pagination'
import { AGE_BANDS, categoryOptions, wishStatusLabels } from '~/wishes/labels'
import { listPublicWishes, wishFilterChoices, wishFilterSchema } from '~/wishes/public.server'

export const meta: MetaFunction = () =>
  pageMeta({ title: '微心愿', description: '孩子们的微心愿：课外书籍、学习书桌、文具用品……以化名发布，认领后送达，每一份心意都公开可查。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const { filters, cursor, paged } = listQuery(request, wishFilterSchema)
  return { filters, page: listPublicWishes({ filters, cursor }), choices: wishFilterChoices(), paged }
}

const ageOptions = withAll(
  '全部年龄',
  AGE_BANDS.map((b) => ({ value: `${b.min}-${b.max}`, label: b.label })),
)
const statusOptions = withAll(
  '全部状态',
  (['published', 'claimed', 'received', 'fulfilled'] as const).map((s) => ({ value: s, label: wishStatusLabels[s] })),
)

export default function WishesPage() {
  const { filters, page, choices, paged } = useLoaderData<typeof loader>()
  const filtered = Object.values(filters).some(Boolean)

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">微心愿</h1>
        <p className="mt-1 text-stone-700">
          每个心愿都来自机构里的孩子，以化名和年龄段发布。认领后请在期限内购买并寄送，机构收到后会记入
          <Link to="/ledger" className="link">
            捐赠公示
          </Link>
          。
        </p>
      </header>

      <FilterForm title="筛选心愿" filtered={filtered} clearTo="/wishes">
        <SelectField label="类别" name="category" defaultValue={filters.category ?? ''} options={withAll('全部类别', categoryOptions)} />
        <SelectField label="年龄段" name="age" defaultValue={filters.age ?? ''} options={ageOptions} />
        <SelectField label="状态" name="status" defaultValue={filters.status ?? ''} options={statusOptions} />
        <CityFilter cities={choices.cities} value={filters.city} />
        <HomeFilter homes={choices.homes} value={filters.home} />
        <SelectField
          label="活动"
          name="campaign"
          defaultValue={filters.campaign ?? ''}
          options={withAll(
            '全部活动',
            choices.campaigns.map((c) => ({ value: c.slug, label: c.name })),
          )}
        />
      </FilterForm>

      <section aria-labelledby="list-title">
        <h2 id="list-title" className="sr-only">
          心愿列表
        </h2>
        <WishCardList
          wishes={page.items}
          empty={
            filtered ? (
              <p>
                没有符合条件的心愿。试试
                <Link to="/wishes" className="link">
                  查看全部心愿
                </Link>
                。
              </p>
            ) : (
              <p>暂时还没有公开的心愿。机构工作人员正在以化名整理孩子们的心愿，请稍后再来看看。</p>
            )
          }
        />
        <Pager next={page.next} paged={paged} />
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
