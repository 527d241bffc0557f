import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { liveMatchForCampaign } from '~/matching/matching.server'
import { MatchLine } from '~/matching/pledge-figures'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Pager } from '~/components/pager'
import { WishCardList } from '~/wishes/wish-card'
import { formatDate } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { now } from '~/utils/clock.server'
import { getPublicCampaign, listPublicWishes } from '~/wishes/public.server'
import { invariantFound } from '~/utils/http.server'
import { campaignShareCard } from '~/share/cards.server'
import { shareCardImage } from '~/share/share-card.server'
import { siteUrl } from '~/utils/origin.server'
import { campaignMonthlyTotals } from '~/payments/monthly.server'
import { MonthlyCount } from '~/payments/monthly-count'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const campaign = invariantFound(getPublicCampaign(params.slug ?? ''))
  const cursor = new URL(request.url).searchParams.get('cursor')
  const acceptsGifts = campaign.endsAt.getTime() > now().getTime()
  const shareUrl = siteUrl(`/campaigns/${campaign.slug}`, request)
  return {
    campaign,
    page: listPublicWishes({ filters: { campaign: campaign.slug }, cursor }),
    paged: Boolean(cursor),
    acceptsGifts,
    monthly: campaignMonthlyTotals(campaign.slug), // 月捐 (issue 14)
    match: acceptsGifts ? liveMatchForCampaign(campaign.slug) : null, // 配捐
    shareUrl,
    shareImage: shareCardImage(request, `/campaigns/${campaign.slug}/card.png`, campaignShareCard(campaign, shareUrl)),
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? pageMeta({
        title: data.campaign.name,
        description: (
          data.campaign.description ||
          `${data.campaign.name}：共 ${data.campaign.progress.total} 个微心愿，已认领 ${data.campaign.progress.claimed} 个。`
        ).slice(0, 120),
        url: data.shareUrl,
        image: data.shareImage,
      })
    : pageMeta({ title: '活动不存在', description: '这个活动不存在。' })

export default function CampaignPage() {
  const { campaign, page, paged, acceptsGifts, monthly, match } = useLoaderData<typeof loader>()
  const { progress } = campaign
  const pct = (n: number) => (progress.total ? Math.round((n / progress.total) * 100) : 0)
  return (
    <article className="space-y-6">
      <header className="space-y-1">
        <p className="text-sm text-stone-700">微心愿活动</p>
        <h1 className="text-2xl font-semibold">{campaign.name}</h1>
        <p className="text-stone-700">
          {formatDate(campaign.startsAt)} — {formatDate(campaign.endsAt)}
        </p>
      </header>
      {campaign.description ? <p className="whitespace-pre-line text-stone-900">{campaign.description}</p> : null}
      {acceptsGifts ? (
        <p className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Link to={`/give?campaign=${encodeURIComponent(campaign.slug)}`} className="btn-secondary w-full sm:w-auto">
            为这个活动捐款
          </Link>{' '}
          <Link to={`/teams/new?campaign=${encodeURIComponent(campaign.slug)}`} className="link inline-flex min-h-11 items-center">
            发起一起捐
          </Link>
        </p>
      ) : null}
      <section aria-labelledby="monthly-title" className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h2 id="monthly-title" className="sr-only">
          月捐
        </h2>
        <MonthlyCount totals={monthly} testId="campaign-monthly" />
        {acceptsGifts ? (
          <Link to={`/give/monthly?campaign=${encodeURIComponent(campaign.slug)}`} className="link">
            每月捐给这个活动
          </Link>
        ) : null}
      </section>
      <MatchLine match={match} />

      <section aria-labelledby="progress-title" className="card space-y-3">
        <h2 id="progress-title" className="text-lg font-semibold">
          活动进展
        </h2>
        <p className="text-stone-900" data-testid="campaign-progress">
          已认领 <strong>{progress.claimed}</strong> / 已实现 <strong>{progress.fulfilled}</strong> / 共 <strong>{progress.total}</strong>
        </p>
        <div
          role="progressbar"
          aria-label="已认领的心愿占比"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct(progress.claimed)}
          aria-valuetext={`已认领 ${progress.claimed} 个，已实现 ${progress.fulfilled} 个，共 ${progress.total} 个`}
          className="relative h-3 w-full overflow-hidden rounded-full bg-stone-200"
        >
          <div className="absolute inset-y-0 left-0 bg-brand-100" style={{ width: `${pct(progress.claimed)}%` }} />
          <div className="absolute inset-y-0 left-0 bg-brand-700" style={{ width: `${pct(progress.fulfilled)}%` }} />
        </div>
        <p className="text-sm text-stone-700">深色为已实现，浅色为已认领。</p>
      </section>

      {campaign.homes.length ? (
        <section aria-labelledby="homes-title">
          <h2 id="homes-title" className="text-lg font-semibold">
            参与机构
          </h2>
          <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
            {campaign.homes.map((h) => (
              <li key={h.slug}>
                <Link to={`/institutions/${h.slug}`} className="link">
                  {h.name}
                </Link>
                <span className="text-stone-700">（{h.city}）</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="wishes-title" className="space-y-3">
        <h2 id="wishes-title" className="text-lg font-semibold">
          活动心愿
        </h2>
        <WishCardList wishes={page.items} empty={<p>这个活动还没有公开的心愿。</p>} />
        <Pager next={page.next} paged={paged} />
      </section>
    </article>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
