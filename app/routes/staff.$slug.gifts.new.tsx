import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage, SelectField } from '~/components/forms'
import { entryOfHome, needsForWalkIn, recordWalkInGift, wishesForWalkIn } from '~/needs/walk-in.server'
import { pageMeta } from '~/utils/meta'
import { MAX_RECORDED_FEN, yuanField } from '~/utils/money'

export const meta: MetaFunction = () => pageMeta({ title: '登记捐赠', description: '登记现场送来的物资或善款' })

const FIELDS = ['kind', 'items', 'quantity', 'unit', 'estimatedValue', 'amount', 'channel', 'paymentReference', 'donorName', 'donorContact', 'publicDisplay', 'target'] as const
type Values = Record<(typeof FIELDS)[number], string>

const giftSchema = z
  .object({
    kind: z.enum(['goods', 'money'], { errorMap: () => ({ message: '请选择物资或善款' }) }),
    items: z.string({ required_error: '请填写捐赠内容' }).trim().min(1, '请填写捐赠内容').max(200, '捐赠内容最多 200 字'),
    quantity: z.string().trim().optional(),
    unit: z.string().trim().max(10, '单位最多 10 字').optional(),
    estimatedValue: yuanField({ label: '估值', min: 0, max: MAX_RECORDED_FEN, optional: true }),
    amount: yuanField({ max: MAX_RECORDED_FEN, optional: true }),
    channel: z.enum(['desk', 'bank_transfer'], { errorMap: () => ({ message: '请选择收款方式' }) }),
    paymentReference: z.string().trim().max(100, '流水号最多 100 字').optional(),
    donorName: z.string({ required_error: '请填写捐赠人姓名' }).trim().min(1, '请填写捐赠人姓名').max(50, '姓名最多 50 字'),
    donorContact: z.string().trim().max(100, '联系方式最多 100 字').optional(),
    publicDisplay: z.enum(['name', 'masked', 'anonymous'], { errorMap: () => ({ message: '请选择公开方式' }) }),
    target: z.string().trim().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'money') {
      if (v.amount === undefined) ctx.addIssue({ code: 'custom', path: ['amount'], message: '请填写金额' })
    } else {
      if (v.quantity && !/^\d{1,7}$/.test(v.quantity)) ctx.addIssue({ code: 'custom', path: ['quantity'], message: '数量须为正整数' })
      else if (v.quantity && Number(v.quantity) < 1) ctx.addIssue({ code: 'custom', path: ['quantity'], message: '数量至少为 1' })
    }
    if (v.target && !/^(need|wish):\d{1,12}$/.test(v.target)) ctx.addIssue({ code: 'custom', path: ['target'], message: '请选择用途' })
  })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const receipt = (new URL(request.url).searchParams.get('receipt') ?? '').trim().toUpperCase()
  const saved = receipt ? entryOfHome(institution.id, receipt) : null
  const targets = [
    ...needsForWalkIn(institution.id).map((n) => ({ value: `need:${n.id}`, label: `物资需求：${n.title}（${n.unit}）` })),
    ...wishesForWalkIn(institution.id).map((w) => ({ value: `wish:${w.id}`, label: `微心愿：${w.pseudonym}「${w.title}」` })),
  ]
  return { slug: institution.slug, saved, targets }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const formData = await request.formData()
  const values = Object.fromEntries(FIELDS.map((f) => [f, String(formData.get(f) ?? '')])) as Values
  const parsed = giftSchema.safeParse(values)
  if (!parsed.success) {
    return data({ message: '请检查标红的项目', errors: parsed.error.flatten().fieldErrors as Record<string, string[] | undefined>, values }, { status: 400 })
  }
  const v = parsed.data
  const money = v.kind === 'money'
  const [targetKind, targetId] = v.target ? v.target.split(':') : []
  const outcome = recordWalkInGift(actorFrom(user, context), institution.id, {
    kind: v.kind,
    items: v.items,
    quantity: !money && v.quantity ? Number(v.quantity) : null,
    unit: money ? null : v.unit || null,
    estimatedValueFen: money ? null : (v.estimatedValue ?? null),
    amountFen: money ? (v.amount ?? null) : null,
    channel: v.channel,
    paymentReference: v.paymentReference || null,
    donorName: v.donorName,
    donorContact: v.donorContact || null,
    publicDisplay: v.publicDisplay,
    needId: targetKind === 'need' ? Number(targetId) : null,
    wishId: targetKind === 'wish' ? Number(targetId) : null,
  })
  if (!outcome.ok) {
    const field = outcome.field === 'amountFen' ? 'amount' : outcome.field === 'needId' || outcome.field === 'wishId' ? 'target' : (outcome.field ?? null)
    return data({ message: outcome.message, errors: field ? { [field]: [outcome.message] } : {}, values }, { status: 409 })
  }
  return redirect(`/staff/${institution.slug}/gifts/new?receipt=${encodeURIComponent(outcome.receiptNo)}`)
}

