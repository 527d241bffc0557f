import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { listApplications, reviewApplication } from '~/programmes/applications.server'
import { applicationStatusLabels } from '~/programmes/labels'
import { ProgrammeForm } from '~/programmes/programme-form'
import { getProgramme, updateProgramme } from '~/programmes/programmes.server'
import { programmeSchema, reviewSchema } from '~/programmes/validation'
import { formatDateTime } from '~/utils/format'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '项目详情', description: '机构工作人员：编辑项目、审核申请' })

function load(request: Request, params: { slug?: string; programmeId?: string }) {
  const staff = requireStaff(request, params.slug)
  const programme = invariantFound(getProgramme(staff.institution.id, requireIdParam(params, 'programmeId')))
  return { ...staff, programme }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution, programme } = load(request, params)
  return { programme, applications: listApplications(institution.id, programme.id) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution, programme } = load(request, params)
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent === 'accept' || intent === 'decline') {
    const submission = parseWithZod(formData, { schema: reviewSchema })
    if (submission.status !== 'success') return data({ intent: 'review' as const, result: submission.reply() }, { status: 400 })
    const { applicationId } = submission.value
    const outcome = reviewApplication(
      actorFrom(user, context),
      institution.id,
      applicationId,
      submission.value.intent === 'accept' ? 'accepted' : 'declined',
    )
    if (!outcome.ok) return data({ intent: 'review' as const, result: refusalReply(submission, outcome) }, { status: 400 })
    return redirect(`/staff/${institution.slug}/programmes/${programme.id}?reviewed=1`)
  }
  const submission = parseWithZod(formData, { schema: programmeSchema })
  if (submission.status !== 'success') return data({ intent: 'save' as const, result: submission.reply() }, { status: 400 })
  const outcome = updateProgramme(actorFrom(user, context), institution.id, programme.id, submission.value)
  if (!outcome.ok) return data({ intent: 'save' as const, result: refusalReply(submission, outcome) }, { status: 400 })
  return redirect(`/staff/${institution.slug}/programmes/${programme.id}?saved=1`)
}

export default function ProgrammeDetail() {
  const { programme, applications } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const reviewErrors = actionData?.intent === 'review' ? Object.values(actionData.result.error ?? {}).flat() : []
  return (
    <div className="space-y-4">
      <section className="card space-y-4" aria-labelledby="programme-heading">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="programme-heading" className="text-xl font-semibold">
            {programme.name}
          </h2>
          <Link to={`/programmes/${programme.slug}`} className="link text-sm">
            查看公开页面
          </Link>
        </div>
        <ProgrammeForm
          id="edit-programme"
          lastResult={actionData?.intent === 'save' ? actionData.result : undefined}
          defaultValue={programme}
          submitLabel="保存修改"
        />
      </section>
      <section className="card space-y-3" aria-labelledby="applications-heading">
        <h2 id="applications-heading" className="text-xl font-semibold">
          志愿者申请
        </h2>
        <FormMessage>{reviewErrors.length ? reviewErrors.join('；') : null}</FormMessage>
        {applications.length ? (
          <ul className="space-y-3">
            {applications.map((a) => (
              <li key={a.id} className="rounded-lg border border-stone-200 p-3">
                <p className="font-semibold">
                  {a.realName ?? a.displayName} · {applicationStatusLabels[a.status]}
                </p>
                <p className="text-sm text-stone-700">申请于 {formatDateTime(a.createdAt)}</p>
                <p className="mt-1 whitespace-pre-line">{a.motivation}</p>
                <p className="text-sm text-stone-800">方便的时间：{a.availability}</p>
                {a.status === 'pending' ? (
                  <Form method="post" className="mt-2 flex gap-2">
                    <input type="hidden" name="applicationId" value={a.id} />
                    <button type="submit" name="intent" value="accept" className="btn-primary">
                      接受
                    </button>
                    <button type="submit" name="intent" value="decline" className="btn-secondary">
                      婉拒
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-stone-700">暂无申请。</p>
        )}
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
