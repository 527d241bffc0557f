import { z } from 'zod'
import { idField } from '~/utils/ids'

// The buttons on 我的预约 (/me/bookings): one booking id and what to do with it.
export const myBookingIntents = ['cancel', 'accept', 'decline', 'leave'] as const

export const myBookingActionSchema = z.object({
  intent: z.enum(myBookingIntents, { errorMap: () => ({ message: '请求无效，请刷新页面后重试' }) }),
  bookingId: idField('请求无效，请刷新页面后重试'),
})

// The booking form of a slot (/volunteer/slots/:id/book): one person, or a group with its size.
const common = {
  contactName: z.string({ required_error: '请填写联系人姓名' }).trim().min(1, '请填写联系人姓名').max(40, '联系人姓名不能超过 40 个字'),
  contactPhone: z
    .string({ required_error: '请填写联系电话' })
    .trim()
    .regex(/^1[3-9]\d{9}$/, '请填写 11 位手机号，便于机构联系'),
  attendeeNames: z.string().trim().max(2000, '参加人名单过长').optional(),
}
export const bookingFormSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('individual'), ...common }),
      z.object({
        kind: z.literal('group'),
        organisation: z
          .string({ required_error: '团体预约请填写单位或团体名称' })
          .trim()
          .min(1, '团体预约请填写单位或团体名称')
          .max(60, '单位名称不能超过 60 个字'),
        partySize: z.coerce
          .number({ required_error: '团体预约请填写人数', invalid_type_error: '团体预约请填写人数' })
          .int('人数须为整数')
          .min(2, '团体预约至少 2 人；1 人请选择个人预约')
          .max(500, '人数过多'),
        ...common,
      }),
    ],
    { errorMap: () => ({ message: '请选择个人预约或团体预约' }) },
  )
  .superRefine((v, ctx) => {
    if (v.kind !== 'group') return
    const names = (v.attendeeNames ?? '').split('\n').filter((l) => l.trim()).length
    if (names > v.partySize)
      ctx.addIssue({ code: 'custom', path: ['attendeeNames'], message: `名单有 ${names} 人，多于填写的人数（${v.partySize} 人）` })
  })
