import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { amountText, designationText, donationChannelLabels, donationKindLabels } from '~/donations/labels'
import { getPublicEntry } from '~/donations/ledger.server'
import { usesOfDonation, usesText } from '~/allocations/allocations.server'
import { publishedPhotos } from '~/feedback-photos/feedback-photos.server'
import { FeedbackPhotoBlock } from '~/feedback-photos/feedback-photo-block'
import { VerifiedBadge } from '~/ledger/verified-badge'
import { formatDateTime, formatFen } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { invariantFound } from '~/utils/http.server'

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? pageMeta({
        title: `捐赠记录 ${data.entry.receiptNo}`,
        description: `${data.entry.institutionName} 收到：${data.entry.description}（${data.entry.donorDisplay}）`,
      })
    : pageMeta({ title: '捐赠记录', description: '微暖公开捐赠记录' })

export async function loader({ params }: LoaderFunctionArgs) {
  const entry = invariantFound(getPublicEntry(params.receipt ?? ''))
  const uses = usesOfDonation(entry.id)
  return {
    entry: {
      receiptNo: entry.receiptNo,
      receivedAt: entry.receivedAt.toISOString(),
      receivedAtText: formatDateTime(entry.receivedAt),
      institutionName: entry.institutionName,
      institutionSlug: entry.institutionSlug,
      institutionCity: entry.institutionCity,
      description: entry.description,
      kind: donationKindLabels[entry.kind],
      amountLabel: entry.kind === 'money' ? '金额' : '数量',
      amount: amountText(entry),
      estimatedValue: entry.kind === 'goods' && entry.estimatedValueFen !== null ? formatFen(entry.estimatedValueFen) : null,
      donorDisplay: entry.donorDisplay,
      designation: designationText(entry),
      wishId: entry.designation === 'wish' ? entry.wishId : null,
      channel: donationChannelLabels[entry.channel],
      correctsReceipt: entry.correctsReceipt,
      correctionReason: entry.correctionReason,
      correctedBy: entry.correctedBy,
      uses: usesText(uses),
    },
    // 执行反馈 of the 用途 entries that drew on this entry.
    feedbackPhotos: publishedPhotos(
      'allocation',
      uses.map((u) => u.allocationId),
    ).map((p) => ({ key: p.key, altText: p.altText })),
  }
}

export default function LedgerEntryPage() {
  const { entry, feedbackPhotos } = useLoaderData<typeof loader>()
  return (
    <article className="mx-auto max-w-2xl space-y-4">
      <p className="text-sm">
        <Link to="/ledger" className="link">
          ← 公开捐赠记录
        </Link>
      </p>
      <div>
        <h1 className="text-2xl font-semibold">捐赠记录 {entry.receiptNo}</h1>
        <p className="mt-1 text-stone-700">本条记录公开、不可修改；如有错误将以更正记录说明。</p>
      </div>

      {entry.correctsReceipt ? (
        <div role="note" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <p className="font-semibold">
            这是一条更正记录，冲正{' '}
            <Link to={`/ledger/${entry.correctsReceipt}`} className="link">
              {entry.correctsReceipt}
            </Link>
          </p>
          {entry.correctionReason ? <p className="mt-1">更正说明：{entry.correctionReason}</p> : null}
        </div>
      ) : null}
      {entry.correctedBy.length ? (
        <div role="note" className="rounded-lg border border-stone-300 bg-stone-100 p-3 text-sm text-stone-900">
          <p className="font-semibold">本条记录已被更正：</p>
          <ul className="mt-1 space-y-1">
            {entry.correctedBy.map((c) => (
              <li key={c.receiptNo}>
                <Link to={`/ledger/${c.receiptNo}`} className="link">
                  {c.receiptNo}
                </Link>
                {c.reason ? `：${c.reason}` : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <dl className="card grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
        <dt className="text-stone-700">收到时间</dt>
        <dd>
          <time dateTime={entry.receivedAt}>{entry.receivedAtText}</time>
        </dd>
        <dt className="text-stone-700">机构</dt>
        <dd>
          <Link to={`/institutions/${entry.institutionSlug}`} className="link">
            {entry.institutionName}
          </Link>
          <span className="text-stone-700">（{entry.institutionCity}）</span>
        </dd>
        <dt className="text-stone-700">内容</dt>
        <dd>{entry.description}</dd>
        <dt className="text-stone-700">类型</dt>
        <dd>{entry.kind}</dd>
        <dt className="text-stone-700">{entry.amountLabel}</dt>
        <dd>{entry.amount || '—'}</dd>
        {entry.estimatedValue ? (
          <>
            <dt className="text-stone-700">估值</dt>
            <dd>{entry.estimatedValue}</dd>
          </>
        ) : null}
        <dt className="text-stone-700">捐赠人</dt>
        <dd>{entry.donorDisplay}</dd>
        <dt className="text-stone-700">用途</dt>
        <dd>
          {entry.wishId ? (
            <Link to={`/wishes/${entry.wishId}`} className="link">
              {entry.designation}
            </Link>
          ) : (
            entry.designation
          )}
        </dd>
        <dt className="text-stone-700">渠道</dt>
        <dd>{entry.channel}</dd>
        {entry.uses ? (
          <>
            <dt className="text-stone-700">使用情况</dt>
            <dd data-testid="entry-use">{entry.uses}</dd>
          </>
        ) : null}
      </dl>
      <FeedbackPhotoBlock photos={feedbackPhotos} />
      <VerifiedBadge receiptNo={entry.receiptNo} description={entry.description} />
      <p>
        <Link to={`/ledger/${entry.receiptNo}/receipt`} className="btn-secondary">
          打印捐赠回执
        </Link>
      </p>
    </article>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
