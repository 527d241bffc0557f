import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation, useSearchParams } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { ConfirmStep } from '~/components/confirm-step'
import { offerFreedPlaces } from '~/bookings/bookings.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage, TextareaField } from '~/components/forms'
import { formatSlotTime, slotStatusLabels } from '~/slots/labels'
import { SlotForm } from '~/slots/slot-form'
import { cancelSlot, getStaffSlot, publishSlot, slotFormDefaults, slotInputFrom, updateSlot } from '~/slots/slots.server'
import { slotCancelSchema, slotSchema } from '~/slots/validation'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { slotKindLabels } from '~/volunteers/labels'

// Staff page for one slot: edit, publish, cancel (with a confirmation step). The check-in page
// is a sibling route (staff.$slug.slots.$slotId.checkin), hence this file is the index.

export const meta: MetaFunction = () => pageMeta({ title: '志愿活动', description: '机构工作人员：编辑志愿活动' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const found = invariantFound(getStaffSlot(institution.id, requireIdParam(params, 'slotId')))
  const { slot } = found
  return {
    slot: {
      id: slot.id,
      seriesId: slot.seriesId,
      title: slot.title,
      kind: slot.kind,
      status: slot.status,
      capacity: slot.capacity,
      startsAt: slot.startsAt.toISOString(),
      endsAt: slot.endsAt.toISOString(),
    },
    confirmedPeople: Number(found.confirmedPeople),
    confirmedBookings: Number(found.confirmedBookings),
    waitlist: Number(found.waitlist),
    ended: found.ended,
    editable: slot.status !== 'cancelled' && !found.ended,
    defaults: slotFormDefaults(slot),
  }
}

type ActionResult = {
  intent: 'save' | 'publish' | 'cancel' | null
  ok: boolean
  message: string | null
  result?: SubmissionResult<string[]>
}

function reply(body: ActionResult, status = body.ok ? 200 : 400) {
  return data(body, { status })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const slotId = requireIdParam(params, 'slotId')
  invariantFound(getStaffSlot(institution.id, slotId))
  const actor = actorFrom(user, context)
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent === 'publish') {
    const outcome = publishSlot(actor, institution.id, slotId)
    return reply({ intent, ok: outcome.ok, message: outcome.ok ? '活动已发布，志愿者现在可以看到并预约' : outcome.message })
  }
  if (intent === 'cancel') {
    const cancel = parseWithZod(formData, { schema: slotCancelSchema })
    if (cancel.status !== 'success')
      return reply({
        intent,
        ok: false,
        message:
          Object.values(cancel.error ?? {})
            .flat()
            .join('；') || '提交无效',
      })
    const outcome = cancelSlot(actor, institution.id, slotId, cancel.value.reason)
    if (!outcome.ok) return reply({ intent, ok: false, message: outcome.message })
    return reply({
      intent,
      ok: true,
      message: outcome.cancelledBookings ? `活动已取消，${outcome.cancelledBookings} 个预约已取消并通知预约者` : '活动已取消',
    })
  }
  if (intent !== 'save') return reply({ intent: null, ok: false, message: '未知操作' })
  const submission = parseWithZod(formData, { schema: slotSchema })
  if (submission.status !== 'success') return reply({ intent, ok: false, message: null, result: submission.reply() })
  const outcome = updateSlot(actor, institution.id, slotId, slotInputFrom(submission.value), offerFreedPlaces)
  if (!outcome.ok) {
    return reply({ intent, ok: false, message: null, result: refusalReply(submission, outcome) })
  }
  const notified = outcome.notified ? `，已通知 ${outcome.notified} 位预约者时间或地点的变化` : ''
  return reply({ intent, ok: true, message: `已保存${notified}`, result: submission.reply() })
}

