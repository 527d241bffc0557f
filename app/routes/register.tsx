import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { registerUser, requireAnonymous, startSessionAndRedirect } from '~/auth/auth.server'
import { CONTACT_VERIFICATION_TEMPLATE, sendContactCodeFor } from '~/auth/contact-verification.server'
import { registerSchema, safeRedirect } from '~/auth/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { deliverSoon } from '~/notifications/delivery.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '注册', description: '注册微暖账号，成为爱心人士或志愿者。' })

export async function loader({ request }: LoaderFunctionArgs) {
  requireAnonymous(request)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireAnonymous(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: registerSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password', 'confirmPassword'] }) }, { status: 400 })
  }
  const { identifier, displayName, password, redirectTo } = submission.value
  const created = await registerUser({ identifier, displayName, password, ip: context.ip })
  if (!created.ok) {
    return data({ result: refusalReply(submission, created, { hideFields: ['password', 'confirmPassword'] }) }, { status: created.status })
  }
  // The account is created unverified; a code goes to the contact given, and the next page asks
  // for it (输入验证码). A refused send (rate limit) is said there, with 重新获取.
  const sent = await sendContactCodeFor(created.userId, context.ip)
  if (sent.ok) deliverSoon(CONTACT_VERIFICATION_TEMPLATE)
  const back = safeRedirect(redirectTo, '')
  return startSessionAndRedirect(request, created.userId, redirectTo, {
    ip: context.ip,
    location: `/account/verify${back ? `?redirectTo=${encodeURIComponent(back)}` : ''}`,
  })
}

export default function RegisterPage() {
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const redirectTo = searchParams.get('redirectTo') ?? ''
  const navigation = useNavigation()
  const [form, fields] = useForm<z.input<typeof registerSchema>>({
    id: 'register',
    lastResult: actionData?.result,
    // Validated on the server only: keeps zod out of this public page's JavaScript.
    shouldValidate: 'onSubmit',
  })
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-semibold">注册</h1>
      <p className="mt-1 text-stone-700">
        已有账号？{' '}
        <Link to={redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : '/login'} className="link">
          登录
        </Link>
      </p>
      <Form method="post" className="mt-6 space-y-4" {...getFormProps(form)}>
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label="手机号或邮箱"
          hint="用于登录，不会公开显示；注册后需输入发送到这里的验证码"
          {...getInputProps(fields.identifier, { type: 'text' })}
          autoComplete="username"
          errors={fields.identifier.errors}
        />
        <Field
          label="称呼"
          hint="显示在您的账号中；捐赠时可另选公开方式"
          {...getInputProps(fields.displayName, { type: 'text' })}
          autoComplete="nickname"
          errors={fields.displayName.errors}
        />
        <Field
          label="密码"
          hint="至少 8 个字符"
          {...getInputProps(fields.password, { type: 'password' })}
          autoComplete="new-password"
          errors={fields.password.errors}
        />
        <Field
          label="确认密码"
          {...getInputProps(fields.confirmPassword, { type: 'password' })}
          autoComplete="new-password"
          errors={fields.confirmPassword.errors}
        />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          {navigation.state === 'submitting' ? '正在注册…' : '注册'}
        </button>
      </Form>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