const emptyValues: Values = { kind: 'goods', items: '', quantity: '', unit: '', estimatedValue: '', amount: '', channel: 'desk', paymentReference: '', donorName: '', donorContact: '', publicDisplay: 'anonymous', target: '' }

export default function NewGiftPage() {
  const { saved, targets } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const values = actionData?.values ?? emptyValues
  const errors = actionData?.errors ?? {}
  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-xl font-semibold">登记捐赠</h2>
        <p className="mt-1 text-sm text-stone-700">登记没有认捐、直接送到门口的物资，或现场交来的现金、银行转账。保存后写入公开捐赠记录，不可修改，如有错误请在“捐赠记录”中更正。</p>
      </div>

      {saved ? (
        <FormMessage tone="success">
          已登记：{saved.description}。收据编号 <span className="font-mono" data-testid="saved-receipt">{saved.receiptNo}</span>{' '}
          <Link to={`/ledger/${saved.receiptNo}/receipt`} className="link">
            打印捐赠回执
          </Link>{' '}
          <Link to={`/ledger/${saved.receiptNo}`} className="link">
            查看公开记录
          </Link>
        </FormMessage>
      ) : null}
      {actionData?.message ? <FormMessage>{actionData.message}</FormMessage> : null}

      <Form method="post" className="space-y-4" key={saved?.receiptNo ?? 'form'}>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-stone-800">捐赠类型</legend>
          <div className="flex gap-4">
            <label className="flex items-center gap-2">
              <input type="radio" name="kind" value="goods" defaultChecked={values.kind !== 'money'} /> 物资
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="kind" value="money" defaultChecked={values.kind === 'money'} /> 善款
            </label>
          </div>
        </fieldset>
        <Field label="捐赠内容" name="items" required maxLength={200} defaultValue={values.items} hint="将公开显示，例如“大米 10 袋”“现金捐款”。" errors={errors.items} />
        <div className="grid grid-cols-2 gap-3">
          <Field label="数量（物资）" name="quantity" inputMode="numeric" defaultValue={values.quantity} errors={errors.quantity} />
          <Field label="单位（物资）" name="unit" maxLength={10} defaultValue={values.unit} hint="袋、件、箱、套…；计入物资需求时按需求的单位记录。" errors={errors.unit} />
        </div>
        <Field label="估值（元，物资，可选）" name="estimatedValue" inputMode="decimal" defaultValue={values.estimatedValue} errors={errors.estimatedValue} />
        <Field label="金额（元，善款）" name="amount" inputMode="decimal" defaultValue={values.amount} hint="最多两位小数，例如 200 或 12.50。" errors={errors.amount} />
        <SelectField
          label="收款方式"
          name="channel"
          defaultValue={values.channel}
          options={[
            { value: 'desk', label: '现场交付（现金或实物）' },
            { value: 'bank_transfer', label: '银行转账' },
          ]}
          errors={errors.channel}
        />
        <Field label="转账流水号（可选，仅工作人员可见）" name="paymentReference" maxLength={100} defaultValue={values.paymentReference} errors={errors.paymentReference} />
        <SelectField label="用途" name="target" defaultValue={values.target} options={[{ value: '', label: '非定向捐赠' }, ...targets]} hint="计入本机构的某项物资需求或某个微心愿；不选则为非定向捐赠。" errors={errors.target} />
        <Field label="捐赠人姓名（仅工作人员可见）" name="donorName" required maxLength={50} defaultValue={values.donorName} errors={errors.donorName} />
        <Field label="联系方式（可选，仅工作人员可见）" name="donorContact" maxLength={100} defaultValue={values.donorContact} errors={errors.donorContact} />
        <SelectField
          label="公开显示为"
          name="publicDisplay"
          defaultValue={values.publicDisplay}
          options={[
            { value: 'anonymous', label: '爱心人士（匿名）' },
            { value: 'masked', label: '只显示姓氏（如 王**）' },
            { value: 'name', label: '显示姓名' },
          ]}
          hint="请按捐赠人的意愿选择；公开记录和回执只显示这里的选择。"
          errors={errors.publicDisplay}
        />
        <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
          保存并生成回执
        </button>
      </Form>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
