import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { orgTypes, registrationKinds } from '~db/enums'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { platformRequiresTwoFactor, setHomeRequiresTwoFactor } from '~/auth/two-factor.server'
import { homeTwoFactorSchema } from '~/auth/two-factor-validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage, SelectField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { orgTypeLabels, registrationKindLabels } from '~/institutions/labels'
import { getShippingRecipient, getTrustFacts, updateShippingRecipient, updateTrustFacts } from '~/institutions/trust.server'
import { shippingRecipientSchema, trustFactsSchema } from '~/institutions/validation'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { claimSettingsSchema } from '~/wishes/wish-validation'
import { updateClaimDeadlines } from '~/wishes/wishes.server'

export const meta: MetaFunction = () => pageMeta({ title: '机构设置', description: '机构管理员：机构信息、收件信息、认领期限、两步验证' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug, { role: 'manager' })
  const facts = getTrustFacts(institution.id)!
  return {
    claimBuyDays: institution.claimBuyDays,
    claimDeliverDays: institution.claimDeliverDays,
    facts: { ...facts, factsVerifiedAt: facts.factsVerifiedAt?.toISOString() ?? null },
    shipping: getShippingRecipient(institution.id),
    requireTwoFactor: institution.requireTwoFactor,
    platformRequiresTwoFactor: platformRequiresTwoFactor(),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug, { role: 'manager' })
  const formData = await request.formData()
  const actor = actorFrom(user, context)
  const intent = formData.get('intent')
  if (intent === 'facts') {
    const submission = parseWithZod(formData, { schema: trustFactsSchema })
    if (submission.status !== 'success') return data({ intent, result: submission.reply(), saved: false, cleared: false }, { status: 400 })
    const outcome = updateTrustFacts(actor, institution.id, submission.value)
    return data({ intent, result: submission.reply(), saved: true, cleared: outcome.verificationCleared })
  }
  if (intent === 'two-factor') {
    const submission = parseWithZod(formData, { schema: homeTwoFactorSchema })
    if (submission.status !== 'success') return data({ intent, result: undefined, saved: false, cleared: false }, { status: 400 })
    setHomeRequiresTwoFactor(actor, institution.id, submission.value.requireTwoFactor)
    return data({ intent, result: undefined, saved: true, cleared: false })
  }
  if (intent === 'shipping') {
    const submission = parseWithZod(formData, { schema: shippingRecipientSchema })
    if (submission.status !== 'success') return data({ intent, result: submission.reply(), saved: false, cleared: false }, { status: 400 })
    updateShippingRecipient(actor, institution.id, submission.value)
    return data({ intent, result: submission.reply(), saved: true, cleared: false })
  }
  const submission = parseWithZod(formData, { schema: claimSettingsSchema })
  if (submission.status !== 'success')
    return data({ intent: 'deadlines', result: submission.reply(), saved: false, cleared: false }, { status: 400 })
  updateClaimDeadlines(actor, institution.id, submission.value)
  return data({ intent: 'deadlines', result: submission.reply(), saved: true, cleared: false })
}

export default function SettingsPage() {
  return (
    <div className="space-y-6">
      <TrustFactsForm />
      <ShippingForm />
      <DeadlinesForm />
      <TwoFactorSetting />
    </div>
  )
}

function useReply(intent: string) {
  const actionData = useActionData<typeof action>()
  return actionData?.intent === intent ? actionData : undefined
}

