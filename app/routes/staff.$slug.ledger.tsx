import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { ConfirmStep } from '~/components/confirm-step'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage, TextareaField } from '~/components/forms'
import { listHomeLedger, MIN_REASON_LENGTH, type StaffLedgerEntry } from '~/donations/corrections.server'
import { correctEntry } from '~/needs/corrections.server'
import { amountText, designationText, donationChannelLabels, donationKindLabels } from '~/donations/labels'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '捐赠记录', description: '本机构的捐赠记录与更正' })

const correctionSchema = z.object({
  intent: z.enum(['preview', 'confirm']),
  receiptNo: z.string().trim().min(1),
  reason: z
    .string({ required_error: '请填写更正说明' })
    .trim()
    .refine((s) => Array.from(s).length >= MIN_REASON_LENGTH, `请填写更正说明（至少 ${MIN_REASON_LENGTH} 个字）`)
    .refine((s) => Array.from(s).length <= 200, '更正说明最多 200 字'),
})

function forPage(e: StaffLedgerEntry) {
  return {
    id: e.id,
    receiptNo: e.receiptNo,
    receivedAt: formatDateTime(e.receivedAt),
    description: e.description,
    kind: donationKindLabels[e.kind],
    amount: amountText({ ...e, wishTitle: null, wishPseudonym: null, campaignName: null }),
    designation: designationText({ ...e, wishTitle: null, wishPseudonym: null, campaignName: null }),
    channel: donationChannelLabels[e.channel],
    donorDisplay: e.donorDisplay,
    walkInName: e.walkInName,
    walkInContact: e.walkInContact,
    paymentReference: e.paymentReference,
    correctsReceipt: e.correctsReceipt,
    correctionReason: e.correctionReason,
    correctedBy: e.correctedBy,
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const url = new URL(request.url)
  const beforeRaw = url.searchParams.get('before') ?? ''
  const before = /^\d{1,12}$/.test(beforeRaw) ? Number(beforeRaw) : null
  const page = listHomeLedger(institution.id, { before })
  return { items: page.items.map(forPage), nextBefore: page.nextBefore, correct: (url.searchParams.get('correct') ?? '').trim().toUpperCase() }
}

type ActionData = { step: 'preview' | 'done' | 'error'; receiptNo: string; reason: string; message: string | null; errors: string[] }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const formData = await request.formData()
  const receiptNo = String(formData.get('receiptNo') ?? '').trim().toUpperCase()
  const reason = String(formData.get('reason') ?? '')
  const parsed = correctionSchema.safeParse({ intent: formData.get('intent'), receiptNo, reason })
  if (!parsed.success) {
    const errors = parsed.error.flatten().fieldErrors.reason ?? ['请重新填写']
    return data<ActionData>({ step: 'error', receiptNo, reason, message: null, errors }, { status: 400 })
  }
  if (parsed.data.intent === 'preview') return data<ActionData>({ step: 'preview', receiptNo, reason: parsed.data.reason, message: null, errors: [] })
  const outcome = correctEntry(actorFrom(user, context), institution.id, receiptNo, parsed.data.reason)
  if (!outcome.ok) return data<ActionData>({ step: 'error', receiptNo, reason, message: outcome.message, errors: [outcome.message] }, { status: 409 })
  return data<ActionData>({ step: 'done', receiptNo, reason: parsed.data.reason, message: `已更正 ${receiptNo}，更正记录编号 ${outcome.receiptNo}`, errors: [] })
}

type EntryOnPage = ReturnType<typeof forPage>

