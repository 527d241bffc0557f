import { z } from 'zod'
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