export default function StaffSlotPage() {
  const { slot, confirmedPeople, confirmedBookings, waitlist, ended, editable, defaults } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const { pathname } = useLocation()
  const notice =
    actionData?.message ??
    (searchParams.get('created') ? (slot.status === 'published' ? '活动已创建并发布' : '活动已保存为草稿，确认无误后点击「发布」') : null)
  const confirmingCancel =
    searchParams.get('cancel') === '1' && slot.status !== 'cancelled' && !ended && !(actionData?.intent === 'cancel' && actionData.ok)
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">
          {slot.title}
          <span
            className="ml-2 rounded-full bg-stone-100 px-2 py-0.5 align-middle text-sm font-normal text-stone-800"
            data-testid="slot-status"
          >
            {ended && slot.status !== 'cancelled' ? '已结束' : slotStatusLabels[slot.status]}
          </span>
        </h2>
        <Link to=".." relative="path" className="link text-sm">
          返回活动列表
        </Link>
      </div>
      {notice ? <FormMessage tone={actionData && !actionData.ok ? 'error' : 'success'}>{notice}</FormMessage> : null}

      <section className="card space-y-1 text-stone-800" aria-labelledby="slot-summary-heading">
        <h3 id="slot-summary-heading" className="font-semibold">
          概况
        </h3>
        <p>
          {slotKindLabels[slot.kind]} · {formatSlotTime(slot.startsAt, slot.endsAt)}
        </p>
        <p>
          已确认 {confirmedPeople} / {slot.capacity} 人（{confirmedBookings} 个预约）· 候补 {waitlist} 组
        </p>
        <p className="flex flex-wrap gap-3">
          <Link to="checkin" className="link">
            签到与接待
          </Link>
          {slot.status !== 'draft' ? (
            <Link to={`/volunteer/slots/${slot.id}`} className="link">
              查看公开页面
            </Link>
          ) : null}
          {slot.seriesId ? (
            <Link to={`../../series/${slot.seriesId}`} relative="path" className="link">
              所属重复活动
            </Link>
          ) : null}
        </p>
        {slot.status === 'draft' && editable ? (
          <Form method="post" className="pt-2">
            <button type="submit" name="intent" value="publish" className="btn-primary">
              发布
            </button>
          </Form>
        ) : null}
      </section>

      {editable ? (
        <section className="card space-y-3" aria-labelledby="edit-slot-heading">
          <h3 id="edit-slot-heading" className="font-semibold">
            编辑活动
          </h3>
          {slot.seriesId ? (
            <p className="text-sm text-stone-700">这是重复活动中的一场；之后修改重复规则时，已有人预约的场次不会被改动。</p>
          ) : null}
          <SlotForm
            id={`slot-${slot.id}`}
            lastResult={actionData?.intent === 'save' ? actionData.result : null}
            defaultValue={defaults}
            submit={
              <button type="submit" name="intent" value="save" className="btn-primary">
                保存修改
              </button>
            }
          />
        </section>
      ) : null}

      {slot.status !== 'cancelled' && !ended ? (
        <section className="card space-y-2" aria-labelledby="cancel-heading">
          <h3 id="cancel-heading" className="font-semibold">
            取消活动
          </h3>
          {confirmingCancel ? (
            <ConfirmStep title={`确认取消「${slot.title}」？`} confirmLabel="确认取消活动" cancelTo={pathname} intent="cancel">
              <p className="text-sm text-red-900">
                {confirmedBookings + waitlist > 0
                  ? `${confirmedBookings} 个已确认预约和 ${waitlist} 个候补将被取消，系统会通知每位预约者。`
                  : '目前没有人预约。'}
                此操作不能撤销。
              </p>
              <TextareaField id="cancel-reason" name="reason" label="取消原因（可选，会告知预约者）" maxLength={200} />
            </ConfirmStep>
          ) : (
            <>
              <p className="text-sm text-stone-700">取消后所有预约和候补都会被取消，并通知预约者。</p>
              <Link to="?cancel=1" className="btn-danger">
                取消活动…
              </Link>
            </>
          )}
        </section>
      ) : null}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
