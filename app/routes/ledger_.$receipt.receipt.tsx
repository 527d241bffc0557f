import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { PrintLayout } from '~/components/print-layout'
import { QrCode } from '~/components/qr-code'
import { amountText, designationText, donationChannelLabels, donationKindLabels } from '~/donations/labels'
import { getPublicEntry } from '~/donations/ledger.server'
import { formatDateTime, formatFen } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { siteQrCode } from '~/utils/qr.server'
import { invariantFound } from '~/utils/http.server'

// The printable 捐赠回执 (A4) for one log entry. Public fields only — the frozen donor_display,
// never a walk-in donor's private name or contact — so anyone with the receipt number may view
// it. The QR links to the public log entry.

const RECEIPT_DISCLAIMER = '本回执仅为受赠确认，不是财政部门监制的公益事业捐赠票据。'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const entry = invariantFound(getPublicEntry(params.receipt ?? ''))
  const qr = await siteQrCode(request, `/ledger/${entry.receiptNo}`)
  return {
    receipt: {
      receiptNo: entry.receiptNo,
      receivedAt: entry.receivedAt.toISOString(),
      receivedAtText: formatDateTime(entry.receivedAt),
      institutionName: entry.institutionName,
      institutionCity: entry.institutionCity,
      description: entry.description,
      kind: donationKindLabels[entry.kind],
      amountLabel: entry.kind === 'money' ? '金额' : '数量',
      amount: amountText(entry),
      estimatedValue: entry.kind === 'goods' && entry.estimatedValueFen !== null ? formatFen(entry.estimatedValueFen) : null,
      donorDisplay: entry.donorDisplay,
      designation: designationText(entry),
      channel: donationChannelLabels[entry.channel],
      correctsReceipt: entry.correctsReceipt,
      correctionReason: entry.correctionReason,
      correctedBy: entry.correctedBy,
    },
    disclaimer: RECEIPT_DISCLAIMER,
    url: qr.url,
    qrSvg: qr.svg,
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        ...pageMeta({ title: `捐赠回执 ${data.receipt.receiptNo}`, description: `${data.receipt.institutionName} 捐赠回执` }),
        { name: 'robots', content: 'noindex' },
      ]
    : pageMeta({ title: '捐赠回执', description: '找不到这条捐赠记录' })

export default function ReceiptPage() {
  const { receipt, disclaimer, url, qrSvg } = useLoaderData<typeof loader>()
  const isCorrection = Boolean(receipt.correctsReceipt)
  return (
    <PrintLayout
      back={{ to: `/ledger/${receipt.receiptNo}`, label: '查看公开记录' }}
      hint="也可以使用浏览器菜单中的“打印”，选择 A4 纸张或“另存为 PDF”。"
    >
      <article
        className="mx-auto max-w-[210mm] space-y-5 rounded-xl border border-stone-300 bg-white p-6 print:border-black print:shadow-none"
        data-testid="receipt"
      >
        <header className="space-y-1 text-center">
          <p className="text-sm font-semibold tracking-widest text-brand-700">微暖 · 公开捐赠记录</p>
          <h1 className="text-2xl font-bold text-stone-900">{isCorrection ? '捐赠回执（更正）' : '捐赠回执'}</h1>
          <p className="text-lg text-stone-900">{receipt.institutionName}</p>
        </header>

        {isCorrection ? (
          <div role="note" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
            <p className="font-semibold">本回执为更正记录，冲正 {receipt.correctsReceipt}。</p>
            {receipt.correctionReason ? <p className="mt-1">更正说明：{receipt.correctionReason}</p> : null}
          </div>
        ) : null}
        {receipt.correctedBy.length ? (
          <div role="note" className="rounded-lg border border-stone-300 bg-stone-100 p-3 text-sm text-stone-900">
            本记录已被更正：{receipt.correctedBy.map((c) => `${c.receiptNo}${c.reason ? `（${c.reason}）` : ''}`).join('；')}
          </div>
        ) : null}

        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-base">
          <dt className="text-stone-700">回执编号</dt>
          <dd className="font-mono">{receipt.receiptNo}</dd>
          <dt className="text-stone-700">日期</dt>
          <dd>
            <time dateTime={receipt.receivedAt}>{receipt.receivedAtText}</time>
          </dd>
          <dt className="text-stone-700">受赠机构</dt>
          <dd>
            {receipt.institutionName}（{receipt.institutionCity}）
          </dd>
          <dt className="text-stone-700">捐赠人</dt>
          <dd data-testid="receipt-donor">{receipt.donorDisplay}</dd>
          <dt className="text-stone-700">捐赠内容</dt>
          <dd>{receipt.description}</dd>
          <dt className="text-stone-700">类型</dt>
          <dd>{receipt.kind}</dd>
          <dt className="text-stone-700">{receipt.amountLabel}</dt>
          <dd data-testid="receipt-amount">{receipt.amount || '—'}</dd>
          {receipt.estimatedValue ? (
            <>
              <dt className="text-stone-700">估值</dt>
              <dd>{receipt.estimatedValue}</dd>
            </>
          ) : null}
          <dt className="text-stone-700">用途</dt>
          <dd>{receipt.designation}</dd>
          <dt className="text-stone-700">渠道</dt>
          <dd>{receipt.channel}</dd>
        </dl>

        <p className="text-base text-stone-900">{isCorrection ? '特此说明。' : '衷心感谢您的爱心捐赠！'}</p>

        <figure className="flex items-center gap-4 border-t border-stone-200 pt-4">
          <QrCode svg={qrSvg} label="公开捐赠记录的二维码" className="size-32 print:size-[40mm]" testId="receipt-qr" />
          <figcaption className="space-y-1 text-sm text-stone-800">
            <p>扫码查看这条公开捐赠记录：</p>
            <p className="break-all">{url}</p>
          </figcaption>
        </figure>

        <p
          className="rounded-lg border border-stone-300 bg-stone-50 p-3 text-sm font-medium text-stone-900"
          data-testid="receipt-disclaimer"
        >
          {disclaimer}
        </p>
      </article>
    </PrintLayout>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
