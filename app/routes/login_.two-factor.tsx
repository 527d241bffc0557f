import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { requireHalfSignedIn, signedInHome } from '~/auth/auth.server'
import { verifyTwoFactorCode } from '~/auth/two-factor.server'
import { twoFactorCodeSchema } from '~/auth/two-factor-validation'
import { safeRedirect } from '~/auth/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

// The second step of signing in (app/auth/two-factor.server.ts): after the password, a user with
// two-step sign-in enters the 6-digit code of their authenticator app. Until then the session
// counts as signed out (getUser).

export const meta: MetaFunction = () => pageMeta({ title: '两步验证', description: '输入验证器应用中的 6 位验证码完成登录。' })

export async function loader({ request }: LoaderFunctionArgs) {
  requireHalfSignedIn(request)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { session, user } = requireHalfSignedIn(request)
  const submission = parseWithZod(await request.formData(), { schema: twoFactorCodeSchema })
  if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['code'] }) }, { status: 400 })
  const outcome = await verifyTwoFactorCode({ userId: user.id, sessionId: session.id, code: submission.value.code, ip: context.ip })
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome, { hideFields: ['code'] }) }, { status: outcome.status })
  throw redirect(safeRedirect(submission.value.redirectTo, '') || signedInHome(user.id))
}

export default function TwoFactorSignInPage() {
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const redirectTo = searchParams.get('redirectTo') ?? ''
  const navigation = useNavigation()
  const [form, fields] = useForm<z.input<typeof twoFactorCodeSchema>>({
    id: 'two-factor',
    lastResult: actionData?.result,
    shouldValidate: 'onSubmit',
  })
  const recovery = redirectTo ? `/login/recovery?redirectTo=${encodeURIComponent(redirectTo)}` : '/login/recovery'
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">两步验证</h1>
        <p className="mt-1 text-stone-700">请打开手机上的验证器应用，输入“微暖”当前显示的 6 位验证码。</p>
      </div>
      <Form method="post" className="space-y-4" {...getFormProps(form)}>
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label="验证码"
          hint="6 位数字，每 30 秒更新一次"
          {...getInputProps(fields.code, { type: 'text' })}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={12}
          errors={fields.code.errors}
        />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          {navigation.state === 'submitting' ? '正在验证…' : '验证并登录'}
        </button>
      </Form>
      <p className="text-sm text-stone-700">
        手机丢失或无法使用验证器？{' '}
        <Link to={recovery} className="link">
          使用恢复码
        </Link>
      </p>
      <Form method="post" action="/logout">
        <button type="submit" className="btn-secondary">
          取消，换个账号登录
        </button>
      </Form>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
