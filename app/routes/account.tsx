import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getSession, requireUser } from '~/auth/auth.server'
import { changePassword } from '~/auth/password-reset.server'
import { invalidateUserSessions, serializeBlankSessionCookie } from '~/auth/session.server'
import { changePasswordSchema } from '~/auth/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { listMembershipsOf } from '~/institutions/institutions.server'
import { roleLabels } from '~/institutions/labels'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '我的账号', description: '账号与登录设备' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  return {
    user: { displayName: user.displayName, phone: user.phone, email: user.email },
    memberships: listMembershipsOf(user.id),
  }
}

const hidePasswords = { hideFields: ['currentPassword', 'password', 'confirmPassword'] }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request)
  const form = await request.formData()
  if (form.get('intent') === 'sign-out-everywhere') {
    // Every session of this user ends, this device's included.
    invalidateUserSessions(user.id)
    return data({ done: true, passwordChanged: false, result: undefined }, { headers: { 'Set-Cookie': serializeBlankSessionCookie() } })
  }
  if (form.get('intent') === 'change-password') {
    const submission = parseWithZod(form, { schema: changePasswordSchema })
    if (submission.status !== 'success')
      return data({ done: false, passwordChanged: false, result: submission.reply(hidePasswords) }, { status: 400 })
    const { session } = getSession(request)
    const outcome = await changePassword({
      user,
      currentPassword: submission.value.currentPassword,
      newPassword: submission.value.password,
      keepSessionId: session?.id ?? '',
      ip: context.ip,
    })
    if (!outcome.ok) {
      return data(
        { done: false, passwordChanged: false, result: refusalReply(submission, outcome, hidePasswords) },
        { status: outcome.status },
      )
    }
    return { done: false, passwordChanged: true, result: submission.reply({ resetForm: true }) }
  }
  return data({ done: false, passwordChanged: false, result: undefined }, { status: 400 })
}

function ChangePasswordForm() {
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm<z.input<typeof changePasswordSchema>>({
    id: 'change-password',
    lastResult: actionData?.result,
    shouldValidate: 'onSubmit',
  })
  return (
    <Form method="post" className="space-y-4" {...getFormProps(form)}>
      {actionData?.passwordChanged ? <FormMessage tone="success">密码已修改，其他设备上的登录已退出。</FormMessage> : null}
      <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      <Field
        label="当前密码"
        {...getInputProps(fields.currentPassword, { type: 'password' })}
        autoComplete="current-password"
        errors={fields.currentPassword.errors}
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
      <button type="submit" name="intent" value="change-password" className="btn-primary" disabled={navigation.state === 'submitting'}>
        修改密码
      </button>
    </Form>
  )
}

export default function AccountPage() {
  const { user, memberships } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">我的账号</h1>
      {actionData?.done ? <FormMessage tone="success">已在所有设备上退出登录。</FormMessage> : null}
      <section className="card space-y-1" aria-labelledby="profile-title">
        <h2 id="profile-title" className="font-semibold">
          基本信息
        </h2>
        <p>称呼：{user.displayName}</p>
        {user.phone ? <p>手机号：{user.phone}</p> : null}
        {user.email ? <p>邮箱：{user.email}</p> : null}
      </section>
      <nav aria-label="我的" className="card">
        <ul className="grid gap-2 sm:grid-cols-3">
          <li>
            <Link to="/me/claims" className="link">
              我的认领
            </Link>
          </li>
          <li>
            <Link to="/me/donations" className="link">
              我的捐赠
            </Link>
          </li>
          <li>
            <Link to="/me/bookings" className="link">
              我的预约
            </Link>
          </li>
          <li>
            <Link to="/me/volunteer" className="link">
              志愿者资料与志愿时长
            </Link>
          </li>
          <li>
            <Link to="/me/service" className="link">
              志愿服务记录与证明
            </Link>
          </li>
        </ul>
      </nav>
      {memberships.length ? (
        <section className="card" aria-labelledby="memberships-title">
          <h2 id="memberships-title" className="font-semibold">
            我所在的机构
          </h2>
          <ul className="mt-2 list-disc pl-5">
            {memberships.map((m) => (
              <li key={m.slug}>
                {m.name}（{roleLabels[m.role]}）
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="card space-y-1" aria-labelledby="two-factor-title">
        <h2 id="two-factor-title" className="font-semibold">
          两步验证
        </h2>
        <p className="text-sm text-stone-700">登录时除了密码，再输入手机验证器应用中的验证码。机构工作人员请务必开启。</p>
        <Link to="/account/two-factor" className="link">
          设置两步验证
        </Link>
      </section>
      <section className="card space-y-3" aria-labelledby="password-title">
        <h2 id="password-title" className="font-semibold">
          修改密码
        </h2>
        <p className="text-sm text-stone-700">修改后，其他设备上的登录会退出，本设备保持登录。</p>
        <ChangePasswordForm />
      </section>
      <section className="card space-y-3" aria-labelledby="security-title">
        <h2 id="security-title" className="font-semibold">
          登录安全
        </h2>
        <p className="text-sm text-stone-700">如果您在别人的设备上登录过，或怀疑账号被他人使用，可以在所有设备上退出登录。</p>
        <Form method="post">
          <button type="submit" name="intent" value="sign-out-everywhere" className="btn-danger">
            在所有设备上退出
          </button>
        </Form>
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
