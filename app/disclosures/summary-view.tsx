import { Link } from '@remix-run/react'
import { formatDate, formatFen } from '~/utils/format'
import { categoryLabels } from '~/wishes/labels'
import type { DisclosureSummary, Totals } from './disclosures.server'

// The body of a disclosure (公示): shared by the public page, the print page and the staff
// preview. Browser-safe: it only formats the summary JSON it is given.

export const designationLabels: Record<string, string> = { wish: '微心愿', need: '物资需求', campaign: '活动', general: '非定向捐赠' }

export function categoryLabel(key: string | null): string {
  if (!key || key === 'none') return '未指定类别'
  return categoryLabels[key as keyof typeof categoryLabels] ?? key
}

function quantitiesText(t: Totals): string {
  const parts = Object.entries(t.goodsQuantities).map(([unit, q]) => `${q} ${unit}`)
  return parts.length ? parts.join('、') : '—'
}

type Bar = { label: string; moneyFen: number; goodsValueFen: number }

/** Grouped bars (money, goods value), drawn on the server as plain SVG. */
export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const max = Math.max(1, ...bars.flatMap((b) => [Math.abs(b.moneyFen), Math.abs(b.goodsValueFen)]))
  const rowHeight = 44
  const labelWidth = 90
  const width = 340
  const barMax = width - labelWidth - 10
  const height = bars.length * rowHeight + 30
  const description = bars.map((b) => `${b.label}：善款 ${formatFen(b.moneyFen)}，物资估值 ${formatFen(b.goodsValueFen)}`).join('；')
  return (
    <figure className="space-y-1">
      <figcaption className="text-sm font-medium text-stone-800">{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        role="img"
        aria-label={`${title}：${description || '无数据'}`}
        className="max-w-md"
      >
        {bars.map((b, i) => {
          const y = i * rowHeight
          const moneyWidth = (Math.max(0, b.moneyFen) / max) * barMax
          const goodsWidth = (Math.max(0, b.goodsValueFen) / max) * barMax
          return (
            <g key={b.label}>
              <text x={0} y={y + 18} fontSize="12" fill="#292524">
                {b.label}
              </text>
              <rect x={labelWidth} y={y + 6} width={moneyWidth} height={14} fill="#b45309" />
              <rect x={labelWidth} y={y + 22} width={goodsWidth} height={14} fill="#0f766e" />
            </g>
          )
        })}
        <g transform={`translate(0 ${bars.length * rowHeight + 10})`}>
          <rect x={0} y={0} width={12} height={12} fill="#b45309" />
          <text x={16} y={10} fontSize="12" fill="#292524">
            善款
          </text>
          <rect x={70} y={0} width={12} height={12} fill="#0f766e" />
          <text x={86} y={10} fontSize="12" fill="#292524">
            物资估值
          </text>
        </g>
      </svg>
    </figure>
  )
}

