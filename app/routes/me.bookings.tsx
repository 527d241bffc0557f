import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { formatMinutes } from '~/checkin/checkin.server'
import { acceptOffer, cancelBooking, declineOffer, leaveWaitlist, listMyBookings, type MyBooking } from '~/bookings/bookings.server'
import { myBookingActionSchema } from '~/bookings/validation'
import { ConfirmStep } from '~/components/confirm-step'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { formatDateTime } from '~/utils/format'
import { notFound } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { bookingStatusLabels, slotKindLabels } from '~/volunteers/labels'

export const meta: MetaFunction = () => pageMeta({ title: '我的预约', description: '您预约的志愿服务、候补位置、来访接待单和日历。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  return {
    bookings: listMyBookings(user.id).map((b) => ({ ...b, servedText: b.servedMinutes === null ? null : formatMinutes(b.servedMinutes) })),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: myBookingActionSchema })
  if (submission.status !== 'success')
    return data({ bookingId: null as number | null, message: '请求无效，请刷新页面后重试' }, { status: 400 })
  const { intent, bookingId } = submission.value
  const args = { userId: user.id, bookingId }
  const outcome =
    intent === 'cancel'
      ? cancelBooking(args)
      : intent === 'accept'
        ? acceptOffer(args)
        : intent === 'decline'
          ? declineOffer(args)
          : leaveWaitlist(args)
  if (!outcome.ok) {
    if (outcome.reason === 'not_found') notFound()
    return data({ bookingId: bookingId as number | null, message: outcome.message }, { status: 409 })
  }
  return redirect(`/me/bookings#booking-${bookingId}`)
}

