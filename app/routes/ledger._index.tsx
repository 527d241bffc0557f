import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FilterForm, HomeFilter, withAll } from '~/components/filters'
import { SelectField } from '~/components/forms'
import { Pager } from '~/components/pager'
import { amountText, designationText, donationKindLabels, donationKinds } from '~/donations/labels'
import { ledgerFilterSchema, listLedgerMonths, listPublicLedger } from '~/donations/ledger.server'
import { parseShanghaiMonth } from '~/utils/shanghai-date'
import { usesOfDonations, usesText } from '~/allocations/allocations.server'
import { listInstitutions } from '~/institutions/institutions.server'
import { formatDate, formatFen } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { listQuery } from '~/utils/pagination'

export const meta: MetaFunction = () =>
  pageMeta({ title: '公开捐赠记录', description: '微暖收到的每一笔捐赠都公开记录、不可修改，可按机构、月份与类型查询。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const { filters, cursor, paged } = listQuery(request, ledgerFilterSchema)
  const month = filters.month && parseShanghaiMonth(filters.month) ? filters.month : null
  const page = listPublicLedger({ institutionSlug: filters.home, month, kind: filters.kind, cursor })
  const uses = usesOfDonations(page.items.map((e) => e.id))
  return {
    filters: { home: filters.home ?? '', month: month ?? '', kind: filters.kind ?? '', paged },
    monthError: filters.month && !month ? '月份格式应为 2026-06' : null,
    homes: listInstitutions().map((h) => ({ slug: h.slug, name: h.name })),
    months: listLedgerMonths(),
    entries: page.items.map((e) => ({
      receiptNo: e.receiptNo,
      date: formatDate(e.receivedAt),
      receivedAt: e.receivedAt.toISOString(),
      institutionName: e.institutionName,
      institutionSlug: e.institutionSlug,
      description: e.description,
      kind: e.kind,
      amount: amountText(e),
      estimatedValue: e.kind === 'goods' && e.estimatedValueFen !== null ? formatFen(e.estimatedValueFen) : null,
      donorDisplay: e.donorDisplay,
      designation: designationText(e),
      correctsReceipt: e.correctsReceipt,
      correctedBy: e.correctedBy.map((c) => c.receiptNo),
      uses: usesText(uses.get(e.id) ?? []),
    })),
    next: page.next,
  }
}

export default function LedgerPage() {
  const { filters, monthError, homes, months, entries, next } = useLoaderData<typeof loader>()
  const monthOptions = filters.month && !months.includes(filters.month) ? [filters.month, ...months] : months
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">公开捐赠记录</h1>
        <p className="mt-1 text-stone-700">
          每一笔捐赠都有收据编号并在此公开，记录不可修改；如有错误，以新的更正记录说明。捐赠人按本人选择显示为称呼、部分隐藏或“爱心人士”。
        </p>
      </div>

      <FilterForm title="筛选" filtered={Boolean(filters.home || filters.month || filters.kind || monthError)} clearTo="/ledger">
        <HomeFilter homes={homes} value={filters.home} />
        <SelectField
          label="月份"
          name="month"
          defaultValue={filters.month}
          errors={monthError ? [monthError] : undefined}
          options={withAll(
            '全部月份',
            monthOptions.map((m) => ({ value: m, label: m.replace('-', '年') + '月' })),
          )}
        />
        <SelectField
          label="类型"
          name="kind"
          defaultValue={filters.kind}
          options={withAll(
            '全部类型',
            donationKinds.map((k) => ({ value: k, label: donationKindLabels[k] })),
          )}
        />
      </FilterForm>

      <section aria-labelledby="ledger-entries">
        <h2 id="ledger-entries" className="text-lg font-semibold">
          记录{filters.paged ? '（续）' : ''}
        </h2>
        {entries.length === 0 ? (
          <p className="mt-3 text-stone-700">暂无符合条件的捐赠记录。</p>
        ) : (
          <ol className="mt-3 space-y-3" data-testid="ledger-entries">
            {entries.map((e) => (
              <li key={e.receiptNo} className="card space-y-2" data-testid="ledger-entry">
                <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-stone-700">
                  <time dateTime={e.receivedAt}>{e.date}</time>
                  <Link to={`/ledger/${e.receiptNo}`} className="link font-mono" aria-label={`收据 ${e.receiptNo} 详情`}>
                    {e.receiptNo}
                  </Link>
                </div>
                <p className="font-medium text-stone-900">
                  {e.description}
                  {e.correctsReceipt ? (
                    <span className="ml-2 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900">
                      更正 {e.correctsReceipt}
                    </span>
                  ) : null}
                  {e.correctedBy.length ? (
                    <span className="ml-2 inline-block rounded bg-stone-200 px-1.5 py-0.5 text-xs font-semibold text-stone-800">
                      已被 {e.correctedBy.join('、')} 更正
                    </span>
                  ) : null}
                </p>
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                  <dt className="text-stone-700">机构</dt>
                  <dd>
                    <Link to={`/institutions/${e.institutionSlug}`} className="link">
                      {e.institutionName}
                    </Link>
                  </dd>
                  <dt className="text-stone-700">{e.kind === 'money' ? '金额' : '数量'}</dt>
                  <dd>
                    {e.amount}
                    {e.estimatedValue ? <span className="text-stone-700">（估值 {e.estimatedValue}）</span> : null}
                  </dd>
                  <dt className="text-stone-700">捐赠人</dt>
                  <dd>{e.donorDisplay}</dd>
                  <dt className="text-stone-700">用途</dt>
                  <dd>{e.designation}</dd>
                </dl>
                {e.uses ? (
                  <p className="text-sm text-emerald-800" data-testid="entry-use">
                    {e.uses}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
        <Pager next={next} paged={filters.paged} />
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
