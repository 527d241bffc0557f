import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requirePlatformAdmin } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { MembersPanel } from '~/components/members-panel'
import { getInstitutionBySlug } from '~/institutions/institutions.server'
import { handleMembersAction, loadMembersPanel } from '~/institutions/members-actions.server'
import { invariantFound } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '机构成员', description: '平台管理：机构成员与邀请' })

function institutionOr404(slug: string | undefined) {
  return invariantFound(getInstitutionBySlug(slug ?? ''))
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  requirePlatformAdmin(request)
  const institution = institutionOr404(params.slug)
  return { institution: { name: institution.name, slug: institution.slug }, ...loadMembersPanel(institution.id) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = requirePlatformAdmin(request)
  const institution = institutionOr404(params.slug)
  return handleMembersAction(request, actorFrom(admin, context), institution.id)
}

export default function AdminInstitutionPage() {
  const { institution, ...panel } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="space-y-4">
      <p>
        <Link to="/admin" className="link">
          ← 平台管理
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">{institution.name}</h1>
      <MembersPanel {...panel} actionData={actionData} />
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
