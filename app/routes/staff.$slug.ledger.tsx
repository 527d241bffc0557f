import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { ConfirmStep } from '~/components/confirm-step'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage, TextareaField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { listHomeLedger, type StaffLedgerEntry } from '~/donations/corrections.server'
import { correctEntry } from '~/needs/corrections.server'
import { correctionSchema } from '~/needs/validation'
import { amountText, designationText, donationChannelLabels, donationKindLabels } from '~/donations/labels'
import { formatDateTime } from '~/utils/format'
import { parseId } from '~/utils/ids'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '捐赠记录', description: '本机构的捐赠记录与更正' })

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
  const before = parseId(url.searchParams.get('before'))
  const page = listHomeLedger(institution.id, { before })
  return {
    items: page.items.map(forPage),
    nextBefore: page.nextBefore,
    correct: (url.searchParams.get('correct') ?? '').trim().toUpperCase(),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const formData = await request.formData()
  const receiptNo = String(formData.get('receiptNo') ?? '')
    .trim()
    .toUpperCase()
  const submission = parseWithZod(formData, { schema: correctionSchema })
  if (submission.status !== 'success')
    return data({ step: 'error' as const, receiptNo, reason: '', message: null, result: submission.reply() }, { status: 400 })
  const { intent, reason } = submission.value
  if (intent === 'preview') return data({ step: 'preview' as const, receiptNo, reason, message: null, result: null })
  const outcome = correctEntry(actorFrom(user, context), institution.id, receiptNo, reason)
  if (!outcome.ok)
    return data(
      {
        step: 'error' as const,
        receiptNo,
        reason,
        message: outcome.message,
        result: refusalReply(submission, { message: outcome.message, field: 'reason' }),
      },
      { status: 409 },
    )
  return data({ step: 'done' as const, receiptNo, reason, message: `已更正 ${receiptNo}，更正记录编号 ${outcome.receiptNo}`, result: null })
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
  return <ReasonForm entry={entry} lastResult={mine?.step === 'error' ? mine.result : null} busy={busy} />
}

function ReasonForm({ entry, lastResult, busy }: { entry: EntryOnPage; lastResult: SubmissionResult<string[]> | null; busy: boolean }) {
  const [form, fields] = useForm({
    id: `correct-${entry.id}`,
    lastResult,
    constraint: getZodConstraint(correctionSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: correctionSchema }),
  })
  return (
    <Form method="post" className="space-y-2" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="preview" />
      <input type="hidden" name="receiptNo" value={entry.receiptNo} />
      <FormMessage id={form.errorId}>
        {[...(form.errors ?? []), ...(fields.intent.errors ?? []), ...(fields.receiptNo.errors ?? [])].join('；')}
      </FormMessage>
      <TextareaField
        label={`更正说明（${entry.receiptNo}）`}
        {...getTextareaProps(fields.reason)}
        hint="将公开显示，例如“数量登记错误，实为 3 袋”。请勿写入捐赠人联系方式。"
        errors={fields.reason.errors}
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
        <p className="mt-1 text-sm text-stone-700">
          本机构收到的全部捐赠，最新在前。记录不可修改或删除；登记有误时请填写更正说明，系统会生成一条冲正记录。捐赠人姓名和联系方式仅工作人员可见。
        </p>
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
                {e.correctedBy ? (
                  <span className="rounded bg-stone-200 px-2 py-0.5 text-xs font-semibold text-stone-900">已更正</span>
                ) : null}
                {e.correctsReceipt ? (
                  <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-950">更正记录</span>
                ) : null}
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
