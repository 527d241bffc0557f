import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { requireAnonymous, startSessionAndRedirect, verifySignIn } from '~/auth/auth.server'
import { userHasTwoFactor } from '~/auth/two-factor.server'
import { signInSchema } from '~/auth/validation'
import { Field, FormMessage } from '~/components/forms'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '登录', description: '登录微暖，认领微心愿、预约志愿服务、查看您的捐赠。' })

export async function loader({ request }: LoaderFunctionArgs) {
  requireAnonymous(request)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireAnonymous(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: signInSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 })
  }
  const { identifier, password, redirectTo } = submission.value
  const outcome = await verifySignIn({ identifier, password, ip: context.ip })
  if (!outcome.ok) {
    const message = outcome.reason === 'rate_limited' ? outcome.message : '账号或密码不正确'
    return data(
      { result: submission.reply({ formErrors: [message], hideFields: ['password'] }) },
      { status: outcome.reason === 'rate_limited' ? 429 : 400 },
    )
  }
  // With two-step sign-in the new session waits for the code (app/auth/two-factor.server.ts).
  if (userHasTwoFactor(outcome.userId)) {
    const next = redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''
    return startSessionAndRedirect(request, outcome.userId, `/login/two-factor${next}`, { ip: context.ip })
  }
  return startSessionAndRedirect(request, outcome.userId, redirectTo, { ip: context.ip })
}

export default function LoginPage() {
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const redirectTo = searchParams.get('redirectTo') ?? ''
  // Set by requireUser when the session ended by itself (idle or past its lifetime).
  const expired = searchParams.get('expired') === '1' && !actionData
  const navigation = useNavigation()
  const [form, fields] = useForm<z.input<typeof signInSchema>>({
    id: 'login',
    lastResult: actionData?.result,
    // Validated on the server only: keeps zod out of this public page's JavaScript.
    shouldValidate: 'onSubmit',
  })
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-semibold">登录</h1>
      <p className="mt-1 text-stone-700">
        还没有账号？{' '}
        <Link to={redirectTo ? `/register?redirectTo=${encodeURIComponent(redirectTo)}` : '/register'} className="link">
          注册
        </Link>
      </p>
      {expired ? (
        <p role="status" className="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-3 text-stone-900">
          登录已过期，请重新登录
        </p>
      ) : null}
      <Form method="post" className="mt-6 space-y-4" {...getFormProps(form)}>
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label="手机号或邮箱"
          {...getInputProps(fields.identifier, { type: 'text' })}
          autoComplete="username"
          inputMode="email"
          errors={fields.identifier.errors}
        />
        <Field
          label="密码"
          {...getInputProps(fields.password, { type: 'password' })}
          autoComplete="current-password"
          errors={fields.password.errors}
        />
        <p className="text-right text-sm">
          <Link to="/forgot-password" className="link">
            忘记密码？
          </Link>
        </p>
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          {navigation.state === 'submitting' ? '正在登录…' : '登录'}
        </button>
      </Form>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
