import { formatFen } from '~/utils/format'

// 「N 位月捐人 · 每月 ¥X」 on institution and campaign pages (issue 14): counts and totals only,
// never names. From monthly_gift_totals (monthlyTotals in monthly.server.ts).
export function MonthlyCount({ totals, testId }: { totals: { donors: number; monthlyFen: number }; testId: string }) {
  return (
    <p className="text-stone-800" data-testid={testId}>
      {totals.donors > 0 ? (
        <>
          <strong>{totals.donors}</strong> 位月捐人 · 每月 <strong>{formatFen(totals.monthlyFen)}</strong>
        </>
      ) : (
        '还没有月捐人'
      )}
    </p>
  )
}

/** The choice between a one-off gift and a monthly one, as two links (works without JavaScript). */
export function GiftKindChoice({ query, current }: { query: string; current: 'once' | 'monthly' }) {
  const tab = 'flex min-h-11 flex-1 items-center justify-center rounded-lg border px-3 py-2 text-center'
  const on = 'border-brand-700 bg-brand-50 font-semibold text-brand-800'
  const off = 'border-stone-300 text-stone-800 hover:bg-stone-50'
  return (
    <nav aria-label="捐款方式" className="flex gap-2">
      <a
        href={`/give${query}`}
        className={`${tab} ${current === 'once' ? on : off}`}
        aria-current={current === 'once' ? 'page' : undefined}
      >
        一次性捐款
      </a>
      <a
        href={`/give/monthly${query}`}
        className={`${tab} ${current === 'monthly' ? on : off}`}
        aria-current={current === 'monthly' ? 'page' : undefined}
      >
        每月捐
      </a>
    </nav>
  )
}