export function DisclosureSummaryView({
  summary,
  headingLevel = 2,
  linkEntries = true,
}: {
  summary: DisclosureSummary
  headingLevel?: 2 | 3 | 4
  linkEntries?: boolean
}) {
  const H = `h${headingLevel}` as 'h2' | 'h3' | 'h4'
  const t = summary.totals
  const b = summary.balance
  const receipt = (no: string) =>
    linkEntries ? (
      <Link to={`/ledger/${no}`} className="link font-mono">
        {no}
      </Link>
    ) : (
      <span className="font-mono">{no}</span>
    )
  return (
    <div className="space-y-6">
      <section className="space-y-2">
        <H className="text-lg font-semibold">收支概况</H>
        <dl className="card grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-stone-700">收到善款</dt>
          <dd data-testid="total-money">{formatFen(t.moneyFen)}</dd>
          <dt className="text-stone-700">收到物资</dt>
          <dd>
            {t.goodsEntries} 笔（{quantitiesText(t)}），估值 {formatFen(t.goodsValueFen)}
          </dd>
          <dt className="text-stone-700">上期结余</dt>
          <dd>
            {formatFen(b.openingFen)}
            {b.previousDisclosure ? (
              <>
                {' '}
                （
                <Link to={`/disclosures/${b.previousDisclosure.id}`} className="link">
                  {b.previousDisclosure.label}
                </Link>
                ）
              </>
            ) : null}
          </dd>
          <dt className="text-stone-700">本期使用善款</dt>
          <dd>{formatFen(b.moneyAllocatedFen)}</dd>
          <dt className="text-stone-700">结余结转下期</dt>
          <dd data-testid="closing-balance">{formatFen(b.closingFen)}</dd>
        </dl>
      </section>

      <section className="space-y-3">
        <H className="text-lg font-semibold">按月份与类别</H>
        <div className="grid gap-4 sm:grid-cols-2">
          <BarChart
            title="按月份"
            bars={summary.byMonth.map((m) => ({ label: m.month, moneyFen: m.moneyFen, goodsValueFen: m.goodsValueFen }))}
          />
          <BarChart
            title="按类别"
            bars={Object.entries(summary.byCategory).map(([k, v]) => ({
              label: categoryLabel(k),
              moneyFen: v.moneyFen,
              goodsValueFen: v.goodsValueFen,
            }))}
          />
        </div>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">按捐赠用途统计</caption>
            <thead>
              <tr className="border-b border-stone-300">
                <th scope="col" className="py-1 pr-2">
                  定向
                </th>
                <th scope="col" className="py-1 pr-2">
                  善款
                </th>
                <th scope="col" className="py-1 pr-2">
                  物资
                </th>
                <th scope="col" className="py-1">
                  物资估值
                </th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(summary.byDesignation).map(([k, v]) => (
                <tr key={k} className="border-b border-stone-200">
                  <th scope="row" className="py-1 pr-2 font-normal">
                    {designationLabels[k] ?? k}
                  </th>
                  <td className="py-1 pr-2">{formatFen(v.moneyFen)}</td>
                  <td className="py-1 pr-2">{quantitiesText(v)}</td>
                  <td className="py-1">{formatFen(v.goodsValueFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="space-y-2">
        <H className="text-lg font-semibold">捐赠明细（{summary.entries.length} 笔）</H>
        {summary.entries.length ? (
          <ul className="divide-y divide-stone-200 rounded border border-stone-200 text-sm">
            {summary.entries.map((e) => (
              <li key={e.receiptNo} className="p-2">
                <p>
                  {receipt(e.receiptNo)} · {formatDate(e.receivedAt)} · {e.description}
                  {e.kind === 'money' ? ` · ${formatFen(e.amountFen ?? 0)}` : e.quantity !== null ? ` · ${e.quantity} ${e.unit ?? ''}` : ''}
                </p>
                <p className="text-stone-700">
                  {designationLabels[e.designation]}
                  {e.category ? ` · ${categoryLabel(e.category)}` : ''} · {e.donorDisplay}
                  {e.correctsReceipt ? ` · 更正 ${e.correctsReceipt}` : ''}
                </p>
                {e.uses.length ? <p className="text-emerald-800">已使用：{e.uses.join('；')}</p> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-stone-700">本期没有捐赠记录。</p>
        )}
      </section>

      <section className="space-y-2">
        <H className="text-lg font-semibold">用途</H>
        {summary.allocations.length ? (
          <ul className="space-y-2 text-sm">
            {summary.allocations.map((a) => (
              <li key={a.id} className="card">
                <p className="font-semibold">
                  {formatDate(a.usedAt)} {a.purpose}
                </p>
                <p className="text-stone-700">
                  {[a.amountFen === null ? null : formatFen(a.amountFen), a.items || null].filter(Boolean).join(' · ')} · 受益对象：
                  {a.beneficiaryDescription}
                </p>
                <p className="text-stone-700">
                  来源：
                  {a.sourceReceipts.map((r, i) => (
                    <span key={r}>
                      {i ? '、' : ''}
                      {receipt(r)}
                    </span>
                  ))}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-stone-700">本期没有登记用途。</p>
        )}
      </section>

      <section className="space-y-2">
        <H className="text-lg font-semibold">更正说明</H>
        {summary.corrections.length ? (
          <ul className="space-y-2 text-sm">
            {summary.corrections.map((c) => (
              <li key={c.receiptNo} className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950">
                <p>
                  {receipt(c.receiptNo)} 更正 {receipt(c.correctsReceipt)}（原记录 {formatDate(c.originalReceivedAt)}）：{c.reason}
                </p>
                {c.originalDisclosure ? (
                  <p>
                    原记录已在{' '}
                    <Link to={`/disclosures/${c.originalDisclosure.id}`} className="link">
                      {c.originalDisclosure.label}公示
                    </Link>{' '}
                    中公示。
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-stone-700">本期没有更正。</p>
        )}
      </section>
    </div>
  )
}
