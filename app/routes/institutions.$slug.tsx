import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ProgrammeLinks } from '~/programmes/programme-links'
import { listPublicProgrammes } from '~/programmes/programmes.server'
import { liveMatchFor } from '~/matching/matching.server'
import { MatchLine } from '~/matching/pledge-figures'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { WishCardList } from '~/wishes/wish-card'
import { getInstitutionProfile, institutionKindLabels } from '~/institutions/institutions.server'
import { pageMeta } from '~/utils/meta'
import { newestOpenWishes } from '~/wishes/public.server'
import { NeedCard } from '~/needs/need-card'
import { openNeedsOfHome } from '~/needs/needs.server'
import { invariantFound } from '~/utils/http.server'
import { homeTotals, publicTrustFacts } from '~/institutions/trust.server'
import { PublicTotalsList } from '~/institutions/public-totals'
import { formatDate } from '~/utils/format'
import { monthlyTotals } from '~/payments/monthly.server'
import { MonthlyCount } from '~/payments/monthly-count'

export async function loader({ params }: LoaderFunctionArgs) {
  const profile = invariantFound(getInstitutionProfile(params.slug ?? ''))
  return {
    ...profile,
    kindLabel: institutionKindLabels[profile.institution.kind],
    openWishes: newestOpenWishes({ homeSlug: profile.institution.slug, limit: 6 }),
    openNeeds: openNeedsOfHome(profile.institution.id, 6),
    programmes: listPublicProgrammes({ institutionId: profile.institution.id }),
    facts: publicTrustFacts(profile.institution.id)!,
    totals: homeTotals(profile.institution.id),
    monthly: monthlyTotals('institution', profile.institution.id), // 月捐 (issue 14)
    match: liveMatchFor({ institutionId: profile.institution.id, campaignId: null }), // 配捐
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? pageMeta({
        title: data.institution.name,
        description: data.institution.description.slice(0, 120) || `${data.institution.name}在微暖的公开主页`,
      })
    : pageMeta({ title: '机构不存在', description: '机构不存在' })

export default function InstitutionPage() {
  const { institution, parent, children, kindLabel, openWishes, openNeeds, programmes, facts, totals, monthly, match } =
    useLoaderData<typeof loader>()
  return (
    <article className="space-y-6">
      <header>
        <p className="text-sm text-stone-700">{kindLabel}</p>
        <h1 className="text-2xl font-semibold">{institution.name}</h1>
        {parent ? (
          <p className="mt-1 text-stone-700">
            隶属：
            <Link to={`/institutions/${parent.slug}`} className="link">
              {parent.name}
            </Link>
          </p>
        ) : null}
      </header>
      {institution.description ? <p className="whitespace-pre-line text-stone-800">{institution.description}</p> : null}
      <p className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Link to={`/give?home=${encodeURIComponent(institution.slug)}`} className="btn-primary w-full sm:w-auto">
          支持这家机构（捐款）
        </Link>{' '}
        <Link to={`/teams/new?home=${encodeURIComponent(institution.slug)}`} className="link inline-flex min-h-11 items-center">
          发起一起捐
        </Link>
      </p>
      <section aria-labelledby="monthly-title" className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h2 id="monthly-title" className="sr-only">
          月捐
        </h2>
        <MonthlyCount totals={monthly} testId="home-monthly" />
        <Link to={`/give/monthly?home=${encodeURIComponent(institution.slug)}`} className="link">
          每月捐给这家机构
        </Link>
      </section>
      <MatchLine match={match} />
      {programmes.length ? (
        <section aria-labelledby="programmes-title" className="space-y-2">
          <h2 id="programmes-title" className="text-lg font-semibold">
            志愿项目
          </h2>
          <ProgrammeLinks programmes={programmes} showHome={false} />
        </section>
      ) : null}
      <section aria-labelledby="facts-title" className="card space-y-3" data-testid="trust-facts">
        <h2 id="facts-title" className="text-lg font-semibold">
          机构信息
        </h2>
        <dl className="grid gap-x-3 gap-y-2 sm:grid-cols-[10rem_1fr]">
          <dt className="font-medium text-stone-700">{facts.registrationLabel}</dt>
          <dd className="break-all">{facts.registrationNo || '未填写'}</dd>
          {facts.registrationAuthority ? (
            <>
              <dt className="font-medium text-stone-700">登记管理机关</dt>
              <dd>{facts.registrationAuthority}</dd>
            </>
          ) : null}
          <dt className="font-medium text-stone-700">机构性质</dt>
          <dd>{facts.orgTypeLabel ?? '未填写'}</dd>
          <dt className="font-medium text-stone-700">公开募捐资格</dt>
          <dd>{facts.publicFundraising ? '具有公开募捐资格' : '不具有公开募捐资格'}</dd>
          <dt className="font-medium text-stone-700">所在地区</dt>
          <dd>
            {institution.province} {institution.city} {institution.district}
          </dd>
          {institution.publicAddress ? (
            <>
              <dt className="font-medium text-stone-700">地址</dt>
              <dd>{institution.publicAddress}</dd>
            </>
          ) : null}
          {institution.publicPhone ? (
            <>
              <dt className="font-medium text-stone-700">联系电话</dt>
              <dd>
                <a href={`tel:${institution.publicPhone}`} className="link">
                  {institution.publicPhone}
                </a>
              </dd>
            </>
          ) : null}
        </dl>
        <p className="text-sm text-stone-700" data-testid="trust-verification">
          信息由机构填写，{facts.verifiedAt ? `平台已核验（${formatDate(facts.verifiedAt)}）` : '平台未核验'}。
        </p>
        <p className="text-sm text-stone-700">
          在微暖上的捐赠都是指定给本机构、心愿或需求的定向捐赠，不是公开募捐；每一笔都记入公开捐赠记录。
        </p>
      </section>
      <section aria-labelledby="home-totals-title" className="space-y-3">
        <h2 id="home-totals-title" className="text-lg font-semibold">
          本机构收到的爱心
        </h2>
        <PublicTotalsList totals={totals} testId="home-totals" />
      </section>
      {children.length ? (
        <section aria-labelledby="points-title">
          <h2 id="points-title" className="text-lg font-semibold">
            下设站点
          </h2>
          <ul className="mt-2 list-disc pl-5">
            {children.map((c) => (
              <li key={c.slug}>
                <Link to={`/institutions/${c.slug}`} className="link">
                  {c.name}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="wishes-title" className="space-y-3">
        <h2 id="wishes-title" className="text-lg font-semibold">
          等待认领的心愿
        </h2>
        <WishCardList wishes={openWishes} empty={<p>本机构目前没有等待认领的心愿。</p>} />
        <p>
          <Link to={`/wishes?home=${encodeURIComponent(institution.slug)}`} className="link">
            查看本机构的全部心愿
          </Link>
        </p>
      </section>
      <section aria-labelledby="needs-title" className="space-y-3">
        <h2 id="needs-title" className="text-lg font-semibold">
          物资需求
        </h2>
        {openNeeds.length ? (
          <ul className="grid gap-4 sm:grid-cols-2">
            {openNeeds.map((need) => (
              <li key={need.id}>
                <NeedCard need={need} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-stone-700">本机构目前没有正在认捐的物资需求。</p>
        )}
        <p>
          <Link to={`/needs?home=${encodeURIComponent(institution.slug)}`} className="link">
            查看本机构的全部物资需求
          </Link>
        </p>
      </section>
      <section aria-labelledby="activity-title" className="card">
        <h2 id="activity-title" className="text-lg font-semibold">
          活动与公示
        </h2>
        <p className="mt-1 text-stone-700">本机构定期公示收到的捐赠与使用情况。</p>
        <p className="mt-1">
          <Link to={`/institutions/${institution.slug}/disclosures`} className="link">
            查看本机构的捐赠公示
          </Link>
        </p>
      </section>
    </article>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
