import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { invalidateUserSessions, serializeBlankSessionCookie } from '~/auth/session.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { listMembershipsOf } from '~/institutions/institutions.server'
import { roleLabels } from '~/institutions/labels'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '我的账号', description: '账号与登录设备' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  return {
    user: { displayName: user.displayName, phone: user.phone, email: user.email },
    memberships: listMembershipsOf(user.id),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request)
  const form = await request.formData()
  if (form.get('intent') === 'sign-out-everywhere') {
    // Every session of this user ends, this device's included.
    invalidateUserSessions(user.id)
    return data({ done: true }, { headers: { 'Set-Cookie': serializeBlankSessionCookie() } })
  }
  return data({ done: false }, { status: 400 })
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
