import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { NeedForm } from '~/needs/need-form'
import { createNeed, parseNeedForm } from '~/needs/needs.server'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '发布物资需求', description: '机构工作人员：发布物资需求' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireStaff(request, params.slug)
  return null
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const formData = await request.formData()
  const parsed = parseNeedForm(formData)
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values, formError: null as string | null }, { status: 400 })
  const outcome = createNeed(actorFrom(user, context), institution.id, parsed.input)
  if (!outcome.ok) {
    const values = Object.fromEntries([...formData.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>
    return data({ errors: outcome.field ? { [outcome.field]: [outcome.message] } : {}, values, formError: outcome.field ? null : outcome.message }, { status: 400 })
  }
  return redirect(`/staff/${institution.slug}/needs/${outcome.need.id}?created=1`)
}

export default function NewNeed() {
  const actionData = useActionData<typeof action>()
  return (
    <section className="card space-y-4" aria-labelledby="new-need-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="new-need-heading" className="text-xl font-semibold">
          发布物资需求
        </h2>
        <Link to=".." relative="path" className="link text-sm">
          返回需求列表
        </Link>
      </div>
      <NeedForm values={actionData?.values ?? {}} errors={actionData?.errors ?? {}} formError={actionData?.formError} submitLabel="发布" />
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
