import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { listAllocations, recordAllocation, sourceCandidates } from '~/allocations/allocations.server'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, Field, FormMessage, TextareaField } from '~/components/forms'
import { deleteWishImage, MAX_IMAGE_BYTES, storeWishImage } from '~/images/images.server'
import { now } from '~/utils/clock.server'
import { formatDate, formatFen } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { MAX_RECORDED_FEN, yuanField } from '~/utils/money'
import { parseShanghaiDate, shanghaiDateString, shanghaiInstant } from '~/utils/shanghai-date'

export const meta: MetaFunction = () => pageMeta({ title: '用途', description: '登记捐赠款物的使用情况' })

const FIELDS = ['usedAt', 'purpose', 'amount', 'items', 'beneficiaryDescription'] as const
type Values = Record<(typeof FIELDS)[number], string> & { sources: string[] }
const MAX_EVIDENCE = 4

const allocationSchema = z
  .object({
    usedAt: z.string().refine(parseShanghaiDate, '请输入有效的使用日期，例如 2026-05-01'),
    purpose: z.string().trim().min(1, '请填写用途').max(200, '用途最多 200 字'),
    amount: yuanField({ max: MAX_RECORDED_FEN, optional: true }),
    items: z.string().trim().max(200, '物品最多 200 字').optional(),
    beneficiaryDescription: z.string().trim().min(1, '请填写受益对象的匿名描述').max(200, '受益对象描述最多 200 字'),
  })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const today = shanghaiDateString(now())
  return {
    today,
    candidates: sourceCandidates(institution.id).map((c) => ({
      receiptNo: c.receiptNo,
      description: c.description,
      amount: c.kind === 'money' ? (c.amountFen === null ? '' : formatFen(c.amountFen)) : c.quantity === null ? '' : `${c.quantity} ${c.unit ?? ''}`,
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
  const formData = await request.formData()
  const values: Values = { ...(Object.fromEntries(FIELDS.map((f) => [f, String(formData.get(f) ?? '')])) as Record<(typeof FIELDS)[number], string>), sources: formData.getAll('source').map(String) }
  const parsed = allocationSchema.safeParse(values)
  const errors: Record<string, string[] | undefined> = parsed.success ? {} : (parsed.error.flatten().fieldErrors as Record<string, string[] | undefined>)
  if (!values.sources.length) errors.sources = ['请至少选择一笔来源捐赠']
  const files = formData.getAll('evidence').filter((f): f is File => f instanceof File && f.size > 0)
  if (files.length > MAX_EVIDENCE) errors.evidence = [`最多上传 ${MAX_EVIDENCE} 张凭证图片`]
  if (files.some((f) => f.size > MAX_IMAGE_BYTES)) errors.evidence = ['图片不能超过 5 MB，请压缩后再上传']
  if (!parsed.success || Object.keys(errors).length) return data({ message: '请检查标红的项目', errors, values }, { status: 400 })
  const v = parsed.data
  const keys: string[] = []
  for (const file of files) {
    const stored = await storeWishImage(new Uint8Array(await file.arrayBuffer()))
    if (!stored.ok) {
      await Promise.all(keys.map((k) => deleteWishImage(k)))
      return data({ message: stored.message, errors: { evidence: [stored.message] }, values }, { status: 400 })
    }
    keys.push(stored.key)
  }
  const outcome = recordAllocation(actorFrom(user, context), institution.id, {
    usedAt: shanghaiInstant(v.usedAt, '12:00'), // noon Shanghai time on the day of use
    purpose: v.purpose,
    amountFen: v.amount ?? null,
    items: v.items ?? '',
    beneficiaryDescription: v.beneficiaryDescription,
    sourceReceipts: values.sources,
    evidenceImageKeys: keys,
  })
  if (!outcome.ok) {
    await Promise.all(keys.map((k) => deleteWishImage(k)))
    const field = 'field' in outcome ? (outcome as { field?: string }).field : undefined
    const name = field === 'amountFen' ? 'amount' : field === 'sourceReceipts' ? 'sources' : field
    return data({ message: outcome.message, errors: name ? { [name]: [outcome.message] } : {}, values }, { status: 409 })
  }
  return redirect(`/staff/${institution.slug}/allocations?saved=${outcome.allocationId}`)
}

export default function AllocationsPage() {
  const { today, candidates, allocations } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  const values = actionData?.values ?? { usedAt: today, purpose: '', amount: '', items: '', beneficiaryDescription: '', sources: [] }
  const errors: Record<string, string[] | undefined> = actionData?.errors ?? {}
  const saved = searchParams.get('saved')
  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-xl font-semibold">用途</h2>
        <p className="mt-1 text-sm text-stone-700">登记收到的善款和物资用在了哪里。登记后公开显示在对应的捐赠记录上（如“已使用：购买冬季棉衣 12 件”），不可修改。</p>
      </div>
      {saved ? <FormMessage tone="success">已登记用途，相关捐赠记录已显示使用情况。</FormMessage> : null}
      {actionData?.message ? <FormMessage>{actionData.message}</FormMessage> : null}

      <section aria-labelledby="new-allocation" className="card space-y-4">
        <h3 id="new-allocation" className="text-lg font-semibold">登记用途</h3>
        <Form method="post" encType="multipart/form-data" className="space-y-4" key={saved ?? 'form'}>
          <Field label="使用日期" name="usedAt" type="date" required max={today} defaultValue={values.usedAt} hint="不能晚于今天，也不能早于来源捐赠的日期。" errors={errors.usedAt} />
          <Field label="用途" name="purpose" required maxLength={200} defaultValue={values.purpose} hint="将公开显示，例如“购买冬季棉衣 12 件”。" errors={errors.purpose} />
          <div className="grid grid-cols-2 gap-3">
            <Field label="使用金额（元，可选）" name="amount" inputMode="decimal" defaultValue={values.amount} hint="不能超过所选来源尚未使用的善款。" errors={errors.amount} />
            <Field label="使用物品（可选）" name="items" maxLength={200} defaultValue={values.items} hint="例如“大米 5 袋”。" errors={errors.items} />
          </div>
          <TextareaField
            label="受益对象（匿名描述）"
            name="beneficiaryDescription"
            required
            maxLength={200}
            defaultValue={values.beneficiaryDescription}
            hint="只写匿名描述，如“本院 12 名学龄儿童”；不要写姓名、电话或身份证号。"
            errors={errors.beneficiaryDescription}
          />
          <fieldset aria-describedby={errors.sources ? 'sources-error' : undefined}>
            <legend className="text-sm font-medium text-stone-800">来源捐赠（本机构的捐赠记录，至少选一笔）</legend>
            {candidates.length ? (
              <ul className="mt-2 max-h-72 space-y-1 overflow-y-auto rounded border border-stone-200 p-2">
                {candidates.map((c) => (
                  <li key={c.receiptNo}>
                    <label className="flex items-start gap-2 text-sm">
                      <input type="checkbox" name="source" value={c.receiptNo} defaultChecked={values.sources.includes(c.receiptNo)} className="mt-1" />
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
            <ErrorList id="sources-error" errors={errors.sources} />
          </fieldset>
          <div>
            <label htmlFor="evidence" className="mb-1 block text-sm font-medium text-stone-800">
              凭证图片（可选，最多 {MAX_EVIDENCE} 张）
            </label>
            <input id="evidence" type="file" name="evidence" accept="image/jpeg,image/png,image/webp" multiple aria-describedby="evidence-hint" className="block w-full text-sm" />
            <p id="evidence-hint" className="mt-1 text-sm text-stone-700">
              发票、收据或物品照片。请勿拍到儿童面部；上传时会自动去除位置等隐藏信息。
            </p>
            <ErrorList errors={errors.evidence} />
          </div>
          <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
            登记用途
          </button>
        </Form>
      </section>

      <section aria-labelledby="allocation-list" className="space-y-2">
        <h3 id="allocation-list" className="text-lg font-semibold">已登记的用途</h3>
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

export { GeneralErrorBoundary as ErrorBoundary }
