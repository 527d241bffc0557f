import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import {
  checkIn,
  checkOut,
  findBookingByCode,
  formatMinutes,
  listSlotBookingsForCheckin,
  markNoShows,
  slotInHome,
  type CheckinBooking,
} from '~/checkin/checkin.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { now } from '~/utils/clock.server'
import { BOOKING_CODE, normaliseCode } from '~/utils/door-code.server'
import { checkinSchema, checkoutSchema } from '~/checkin/validation'
import { formatDateTime } from '~/utils/format'
import { invariantFound, notFound, requireIdParam } from '~/utils/http.server'
import { parseId } from '~/utils/ids'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { bookingStatusLabels, slotKindLabels } from '~/volunteers/labels'

export const meta: MetaFunction = () => [
  ...pageMeta({ title: '签到', description: '机构工作人员：来访接待单签到与签退' }),
  { name: 'robots', content: 'noindex' },
]

function forPage(b: CheckinBooking) {
  return {
    id: b.id,
    kind: b.kind,
    partySize: b.partySize,
    organisation: b.organisation,
    contactName: b.contactName,
    realName: b.realName,
    contactPhone: b.contactPhone,
    attendeeNames: b.attendeeNames,
    status: b.status,
    code: b.code,
    checkedInAt: b.checkedInAt ? formatDateTime(b.checkedInAt) : null,
    checkedInCount: b.checkedInCount,
    checkedOutAt: b.checkedOutAt ? formatDateTime(b.checkedOutAt) : null,
    served:
      b.checkedInAt && b.checkedOutAt
        ? formatMinutes(Math.min(12 * 60, Math.round((b.checkedOutAt.getTime() - b.checkedInAt.getTime()) / 60_000)))
        : null,
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const slotId = requireIdParam(params, 'slotId')
  const url = new URL(request.url)
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 60)
  const code = normaliseCode(url.searchParams.get('code'), BOOKING_CODE)
  const found = code ? findBookingByCode(institution.id, code) : null
  // A slip scanned on another slot's page: go to the page of the slot it belongs to.
  if (found && found.slotId !== slotId) {
    throw redirect(`/staff/${institution.slug}/slots/${found.slotId}/checkin?code=${encodeURIComponent(found.code)}`)
  }
  const { slot, bookings, totals } = invariantFound(listSlotBookingsForCheckin(institution.id, slotId, q))
  const at = now()
  return {
    slug: institution.slug,
    q,
    code,
    highlighted: found ? forPage(found) : null,
    slot: {
      id: slot.id,
      title: slot.title,
      kind: slot.kind,
      location: slot.location,
      startsAt: formatDateTime(slot.startsAt),
      endsAt: formatDateTime(slot.endsAt),
      capacity: slot.capacity,
      status: slot.status,
      ended: at.getTime() >= slot.endsAt.getTime(),
    },
    totals,
    awaiting: totals.awaitingBookings,
    bookings: bookings.filter((b) => b.id !== found?.id).map(forPage),
  }
}

type ActionData = {
  intent: string
  bookingId: number | null
  ok: boolean
  message: string
  result?: SubmissionResult<string[]>
  confirmShort?: boolean
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const slotId = requireIdParam(params, 'slotId')
  if (!slotInHome(institution.id, slotId)) notFound()
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  // Only says which card the reply belongs to; the id the write uses is parsed by the schema.
  const bookingId = parseId(formData.get('bookingId'))
  const reply = (ok: boolean, message: string, result?: SubmissionResult<string[]>, status = ok ? 200 : 409) =>
    data<ActionData>({ intent, bookingId, ok, message, result }, { status })
  const actor = actorFrom(user, context)

  if (intent === 'no-shows') {
    const outcome = markNoShows(actor, institution.id, slotId)
    return outcome.ok
      ? reply(true, outcome.count ? `已将 ${outcome.count} 条未签到的预约标记为未到场` : '没有需要标记的预约')
      : reply(false, outcome.message)
  }
  if (intent === 'checkin') {
    const submission = parseWithZod(formData, { schema: checkinSchema })
    if (submission.status !== 'success') {
      const error = submission.error ?? {}
      return reply(false, error.bookingId?.[0] ?? '请填写到场人数', submission.reply(), 400)
    }
    const outcome = checkIn(actor, institution.id, submission.value.bookingId, submission.value.presentCount)
    if (!outcome.ok) return reply(false, outcome.message, outcome.field ? refusalReply(submission, outcome) : submission.reply())
    return reply(true, outcome.message, submission.reply({ resetForm: true }))
  }
  if (intent === 'checkout') {
    const submission = parseWithZod(formData, { schema: checkoutSchema })
    if (submission.status !== 'success')
      return reply(false, submission.error?.bookingId?.[0] ?? '没有找到这条预约', submission.reply(), 400)
    const outcome = checkOut(actor, institution.id, submission.value.bookingId, { confirmShort: submission.value.confirmShort === 'on' })
    if (outcome.ok) return reply(true, outcome.message)
    return data<ActionData>({ intent, bookingId, ok: false, message: outcome.message, confirmShort: outcome.confirmShort }, { status: 409 })
  }
  return reply(false, '未知操作', undefined, 400)
}

