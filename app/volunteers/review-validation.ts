import { z } from 'zod'
import { idField } from '~/utils/ids'
import { parseShanghaiDate } from '~/utils/shanghai-date'

// Forms on the staff page that reviews one volunteer: verify or reject a qualification or the
// background check. Parsed by Conform on the server.

const NOTE = '请填写未通过的原因，志愿者会收到这段说明'
const note = z.string({ required_error: NOTE }).trim().min(2, NOTE).max(200, '原因最多 200 字')
const qualificationId = idField('没有找到这项资质')

export const verifyQualificationSchema = z.object({ intent: z.literal('verify-qualification'), qualificationId })
export const rejectQualificationSchema = z.object({ intent: z.literal('reject-qualification'), qualificationId, note })
export const rejectBackgroundSchema = z.object({ intent: z.literal('reject-background'), note })

/** `today` (Shanghai calendar date) bounds the expiry: a check that has already expired verifies nothing. */
export function verifyBackgroundSchema(today: string) {
  return z.object({
    intent: z.literal('verify-background'),
    expiresOn: z
      .string()
      .trim()
      .refine((v) => parseShanghaiDate(v) !== null, '请按 年-月-日 填写有效期')
      .refine((v) => v > today, '有效期须晚于今天')
      .optional(),
  })
}
