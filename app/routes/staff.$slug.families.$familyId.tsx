import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { listChildren } from '~/children/children.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { archiveFamily, familySchema, getFamily, updateFamily } from '~/programmes/families.server'
import { FamilyForm } from '~/programmes/family-form'
import { formValues, parseForm, refusal } from '~/programmes/forms.server'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '家庭档案', description: '机构工作人员：家庭档案' })

function load(request: Request, params: { slug?: string; familyId?: string }) {
  const staff = requireStaff(request, params.slug)
  const family = getFamily(staff.institution.id, Number(params.familyId))
  if (!family) throw new Response('Not Found', { status: 404 })
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
    const outcome = archiveFamily(actorFrom(user, context), institution.id, family.id)
    if (!outcome.ok) return data(refusal(outcome.message), { status: 400 })
    return redirect(`/staff/${institution.slug}/families`)
  }
  const parsed = parseForm(form, familySchema)
  if (!parsed.ok) return data(parsed.reply, { status: 400 })
  const outcome = updateFamily(actorFrom(user, context), institution.id, family.id, parsed.value)
  if (!outcome.ok) return data(refusal(outcome.message, formValues(form)), { status: 400 })
  return redirect(`/staff/${institution.slug}/families/${family.id}?saved=1`)
}

export default function FamilyDetail() {
  const { family, childOptions } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>()
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
      <FamilyForm reply={reply} defaults={{ ...family, childIds: family.children.map((c) => c.id) }} childOptions={childOptions} submitLabel="保存修改" />
      {family.archivedAt ? null : (
        <Form method="post">
          <button type="submit" name="intent" value="archive" className="btn-danger">
            归档该家庭
          </button>
        </Form>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
