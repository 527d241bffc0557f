import { z } from 'zod'
import { idField } from '~/utils/ids'

// Forms on the staff check-in page. Each booking card is its own small form carrying the
// booking's id; the page shows a reply on the card it came from.

const BOOKING_MISSING = '没有找到这条预约'
const PRESENT_COUNT = '请填写到场人数（至少 1 人）'

export const checkinSchema = z.object({
  intent: z.literal('checkin'),
  bookingId: idField(BOOKING_MISSING),
  presentCount: z
    .number({ required_error: PRESENT_COUNT, invalid_type_error: PRESENT_COUNT })
    .int(PRESENT_COUNT)
    .min(1, PRESENT_COUNT)
    .max(9999, PRESENT_COUNT),
})

export const checkoutSchema = z.object({
  intent: z.literal('checkout'),
  bookingId: idField(BOOKING_MISSING),
  // Sent by the 确认签退 button shown when check-out comes only minutes after check-in.
  confirmShort: z.literal('on').optional(),
})
