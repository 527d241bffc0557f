import { getCollectionProps, getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { visitActivities, type VisitActivity } from '~db/enums'
import { requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, Field, FormMessage, TextareaField } from '~/components/forms'
import { now } from '~/utils/clock.server'
import { invariantFound, notFound, requireIdParam } from '~/utils/http.server'
import { parseId } from '~/utils/ids'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { shanghaiDateString } from '~/utils/shanghai-date'
import { visitActivityLabels } from '~/visits/labels'
import { visitInputSchema } from '~/visits/validation'
import { logVisit, updateVisit, visitFormFor } from '~/visits/visits.server'

export const meta: MetaFunction = () => pageMeta({ title: '记录走访', description: '记录一次家庭陪伴或学业辅导走访。' })

function ids(params: { pairingId?: string }, request: Request) {
  const pairingId = requireIdParam(params, 'pairingId')
  const visitParam = new URL(request.url).searchParams.get('visit')
  const visitId = visitParam ? (parseId(visitParam) ?? notFound()) : null
  return { pairingId, visitId }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const { pairingId, visitId } = ids(params, request)
  const form = invariantFound(visitFormFor(user.id, pairingId, visitId))
  return { ...form, today: shanghaiDateString(now()), userId: user.id }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUser(request)
  const { pairingId, visitId } = ids(params, request)
  invariantFound(visitFormFor(user.id, pairingId, visitId))
  const submission = parseWithZod(await request.formData(), { schema: visitInputSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = visitId === null ? logVisit(user.id, pairingId, submission.value) : updateVisit(user.id, visitId, submission.value)
  if (!outcome.ok) {
    if (outcome.reason === 'not_found' || outcome.reason === 'forbidden') notFound()
    return data({ result: refusalReply(submission, outcome) }, { status: outcome.reason === 'invalid' ? 400 : 409 })
  }
  return redirect(`/me/pairings#pairing-${pairingId}`)
}

export default function LogVisitPage() {
  const { pairing, people, visit, progress, today, userId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm<z.input<typeof visitInputSchema>>({
    id: 'visit',
    lastResult: actionData?.result,
    defaultValue: {
      visitedOn: visit?.visitedOn ?? today,
      durationMinutes: visit ? String(visit.durationMinutes) : '',
      attendeeIds: visit ? visit.attendeeIds.map(String) : [String(userId)],
      activities: visit ? visit.activities : [],
      note: visit?.note ?? '',
      followUp: visit?.followUp ?? '',
    },
    // Validated on the server only: keeps zod out of this page's JavaScript.
    shouldValidate: 'onSubmit',
  })
  const roleText = { lead: '（带队）', member: '', substitute: '（替班）' } as const
  return (
    <div className="mx-auto max-w-lg space-y-4">
      <p>
        <Link to="/me/pairings" className="link text-sm">
          返回我的结对
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">{visit ? '修改走访记录' : '记录一次走访'}</h1>
      <p className="text-stone-800">
        {pairing.title} · 已确认 {progress.label}
      </p>
      {visit?.queryNote ? (
        <p className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">机构的疑问：{visit.queryNote}</p>
      ) : null}
      <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      <Form method="post" className="space-y-4" {...getFormProps(form)}>
        <Field
          label="走访日期"
          {...getInputProps(fields.visitedOn, { type: 'date', ariaAttributes: false })}
          max={today}
          min={pairing.startDate}
          errors={fields.visitedOn.errors}
          required
        />
        <Field
          label="时长（分钟）"
          hint="15–600 分钟"
          {...getInputProps(fields.durationMinutes, { type: 'number', ariaAttributes: false })}
          inputMode="numeric"
          min={15}
          max={600}
          step={1}
          errors={fields.durationMinutes.errors}
          required
        />
        <fieldset aria-describedby={fields.attendeeIds.errors ? fields.attendeeIds.errorId : undefined}>
          <legend className="mb-1 text-sm font-medium text-stone-800">参加的志愿者</legend>
          <div className="space-y-1">
            {getCollectionProps(fields.attendeeIds, {
              type: 'checkbox',
              options: people.map((p) => String(p.userId)),
              ariaAttributes: false,
            }).map(({ key, ...props }, i) => (
              <label key={key} className="flex min-h-11 items-center gap-3">
                <input {...props} className="size-5" />
                <span>
                  {people[i]!.displayName}
                  {roleText[people[i]!.role]}
                </span>
              </label>
            ))}
          </div>
          <ErrorList id={fields.attendeeIds.errorId} errors={fields.attendeeIds.errors} />
        </fieldset>
        <fieldset aria-describedby={fields.activities.errors ? fields.activities.errorId : undefined}>
          <legend className="mb-1 text-sm font-medium text-stone-800">活动内容</legend>
          <div className="grid grid-cols-2 gap-1">
            {getCollectionProps(fields.activities, { type: 'checkbox', options: [...visitActivities], ariaAttributes: false }).map(
              ({ key, ...props }) => (
                <label key={key} className="flex min-h-11 items-center gap-3">
                  <input {...props} className="size-5" />
                  <span>{visitActivityLabels[props.value as VisitActivity]}</span>
                </label>
              ),
            )}
          </div>
          <ErrorList id={fields.activities.errorId} errors={fields.activities.errors} />
        </fieldset>
        <TextareaField
          label="简短记录（选填）"
          hint="团队和机构工作人员可见，不会公开；请勿写孩子的真实姓名"
          {...getTextareaProps(fields.note, { ariaAttributes: false })}
          maxLength={500}
          errors={fields.note.errors}
        />
        <TextareaField
          label="需要机构跟进的事项（选填，仅工作人员可见）"
          hint="例如家庭的困难、孩子的情绪或健康情况；只有机构工作人员能看到"
          {...getTextareaProps(fields.followUp, { ariaAttributes: false })}
          maxLength={500}
          errors={fields.followUp.errors}
        />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          {visit ? '重新提交' : '提交走访记录'}
        </button>
      </Form>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
