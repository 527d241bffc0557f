import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireStaff } from '~/auth/auth.server'
import { listCampaignsForHome } from '~/campaigns/campaigns.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { formatDate } from '~/utils/format'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '活动管理', description: '机构工作人员：心愿活动' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  return { campaigns: listCampaignsForHome(institution.id) }
}

export default function StaffCampaigns() {
  const { campaigns } = useLoaderData<typeof loader>()
  return (
    <section className="space-y-4" aria-labelledby="campaigns-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="campaigns-heading" className="text-xl font-semibold">
          活动
        </h2>
        <Link to="new" className="btn-primary">
          发起活动
        </Link>
      </div>
      <p className="text-sm text-stone-700">心愿可以加入活动（如六一、新年或跨地区结对），活动页面会展示整体进度。</p>
      {campaigns.length ? (
        <ul className="space-y-3">
          {campaigns.map((c) => (
            <li key={c.id} className="card space-y-1">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <Link to={String(c.id)} className="link font-semibold">
                  {c.name}
                </Link>
                <span className="text-sm text-stone-700">{c.isOwner ? '本机构发起' : '合作参与'}</span>
              </div>
              <p className="text-sm text-stone-700">
                {formatDate(c.startsAt)} – {formatDate(c.endsAt)} · {c.homes.map((h) => h.name).join('、')}
              </p>
              <p className="text-sm text-stone-800">
                共 {c.total} 个心愿，已认领 {c.claimed}，已实现 {c.fulfilled}；本机构 {c.ownWishes} 个
              </p>
              <p className="text-sm">
                <Link to={`/campaigns/${c.slug}`} className="link">
                  公开活动页
                </Link>
                {' · '}
                <Link to={`../wishes/new?campaignId=${c.id}`} relative="path" className="link">
                  为本活动新建心愿
                </Link>
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="card text-stone-700">还没有活动。</p>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
