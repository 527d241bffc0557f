import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '~/auth/auth.server'
import { bookingIcs, getBookingForCalendar } from '~/bookings/bookings.server'
import { notFound, requireIdParam } from '~/utils/http.server'
import { siteOrigin } from '~/utils/origin.server'

// 加入日历: the booking as an .ics file, for its owner only (anyone else gets 404). The `_`
// keeps this resource route out of the 我的预约 page's layout.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const booking = getBookingForCalendar(user.id, requireIdParam(params, 'id'))
  if (!booking || booking.status === 'cancelled') notFound()
  return new Response(bookingIcs(booking, siteOrigin(request)), {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="weinuan-booking-${booking.id}.ics"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
