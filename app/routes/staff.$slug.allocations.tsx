import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { listAllocations, recordAllocation, sourceCandidates } from '~/allocations/allocations.server'
import { allocationFormField, allocationSchema, MAX_EVIDENCE, type AllocationForm } from '~/allocations/validation'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, Field, FormMessage, TextareaField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { deleteWishImage, storeWishImage } from '~/images/images.server'
import { now } from '~/utils/clock.server'
import { formatDate, formatFen } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { shanghaiDateString, shanghaiInstant } from '~/utils/shanghai-date'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '用途', description: '登记捐赠款物的使用情况' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const today = shanghaiDateString(now())
  return {
    today,
    candidates: sourceCandidates(institution.id).map((c) => ({
      receiptNo: c.receiptNo,
      description: c.description,
      amount:
        c.kind === 'money'
          ? c.amountFen === null
            ? ''
            : formatFen(c.amountFen)
          : c.quantity === null
            ? ''
            : `${c.quantity} ${c.unit ?? ''}`,
      available: c.availableFen === null ? null : `未使用 ${formatFen(c.availableFen)}`,
      date: formatDate(c.receivedAt),
    })),
    allocations: listAllocations(institution.id).map((a) => ({
      id: a.id,
      usedAt: formatDate(a.usedAt),
      purpose: a.purpose,
      amount: a.amountFen === null ? null : formatFen(a.amountFen),
      items: a.items,
      beneficiaryDescription: a.beneficiaryDescription,
      sources: a.sourceReceipts,
      images: a.evidenceImageKeys,
    })),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const submission = parseWithZod(await request.formData(), { schema: allocationSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const v = submission.value
  const keys: string[] = []
  for (const file of v.evidence) {
    const stored = await storeWishImage(new Uint8Array(await file.arrayBuffer()))
    if (!stored.ok) {
      await Promise.all(keys.map((k) => deleteWishImage(k)))
      return data({ result: refusalReply(submission, { message: stored.message, field: 'evidence' }) }, { status: 400 })
    }
    keys.push(stored.key)
  }
  const outcome = recordAllocation(actorFrom(user, context), institution.id, {
    usedAt: shanghaiInstant(v.usedAt, '12:00'), // noon Shanghai time on the day of use
    purpose: v.purpose,
    amountFen: v.amount ?? null,
    items: v.items,
    beneficiaryDescription: v.beneficiaryDescription,
    sourceReceipts: v.source,
    evidenceImageKeys: keys,
  })
  if (!outcome.ok) {
    await Promise.all(keys.map((k) => deleteWishImage(k)))
    return data(
      { result: refusalReply(submission, { message: outcome.message, field: allocationFormField(outcome.field) }) },
      { status: 409 },
    )
  }
  return redirect(`/staff/${institution.slug}/allocations?saved=${outcome.allocationId}`)
}

export default function AllocationsPage() {
  const { today, candidates, allocations } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  const saved = searchParams.get('saved')
  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-xl font-semibold">用途</h2>
        <p className="mt-1 text-sm text-stone-700">
          登记收到的善款和物资用在了哪里。登记后公开显示在对应的捐赠记录上（如“已使用：购买冬季棉衣 12 件”），不可修改。
        </p>
      </div>
      {saved ? <FormMessage tone="success">已登记用途，相关捐赠记录已显示使用情况。</FormMessage> : null}

      <section aria-labelledby="new-allocation-heading" className="card space-y-4">
        <h3 id="new-allocation-heading" className="text-lg font-semibold">
          登记用途
        </h3>
        {/* A fresh form after each saved use. */}
        <NewAllocationForm key={saved ?? 'form'} lastResult={actionData?.result} today={today} candidates={candidates} busy={busy} />
      </section>

      <section aria-labelledby="allocation-list" className="space-y-2">
        <h3 id="allocation-list" className="text-lg font-semibold">
          已登记的用途
        </h3>
        {allocations.length ? (
          <ul className="space-y-2">
            {allocations.map((a) => (
              <li key={a.id} className="card text-sm">
                <p className="font-semibold">
                  {a.usedAt} {a.purpose}
                </p>
                <p className="text-stone-700">
                  {[a.amount, a.items].filter(Boolean).join(' · ')} · 受益对象：{a.beneficiaryDescription}
                </p>
                <p className="text-stone-700">来源：{a.sources.join('、')}</p>
                {a.images.length ? <p className="text-stone-700">凭证图片 {a.images.length} 张</p> : null}
                <p>
                  <Link to={`../feedback/allocation/${a.id}`} relative="path" className="link">
                    执行反馈照片
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-stone-700">还没有登记用途。</p>
        )}
      </section>
    </div>
  )
}

type Candidate = { receiptNo: string; description: string; amount: string; available: string | null; date: string }

function NewAllocationForm({
  lastResult,
  today,
  candidates,
  busy,
}: {
  lastResult?: SubmissionResult<string[]>
  today: string
  candidates: Candidate[]
  busy: boolean
}) {
  const defaultValue: Partial<Record<keyof AllocationForm, string>> = { usedAt: today }
  const [form, fields] = useForm({
    id: 'new-allocation',
    lastResult,
    defaultValue,
    // Validated on the server (the form carries files); its answer comes back as lastResult.
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
  })
  const chosen = new Set([fields.source.initialValue ?? []].flat())
  return (
    <Form method="post" encType="multipart/form-data" className="space-y-4" {...getFormProps(form)}>
      <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      <Field
        label="使用日期"
        {...getInputProps(fields.usedAt, { type: 'date' })}
        max={today}
        hint="不能晚于今天，也不能早于来源捐赠的日期。"
        errors={fields.usedAt.errors}
      />
      <Field
        label="用途"
        {...getInputProps(fields.purpose, { type: 'text' })}
        hint="将公开显示，例如“购买冬季棉衣 12 件”。"
        errors={fields.purpose.errors}
      />
      <div className="grid grid-cols-2 gap-3">
        <Field
          label="使用金额（元，可选）"
          {...getInputProps(fields.amount, { type: 'text' })}
          inputMode="decimal"
          hint="不能超过所选来源尚未使用的善款。"
          errors={fields.amount.errors}
        />
        <Field
          label="使用物品（可选）"
          {...getInputProps(fields.items, { type: 'text' })}
          hint="例如“大米 5 袋”。"
          errors={fields.items.errors}
        />
      </div>
      <TextareaField
        label="受益对象（匿名描述）"
        {...getTextareaProps(fields.beneficiaryDescription)}
        hint="只写匿名描述，如“本院 12 名学龄儿童”；不要写姓名、电话或身份证号。"
        errors={fields.beneficiaryDescription.errors}
      />
      <fieldset aria-describedby={fields.source.errors ? fields.source.errorId : undefined}>
        <legend className="text-sm font-medium text-stone-800">来源捐赠（本机构的捐赠记录，至少选一笔）</legend>
        {candidates.length ? (
          <ul className="mt-2 max-h-72 space-y-1 overflow-y-auto rounded border border-stone-200 p-2">
            {candidates.map((c) => (
              <li key={c.receiptNo}>
                <label className="flex items-start gap-2 text-sm">
                  <input
                    type="checkbox"
                    name={fields.source.name}
                    value={c.receiptNo}
                    defaultChecked={chosen.has(c.receiptNo)}
                    className="mt-1"
                  />
                  <span>
                    <span className="font-mono">{c.receiptNo}</span> {c.date} {c.description} {c.amount}
                    {c.available ? <span className="text-stone-700">（{c.available}）</span> : null}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-1 text-sm text-stone-700">还没有可用的捐赠记录。</p>
        )}
        <ErrorList id={fields.source.errorId} errors={fields.source.errors} />
      </fieldset>
      <div>
        <label htmlFor={fields.evidence.id} className="mb-1 block text-sm font-medium text-stone-800">
          凭证图片（可选，最多 {MAX_EVIDENCE} 张）
        </label>
        <input
          {...getInputProps(fields.evidence, { type: 'file' })}
          multiple
          accept="image/jpeg,image/png,image/webp"
          aria-describedby={[fields.evidence.errors ? fields.evidence.errorId : null, `${fields.evidence.id}-hint`]
            .filter(Boolean)
            .join(' ')}
          className="block w-full text-sm"
        />
        <p id={`${fields.evidence.id}-hint`} className="mt-1 text-sm text-stone-700">
          发票、收据或物品照片。请勿拍到儿童面部；上传时会自动去除位置等隐藏信息。
        </p>
        <ErrorList id={fields.evidence.errorId} errors={fields.evidence.errors} />
      </div>
      <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
        登记用途
      </button>
    </Form>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
