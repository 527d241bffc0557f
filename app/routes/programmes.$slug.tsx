import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getUser, requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage, TextareaField } from '~/components/forms'
import { serverReply } from '~/components/server-reply'
import { applicationReadiness, applyToProgramme, myApplication } from '~/programmes/applications.server'
import { applicationStatusLabels, cadenceLabels, programmeKindLabels } from '~/programmes/labels'
import { ReadinessNote } from '~/programmes/readiness-note'
import { getPublicProgramme } from '~/programmes/programmes.server'
import { applicationSchema, type ApplicationInput } from '~/programmes/validation'
import { invariantFound } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { qualificationLabels } from '~/volunteers/labels'

// Public: what the programme asks of volunteers and aggregates only — never a family or child.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const programme = invariantFound(getPublicProgramme(params.slug ?? ''))
  const user = getUser(request)
  const application = user ? myApplication(user.id, programme.id) : undefined
  return {
    programme,
    signedIn: Boolean(user),
    applicationStatus: application?.status ?? null,
    // What the applicant still lacks (profile, background check, qualifications) and who checks it.
    missing: user && application ? applicationReadiness(user.id, programme) : [],
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUser(request)
  const programme = invariantFound(getPublicProgramme(params.slug ?? ''))
  const submission = parseWithZod(await request.formData(), { schema: applicationSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = applyToProgramme(user.id, programme.id, submission.value)
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome) }, { status: 400 })
  return redirect(`/programmes/${programme.slug}?applied=1`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? pageMeta({
        title: data.programme.name,
        description: data.programme.description.slice(0, 120) || `${data.programme.name}：志愿者招募`,
      })
    : pageMeta({ title: '项目不存在', description: '项目不存在' })

export default function ProgrammePage() {
  const { programme: p, signedIn, applicationStatus, missing } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  // Validated on the server only; the reply is read without Conform's client so this public
  // page stays within its JavaScript budget (app/components/server-reply.ts).
  const reply = serverReply<ApplicationInput>(actionData?.result)
  const requirements = [
    p.requiresBackgroundCheck ? '通过机构核验的背景核验（无犯罪记录证明等）' : null,
    ...p.requiredQualifications.map((q) => `已核验的「${qualificationLabels[q]}」资质`),
  ].filter(Boolean)
  return (
    <article className="space-y-6">
      <header>
        <p className="text-sm text-stone-700">
          {programmeKindLabels[p.kind]} ·{' '}
          <Link to={`/institutions/${p.institution.slug}`} className="link">
            {p.institution.name}
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">{p.name}</h1>
      </header>
      {p.description ? <p className="whitespace-pre-line text-stone-800">{p.description}</p> : null}
      <section aria-labelledby="stats-heading" className="card">
        <h2 id="stats-heading" className="mb-2 text-lg font-semibold">
          项目进展
        </h2>
        <dl className="grid grid-cols-3 gap-2 text-center">
          <div>
            <dt className="text-sm text-stone-700">已结对家庭</dt>
            <dd className="text-2xl font-semibold">{p.aggregates.familiesPaired}</dd>
          </div>
          <div>
            <dt className="text-sm text-stone-700">今年已完成探访</dt>
            <dd className="text-2xl font-semibold">{p.aggregates.visitsThisYear}</dd>
          </div>
          <div>
            <dt className="text-sm text-stone-700">参与志愿者</dt>
            <dd className="text-2xl font-semibold">{p.aggregates.volunteers}</dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="asks-heading" className="space-y-2">
        <h2 id="asks-heading" className="text-lg font-semibold">
          对志愿者的要求
        </h2>
        {p.asksOfVolunteers ? <p className="whitespace-pre-line text-stone-800">{p.asksOfVolunteers}</p> : null}
        <ul className="list-disc pl-5 text-stone-800">
          <li>
            频率：{cadenceLabels[p.cadence]}，共 {p.plannedVisits} 次，周期 {p.durationMonths} 个月
          </li>
          {requirements.length ? <li>须具备：{requirements.join('、')}</li> : <li>无特殊资质要求</li>}
        </ul>
        {requirements.length ? (
          <p className="text-sm text-stone-700">
            请先在
            <Link to="/me/volunteer" className="link">
              志愿者资料
            </Link>
            中提交相关材料，由机构核验。
          </p>
        ) : null}
      </section>
      <section aria-labelledby="apply-heading" className="card space-y-3">
        <h2 id="apply-heading" className="text-lg font-semibold">
          申请加入
        </h2>
        {applicationStatus ? (
          <>
            <FormMessage tone="success">您的申请状态：{applicationStatusLabels[applicationStatus]}</FormMessage>
            <ReadinessNote missing={missing} homeName={p.institution.name} status={applicationStatus} />
          </>
        ) : !p.acceptingApplications ? (
          <p className="text-stone-800">该项目暂不接受新的申请。</p>
        ) : !signedIn ? (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(`/programmes/${p.slug}`)}`} className="link">
              登录后申请加入
            </Link>
          </p>
        ) : (
          <Form method="post" id="apply" className="space-y-3" key={reply.key}>
            <FormMessage>{reply.formErrors?.join('；')}</FormMessage>
            <TextareaField
              label="为什么想参加"
              id="apply-motivation"
              name="motivation"
              defaultValue={reply.values.motivation ?? ''}
              errors={reply.errors('motivation')}
              required
              maxLength={500}
            />
            <TextareaField
              label="您方便的时间"
              hint="例如：每月第二个周六下午"
              id="apply-availability"
              name="availability"
              defaultValue={reply.values.availability ?? ''}
              errors={reply.errors('availability')}
              required
              maxLength={200}
            />
            <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
              申请加入
            </button>
          </Form>
        )}
      </section>
    </article>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
