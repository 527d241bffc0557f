import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { listChildren } from '~/children/children.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { archiveFamily, getFamily, updateFamily } from '~/programmes/families.server'
import { FamilyForm } from '~/programmes/family-form'
import { familyArchiveSchema, familySchema } from '~/programmes/validation'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '家庭档案', description: '机构工作人员：家庭档案' })

function load(request: Request, params: { slug?: string; familyId?: string }) {
  const staff = requireStaff(request, params.slug)
  const family = invariantFound(getFamily(staff.institution.id, requireIdParam(params, 'familyId')))
  return { ...staff, family }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution, family } = load(request, params)
  return { family, childOptions: listChildren(institution.id).map((c) => ({ id: c.id, label: `${c.pseudonym}（${c.realName}）` })) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution, family } = load(request, params)
  const form = await request.formData()
  if (form.get('intent') === 'archive') {
    const archive = parseWithZod(form, { schema: familyArchiveSchema })
    if (archive.status !== 'success') return data({ intent: 'archive' as const, result: archive.reply() }, { status: 400 })
    const outcome = archiveFamily(actorFrom(user, context), institution.id, family.id)
    if (!outcome.ok) return data({ intent: 'archive' as const, result: refusalReply(archive, outcome) }, { status: 400 })
    return redirect(`/staff/${institution.slug}/families`)
  }
  const submission = parseWithZod(form, { schema: familySchema })
  if (submission.status !== 'success') return data({ intent: 'save' as const, result: submission.reply() }, { status: 400 })
  const outcome = updateFamily(actorFrom(user, context), institution.id, family.id, submission.value)
  if (!outcome.ok) return data({ intent: 'save' as const, result: refusalReply(submission, outcome) }, { status: 400 })
  return redirect(`/staff/${institution.slug}/families/${family.id}?saved=1`)
}

export default function FamilyDetail() {
  const { family, childOptions } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <section className="card space-y-4" aria-labelledby="family-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="family-heading" className="text-xl font-semibold">
          {family.alias}
          {family.archivedAt ? '（已归档）' : ''}
        </h2>
        <Link to=".." relative="path" className="link text-sm">
          返回家庭列表
        </Link>
      </div>
      <FamilyForm
        id="edit-family"
        lastResult={actionData?.intent === 'save' ? actionData.result : undefined}
        defaultValue={{ ...family, childIds: family.children.map((c) => c.id) }}
        childOptions={childOptions}
        submitLabel="保存修改"
      />
      {family.archivedAt ? null : (
        <Form method="post" className="space-y-2">
          <FormMessage>{actionData?.intent === 'archive' ? actionData.result.error?.['']?.join('；') : null}</FormMessage>
          <button type="submit" name="intent" value="archive" className="btn-danger">
            归档该家庭
          </button>
        </Form>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