export default function MyBookingsPage() {
  const { bookings } = useLoaderData<typeof loader>()
  const upcoming = bookings.filter((b) => b.upcoming && b.status !== 'cancelled')
  const past = bookings.filter((b) => !b.upcoming || b.status === 'cancelled').reverse()
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-2xl space-y-8">
      <h1 className="text-2xl font-semibold">我的预约</h1>
      {actionData && actionData.bookingId === null ? <FormMessage>{actionData.message}</FormMessage> : null}

      <section aria-labelledby="upcoming-title" className="space-y-4">
        <h2 id="upcoming-title" className="text-xl font-semibold">
          即将参加
        </h2>
        {upcoming.length === 0 ? (
          <p className="text-stone-800">
            暂无即将参加的活动。{' '}
            <Link to="/volunteer" className="link">
              去看看志愿服务
            </Link>
          </p>
        ) : (
          <ul className="space-y-4">
            {upcoming.map((b) => (
              <li key={b.id}>
                <BookingCard booking={b} />
              </li>
            ))}
          </ul>
        )}
      </section>

      {past.length ? (
        <section aria-labelledby="past-title" className="space-y-4">
          <h2 id="past-title" className="text-xl font-semibold">
            已结束或已取消
          </h2>
          <ul className="space-y-4">
            {past.map((b) => (
              <li key={b.id}>
                <BookingCard booking={b} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}

function statusLine(b: MyBooking & { servedText: string | null }): string {
  if (b.status === 'confirmed' && b.checkedOutAt) return b.servedText ? `已签退 · 记录志愿时长 ${b.servedText}` : '已签退'
  if (b.status === 'waitlisted') return `候补第 ${b.position} 位`
  if (b.status === 'offered') return b.offerIsLive ? `有名额了！为您保留到 ${formatDateTime(b.offerExpiresAt!)}` : '候补名额保留时间已过'
  if (b.status === 'confirmed' && b.checkedInAt) return '已签到'
  if (b.status === 'cancelled') {
    if (b.cancelReason === 'offer_lapsed') return '已取消：候补名额保留时间已过'
    if (b.cancelReason === 'left_waitlist') return '已退出候补'
    if (b.cancelReason === 'offer_declined') return '已放弃候补名额'
    if (b.cancelReason === 'group_not_allowed') return '已取消：这个活动有资格要求，只接受个人预约'
    if (b.cancelReason === 'slot_cancelled' || b.slotStatus === 'cancelled') return '已取消：机构取消了这个活动'
    return '已取消'
  }
  return bookingStatusLabels[b.status]
}

function BookingCard({ booking: b }: { booking: MyBooking & { servedText: string | null } }) {
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [searchParams] = useSearchParams()
  const message = actionData && actionData.bookingId === b.id ? actionData.message : null
  const busy = navigation.state === 'submitting' && navigation.formData?.get('bookingId') === String(b.id)
  const confirmingCancel = searchParams.get('cancel') === String(b.id)
  const live = b.status === 'confirmed' || b.status === 'waitlisted' || b.status === 'offered'

  return (
    <article id={`booking-${b.id}`} aria-labelledby={`booking-${b.id}-title`} className="card space-y-3" data-testid="booking-card">
      <div>
        <p className="text-sm text-stone-700">
          {slotKindLabels[b.slotKind]} · {b.home}
        </p>
        <h3 id={`booking-${b.id}-title`} className="text-lg font-semibold">
          {b.title}
        </h3>
        <p className="mt-1 font-medium text-brand-800" data-testid="booking-status">
          {statusLine(b)}
        </p>
      </div>

      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-stone-700">时间</dt>
        <dd>
          {formatDateTime(b.startsAt)} – {formatDateTime(b.endsAt)}
        </dd>
        <dt className="text-stone-700">地点</dt>
        <dd>{b.location || b.homeAddress || b.home}</dd>
        <dt className="text-stone-700">人数</dt>
        <dd>
          {b.kind === 'group' ? `团体 ${b.organisation ?? ''} · ` : '个人 · '}
          {b.partySize} 人
        </dd>
        {b.status === 'confirmed' ? (
          <>
            <dt className="text-stone-700">预约码</dt>
            <dd className="font-mono text-lg font-bold tracking-wider text-stone-900" data-testid="booking-code">
              {b.code}
            </dd>
          </>
        ) : null}
        {b.status === 'confirmed' && !b.checkedInAt && b.upcoming ? (
          <>
            <dt className="text-stone-700">取消截止</dt>
            <dd>{formatDateTime(b.cancelBy)}</dd>
          </>
        ) : null}
      </dl>

      {b.status === 'confirmed' ? (
        <p className="flex flex-wrap gap-x-4 gap-y-2">
          <Link to={`/me/bookings/${b.id}/slip`} className="link">
            查看来访接待单
          </Link>
          {b.upcoming ? (
            <a href={`/me/bookings/${b.id}.ics`} className="link" download>
              加入日历
            </a>
          ) : null}
        </p>
      ) : null}

      {live && b.upcoming ? (
        <div className="space-y-3 border-t border-stone-200 pt-3">
          <FormMessage id={`booking-${b.id}-message`}>{message}</FormMessage>
          {b.status === 'offered' && b.offerIsLive ? (
            <div className="flex flex-wrap gap-3">
              <Form method="post" preventScrollReset>
                <input type="hidden" name="bookingId" value={b.id} />
                <button type="submit" name="intent" value="accept" className="btn-primary" disabled={busy}>
                  接受
                </button>
              </Form>
              <Form method="post" preventScrollReset>
                <input type="hidden" name="bookingId" value={b.id} />
                <button type="submit" name="intent" value="decline" className="btn-secondary" disabled={busy}>
                  放弃
                </button>
              </Form>
            </div>
          ) : null}
          {b.status === 'waitlisted' ? (
            <Form method="post" preventScrollReset>
              <input type="hidden" name="bookingId" value={b.id} />
              <button type="submit" name="intent" value="leave" className="btn-secondary" disabled={busy}>
                退出候补
              </button>
            </Form>
          ) : null}
          {b.status === 'confirmed' && !b.checkedInAt ? (
            b.canCancel ? (
              confirmingCancel ? (
                <ConfirmStep
                  title="确定取消这个预约吗？名额会提供给候补中的下一位。"
                  confirmLabel="确认取消预约"
                  cancelTo={`/me/bookings#booking-${b.id}`}
                  intent="cancel"
                  fields={{ bookingId: b.id }}
                  busy={busy}
                />
              ) : (
                <p>
                  <Link to={`/me/bookings?cancel=${b.id}#booking-${b.id}`} className="link text-sm">
                    取消预约
                  </Link>
                </p>
              )
            ) : (
              <p className="text-sm text-stone-800">
                已过取消截止时间，如需取消请直接联系机构{b.homePhone ? `：${b.homePhone}` : `：${b.home}`}
              </p>
            )
          ) : null}
        </div>
      ) : null}
    </article>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
