import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { SelectField } from '~/components/forms'
import { WishCardList } from '~/wishes/wish-card'
import { pageMeta } from '~/utils/meta'
import { AGE_BANDS, categoryLabels, wishStatusLabels } from '~/wishes/labels'
import { listPublicWishes, wishFilterChoices, wishFiltersFrom } from '~/wishes/public.server'

export const meta: MetaFunction = () =>
  pageMeta({ title: '微心愿', description: '孩子们的微心愿：课外书籍、学习书桌、文具用品……以化名发布，认领后送达，每一份心意都公开可查。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams
  const filters = wishFiltersFrom(params)
  const page = listPublicWishes({ filters, cursor: params.get('cursor') })
  return { filters, page, choices: wishFilterChoices(), paged: params.has('cursor') }
}

const categoryOptions = [{ value: '', label: '全部类别' }, ...Object.entries(categoryLabels).map(([value, label]) => ({ value, label }))]
const ageOptions = [{ value: '', label: '全部年龄' }, ...AGE_BANDS.map((b) => ({ value: `${b.min}-${b.max}`, label: b.label }))]
const statusOptions = [
  { value: '', label: '全部状态' },
  ...(['published', 'claimed', 'received', 'fulfilled'] as const).map((s) => ({ value: s, label: wishStatusLabels[s] })),
]

export default function WishesPage() {
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
        <h1 className="text-2xl font-semibold">微心愿</h1>
        <p className="mt-1 text-stone-700">
          每个心愿都来自机构里的孩子，以化名和年龄段发布。认领后请在期限内购买并寄送，机构收到后会记入
          <Link to="/ledger" className="link">
            捐赠公示
          </Link>
          。
        </p>
      </header>

      <section aria-labelledby="filters-title" className="card">
        <h2 id="filters-title" className="text-lg font-semibold">
          筛选心愿
        </h2>
        <Form method="get" key={location.search} className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3">
          <SelectField label="类别" name="category" defaultValue={filters.category ?? ''} options={categoryOptions} />
          <SelectField label="年龄段" name="age" defaultValue={filters.age ?? ''} options={ageOptions} />
          <SelectField label="状态" name="status" defaultValue={filters.status ?? ''} options={statusOptions} />
          <SelectField
            label="城市"
            name="city"
            defaultValue={filters.city ?? ''}
            options={[{ value: '', label: '全部城市' }, ...choices.cities.map((c) => ({ value: c, label: c }))]}
          />
          <SelectField
            label="机构"
            name="home"
            defaultValue={filters.home ?? ''}
            options={[{ value: '', label: '全部机构' }, ...choices.homes.map((h) => ({ value: h.slug, label: h.name }))]}
          />
          <SelectField
            label="活动"
            name="campaign"
            defaultValue={filters.campaign ?? ''}
            options={[{ value: '', label: '全部活动' }, ...choices.campaigns.map((c) => ({ value: c.slug, label: c.name }))]}
          />
          <p className="col-span-2 flex flex-wrap items-center gap-3 sm:col-span-3">
            <button type="submit" className="btn-primary">
              筛选
            </button>
            {filtered ? (
              <Link to="/wishes" className="link">
                清除筛选
              </Link>
            ) : null}
          </p>
        </Form>
      </section>

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
        <nav aria-label="翻页" className="mt-4 flex flex-wrap gap-3">
          {paged ? (
            <Link to={`/wishes${firstParams.toString() ? `?${firstParams}` : ''}`} className="btn-secondary">
              回到第一页
            </Link>
          ) : null}
          {page.next ? (
            <Link to={`/wishes?${nextParams}`} className="btn-secondary" rel="next">
              下一页
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
