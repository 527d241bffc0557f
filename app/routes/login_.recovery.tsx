import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { requireHalfSignedIn } from '~/auth/auth.server'
import { recoverWithCode } from '~/auth/two-factor.server'
import { recoveryCodeSchema } from '~/auth/two-factor-validation'
import { safeRedirect } from '~/auth/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

// The recovery code instead of the app's code (a lost phone). As in the Lucia guide it works
// once and turns two-step sign-in off; the user then sets it up again on /account/two-factor
// (and must, when their home or the platform requires it).

export const meta: MetaFunction = () => pageMeta({ title: '使用恢复码', description: '手机丢失时，用恢复码完成登录并重新设置两步验证。' })

export async function loader({ request }: LoaderFunctionArgs) {
  requireHalfSignedIn(request)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user } = requireHalfSignedIn(request)
  const submission = parseWithZod(await request.formData(), { schema: recoveryCodeSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = await recoverWithCode({ userId: user.id, code: submission.value.code, ip: context.ip })
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome) }, { status: outcome.status })
  const back = safeRedirect(submission.value.redirectTo, '')
  throw redirect(`/account/two-factor?recovered=1${back ? `&redirectTo=${encodeURIComponent(back)}` : ''}`)
}

export default function RecoveryPage() {
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const redirectTo = searchParams.get('redirectTo') ?? ''
  const navigation = useNavigation()
  const [form, fields] = useForm<z.input<typeof recoveryCodeSchema>>({
    id: 'recovery',
    lastResult: actionData?.result,
    shouldValidate: 'onSubmit',
  })
  const back = redirectTo ? `/login/two-factor?redirectTo=${encodeURIComponent(redirectTo)}` : '/login/two-factor'
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">使用恢复码</h1>
        <p className="mt-1 text-stone-700">
          输入开启两步验证时保存的恢复码。恢复码只能用一次：登录后两步验证会关闭，请立即用新手机重新设置。
        </p>
      </div>
      <Form method="post" className="space-y-4" {...getFormProps(form)}>
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label="恢复码"
          hint="16 个字母或数字，例如 ABCD-EFGH-JKLM-NPQR"
          {...getInputProps(fields.code, { type: 'text' })}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          errors={fields.code.errors}
        />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          使用恢复码登录
        </button>
      </Form>
      <p className="text-sm">
        <Link to={back} className="link">
          返回输入验证码
        </Link>
      </p>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
