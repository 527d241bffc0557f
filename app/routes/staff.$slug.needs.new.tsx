import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { NeedForm } from '~/needs/need-form'
import { createNeed, needInputFrom } from '~/needs/needs.server'
import { needSchema } from '~/needs/validation'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '发布物资需求', description: '机构工作人员：发布物资需求' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireStaff(request, params.slug)
  return null
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const submission = parseWithZod(await request.formData(), { schema: needSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = createNeed(actorFrom(user, context), institution.id, needInputFrom(submission.value))
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome) }, { status: 400 })
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
      <NeedForm
        id="new-need"
        lastResult={actionData?.result}
        defaultValue={{ category: 'material', urgency: 'normal' }}
        submitLabel="发布"
      />
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
