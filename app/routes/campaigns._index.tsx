import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { campaignIndexQuery, listPublicCampaigns } from '~/campaigns/campaigns.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Pager } from '~/components/pager'
import { formatDate } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { listQuery } from '~/utils/pagination'

// Public index of campaigns (活动): running now and recently ended, keyset-paged.

export const meta: MetaFunction = () => pageMeta({ title: '活动', description: '六一、新年等微心愿活动：正在进行和近期结束的活动。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const { cursor, paged } = listQuery(request, campaignIndexQuery)
  return { page: listPublicCampaigns({ cursor }), paged }
}

export default function CampaignsIndex() {
  const { page, paged } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">活动</h1>
      <p className="text-stone-700">机构发起的微心愿活动（如六一、新年），以及近期结束的活动。</p>
      {page.items.length === 0 ? (
        <p className="text-stone-800">
          近期没有活动。{' '}
          <Link to="/wishes" className="link">
            看看全部微心愿
          </Link>
        </p>
      ) : (
        <ul className="space-y-3" data-testid="campaign-list">
          {page.items.map((c) => (
            <li key={c.slug} className="card space-y-1">
              <h2 className="text-lg font-semibold">
                <Link to={`/campaigns/${c.slug}`} className="link">
                  {c.name}
                </Link>
              </h2>
              <p className="text-sm text-stone-700">
                {c.current ? '进行中' : c.upcoming ? '即将开始' : '已结束'} · {formatDate(c.startsAt)} 至 {formatDate(c.endsAt)} ·{' '}
                {c.homeName}
              </p>
              {c.description ? <p className="line-clamp-2 text-stone-800">{c.description}</p> : null}
            </li>
          ))}
        </ul>
      )}
      <Pager next={page.next} paged={paged} />
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
