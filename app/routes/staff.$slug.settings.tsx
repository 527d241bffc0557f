import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { pageMeta } from '~/utils/meta'
import { claimSettingsSchema } from '~/wishes/wish-validation'
import { updateClaimDeadlines } from '~/wishes/wishes.server'

export const meta: MetaFunction = () => pageMeta({ title: '机构设置', description: '机构管理员：认领期限' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug, { role: 'manager' })
  return { claimBuyDays: institution.claimBuyDays, claimDeliverDays: institution.claimDeliverDays }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug, { role: 'manager' })
  const submission = parseWithZod(await request.formData(), { schema: claimSettingsSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), saved: false }, { status: 400 })
  updateClaimDeadlines(actorFrom(user, context), institution.id, submission.value)
  return data({ result: submission.reply(), saved: true })
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
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
