import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ratioYuanLabel } from '~/matching/labels'
import { outstandingFen, publicPartner } from '~/matching/matching.server'
import { PledgeFigures, pledgeTargetName } from '~/matching/pledge-figures'
import { formatFen } from '~/utils/format'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'

// The public pledge page of a verified partner (配捐, docs/decisions/024): every accepted pledge
// with 承诺, 已配捐, 已结算 and 待结算, so a partner that does not pay is visible.

export async function loader({ params }: LoaderFunctionArgs) {
  const page = invariantFound(publicPartner(requireIdParam(params, 'id')))
  const pledges = page.pledges.map((row) => ({
    id: row.pledge.id,
    target: pledgeTargetName(row),
    homeSlug: row.homeSlug,
    campaignSlug: row.campaignSlug,
    ratioPermille: row.pledge.ratioPermille,
    perGiftCapFen: row.pledge.perGiftCapFen,
    startsOn: row.pledge.startsOn,
    endsOn: row.pledge.endsOn,
    capFen: row.pledge.capFen,
    matchedFen: row.pledge.matchedFen,
    settledFen: row.pledge.settledFen,
  }))
  const sum = (f: (p: (typeof pledges)[number]) => number) => pledges.reduce((s, p) => s + f(p), 0)
  return {
    partner: { name: page.partner.name, description: page.partner.description },
    pledges,
    totals: {
      capFen: sum((p) => p.capFen),
      matchedFen: sum((p) => p.matchedFen),
      settledFen: sum((p) => p.settledFen),
      outstandingFen: sum(outstandingFen),
    },
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? pageMeta({
        title: `${data.partner.name} 的配捐`,
        description: `${data.partner.name}：承诺配捐 ${formatFen(data.totals.capFen)}，已配捐 ${formatFen(data.totals.matchedFen)}，已结算 ${formatFen(data.totals.settledFen)}。`,
      })
    : pageMeta({ title: '合作机构不存在', description: '这个合作机构不存在。' })

export default function PartnerPublicPage() {
  const { partner, pledges, totals } = useLoaderData<typeof loader>()
  return (
    <article className="space-y-6">
      <header className="space-y-1">
        <p className="text-sm text-stone-700">配捐合作机构 · 已通过平台审核</p>
        <h1 className="text-2xl font-semibold">{partner.name}</h1>
      </header>
      {partner.description ? <p className="whitespace-pre-line text-stone-900">{partner.description}</p> : null}
      <section className="card space-y-2" aria-labelledby="totals-title">
        <h2 id="totals-title" className="text-lg font-semibold">
          合计
        </h2>
        <PledgeFigures pledge={totals} />
        <p className="text-sm text-stone-700">
          已配捐：按捐款自动生成、记入公开捐赠记录的配捐；已结算：受捐机构登记的实际到账。待结算 {formatFen(totals.outstandingFen)}{' '}
          是已配捐但尚未到账的金额。
        </p>
      </section>
      <section aria-labelledby="pledges-title" className="space-y-3">
        <h2 id="pledges-title" className="text-lg font-semibold">
          配捐承诺
        </h2>
        {pledges.length === 0 ? <p>暂无生效的配捐。</p> : null}
        <ul className="space-y-3">
          {pledges.map((p) => (
            <li key={p.id} className="card space-y-2" data-testid="public-pledge">
              <h3 className="font-semibold">
                <Link to={p.campaignSlug ? `/campaigns/${p.campaignSlug}` : `/institutions/${p.homeSlug}`} className="link">
                  {p.target}
                </Link>
              </h3>
              <p className="text-sm text-stone-800">
                每捐 1 元配 {ratioYuanLabel(p.ratioPermille)} · 单笔最多配 {formatFen(p.perGiftCapFen)} · {p.startsOn} 至 {p.endsOn}
              </p>
              <PledgeFigures pledge={p} />
            </li>
          ))}
        </ul>
      </section>
    </article>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
