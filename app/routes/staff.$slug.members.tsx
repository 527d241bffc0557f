import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { MembersPanel } from '~/components/members-panel'
import { handleMembersAction, loadMembersPanel } from '~/institutions/members-actions.server'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '成员管理', description: '机构成员与邀请' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug, { role: 'manager' })
  return loadMembersPanel(institution.id)
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug, { role: 'manager' })
  return handleMembersAction(request, actorFrom(user, context), institution.id)
}

export default function MembersPage() {
  const panel = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return <MembersPanel {...panel} actionData={actionData} />
}

export { GeneralErrorBoundary as ErrorBoundary }
