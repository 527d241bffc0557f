import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { parseForm } from '~/programmes/forms.server'
import { ProgrammeForm } from '~/programmes/programme-form'
import { createProgramme, programmeSchema } from '~/programmes/programmes.server'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '新建项目', description: '机构工作人员：新建结对项目' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireStaff(request, params.slug)
  return null
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const parsed = parseForm(await request.formData(), programmeSchema)
  if (!parsed.ok) return data(parsed.reply, { status: 400 })
  const outcome = createProgramme(actorFrom(user, context), institution.id, parsed.value)
  if (!outcome.ok) return data({ ok: false, message: outcome.field ? null : outcome.message, errors: outcome.field ? { [outcome.field]: [outcome.message] } : {}, values: { ...parsed.value, requiresBackgroundCheck: parsed.value.requiresBackgroundCheck ? 'on' : '', acceptingApplications: parsed.value.acceptingApplications ? 'on' : '', plannedVisits: String(parsed.value.plannedVisits), durationMonths: String(parsed.value.durationMonths) } }, { status: 400 })
  return redirect(`/staff/${institution.slug}/programmes/${outcome.programme.id}?created=1`)
}

export default function NewProgramme() {
  const reply = useActionData<typeof action>()
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
      <ProgrammeForm reply={reply} defaults={{ requiresBackgroundCheck: true, acceptingApplications: true }} submitLabel="保存项目" />
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
