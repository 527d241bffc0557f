import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { requireVerifiedContact } from '~/auth/auth.server'
import { getSlotForBooking, requestBooking } from '~/bookings/bookings.server'
import { bookingFormSchema } from '~/bookings/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, Field, FormMessage, TextareaField } from '~/components/forms'
import { formatDateTime } from '~/utils/format'
import { invariantFound, notFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { qualificationLabels, slotKindLabels } from '~/volunteers/labels'

// The booking form of a slot. Plain HTML form validated on the server only, so this public
// page ships no zod and works without JavaScript.

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({
    title: data ? `预约：${data.slot.title}` : '预约志愿服务',
    description: '预约社会开放日、学业辅导等志愿服务；团体请提前预约。',
  })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const slotId = requireIdParam(params, 'id')
  const user = requireVerifiedContact(request)
  return invariantFound(getSlotForBooking(slotId, user.id))
}

type ActionData = {
  result: SubmissionResult<string[]>
  missing?: Array<{ key: string; message: string }>
  existingBookingId?: number
}

export async function action({ request, params }: ActionFunctionArgs) {
  const slotId = requireIdParam(params, 'id')
  const user = requireVerifiedContact(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: bookingFormSchema })
  if (submission.status !== 'success') {
    return data<ActionData>({ result: submission.reply() }, { status: 400 })
  }
  const input = submission.value
  const outcome = await requestBooking({
    userId: user.id,
    slotId,
    kind: input.kind,
    partySize: input.kind === 'group' ? input.partySize : 1,
    organisation: input.kind === 'group' ? input.organisation : null,
    contactName: input.contactName,
    contactPhone: input.contactPhone,
    attendeeNames: input.attendeeNames ?? null,
  })
  if (outcome.ok) return redirect(`/me/bookings#booking-${outcome.bookingId}`)
  if (outcome.reason === 'not_found') notFound()
  if (outcome.reason === 'group_rules') return data<ActionData>({ result: refusalReply(submission, outcome) }, { status: 400 })
  return data<ActionData>(
    {
      result: refusalReply(submission, { message: outcome.message }),
      missing: outcome.reason === 'requirements' ? outcome.missing : undefined,
      existingBookingId: outcome.reason === 'already_booked' ? outcome.bookingId : undefined,
    },
    { status: 409 },
  )
}

export default function BookSlotPage() {
  const { slot, remaining, closedMessage, missing: missingNow, liveBooking, prefill, profilePath } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const missing = actionData?.missing?.length ? actionData.missing : missingNow
  const existingId = actionData?.existingBookingId ?? liveBooking?.id ?? null

  return (
    <div className="mx-auto max-w-xl space-y-6">
      <p className="text-sm">
        <Link to="/volunteer" className="link">
          ← 返回志愿服务
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">预约：{slot.title}</h1>

      <section aria-labelledby="slot-title" className="card space-y-2">
        <h2 id="slot-title" className="text-lg font-semibold">
          活动信息
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-stone-800">
          <dt className="text-stone-700">类型</dt>
          <dd>{slotKindLabels[slot.kind]}</dd>
          <dt className="text-stone-700">机构</dt>
          <dd>{slot.home}</dd>
          <dt className="text-stone-700">时间</dt>
          <dd>
            {formatDateTime(slot.startsAt)} – {formatDateTime(slot.endsAt)}
          </dd>
          {slot.location ? (
            <>
              <dt className="text-stone-700">地点</dt>
              <dd>{slot.location}</dd>
            </>
          ) : null}
          <dt className="text-stone-700">名额</dt>
          <dd data-testid="remaining-places">
            剩余 {remaining} / {slot.capacity}
          </dd>
        </dl>
        {slot.description ? <p className="whitespace-pre-line text-stone-800">{slot.description}</p> : null}
        <ul className="list-disc space-y-1 pl-5 text-sm text-stone-700">
          {slot.allowGroups ? (
            <li>
              接受团体预约（每团最多 {slot.groupMaxSize} 人{slot.groupMinDaysAhead > 0 ? `，须至少提前 ${slot.groupMinDaysAhead} 天` : ''}）
            </li>
          ) : slot.groupsNeedIndividualBookings ? (
            <li>有资格要求，仅接受个人预约：团体的每位参加者请用自己的账号预约，并各自满足下列要求</li>
          ) : (
            <li>仅接受个人预约</li>
          )}
          <li>活动开始前 {slot.cancelCutoffHours} 小时内不能在线取消，请直接联系机构</li>
          {slot.requiresBackgroundCheck ? <li>需与儿童密切接触：须通过机构核验的背景核验</li> : null}
          {slot.requiredQualifications.length ? (
            <li>需要已核验的资质：{slot.requiredQualifications.map((q) => qualificationLabels[q]).join('、')}</li>
          ) : null}
          {slot.minAge !== null ? <li>活动当天须年满 {slot.minAge} 岁</li> : null}
        </ul>
      </section>

      {existingId ? (
        <div role="status" className="rounded-lg border border-brand-200 bg-brand-50 p-3 text-stone-900">
          您已预约了这个活动，每人每个活动只能有一个有效预约。{' '}
          <Link to={`/me/bookings#booking-${existingId}`} className="link">
            查看我的预约
          </Link>
        </div>
      ) : closedMessage ? (
        <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-stone-900">
          {closedMessage}
        </div>
      ) : missing.length ? (
        <section
          aria-labelledby="missing-title"
          role="alert"
          className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-stone-900"
        >
          <h2 id="missing-title" className="text-lg font-semibold">
            预约前还需要完成
          </h2>
          <ul className="list-disc space-y-1 pl-5" data-testid="missing-requirements">
            {missing.map((m) => (
              <li key={m.key}>{m.message}</li>
            ))}
          </ul>
          <p>
            <Link to={profilePath} className="link font-medium">
              前往我的志愿者资料
            </Link>
          </p>
        </section>
      ) : (
        <BookingForm
          remaining={remaining}
          allowGroups={slot.allowGroups}
          groupMaxSize={slot.groupMaxSize}
          offerHoldHours={slot.offerHoldHours}
          prefill={prefill}
          lastResult={actionData?.result}
        />
      )}
    </div>
  )
}

