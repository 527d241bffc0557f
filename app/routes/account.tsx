import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getSession, hasVerifiedContact, requireUser } from '~/auth/auth.server'
import { changePassword } from '~/auth/password-reset.server'
import {
  invalidateSession,
  invalidateUserSessionByPublicId,
  invalidateUserSessions,
  listUserSessions,
  publicSessionId,
  serializeBlankSessionCookie,
} from '~/auth/session.server'
import { changePasswordSchema } from '~/auth/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { serverReply } from '~/components/server-reply'
import { Field, FormMessage } from '~/components/forms'
import { listMembershipsOf } from '~/institutions/institutions.server'
import { roleLabels } from '~/institutions/labels'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '我的账号', description: '账号与登录设备' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const { session } = getSession(request)
  return {
    user: {
      displayName: user.displayName,
      phone: user.phone,
      email: user.email,
      phoneVerified: Boolean(user.phone && user.phoneVerifiedAt),
      emailVerified: Boolean(user.email && user.emailVerifiedAt),
      contactVerified: hasVerifiedContact(user),
    },
    memberships: listMembershipsOf(user.id),
    // Dates formatted here (Asia/Shanghai); sessions are named by their public id only.
    devices: listUserSessions(user.id, session?.id ?? null).map((d) => ({
      publicId: d.publicId,
      device: d.device,
      signedInAt: formatDateTime(d.createdAt),
      lastSeenAt: formatDateTime(d.lastSeenAt),
      current: d.current,
    })),
    verifiedNotice: new URL(request.url).searchParams.get('verified') === '1',
  }
}

type Done = 'everywhere' | 'others' | 'device' | null

const hidePasswords = { hideFields: ['currentPassword', 'password', 'confirmPassword'] }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request)
  const form = await request.formData()
  const { session } = getSession(request)
  const intent = form.get('intent')
  if (intent === 'sign-out-everywhere') {
    // Every session of this user ends, this device's included.
    invalidateUserSessions(user.id)
    return data(
      { done: 'everywhere' as Done, passwordChanged: false, result: undefined },
      { headers: { 'Set-Cookie': serializeBlankSessionCookie() } },
    )
  }
  if (intent === 'sign-out-others') {
    invalidateUserSessions(user.id, session?.id ?? '')
    return { done: 'others' as Done, passwordChanged: false, result: undefined }
  }
  if (intent === 'sign-out-device') {
    const publicId = String(form.get('device') ?? '')
    // This device's own 退出 is an ordinary sign-out.
    if (session && publicId === publicSessionId(session.id)) {
      invalidateSession(session.id)
      return redirect('/', { headers: { 'Set-Cookie': serializeBlankSessionCookie() } })
    }
    // Only this user's sessions are looked at: another person's id ends nothing.
    const ended = invalidateUserSessionByPublicId(user.id, publicId)
    return data({ done: ended ? ('device' as Done) : null, passwordChanged: false, result: undefined }, { status: ended ? 200 : 404 })
  }
  if (form.get('intent') === 'change-password') {
    const submission = parseWithZod(form, { schema: changePasswordSchema })
    if (submission.status !== 'success')
      return data({ done: null as Done, passwordChanged: false, result: submission.reply(hidePasswords) }, { status: 400 })
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
        { done: null as Done, passwordChanged: false, result: refusalReply(submission, outcome, hidePasswords) },
        { status: outcome.status },
      )
    }
    return { done: null as Done, passwordChanged: true, result: submission.reply({ resetForm: true }) }
  }
  return data({ done: null as Done, passwordChanged: false, result: undefined }, { status: 400 })
}

