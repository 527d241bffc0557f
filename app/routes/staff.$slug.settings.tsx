import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { platformRequiresTwoFactor, setHomeRequiresTwoFactor } from '~/auth/two-factor.server'
import { homeTwoFactorSchema } from '~/auth/two-factor-validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { pageMeta } from '~/utils/meta'
import { claimSettingsSchema } from '~/wishes/wish-validation'
import { updateClaimDeadlines } from '~/wishes/wishes.server'

export const meta: MetaFunction = () => pageMeta({ title: '机构设置', description: '机构管理员：认领期限与两步验证' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug, { role: 'manager' })
  return {
    claimBuyDays: institution.claimBuyDays,
    claimDeliverDays: institution.claimDeliverDays,
    requireTwoFactor: institution.requireTwoFactor,
    platformRequiresTwoFactor: platformRequiresTwoFactor(),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug, { role: 'manager' })
  const formData = await request.formData()
  if (formData.get('intent') === 'two-factor') {
    const submission = parseWithZod(formData, { schema: homeTwoFactorSchema })
    if (submission.status !== 'success') return data({ result: undefined, saved: false, twoFactorSaved: false }, { status: 400 })
    setHomeRequiresTwoFactor(actorFrom(user, context), institution.id, submission.value.requireTwoFactor)
    return data({ result: undefined, saved: false, twoFactorSaved: true })
  }
  const submission = parseWithZod(formData, { schema: claimSettingsSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), saved: false, twoFactorSaved: false }, { status: 400 })
  updateClaimDeadlines(actorFrom(user, context), institution.id, submission.value)
  return data({ result: submission.reply(), saved: true, twoFactorSaved: false })
}

export default function SettingsPage() {
  const settings = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'claim-deadlines',
    lastResult: actionData?.result,
    defaultValue: { claimBuyDays: String(settings.claimBuyDays), claimDeliverDays: String(settings.claimDeliverDays) },
    constraint: getZodConstraint(claimSettingsSchema),
    shouldRevalidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: claimSettingsSchema }),
  })
  return (
    <div className="space-y-6">
      <section className="card space-y-4" aria-labelledby="deadlines-heading">
        <h2 id="deadlines-heading" className="text-xl font-semibold">
          认领期限
        </h2>
        <p className="text-sm text-stone-700">
          爱心人士认领心愿后，须在期限内标记“已购买”并把礼物送达；逾期认领会自动释放，心愿重新开放。系统会在每个期限前两天提醒。新设置只对之后的认领生效。
        </p>
        {actionData?.saved ? <FormMessage tone="success">设置已保存</FormMessage> : null}
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
      <TwoFactorSetting
        required={settings.requireTwoFactor}
        platform={settings.platformRequiresTwoFactor}
        saved={Boolean(actionData?.twoFactorSaved)}
      />
    </div>
  )
}

/** 「要求两步验证」 for the home's staff (app/auth/two-factor.server.ts; the consoles' gate enforces it). */
function TwoFactorSetting({ required, platform, saved }: { required: boolean; platform: boolean; saved: boolean }) {
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