function TrustFactsForm() {
  const { facts } = useLoaderData<typeof loader>()
  const reply = useReply('facts')
  const [form, fields] = useForm({
    id: 'trust-facts',
    lastResult: reply?.result,
    defaultValue: {
      registrationKind: facts.registrationKind,
      registrationNo: facts.registrationNo,
      registrationAuthority: facts.registrationAuthority,
      orgType: facts.orgType ?? '',
      publicFundraising: facts.publicFundraising ? 'yes' : 'no',
      publicAddress: facts.publicAddress,
      publicPhone: facts.publicPhone,
    },
    constraint: getZodConstraint(trustFactsSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: trustFactsSchema }),
  })
  return (
    <section className="card space-y-4" aria-labelledby="facts-heading">
      <h2 id="facts-heading" className="text-xl font-semibold">
        机构信息（公开）
      </h2>
      <p className="text-sm text-stone-700">
        显示在本机构公开主页的“机构信息”中，供捐赠人核对。平台管理员会对照登记证书核验；修改证号、登记管理机关、机构性质或公开募捐资格后，需要重新核验。
      </p>
      <p className="text-sm" data-testid="facts-verification">
        {facts.factsVerifiedAt ? `平台已核验（${formatDateTime(facts.factsVerifiedAt)}）` : '平台未核验'}
      </p>
      {reply?.saved ? (
        <FormMessage tone="success">
          {reply.cleared ? '机构信息已保存。核验的信息有改动，平台核验已撤销，等待重新核验。' : '机构信息已保存'}
        </FormMessage>
      ) : null}
      <Form method="post" className="grid gap-4 sm:grid-cols-2" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="facts" />
        <SelectField
          label="证号类型"
          hint="有统一社会信用代码的请选第一项；尚未换发的机构可填写原登记证号"
          {...getSelectProps(fields.registrationKind)}
          options={registrationKinds.map((k) => ({ value: k, label: registrationKindLabels[k] }))}
          errors={fields.registrationKind.errors}
        />
        <Field
          label="统一社会信用代码 / 登记证号"
          hint="统一社会信用代码为 18 位，系统会核对校验位（GB 32100-2015）；原登记证号按证书原样填写"
          {...getInputProps(fields.registrationNo, { type: 'text' })}
          autoComplete="off"
          errors={fields.registrationNo.errors}
        />
        <Field
          label="登记管理机关"
          hint="例如：滨州市民政局、滨州市委机构编制委员会办公室"
          {...getInputProps(fields.registrationAuthority, { type: 'text' })}
          errors={fields.registrationAuthority.errors}
        />
        <SelectField
          label="机构性质"
          {...getSelectProps(fields.orgType)}
          options={[{ value: '', label: '请选择' }, ...orgTypes.map((t) => ({ value: t, label: orgTypeLabels[t] }))]}
          errors={fields.orgType.errors}
        />
        <SelectField
          label="是否具有公开募捐资格"
          hint="依慈善法，只有取得公开募捐资格的慈善组织可以向社会公开募捐；在微暖上的捐赠都是指定给本机构的定向捐赠"
          {...getSelectProps(fields.publicFundraising)}
          options={[
            { value: 'no', label: '否' },
            { value: 'yes', label: '是（已取得公开募捐资格证书）' },
          ]}
          errors={fields.publicFundraising.errors}
        />
        <Field label="地址" {...getInputProps(fields.publicAddress, { type: 'text' })} errors={fields.publicAddress.errors} />
        <Field
          label="联系电话"
          {...getInputProps(fields.publicPhone, { type: 'tel' })}
          inputMode="tel"
          errors={fields.publicPhone.errors}
        />
        <button type="submit" className="btn-primary sm:col-span-2 sm:justify-self-start">
          保存机构信息
        </button>
      </Form>
    </section>
  )
}

