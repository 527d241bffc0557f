import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, Field, FormMessage, SelectField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { walkInFormField, walkInGiftSchema, type WalkInGiftForm } from '~/needs/validation'
import { entryOfHome, needsForWalkIn, recordWalkInGift, walkInInputFrom, wishesForWalkIn } from '~/needs/walk-in.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '登记捐赠', description: '登记现场送来的物资或善款' })

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
  const submission = parseWithZod(await request.formData(), { schema: walkInGiftSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = recordWalkInGift(actorFrom(user, context), institution.id, walkInInputFrom(submission.value))
  if (!outcome.ok)
    return data({ result: refusalReply(submission, { message: outcome.message, field: walkInFormField(outcome.field) }) }, { status: 409 })
  return redirect(`/staff/${institution.slug}/gifts/new?receipt=${encodeURIComponent(outcome.receiptNo)}`)
}

const emptyValues: Partial<Record<keyof WalkInGiftForm, string>> = {
  kind: 'goods',
  channel: 'desk',
  publicDisplay: 'anonymous',
  target: '',
}

export default function NewGiftPage() {
  const { saved, targets } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-xl font-semibold">登记捐赠</h2>
        <p className="mt-1 text-sm text-stone-700">
          登记没有认捐、直接送到门口的物资，或现场交来的现金、银行转账。保存后写入公开捐赠记录，不可修改，如有错误请在“捐赠记录”中更正。
        </p>
      </div>

      {saved ? (
        <FormMessage tone="success">
          已登记：{saved.description}。收据编号{' '}
          <span className="font-mono" data-testid="saved-receipt">
            {saved.receiptNo}
          </span>{' '}
          <Link to={`/ledger/${saved.receiptNo}/receipt`} className="link">
            打印捐赠回执
          </Link>{' '}
          <Link to={`/ledger/${saved.receiptNo}`} className="link">
            查看公开记录
          </Link>
        </FormMessage>
      ) : null}
      {/* A fresh form after each saved gift. */}
      <GiftForm key={saved?.receiptNo ?? 'form'} lastResult={actionData?.result} targets={targets} busy={busy} />
    </div>
  )
}

function GiftForm({
  lastResult,
  targets,
  busy,
}: {
  lastResult?: SubmissionResult<string[]>
  targets: Array<{ value: string; label: string }>
  busy: boolean
}) {
  const [form, fields] = useForm({
    id: 'walk-in-gift',
    lastResult,
    defaultValue: emptyValues,
    constraint: getZodConstraint(walkInGiftSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: walkInGiftSchema }),
  })
  return (
    <Form method="post" className="space-y-4" {...getFormProps(form)}>
      <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      <fieldset className="space-y-2" aria-describedby={fields.kind.errors ? fields.kind.errorId : undefined}>
        <legend className="text-sm font-medium text-stone-800">捐赠类型</legend>
        <div className="flex gap-4">
          <label className="flex items-center gap-2">
            <input {...getInputProps(fields.kind, { type: 'radio', value: 'goods' })} id={`${fields.kind.id}-goods`} /> 物资
          </label>
          <label className="flex items-center gap-2">
            <input {...getInputProps(fields.kind, { type: 'radio', value: 'money' })} id={`${fields.kind.id}-money`} /> 善款
          </label>
        </div>
        <ErrorList id={fields.kind.errorId} errors={fields.kind.errors} />
      </fieldset>
      <Field
        label="捐赠内容"
        {...getInputProps(fields.items, { type: 'text' })}
        hint="将公开显示，例如“大米 10 袋”“现金捐款”。"
        errors={fields.items.errors}
      />
      <div className="grid grid-cols-2 gap-3">
        <Field
          label="数量（物资）"
          {...getInputProps(fields.quantity, { type: 'text' })}
          inputMode="numeric"
          errors={fields.quantity.errors}
        />
        <Field
          label="单位（物资）"
          {...getInputProps(fields.unit, { type: 'text' })}
          hint="袋、件、箱、套…；计入物资需求时按需求的单位记录。"
          errors={fields.unit.errors}
        />
      </div>
      <Field
        label="估值（元，物资，可选）"
        {...getInputProps(fields.estimatedValue, { type: 'text' })}
        inputMode="decimal"
        errors={fields.estimatedValue.errors}
      />
      <Field
        label="金额（元，善款）"
        {...getInputProps(fields.amount, { type: 'text' })}
        inputMode="decimal"
        hint="最多两位小数，例如 200 或 12.50。"
        errors={fields.amount.errors}
      />
      <SelectField
        label="收款方式"
        {...getSelectProps(fields.channel)}
        options={[
          { value: 'desk', label: '现场交付（现金或实物）' },
          { value: 'bank_transfer', label: '银行转账' },
        ]}
        errors={fields.channel.errors}
      />
      <Field
        label="转账流水号（可选，仅工作人员可见）"
        {...getInputProps(fields.paymentReference, { type: 'text' })}
        errors={fields.paymentReference.errors}
      />
      <SelectField
        label="用途"
        {...getSelectProps(fields.target)}
        options={[{ value: '', label: '非定向捐赠' }, ...targets]}
        hint="计入本机构的某项物资需求或某个微心愿；不选则为非定向捐赠。"
        errors={fields.target.errors}
      />
      <Field label="捐赠人姓名（仅工作人员可见）" {...getInputProps(fields.donorName, { type: 'text' })} errors={fields.donorName.errors} />
      <Field
        label="联系方式（可选，仅工作人员可见）"
        {...getInputProps(fields.donorContact, { type: 'text' })}
        errors={fields.donorContact.errors}
      />
      <SelectField
        label="公开显示为"
        {...getSelectProps(fields.publicDisplay)}
        options={[
          { value: 'anonymous', label: '爱心人士（匿名）' },
          { value: 'masked', label: '只显示姓氏（如 王**）' },
          { value: 'name', label: '显示姓名' },
        ]}
        hint="请按捐赠人的意愿选择；公开记录和回执只显示这里的选择。"
        errors={fields.publicDisplay.errors}
      />
      <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
        保存并生成回执
      </button>
    </Form>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
