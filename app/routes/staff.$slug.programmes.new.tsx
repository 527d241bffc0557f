import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ProgrammeForm } from '~/programmes/programme-form'
import { createProgramme } from '~/programmes/programmes.server'
import { programmeSchema } from '~/programmes/validation'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '新建项目', description: '机构工作人员：新建结对项目' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireStaff(request, params.slug)
  return null
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const submission = parseWithZod(await request.formData(), { schema: programmeSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = createProgramme(actorFrom(user, context), institution.id, submission.value)
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome) }, { status: 400 })
  return redirect(`/staff/${institution.slug}/programmes/${outcome.programme.id}?created=1`)
}

export default function NewProgramme() {
  const actionData = useActionData<typeof action>()
  return (
    <section className="card space-y-4" aria-labelledby="new-programme-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="new-programme-heading" className="text-xl font-semibold">
          新建项目
        </h2>
        <Link to=".." relative="path" className="link text-sm">
          返回项目列表
        </Link>
      </div>
      <ProgrammeForm
        id="new-programme"
        lastResult={actionData?.result}
        defaultValue={{ requiresBackgroundCheck: true, acceptingApplications: true }}
        submitLabel="保存项目"
      />
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
