import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { listChildren } from '~/children/children.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { createFamily } from '~/programmes/families.server'
import { FamilyForm } from '~/programmes/family-form'
import { familySchema } from '~/programmes/validation'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '新建家庭', description: '机构工作人员：新建家庭档案' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  return { childOptions: listChildren(institution.id).map((c) => ({ id: c.id, label: `${c.pseudonym}（${c.realName}）` })) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const form = await request.formData()
  const submission = parseWithZod(form, { schema: familySchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = createFamily(actorFrom(user, context), institution.id, submission.value)
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome) }, { status: 400 })
  return redirect(`/staff/${institution.slug}/families/${outcome.family.id}?created=1`)
}

export default function NewFamily() {
  const { childOptions } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <section className="card space-y-4" aria-labelledby="new-family-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="new-family-heading" className="text-xl font-semibold">
          新建家庭
        </h2>
        <Link to=".." relative="path" className="link text-sm">
          返回家庭列表
        </Link>
      </div>
      <FamilyForm id="new-family" lastResult={actionData?.result} defaultValue={{}} childOptions={childOptions} submitLabel="保存家庭" />
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
