import { z } from 'zod'
import { idField } from '~/utils/ids'

// The three forms of the staff 签收 page (partial arrival, received, handed to the child), parsed
// by Conform on the server and in the browser; one schema per intent.

export const partialSchema = z.object({
  intent: z.literal('partial'),
  claimId: idField('请先按认领编号找到认领'),
  note: z
    .string({ required_error: '请填写到达情况，例如“到了 2 本，还差 1 本”' })
    .trim()
    .min(1, '请填写到达情况')
    .max(200, '到达情况最多 200 字'),
})
export const receiveSchema = z.object({ intent: z.literal('receive'), claimId: idField('请先按认领编号找到认领') })
export const fulfilSchema = z.object({
  intent: z.literal('fulfil'),
  wishId: idField('请先按认领编号找到心愿'),
  thankYou: z.string().trim().max(300, '感谢留言最多 300 字').optional(),
})
export const deliverySchema = z.discriminatedUnion('intent', [partialSchema, receiveSchema, fulfilSchema])
