import { z } from 'zod'
import { publicDisplays } from '~db/enums'
import { idField } from '~/utils/ids'

// The buttons and the 已寄出 form on 我的认领 (/me/claims), one schema per intent.
const claimId = idField('认领编号无效')

export const myClaimActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('purchased'), claimId }),
  z.object({
    intent: z.literal('shipped'),
    claimId,
    trackingNumber: z
      .string()
      .trim()
      .max(40, '快递单号不能超过 40 个字符')
      .regex(/^[A-Za-z0-9-]*$/, '快递单号只能包含字母、数字和连字符')
      .optional(),
  }),
  z.object({ intent: z.literal('cancel'), claimId }),
])

// 认领 on a wish's claim page (/wishes/:id/claim): how the donor is shown in the public log.
export const claimSchema = z.object({
  publicDisplay: z.enum(publicDisplays, { errorMap: () => ({ message: '请选择您希望如何公开显示' }) }),
})
