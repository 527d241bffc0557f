import { z } from 'zod'
import { idField } from '~/utils/ids'

// The two forms of the staff 公示 page, parsed by Conform in the action. The period's own format
// (2026-05, 2026-Q2) is read by parsePeriodKey in disclosures.server.ts.

export const draftDisclosureSchema = z.object({
  period: z.string({ required_error: '请选择公示期间' }).trim().min(1, '请选择公示期间'),
})

export const publishDisclosureSchema = z.object({
  disclosureId: idField('请先生成草稿并预览'),
  confirm: z.literal('yes', { errorMap: () => ({ message: '请先勾选“我已核对以上内容”再发布' }) }),
})