function ChangePasswordForm() {
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  // Validated on the server only (this page is close to the JavaScript budget): no Conform client.
  // Passwords never come back into the fields.
  const reply = serverReply<z.input<typeof changePasswordSchema>>(actionData?.result)
  return (
    <Form method="post" className="space-y-4" noValidate key={actionData?.passwordChanged ? 'changed' : reply.key}>
      {actionData?.passwordChanged ? <FormMessage tone="success">密码已修改，其他设备上的登录已退出。</FormMessage> : null}
      <FormMessage>{reply.formErrors?.join('；')}</FormMessage>
      <Field
        label="当前密码"
        type="password"
        name="currentPassword"
        autoComplete="current-password"
        errors={reply.errors('currentPassword')}
      />
      <Field
        label="新密码"
        hint="至少 8 个字符"
        type="password"
        name="password"
        autoComplete="new-password"
        errors={reply.errors('password')}
      />
      <Field
        label="确认新密码"
        type="password"
        name="confirmPassword"
        autoComplete="new-password"
        errors={reply.errors('confirmPassword')}
      />
      <button type="submit" name="intent" value="change-password" className="btn-primary" disabled={navigation.state === 'submitting'}>
        修改密码
      </button>
    </Form>
  )
}

export default function AccountPage() {
  const { user, memberships, devices, verifiedNotice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const done = actionData?.done
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">我的账号</h1>
      {done === 'everywhere' ? <FormMessage tone="success">已在所有设备上退出登录。</FormMessage> : null}
      {verifiedNotice && user.contactVerified ? (
        <FormMessage tone="success">验证成功，您现在可以认领心愿、捐款和预约志愿服务。</FormMessage>
      ) : null}
      <section className="card space-y-1" aria-labelledby="profile-title">
        <h2 id="profile-title" className="font-semibold">
          基本信息
        </h2>
        <p>称呼：{user.displayName}</p>
        {user.phone ? (
          <p>
            手机号：{user.phone} <VerifiedBadge verified={user.phoneVerified} />
          </p>
        ) : null}
        {user.email ? (
          <p>
            邮箱：{user.email} <VerifiedBadge verified={user.emailVerified} />
          </p>
        ) : null}
        {user.contactVerified ? null : (
          <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-stone-900">
            验证{user.phone ? '手机号' : '邮箱'}后才能认领微心愿、以您的名义捐款和预约志愿服务。{' '}
            <Link to="/account/verify?redirectTo=%2Faccount" className="link font-medium">
              立即验证
            </Link>
          </p>
        )}
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
      <section className="card space-y-3" aria-labelledby="devices-title">
        <h2 id="devices-title" className="font-semibold">
          登录设备
        </h2>
        {done === 'others' ? <FormMessage tone="success">已退出其他所有设备。</FormMessage> : null}
        {done === 'device' ? <FormMessage tone="success">已退出该设备。</FormMessage> : null}
        <p className="text-sm text-stone-700">
          以下设备正登录着您的账号（时间为北京时间）。不认识的设备请退出，并修改密码。长时间不用会自动退出：普通账号 30 天，机构工作人员 12
          小时。
        </p>
        <ul className="divide-y divide-stone-200" data-testid="devices">
          {devices.map((d) => (
            <li key={d.publicId} className="flex flex-wrap items-center justify-between gap-2 py-3">
              <div>
                <p className="font-medium">
                  {d.device}
                  {d.current ? <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 text-sm text-brand-800">当前设备</span> : null}
                </p>
                <p className="text-sm text-stone-700">
                  登录于 {d.signedInAt} · 最近活动 {d.lastSeenAt}
                </p>
              </div>
              <Form method="post">
                <input type="hidden" name="device" value={d.publicId} />
                <button
                  type="submit"
                  name="intent"
                  value="sign-out-device"
                  className="btn-secondary"
                  aria-label={`退出 ${d.device}（登录于 ${d.signedInAt}）`}
                >
                  退出
                </button>
              </Form>
            </li>
          ))}
        </ul>
        <div className="flex flex-wrap gap-2">
          {devices.length > 1 ? (
            <Form method="post">
              <button type="submit" name="intent" value="sign-out-others" className="btn-secondary">
                退出其他所有设备
              </button>
            </Form>
          ) : null}
          <Form method="post">
            <button type="submit" name="intent" value="sign-out-everywhere" className="btn-danger">
              在所有设备上退出
            </button>
          </Form>
        </div>
      </section>
    </div>
  )
}

function VerifiedBadge({ verified }: { verified: boolean }) {
  return verified ? (
    <span className="ml-1 rounded bg-green-50 px-1.5 py-0.5 text-sm text-green-900">已验证</span>
  ) : (
    <span className="ml-1 rounded bg-amber-50 px-1.5 py-0.5 text-sm text-amber-900">未验证</span>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
