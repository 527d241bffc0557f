import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { requireAnonymous, startSessionAndRedirect } from '~/auth/auth.server'
import { PASSWORD_RESET_TEMPLATE, requestPasswordReset, resetPassword } from '~/auth/password-reset.server'
import { forgotPasswordSchema, resetPasswordSchema } from '~/auth/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { deliverSoon } from '~/notifications/delivery.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

// 忘记密码, in two steps on one page: (1) the phone number or e-mail address gets a code, (2) the
// code and a new password. Step 1 answers the same whether or not the account exists.

export const meta: MetaFunction = () => pageMeta({ title: '忘记密码', description: '通过手机或邮箱验证码重置微暖账号的密码。' })

export async function loader({ request }: LoaderFunctionArgs) {
  requireAnonymous(request)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireAnonymous(request)
  const formData = await request.formData()
  if (formData.get('intent') === 'reset') {
    const submission = parseWithZod(formData, { schema: resetPasswordSchema })
    const identifier = String(formData.get('identifier') ?? '')
    const masked = String(formData.get('masked') ?? '')
    if (submission.status !== 'success') {
      return data(
        { step: 'reset' as const, identifier, masked, result: submission.reply({ hideFields: ['password', 'confirmPassword'] }) },
        { status: 400 },
      )
    }
    const outcome = await resetPassword({ ...submission.value, ip: context.ip })
    if (!outcome.ok) {
      return data(
        {
          step: 'reset' as const,
          identifier,
          masked,
          result: refusalReply(submission, outcome, { hideFields: ['password', 'confirmPassword'] }),
        },
        { status: outcome.status },
      )
    }
    return startSessionAndRedirect(request, outcome.userId, undefined, { ip: context.ip })
  }
  const submission = parseWithZod(formData, { schema: forgotPasswordSchema })
  if (submission.status !== 'success') return data({ step: 'send' as const, result: submission.reply() }, { status: 400 })
  const sent = await requestPasswordReset({ identifier: submission.value.identifier, ip: context.ip })
  if (!sent.ok) return data({ step: 'send' as const, result: refusalReply(submission, sent) }, { status: sent.status })
  deliverSoon(PASSWORD_RESET_TEMPLATE)
  return { step: 'reset' as const, identifier: submission.value.identifier, masked: sent.masked, result: undefined }
}

function SendStep({ result }: { result: SubmissionResult<string[]> | undefined }) {
  const navigation = useNavigation()
  const [form, fields] = useForm<z.input<typeof forgotPasswordSchema>>({
    id: 'forgot-password',
    lastResult: result,
    // Validated on the server only: keeps zod out of this public page's JavaScript.
    shouldValidate: 'onSubmit',
  })
  return (
    <Form method="post" className="mt-6 space-y-4" {...getFormProps(form)}>
      <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      <Field
        label="手机号或邮箱"
        hint="填写注册时使用的手机号或邮箱，我们会发送 6 位验证码"
        {...getInputProps(fields.identifier, { type: 'text' })}
        autoComplete="username"
        inputMode="email"
        errors={fields.identifier.errors}
      />
      <button type="submit" name="intent" value="send" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
        {navigation.state === 'submitting' ? '正在发送…' : '获取验证码'}
      </button>
    </Form>
  )
}

function ResetStep({ identifier, masked, result }: { identifier: string; masked: string; result: SubmissionResult<string[]> | undefined }) {
  const navigation = useNavigation()
  const [form, fields] = useForm<z.input<typeof resetPasswordSchema>>({
    id: 'reset-password',
    lastResult: result,
    defaultValue: { identifier },
    shouldValidate: 'onSubmit',
  })
  return (
    <>
      <p className="mt-4 text-stone-700" role="status">
        如果 {masked} 已注册微暖账号，验证码已发送，10 分钟内有效。没有收到？请确认填写无误，稍后可重新获取。
      </p>
      <Form method="post" className="mt-6 space-y-4" {...getFormProps(form)}>
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
        <input {...getInputProps(fields.identifier, { type: 'hidden' })} />
        <input type="hidden" name="masked" value={masked} />
        <Field
          label="验证码"
          hint="6 位数字"
          {...getInputProps(fields.code, { type: 'text' })}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          errors={fields.code.errors}
        />
        <Field
          label="新密码"
          hint="至少 8 个字符"
          {...getInputProps(fields.password, { type: 'password' })}
          autoComplete="new-password"
          errors={fields.password.errors}
        />
        <Field
          label="确认新密码"
          {...getInputProps(fields.confirmPassword, { type: 'password' })}
          autoComplete="new-password"
          errors={fields.confirmPassword.errors}
        />
        <button type="submit" name="intent" value="reset" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          重置密码并登录
        </button>
      </Form>
      <Form method="post" className="mt-4">
        <input type="hidden" name="identifier" value={identifier} />
        <button type="submit" name="intent" value="send" className="link">
          重新获取验证码
        </button>
      </Form>
    </>
  )
}

export default function ForgotPasswordPage() {
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-semibold">忘记密码</h1>
      <p className="mt-1 text-stone-700">
        想起来了？{' '}
        <Link to="/login" className="link">
          返回登录
        </Link>
      </p>
      {actionData?.step === 'reset' ? (
        <ResetStep
          key={`${actionData.identifier}`}
          identifier={actionData.identifier}
          masked={actionData.masked}
          result={actionData.result}
        />
      ) : (
        <SendStep result={actionData?.result} />
      )}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
