import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { ChildForm } from '~/children/child-form'
import { createChild, suggestPseudonym } from '~/children/children.server'
import { childSchema } from '~/children/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '新建儿童档案', description: '机构工作人员：新建儿童档案' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  return { suggestedPseudonym: suggestPseudonym(institution.id) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const submission = parseWithZod(await request.formData(), { schema: childSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = createChild(actorFrom(user, context), institution.id, submission.value)
  if (!outcome.ok) {
    return data({ result: refusalReply(submission, outcome) }, { status: 400 })
  }
  return redirect(`/staff/${institution.slug}/children/${outcome.child.id}?created=1`)
}

export default function NewChild() {
  const { suggestedPseudonym } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <section className="card space-y-4" aria-labelledby="new-child-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="new-child-heading" className="text-xl font-semibold">
          新建儿童档案
        </h2>
        <Link to=".." relative="path" className="link text-sm">
          返回档案列表
        </Link>
      </div>
      <ChildForm
        id="new-child"
        lastResult={actionData?.result}
        defaultValue={{ pseudonym: suggestedPseudonym }}
        suggestedPseudonym={suggestedPseudonym}
        submitLabel="保存档案"
      />
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