type FormValues = {
  kind?: string
  partySize?: string
  organisation?: string
  contactName?: string
  contactPhone?: string
  attendeeNames?: string
}

function BookingForm({
  remaining,
  allowGroups,
  groupMaxSize,
  offerHoldHours,
  prefill,
  lastResult,
}: {
  remaining: number
  allowGroups: boolean
  groupMaxSize: number
  offerHoldHours: number
  prefill: { contactName: string; contactPhone: string }
  lastResult?: SubmissionResult<string[]>
}) {
  const navigation = useNavigation()
  const errors = lastResult?.error ?? {}
  const typed = (lastResult?.initialValue ?? {}) as FormValues
  const kind = typed.kind === 'group' && allowGroups ? 'group' : 'individual'
  // Remount the form with the submitted values after each server reply (nothing typed is lost).
  const formKey = JSON.stringify(typed)
  return (
    <Form method="post" className="space-y-5" noValidate key={formKey} aria-labelledby="form-title">
      <h2 id="form-title" className="text-lg font-semibold">
        填写预约信息
      </h2>
      <FormMessage id="booking-form-error">{errors['']?.join('；')}</FormMessage>
      {remaining <= 0 ? (
        <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-stone-900">
          名额已满：提交后将加入候补。有名额空出时，我们会按顺序通知能容纳您人数的第一位，并保留 {offerHoldHours} 小时。
        </p>
      ) : null}

      {allowGroups ? (
        <fieldset aria-describedby={errors.kind ? 'kind-error' : undefined}>
          <legend className="mb-1 text-sm font-medium text-stone-800">预约方式</legend>
          <div className="grid grid-cols-2 gap-2">
            <label className="flex min-h-11 items-center gap-2 rounded-lg border border-stone-300 p-3">
              <input type="radio" name="kind" value="individual" defaultChecked={kind === 'individual'} className="size-5" />
              个人
            </label>
            <label className="flex min-h-11 items-center gap-2 rounded-lg border border-stone-300 p-3">
              <input type="radio" name="kind" value="group" defaultChecked={kind === 'group'} className="size-5" />
              团体
            </label>
          </div>
          <ErrorList id="kind-error" errors={errors.kind} />
        </fieldset>
      ) : (
        <>
          <input type="hidden" name="kind" value="individual" />
          <ErrorList id="kind-error" errors={errors.kind} />
        </>
      )}

      <Field
        label="联系人姓名"
        id="contactName"
        name="contactName"
        type="text"
        autoComplete="name"
        defaultValue={typed.contactName ?? prefill.contactName}
        errors={errors.contactName}
      />
      <Field
        label="联系电话"
        hint="仅预约的机构工作人员可见"
        id="contactPhone"
        name="contactPhone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        defaultValue={typed.contactPhone ?? prefill.contactPhone}
        errors={errors.contactPhone}
      />

      {allowGroups ? (
        <fieldset className="space-y-4 rounded-lg border border-stone-300 p-3">
          <legend className="px-1 text-sm font-medium text-stone-800">团体信息（团体预约时填写）</legend>
          <Field
            label="单位或团体名称"
            id="organisation"
            name="organisation"
            type="text"
            defaultValue={typed.organisation ?? ''}
            errors={errors.organisation}
          />
          <Field
            label="人数（含联系人）"
            hint={`每团最多 ${groupMaxSize} 人，人数计入名额`}
            id="partySize"
            name="partySize"
            type="number"
            inputMode="numeric"
            min={2}
            max={groupMaxSize}
            defaultValue={typed.partySize ?? ''}
            errors={errors.partySize}
          />
        </fieldset>
      ) : null}

      <TextareaField
        label="参加人姓名（选填）"
        hint="每行一位，方便机构登记"
        id="attendeeNames"
        name="attendeeNames"
        defaultValue={typed.attendeeNames ?? ''}
        errors={errors.attendeeNames}
      />

      <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
        {navigation.state === 'submitting' ? '正在提交…' : remaining > 0 ? '确认预约' : '加入候补'}
      </button>
    </Form>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
