import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { listApplications, reviewApplication } from '~/programmes/applications.server'
import { parseForm, refusal } from '~/programmes/forms.server'
import { applicationStatusLabels } from '~/programmes/labels'
import { ProgrammeForm } from '~/programmes/programme-form'
import { getProgramme, programmeSchema, updateProgramme } from '~/programmes/programmes.server'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '项目详情', description: '机构工作人员：编辑项目、审核申请' })

function load(request: Request, params: { slug?: string; programmeId?: string }) {
  const staff = requireStaff(request, params.slug)
  const programme = getProgramme(staff.institution.id, Number(params.programmeId))
  if (!programme) throw new Response('Not Found', { status: 404 })
  return { ...staff, programme }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution, programme } = load(request, params)
  return { programme, applications: listApplications(institution.id, programme.id) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution, programme } = load(request, params)
  const form = await request.formData()
  const intent = form.get('intent')
  if (intent === 'accept' || intent === 'decline') {
    const outcome = reviewApplication(actorFrom(user, context), institution.id, Number(form.get('applicationId')), intent === 'accept' ? 'accepted' : 'declined')
    if (!outcome.ok) return data(refusal(outcome.message), { status: 400 })
    return redirect(`/staff/${institution.slug}/programmes/${programme.id}?reviewed=1`)
  }
  const parsed = parseForm(form, programmeSchema)
  if (!parsed.ok) return data(parsed.reply, { status: 400 })
  const outcome = updateProgramme(actorFrom(user, context), institution.id, programme.id, parsed.value)
  if (!outcome.ok) return data({ ok: false, message: outcome.field ? null : outcome.message, errors: outcome.field ? { [outcome.field]: [outcome.message] } : {}, values: Object.fromEntries(form.entries()) as Record<string, string> }, { status: 400 })
  return redirect(`/staff/${institution.slug}/programmes/${programme.id}?saved=1`)
}

export default function ProgrammeDetail() {
  const { programme, applications } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>()
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
        <ProgrammeForm reply={reply && Object.keys(reply.values).length ? reply : undefined} defaults={programme} submitLabel="保存修改" />
      </section>
      <section className="card space-y-3" aria-labelledby="applications-heading">
        <h2 id="applications-heading" className="text-xl font-semibold">
          志愿者申请
        </h2>
        {reply && !Object.keys(reply.values).length ? <FormMessage>{reply.message}</FormMessage> : null}
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
