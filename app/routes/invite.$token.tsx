import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, getUser, requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { acceptInvitation, findUsableInvitation } from '~/institutions/institutions.server'
import { roleLabels } from '~/institutions/labels'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => [
  ...pageMeta({ title: '加入机构', description: '接受机构成员邀请' }),
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = findUsableInvitation(params.token ?? '')
  const url = new URL(request.url)
  return {
    invitation: found ? { institutionName: found.institution.name, role: found.invitation.role } : null,
    signedIn: Boolean(getUser(request)),
    here: url.pathname,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(request)
  const outcome = acceptInvitation(actorFrom(user, context), params.token ?? '')
  if (!outcome.ok) return data({ message: outcome.message }, { status: 400 })
  return redirect(`/staff/${outcome.institutionSlug}`)
}

export default function InvitePage() {
  const { invitation, signedIn, here } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-semibold">加入机构</h1>
      <FormMessage>{actionData?.message}</FormMessage>
      {!invitation ? (
        <p className="text-stone-800">邀请链接无效、已使用或已过期。请联系机构管理员重新邀请。</p>
      ) : (
        <div className="card space-y-4">
          <p>
            您受邀以<strong>{roleLabels[invitation.role]}</strong>身份加入<strong>{invitation.institutionName}</strong>。
          </p>
          {signedIn ? (
            <Form method="post">
              <button type="submit" className="btn-primary w-full">
                接受邀请
              </button>
            </Form>
          ) : (
            <p className="flex gap-3">
              <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="btn-primary">
                登录后接受
              </Link>
              <Link to={`/register?redirectTo=${encodeURIComponent(here)}`} className="btn-secondary">
                注册新账号
              </Link>
            </p>
          )}
        </div>
      )}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
