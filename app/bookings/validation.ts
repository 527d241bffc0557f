import { z } from 'zod'
import { idField } from '~/utils/ids'

// The buttons on 我的预约 (/me/bookings): one booking id and what to do with it.
export const myBookingIntents = ['cancel', 'accept', 'decline', 'leave'] as const

export const myBookingActionSchema = z.object({
  intent: z.enum(myBookingIntents, { errorMap: () => ({ message: '请求无效，请刷新页面后重试' }) }),
  bookingId: idField('请求无效，请刷新页面后重试'),
})
