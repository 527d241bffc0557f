import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import {
  CONTACT_VERIFICATION_TEMPLATE,
  contactToVerify,
  hasLiveContactCode,
  sendContactCode,
  verifyContactCode,
} from '~/auth/contact-verification.server'
import { maskIdentifier } from '~/auth/password-reset.server'
import { safeRedirect, verifyContactSchema } from '~/auth/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { deliverSoon } from '~/notifications/delivery.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

// 输入验证码: the step after registering (and the way back for any unverified account, from
// /account or from a claim, gift or booking it was sent away from). Plain POST forms.

export const meta: MetaFunction = () => pageMeta({ title: '验证手机号或邮箱', description: '输入发送到您手机或邮箱的验证码。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get('redirectTo'), '')
  const contact = contactToVerify(user)
  // Already verified: nothing to do here.
  if (!contact) throw redirect(redirectTo || '/account')
  return {
    kind: contact.kind,
    masked: maskIdentifier(contact),
    codeSent: hasLiveContactCode(user.id),
    redirectTo,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request)
  const formData = await request.formData()
  if (formData.get('intent') === 'send') {
    const sent = await sendContactCode({ user, ip: context.ip })
    if (!sent.ok) return data({ sent: false, error: sent.message, result: undefined }, { status: sent.status })
    deliverSoon(CONTACT_VERIFICATION_TEMPLATE)
    return { sent: true, error: null, result: undefined }
  }
  const submission = parseWithZod(formData, { schema: verifyContactSchema })
  if (submission.status !== 'success') return data({ sent: false, error: null, result: submission.reply() }, { status: 400 })
  const outcome = await verifyContactCode({ user, code: submission.value.code, ip: context.ip })
  if (!outcome.ok) return data({ sent: false, error: null, result: refusalReply(submission, outcome) }, { status: outcome.status })
  const back = safeRedirect(submission.value.redirectTo, '')
  return redirect(back || '/account?verified=1')
}

export default function VerifyContactPage() {
  const { kind, masked, codeSent, redirectTo } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm<z.input<typeof verifyContactSchema>>({
    id: 'verify-contact',
    lastResult: actionData?.result,
    shouldValidate: 'onSubmit',
  })
  const what = kind === 'phone' ? '手机号' : '邮箱'
  return (
    <div className="mx-auto max-w-sm space-y-6">
      <h1 className="text-2xl font-semibold">输入验证码</h1>
      <p className="text-stone-700">
        为了保证志愿服务记录和捐赠收据确实属于您，请验证您的{what}
        。验证前，您可以浏览和登录，但不能认领微心愿、以您的名义捐款或预约志愿服务。
      </p>
      {actionData?.error ? <FormMessage>{actionData.error}</FormMessage> : null}
      {actionData?.sent ? (
        <FormMessage tone="success">新的验证码已发送至 {masked}，10 分钟内有效。</FormMessage>
      ) : codeSent ? (
        <p role="status" className="rounded-lg border border-brand-200 bg-brand-50 p-3 text-stone-800">
          验证码已发送至 {masked}，10 分钟内有效。
        </p>
      ) : (
        <p className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-stone-900">
          还没有可用的验证码：请点击下方“获取验证码”，我们会发送到 {masked}。
        </p>
      )}
      <Form method="post" className="space-y-4" {...getFormProps(form)}>
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label="验证码"
          hint={`发送到 ${masked} 的 6 位数字`}
          {...getInputProps(fields.code, { type: 'text' })}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={12}
          errors={fields.code.errors}
        />
        <button type="submit" name="intent" value="verify" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          验证
        </button>
      </Form>
      <Form method="post">
        <button type="submit" name="intent" value="send" className="link">
          {codeSent || actionData?.sent ? '重新获取验证码' : '获取验证码'}
        </button>
      </Form>
      <p className="text-sm">
        <Link to="/" className="link">
          稍后再验证，先去首页看看
        </Link>
      </p>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
