import { z } from 'zod'
import { publicDisplays } from '~db/enums'
import { fenToYuan } from '~/utils/format'
import { yuanField } from '~/utils/money'
import { GIFT_AMOUNT } from './amount'

// The /give form (server only: the public page validates nothing in the browser, so zod stays
// out of its JavaScript). `amount` is a preset in fen or 'custom'; a custom amount is typed in
// yuan into `customAmount`. `presetsFen` are the amounts this target offers as buttons.

const CHOOSE_AMOUNT = '请选择或填写捐款金额'
const customAmountField = yuanField(GIFT_AMOUNT)

export function giftSchema(presetsFen: readonly number[]) {
  const presets = new Set(presetsFen.map(String))
  return z
    .object({
      amount: z.string({ required_error: CHOOSE_AMOUNT }).refine((v) => v === 'custom' || presets.has(v), CHOOSE_AMOUNT),
      customAmount: z.string().optional(),
      publicDisplay: z.enum(publicDisplays, { errorMap: () => ({ message: '请选择您希望如何公开显示' }) }),
    })
    .transform(({ amount, customAmount, publicDisplay }, ctx) => {
      // A preset is checked against the same bounds as a typed amount (a wish's reference value may be below ¥1).
      const [field, text] =
        amount === 'custom' ? (['customAmount', customAmount] as const) : (['amount', fenToYuan(Number(amount))] as const)
      const parsed = customAmountField.safeParse(text)
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: issue.message })
        return z.NEVER
      }
      return { amountFen: parsed.data, publicDisplay }
    })
}
