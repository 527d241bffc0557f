import { z } from 'zod'
import { publicDisplays } from '~db/enums'
import { fenToYuan } from '~/utils/format'
import { yuanField } from '~/utils/money'
import { MONTHLY_AMOUNT, MONTHLY_PRESETS_FEN } from './amount'

// 月捐 forms (server only, like the /give form): starting a monthly gift and the 我的月捐 actions.

const CHOOSE_AMOUNT = '请选择或填写每月捐款金额'
const monthlyAmountField = yuanField(MONTHLY_AMOUNT)
const presets = new Set(MONTHLY_PRESETS_FEN.map(String))

export const startMonthlySchema = z
  .object({
    amount: z.string({ required_error: CHOOSE_AMOUNT }).refine((v) => v === 'custom' || presets.has(v), CHOOSE_AMOUNT),
    customAmount: z.string().optional(),
    publicDisplay: z.enum(publicDisplays, { errorMap: () => ({ message: '请选择您希望如何公开显示' }) }),
    remind: z.literal('on').optional(),
  })
  .transform(({ amount, customAmount, publicDisplay, remind }, ctx) => {
    const [field, text] = amount === 'custom' ? (['customAmount', customAmount] as const) : (['amount', fenToYuan(Number(amount))] as const)
    const parsed = monthlyAmountField.safeParse(text)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: issue.message })
      return z.NEVER
    }
    return { amountFen: parsed.data, publicDisplay, remindBeforeCharge: remind === 'on' }
  })

const giftId = z.coerce.number({ invalid_type_error: '缺少月捐编号' }).int().positive()

export const myMonthlyActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('amount'), giftId, newAmount: monthlyAmountField }),
  z.object({ intent: z.literal('pause'), giftId }),
  z.object({ intent: z.literal('resume'), giftId }),
  z.object({ intent: z.literal('cancel'), giftId }),
  z.object({ intent: z.literal('simulate-paid'), giftId }),
  z.object({ intent: z.literal('simulate-failed'), giftId }),
])
