import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { visitActivities, type VisitActivity } from '~db/enums'
import { requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, Field, FormMessage, TextareaField } from '~/components/forms'
import { now } from '~/utils/clock.server'
import { pageMeta } from '~/utils/meta'
import { shanghaiDateString } from '~/utils/shanghai-date'
import { visitActivityLabels } from '~/visits/labels'
import { logVisit, parseVisitForm, updateVisit, visitFormFor, type FieldErrors } from '~/visits/visits.server'

export const meta: MetaFunction = () => pageMeta({ title: '记录走访', description: '记录一次家庭陪伴或学业辅导走访。' })

function ids(params: { pairingId?: string }, request: Request) {
  const pairingId = Number(params.pairingId)
  const visitParam = new URL(request.url).searchParams.get('visit')
  const visitId = visitParam ? Number(visitParam) : null
  if (!Number.isInteger(pairingId) || pairingId <= 0 || (visitId !== null && (!Number.isInteger(visitId) || visitId <= 0))) {
    throw new Response('Not Found', { status: 404 })
  }
  return { pairingId, visitId }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const { pairingId, visitId } = ids(params, request)
  const form = visitFormFor(user.id, pairingId, visitId)
  if (!form) throw new Response('Not Found', { status: 404 })
  return { ...form, today: shanghaiDateString(now()), userId: user.id }
}

type Values = { visitedOn: string; durationMinutes: string; attendeeIds: string[]; activities: string[]; note: string; followUp: string }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUser(request)
  const { pairingId, visitId } = ids(params, request)
  if (!visitFormFor(user.id, pairingId, visitId)) throw new Response('Not Found', { status: 404 })
  const formData = await request.formData()
  const values: Values = {
    visitedOn: String(formData.get('visitedOn') ?? ''),
    durationMinutes: String(formData.get('durationMinutes') ?? ''),
    attendeeIds: formData.getAll('attendeeIds').map(String),
    activities: formData.getAll('activities').map(String),
    note: String(formData.get('note') ?? ''),
    followUp: String(formData.get('followUp') ?? ''),
  }
  const parsed = parseVisitForm(formData)
  if (!parsed.ok) return data({ values, errors: parsed.errors }, { status: 400 })
  const outcome = visitId === null ? logVisit(user.id, pairingId, parsed.value) : updateVisit(user.id, visitId, parsed.value)
  if (!outcome.ok) {
    if (outcome.reason === 'not_found' || outcome.reason === 'forbidden') throw new Response('Not Found', { status: 404 })
    const errors: FieldErrors = outcome.field ? { [outcome.field]: [outcome.message] } : { form: [outcome.message] }
    return data({ values, errors }, { status: outcome.reason === 'invalid' ? 400 : 409 })
  }
  return redirect(`/me/pairings#pairing-${pairingId}`)
}

export default function LogVisitPage() {
  const { pairing, people, visit, progress, today, userId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const errors = actionData?.errors ?? {}
  const values: Values = actionData?.values ?? {
    visitedOn: visit?.visitedOn ?? today,
    durationMinutes: visit ? String(visit.durationMinutes) : '',
    attendeeIds: visit ? visit.attendeeIds.map(String) : [String(userId)],
    activities: visit ? visit.activities : [],
    note: visit?.note ?? '',
    followUp: visit?.followUp ?? '',
  }
  const formKey = JSON.stringify(values)
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
      <FormMessage id="visit-form-message">{errors.form?.join('；')}</FormMessage>
      <Form method="post" noValidate className="space-y-4" key={formKey}>
        <Field
          label="走访日期"
          id="visitedOn"
          name="visitedOn"
          type="date"
          max={today}
          min={pairing.startDate}
          defaultValue={values.visitedOn}
          errors={errors.visitedOn}
          required
        />
        <Field
          label="时长（分钟）"
          hint="15–600 分钟"
          id="durationMinutes"
          name="durationMinutes"
          type="number"
          inputMode="numeric"
          min={15}
          max={600}
          step={1}
          defaultValue={values.durationMinutes}
          errors={errors.durationMinutes}
          required
        />
        <fieldset aria-describedby={errors.attendeeIds ? 'attendeeIds-error' : undefined}>
          <legend className="mb-1 text-sm font-medium text-stone-800">参加的志愿者</legend>
          <div className="space-y-1">
            {people.map((p) => (
              <label key={p.userId} className="flex min-h-11 items-center gap-3">
                <input type="checkbox" name="attendeeIds" value={p.userId} defaultChecked={values.attendeeIds.includes(String(p.userId))} className="size-5" />
                <span>
                  {p.displayName}
                  {roleText[p.role]}
                </span>
              </label>
            ))}
          </div>
          <ErrorList id="attendeeIds-error" errors={errors.attendeeIds} />
        </fieldset>
        <fieldset aria-describedby={errors.activities ? 'activities-error' : undefined}>
          <legend className="mb-1 text-sm font-medium text-stone-800">活动内容</legend>
          <div className="grid grid-cols-2 gap-1">
            {visitActivities.map((a: VisitActivity) => (
              <label key={a} className="flex min-h-11 items-center gap-3">
                <input type="checkbox" name="activities" value={a} defaultChecked={values.activities.includes(a)} className="size-5" />
                <span>{visitActivityLabels[a]}</span>
              </label>
            ))}
          </div>
          <ErrorList id="activities-error" errors={errors.activities} />
        </fieldset>
        <TextareaField
          label="简短记录（选填）"
          hint="团队和机构工作人员可见，不会公开；请勿写孩子的真实姓名"
          id="note"
          name="note"
          maxLength={500}
          defaultValue={values.note}
          errors={errors.note}
        />
        <TextareaField
          label="需要机构跟进的事项（选填，仅工作人员可见）"
          hint="例如家庭的困难、孩子的情绪或健康情况；只有机构工作人员能看到"
          id="followUp"
          name="followUp"
          maxLength={500}
          defaultValue={values.followUp}
          errors={errors.followUp}
        />
        <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
          {visit ? '重新提交' : '提交走访记录'}
        </button>
      </Form>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
