import { formatFen } from '~/utils/format'

type Totals = { moneyFen: number; goodsItems: number; wishesFulfilled: number; serviceHours: number }

/** 已收到捐赠 ¥ / 物资件数 / 心愿实现数 / 志愿服务时长: the home page (all homes) and an institution page. */
export function PublicTotalsList({ totals, testId }: { totals: Totals; testId: string }) {
  const items = [
    { label: '已收到捐赠', value: formatFen(totals.moneyFen) },
    { label: '物资件数', value: String(totals.goodsItems) },
    { label: '心愿实现数', value: String(totals.wishesFulfilled) },
    { label: '志愿服务时长', value: `${totals.serviceHours} 小时` },
  ]
  return (
    <dl className="grid grid-cols-2 gap-3 text-center sm:grid-cols-4" data-testid={testId}>
      {items.map((t) => (
        <div key={t.label} className="card flex flex-col-reverse">
          <dt className="text-sm text-stone-700">{t.label}</dt>
          <dd className="text-xl font-bold break-all text-brand-800">{t.value}</dd>
        </div>
      ))}
    </dl>
  )
}