function CorrectionForm({ entry }: { entry: EntryOnPage }) {
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const mine = actionData && actionData.receiptNo === entry.receiptNo ? actionData : null
  if (mine?.step === 'preview') {
    return (
      <ConfirmStep
        title={`确认更正 ${entry.receiptNo}？`}
        confirmLabel="确认更正"
        cancelTo="."
        cancelLabel="取消"
        intent="confirm"
        fields={{ receiptNo: entry.receiptNo, reason: mine.reason }}
        busy={busy}
      >
        <p className="text-sm text-red-900">将生成一条冲正记录并公开更正说明：“{mine.reason}”。原记录保留不变，此操作不能撤销。</p>
      </ConfirmStep>
    )
  }
  return (
    <Form method="post" className="space-y-2">
      <input type="hidden" name="intent" value="preview" />
      <input type="hidden" name="receiptNo" value={entry.receiptNo} />
      <TextareaField
        id={`reason-${entry.id}`}
        label={`更正说明（${entry.receiptNo}）`}
        name="reason"
        required
        maxLength={200}
        defaultValue={mine?.step === 'error' ? mine.reason : ''}
        hint="将公开显示，例如“数量登记错误，实为 3 袋”。请勿写入捐赠人联系方式。"
        errors={mine?.step === 'error' ? mine.errors : undefined}
      />
      <button type="submit" className="btn-secondary" disabled={busy}>
        更正
      </button>
    </Form>
  )
}

export default function StaffLedgerPage() {
  const { items, nextBefore, correct } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const openFor = actionData && actionData.step !== 'done' ? actionData.receiptNo : correct
  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-xl font-semibold">捐赠记录</h2>
        <p className="mt-1 text-sm text-stone-700">本机构收到的全部捐赠，最新在前。记录不可修改或删除；登记有误时请填写更正说明，系统会生成一条冲正记录。捐赠人姓名和联系方式仅工作人员可见。</p>
      </div>
      {actionData?.step === 'done' ? <FormMessage tone="success">{actionData.message}</FormMessage> : null}
      {items.length === 0 ? (
        <p className="text-sm text-stone-700">还没有捐赠记录。</p>
      ) : (
        <ul className="space-y-3" data-testid="staff-ledger">
          {items.map((e) => (
            <li key={e.id} className="card space-y-2 text-sm" data-testid={`entry-${e.receiptNo}`}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <Link to={`/ledger/${e.receiptNo}`} className="link font-mono">
                  {e.receiptNo}
                </Link>
                <span className="text-stone-700">{e.receivedAt}</span>
              </div>
              <p className="flex flex-wrap items-center gap-2 font-medium text-stone-900">
                {e.description}
                {e.correctedBy ? <span className="rounded bg-stone-200 px-2 py-0.5 text-xs font-semibold text-stone-900">已更正</span> : null}
                {e.correctsReceipt ? <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-950">更正记录</span> : null}
              </p>
              <p className="text-stone-700">
                {e.kind} · {e.amount || '—'} · {e.designation} · {e.channel}
              </p>
              <p className="text-stone-700">公开显示：{e.donorDisplay}</p>
              {e.walkInName ? (
                <p className="text-stone-800">
                  捐赠人（仅工作人员可见）：{e.walkInName}
                  {e.walkInContact ? ` · ${e.walkInContact}` : ''}
                </p>
              ) : null}
              {e.paymentReference ? <p className="text-stone-800">转账流水号（仅工作人员可见）：{e.paymentReference}</p> : null}
              {e.correctsReceipt ? (
                <p className="text-stone-800">
                  冲正 {e.correctsReceipt}：{e.correctionReason}
                </p>
              ) : null}
              {e.correctedBy ? <p className="text-stone-800">已由 {e.correctedBy} 更正</p> : null}
              <p className="flex flex-wrap gap-3">
                <Link to={`/ledger/${e.receiptNo}/receipt`} className="link" aria-label={`打印回执 ${e.receiptNo}`}>
                  打印回执
                </Link>
                {!e.correctedBy && !e.correctsReceipt && openFor !== e.receiptNo ? (
                  <Link to={`?correct=${encodeURIComponent(e.receiptNo)}`} className="link" aria-label={`更正 ${e.receiptNo}`}>
                    更正…
                  </Link>
                ) : null}
              </p>
              {!e.correctedBy && !e.correctsReceipt && openFor === e.receiptNo ? <CorrectionForm entry={e} /> : null}
            </li>
          ))}
        </ul>
      )}
      {nextBefore ? (
        <Link to={`?before=${nextBefore}`} className="link">
          更早的记录
        </Link>
      ) : null}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
