/** "12.5 小时": the one way service hours are written. */
export function hoursText(hours: number): string {
  return `${hours} 小时`
}

type Totals = {
  perYear: Array<{ year: number | string; hours: number }>
  perHome: Array<{ institutionId: number; home: string; hours: number }>
}

/** Service hours per year and per home, side by side on wider screens. */
export function HoursTotals({ totals, testIdPrefix }: { totals: Totals; testIdPrefix: string }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <div>
        <h3 className="font-semibold">按年度</h3>
        <ul className="mt-1 text-sm" data-testid={`${testIdPrefix}-per-year`}>
          {totals.perYear.map((y) => (
            <li key={y.year} className="flex justify-between border-b border-stone-200 py-1">
              <span>{y.year} 年</span>
              <span>{hoursText(y.hours)}</span>
            </li>
          ))}
        </ul>
      </div>
      <div>
        <h3 className="font-semibold">按机构</h3>
        <ul className="mt-1 text-sm" data-testid={`${testIdPrefix}-per-home`}>
          {totals.perHome.map((h) => (
            <li key={h.institutionId} className="flex justify-between gap-2 border-b border-stone-200 py-1">
              <span>{h.home}</span>
              <span className="whitespace-nowrap">{hoursText(h.hours)}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  )
}