type BookingOnPage = ReturnType<typeof forPage>

function BookingCard({ booking, highlighted = false }: { booking: BookingOnPage; highlighted?: boolean }) {
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const mine = actionData && actionData.bookingId === booking.id ? actionData : null
  const [form, fields] = useForm({
    id: `checkin-${booking.id}`,
    lastResult: mine?.intent === 'checkin' ? mine.result : undefined,
    defaultValue: { bookingId: String(booking.id), presentCount: String(booking.partySize) },
    constraint: getZodConstraint(checkinSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: checkinSchema }),
  })
  const busy = navigation.state === 'submitting' && navigation.formData?.get('bookingId') === String(booking.id)
  const name = booking.organisation ? `${booking.organisation}（联系人 ${booking.contactName}）` : booking.contactName
  const canCheckIn = booking.status === 'confirmed' && !booking.checkedInAt
  const canCheckOut = booking.status === 'confirmed' && booking.checkedInAt && !booking.checkedOutAt
  const stateText = booking.checkedOutAt ? '已签退' : booking.checkedInAt ? '已签到' : bookingStatusLabels[booking.status]
  return (
    <article
      id={`booking-${booking.id}`}
      aria-labelledby={`booking-${booking.id}-name`}
      data-testid="checkin-booking"
      className={`card space-y-3 ${highlighted ? 'border-2 border-brand-700 ring-2 ring-brand-200' : ''}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h3 id={`booking-${booking.id}-name`} className="text-lg font-semibold">
            {name}
          </h3>
          {booking.realName && booking.realName !== booking.contactName ? (
            <p className="text-sm text-stone-700">实名：{booking.realName}</p>
          ) : null}
          <p className="text-sm text-stone-800">
            {booking.kind === 'group' ? '团体' : '个人'} · {booking.partySize} 人 ·{' '}
            <a href={`tel:${booking.contactPhone}`} className="link">
              {booking.contactPhone}
            </a>
          </p>
        </div>
        <div className="text-right">
          <p className="font-mono text-lg font-bold tracking-wider" data-testid="booking-code">
            {booking.code}
          </p>
          <p className="text-sm font-medium text-brand-800" data-testid="booking-state">
            {stateText}
          </p>
        </div>
      </div>
      {booking.attendeeNames ? <p className="text-sm text-stone-800">参加人：{booking.attendeeNames}</p> : null}
      {booking.checkedInAt ? (
        <p className="text-sm text-stone-800">
          签到 {booking.checkedInAt}（到场 {booking.checkedInCount} 人）
          {booking.checkedOutAt ? ` · 签退 ${booking.checkedOutAt} · 志愿时长 ${booking.served}` : ''}
        </p>
      ) : null}
      {mine ? <FormMessage tone={mine.ok ? 'success' : 'error'}>{mine.message}</FormMessage> : null}
      {canCheckIn ? (
        <Form method="post" className="flex flex-wrap items-end gap-3" preventScrollReset {...getFormProps(form)}>
          <input type="hidden" name="bookingId" value={booking.id} />
          <Field
            label="到场人数"
            {...getInputProps(fields.presentCount, { type: 'number' })}
            id={`present-${booking.id}`}
            inputMode="numeric"
            min={1}
            max={booking.partySize}
            className="w-28"
            errors={fields.presentCount.errors}
          />
          <button type="submit" name="intent" value="checkin" className="btn-primary min-w-24" disabled={busy}>
            签到<span className="sr-only">：{name}</span>
          </button>
        </Form>
      ) : null}
      {canCheckOut && mine?.intent === 'checkout' && mine.confirmShort ? (
        <Form method="post" preventScrollReset className="flex flex-wrap gap-3">
          <input type="hidden" name="bookingId" value={booking.id} />
          <input type="hidden" name="confirmShort" value="on" />
          <button type="submit" name="intent" value="checkout" className="btn-danger min-w-24" disabled={busy}>
            确认签退<span className="sr-only">：{name}</span>
          </button>
          <Link to="." className="btn-secondary" preventScrollReset>
            暂不签退
          </Link>
        </Form>
      ) : canCheckOut ? (
        <Form method="post" preventScrollReset>
          <input type="hidden" name="bookingId" value={booking.id} />
          <button type="submit" name="intent" value="checkout" className="btn-secondary min-w-24" disabled={busy}>
            签退<span className="sr-only">：{name}</span>
          </button>
        </Form>
      ) : null}
    </article>
  )
}

export default function SlotCheckin() {
  const { slug, q, code, highlighted, slot, totals, awaiting, bookings } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const noShowResult = actionData?.intent === 'no-shows' ? actionData : null
  return (
    <section className="space-y-4" aria-labelledby="checkin-heading">
      <div>
        <p className="text-sm text-stone-700">
          {slotKindLabels[slot.kind]} · {slot.startsAt}–{slot.endsAt.slice(-5)}
          {slot.location ? ` · ${slot.location}` : ''}
        </p>
        <h2 id="checkin-heading" className="text-xl font-semibold">
          签到：{slot.title}
        </h2>
        <p className="mt-1 text-stone-800" data-testid="checkin-totals">
          已确认 {totals.confirmedPeople} / {slot.capacity} 人 · 已到场 {totals.presentPeople} 人
        </p>
        {slot.status === 'cancelled' ? <p className="font-medium text-red-800">这个活动已取消。</p> : null}
      </div>

      <Form method="get" className="flex items-end gap-2" role="search">
        <Field
          label="搜索：接待单编号、姓名或手机号"
          id="checkin-q"
          name="q"
          type="search"
          defaultValue={q}
          className="flex-1"
          autoComplete="off"
        />
        <button type="submit" className="btn-secondary">
          搜索
        </button>
      </Form>
      {q ? (
        <p className="text-sm">
          “{q}”的结果：{bookings.length} 条 ·{' '}
          <Link to={`/staff/${slug}/slots/${slot.id}/checkin`} className="link">
            显示全部
          </Link>
        </p>
      ) : null}

      {code ? (
        highlighted ? (
          <section aria-label="扫码找到的预约" className="space-y-2">
            {highlighted.status !== 'confirmed' ? (
              <FormMessage>这张接待单的预约状态是“{bookingStatusLabels[highlighted.status]}”，不能签到。</FormMessage>
            ) : null}
            <BookingCard booking={highlighted} highlighted />
          </section>
        ) : (
          <FormMessage>
            未找到编号为 <span className="font-mono">{code}</span> 的预约。请核对接待单；只能签到本机构的预约。
          </FormMessage>
        )
      ) : null}

      {bookings.length ? (
        <ul className="space-y-3">
          {bookings.map((b) => (
            <li key={b.id}>
              <BookingCard booking={b} />
            </li>
          ))}
        </ul>
      ) : !highlighted ? (
        <p className="text-stone-800">{q ? '没有符合条件的预约。' : '这个活动还没有已确认的预约。'}</p>
      ) : null}

      {slot.ended ? (
        <section aria-labelledby="noshow-title" className="card space-y-2">
          <h3 id="noshow-title" className="font-semibold">
            活动已结束
          </h3>
          <p className="text-sm text-stone-800">还有 {awaiting} 条已确认的预约没有签到。标记后，这些预约显示为“未到场”。</p>
          {noShowResult ? <FormMessage tone={noShowResult.ok ? 'success' : 'error'}>{noShowResult.message}</FormMessage> : null}
          {awaiting ? (
            <Form method="post">
              <button type="submit" name="intent" value="no-shows" className="btn-danger" disabled={navigation.state === 'submitting'}>
                标记未到场
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
