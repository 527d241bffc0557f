import { Link } from '@remix-run/react'
import { formatFen } from '~/utils/format'
import { pledgeStatusLabels, ratioYuanLabel } from './labels'

// Pieces of the 配捐 pages, browser-safe and light (public pages use them).

export { pledgeStatusLabels }

type Figures = { capFen: number; matchedFen: number; settledFen: number }

/** 承诺 / 已配捐 / 已结算 / 待结算 of one pledge. */
export function PledgeFigures({ pledge }: { pledge: Figures }) {
  const outstanding = Math.max(0, pledge.matchedFen - pledge.settledFen)
  return (
    <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm sm:grid-cols-4" data-testid="pledge-figures">
      <div>
        <dt className="text-stone-700">承诺</dt>
        <dd className="font-semibold">{formatFen(pledge.capFen)}</dd>
      </div>
      <div>
        <dt className="text-stone-700">已配捐</dt>
        <dd className="font-semibold" data-testid="pledge-matched">
          {formatFen(pledge.matchedFen)}
        </dd>
      </div>
      <div>
        <dt className="text-stone-700">已结算</dt>
        <dd className="font-semibold">{formatFen(pledge.settledFen)}</dd>
      </div>
      <div>
        <dt className="text-stone-700">待结算</dt>
        <dd className="font-semibold">{formatFen(outstanding)}</dd>
      </div>
    </dl>
  )
}

/** "机构：滨州福利院" or "活动：冬衣活动（滨州福利院）". */
export function pledgeTargetName(row: { homeName: string; campaignName: string | null }): string {
  return row.campaignName ? `活动：${row.campaignName}（${row.homeName}）` : `机构：${row.homeName}`
}

export type LiveMatchView = { partnerId: number; partnerName: string; ratioPermille: number; remainingFen: number }

/** 「每捐 1 元，<partner> 再捐 1 元，配捐余额 ¥3,200」, or 「配捐额度已用完」. */
export function MatchLine({ match }: { match: LiveMatchView | null }) {
  if (!match) return null
  return (
    <p className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950" data-testid="match-line">
      {match.remainingFen > 0 ? (
        <>
          每捐 1 元，
          <Link to={`/partners/${match.partnerId}`} className="link">
            {match.partnerName}
          </Link>{' '}
          再捐 {ratioYuanLabel(match.ratioPermille)}，配捐余额 {formatFen(match.remainingFen)}
        </>
      ) : (
        <>
          <Link to={`/partners/${match.partnerId}`} className="link">
            {match.partnerName}
          </Link>{' '}
          的配捐额度已用完
        </>
      )}
    </p>
  )
}
