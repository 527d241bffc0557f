import { z } from 'zod'
import { publicDisplays } from '~db/enums'
import { idField } from '~/utils/ids'
import { parseShanghaiDate } from '~/utils/shanghai-date'

// Donors' forms about pledges: 认捐 on a need's page (/needs/:id) and the buttons on
// 我的捐赠 (/me/donations). Parsed on the server only (public pages keep zod out of the browser).

const quantity = (required: string, min: string) =>
  z.coerce.number({ invalid_type_error: '请填写整数数量', required_error: required }).int('请填写整数数量').min(1, min)

export const pledgeSchema = z.object({
  quantity: quantity('请填写认捐数量', '认捐数量至少为 1'),
  expectedAt: z.string({ required_error: '请选择预计送达日期' }).refine(parseShanghaiDate, '请选择预计送达日期'),
  publicDisplay: z.enum(publicDisplays, { errorMap: () => ({ message: '请选择您希望如何公开显示' }) }),
})

const pledgeId = idField('认捐编号无效，请刷新页面后重试')

export const myPledgeActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('reduce'), pledgeId, quantity: quantity('请填写新的数量', '数量至少为 1') }),
  z.object({ intent: z.literal('cancel'), pledgeId }),
])
