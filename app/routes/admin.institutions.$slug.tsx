import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requirePlatformAdmin } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { MembersPanel } from '~/components/members-panel'
import { getInstitutionBySlug } from '~/institutions/institutions.server'
import { handleMembersAction, loadMembersPanel } from '~/institutions/members-actions.server'
import { getVerification, setFactsVerified } from '~/institutions/trust.server'
import { formatDateTime } from '~/utils/format'
import { FormMessage } from '~/components/forms'
import { invariantFound } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '机构成员', description: '平台管理：机构成员与邀请' })

function institutionOr404(slug: string | undefined) {
  return invariantFound(getInstitutionBySlug(slug ?? ''))
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  requirePlatformAdmin(request)
  const institution = institutionOr404(params.slug)
  const verification = getVerification(institution.id)
  return {
    institution: { name: institution.name, slug: institution.slug },
    verification: verification ? { ...verification, verifiedAt: verification.verifiedAt?.toISOString() ?? null } : null,
    ...loadMembersPanel(institution.id),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = requirePlatformAdmin(request)
  const institution = institutionOr404(params.slug)
  // 平台核验 of the home's 机构信息; every other intent belongs to the members panel.
  const intent = (await request.clone().formData()).get('intent')
  if (intent === 'verify' || intent === 'unverify') {
    const outcome = setFactsVerified(actorFrom(admin, context), institution.id, intent === 'verify')
    return data(
      { verifyMessage: outcome.ok ? (intent === 'verify' ? '已标记为平台已核验' : '已撤销核验') : outcome.message, verifyOk: outcome.ok },
      { status: outcome.ok ? 200 : 400 },
    )
  }
  return handleMembersAction(request, actorFrom(admin, context), institution.id)
}

export default function AdminInstitutionPage() {
  const { institution, verification, ...panel } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const verifyReply = actionData && 'verifyMessage' in actionData ? actionData : null
  return (
    <div className="space-y-4">
      <p>
        <Link to="/admin" className="link">
          ← 平台管理
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">{institution.name}</h1>
      <section className="card space-y-3" aria-labelledby="verify-heading">
        <h2 id="verify-heading" className="text-xl font-semibold">
          机构信息核验
        </h2>
        <p className="text-sm text-stone-700">
          对照登记证书或全国慈善信息公开平台核对本机构填写的证号、登记管理机关、机构性质和公开募捐资格后标记。机构再修改这些信息时，核验会自动撤销。
        </p>
        <p>
          <a href={`/institutions/${institution.slug}`} className="link">
            查看公开主页上的机构信息
          </a>
        </p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-stone-700">证号</dt>
          <dd>{verification?.registrationNo || '（未填写）'}</dd>
          <dt className="text-stone-700">核验状态</dt>
          <dd data-testid="admin-verification">
            {verification?.verifiedAt
              ? `平台已核验：${formatDateTime(verification.verifiedAt)}，${verification.verifiedBy ?? '平台管理员'}`
              : '未核验'}
          </dd>
        </dl>
        {verifyReply ? <FormMessage tone={verifyReply.verifyOk ? 'success' : 'error'}>{verifyReply.verifyMessage}</FormMessage> : null}
        <Form method="post">
          {verification?.verifiedAt ? (
            <button type="submit" name="intent" value="unverify" className="btn-secondary">
              撤销核验
            </button>
          ) : (
            <button type="submit" name="intent" value="verify" className="btn-primary">
              标记为平台已核验
            </button>
          )}
        </Form>
      </section>
      <MembersPanel {...panel} actionData={actionData && !('verifyMessage' in actionData) ? actionData : undefined} />
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
