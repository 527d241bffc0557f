import { z } from 'zod'
import { visitActivities } from '~db/enums'
import { parseShanghaiDate } from '~/utils/shanghai-date'

// The 记录走访 form (/me/pairings/:pairingId/visit), parsed with Conform on the server; the
// domain (visits.server.ts) checks the same shape again before it writes. Checkbox lists repeat
// their name; Conform turns one box into a one-item list and none into an empty one.

export const visitInputSchema = z.object({
  visitedOn: z.string({ required_error: '请填写走访日期' }).trim().refine(parseShanghaiDate, '请填写有效的日期（年-月-日）'),
  durationMinutes: z.coerce
    .number({ required_error: '请填写时长', invalid_type_error: '时长须为分钟数' })
    .int('时长须为整数分钟')
    .min(15, '时长至少 15 分钟')
    .max(600, '时长不能超过 600 分钟'),
  attendeeIds: z
    .array(z.coerce.number().int().positive(), { required_error: '请至少勾选一位参加的志愿者' })
    .min(1, '请至少勾选一位参加的志愿者'),
  activities: z
    .array(z.enum(visitActivities, { errorMap: () => ({ message: '活动内容无效' }) }), { required_error: '请至少勾选一项活动内容' })
    .min(1, '请至少勾选一项活动内容'),
  note: z.string().trim().max(500, '记录不能超过 500 字').default(''),
  followUp: z.string().trim().max(500, '需跟进事项不能超过 500 字').default(''),
})