function ShippingForm() {
  const { shipping } = useLoaderData<typeof loader>()
  const reply = useReply('shipping')
  const [form, fields] = useForm({
    id: 'shipping-recipient',
    lastResult: reply?.result,
    defaultValue: shipping,
    constraint: getZodConstraint(shippingRecipientSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: shippingRecipientSchema }),
  })
  return (
    <section className="card space-y-4" aria-labelledby="shipping-heading">
      <h2 id="shipping-heading" className="text-xl font-semibold">
        收件信息（不公开）
      </h2>
      <p className="text-sm text-stone-700">
        快递需要收件人姓名和电话。这里填写的收件人和电话只给已认领心愿或已认捐物资的爱心人士看（连同机构地址），不会出现在公开页面上。
      </p>
      {reply?.saved ? <FormMessage tone="success">收件信息已保存</FormMessage> : null}
      <Form method="post" className="grid gap-4 sm:grid-cols-2" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="shipping" />
        <Field
          label="收件人"
          hint="例如：张老师（物资组）"
          {...getInputProps(fields.shippingRecipient, { type: 'text' })}
          errors={fields.shippingRecipient.errors}
        />
        <Field
          label="收件电话"
          {...getInputProps(fields.shippingPhone, { type: 'tel' })}
          inputMode="tel"
          errors={fields.shippingPhone.errors}
        />
        <button type="submit" className="btn-primary sm:col-span-2 sm:justify-self-start">
          保存收件信息
        </button>
      </Form>
    </section>
  )
}

function DeadlinesForm() {
  const settings = useLoaderData<typeof loader>()
  const reply = useReply('deadlines')
  const [form, fields] = useForm({
    id: 'claim-deadlines',
    lastResult: reply?.result,
    defaultValue: { claimBuyDays: String(settings.claimBuyDays), claimDeliverDays: String(settings.claimDeliverDays) },
    constraint: getZodConstraint(claimSettingsSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: claimSettingsSchema }),
  })
  return (
    <section className="card space-y-4" aria-labelledby="deadlines-heading">
      <h2 id="deadlines-heading" className="text-xl font-semibold">
        认领期限
      </h2>
      <p className="text-sm text-stone-700">
        爱心人士认领心愿后，须在期限内标记“已购买”并把礼物送达；逾期认领会自动释放，心愿重新开放。系统会在每个期限前两天提醒。新设置只对之后的认领生效。
      </p>
      {reply?.saved ? <FormMessage tone="success">设置已保存</FormMessage> : null}
      <Form method="post" className="grid gap-4 sm:grid-cols-2" {...getFormProps(form)}>
        <Field
          label="购买期限（天）"
          hint="1–60 天，默认 7 天"
          {...getInputProps(fields.claimBuyDays, { type: 'number' })}
          inputMode="numeric"
          errors={fields.claimBuyDays.errors}
        />
        <Field
          label="送达期限（天）"
          hint="1–60 天，默认 14 天，从认领时算起"
          {...getInputProps(fields.claimDeliverDays, { type: 'number' })}
          inputMode="numeric"
          errors={fields.claimDeliverDays.errors}
        />
        <button type="submit" className="btn-primary sm:col-span-2 sm:justify-self-start">
          保存设置
        </button>
      </Form>
    </section>
  )
}

/** 「要求两步验证」 for the home's staff (app/auth/two-factor.server.ts; the consoles' gate enforces it). */
function TwoFactorSetting() {
  const { requireTwoFactor: required, platformRequiresTwoFactor: platform } = useLoaderData<typeof loader>()
  const saved = Boolean(useReply('two-factor')?.saved)
  return (
    <section className="card space-y-4" aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading" className="text-xl font-semibold">
        两步验证
      </h2>
      <p className="text-sm text-stone-700">
        开启后，本机构的工作人员（包括管理员）登录时除了密码，还要输入手机验证器应用中的验证码；尚未设置的人员进入后台前会先被引导完成设置。
      </p>
      {platform ? <p className="text-sm text-stone-700">平台已要求所有工作人员使用两步验证。</p> : null}
      {saved ? <FormMessage tone="success">设置已保存</FormMessage> : null}
      <Form method="post" className="space-y-4">
        <input type="hidden" name="intent" value="two-factor" />
        <label className="flex items-center gap-2">
          <input type="checkbox" name="requireTwoFactor" value="on" defaultChecked={required} key={String(required)} className="size-5" />
          <span>要求两步验证</span>
        </label>
        <button type="submit" className="btn-primary">
          保存
        </button>
      </Form>
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
