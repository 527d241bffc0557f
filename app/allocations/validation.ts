import { z } from 'zod'
import { MAX_RECORDED_FEN, yuanField } from '~/utils/money'
import { parseShanghaiDate } from '~/utils/shanghai-date'

// 登记用途: the staff form, parsed by Conform on the server and in the browser. Field names are
// the form's input names (`source` is one checkbox per source gift, `evidence` the image files).

export const MAX_EVIDENCE = 4

const USED_AT_MESSAGE = '请输入有效的使用日期，例如 2026-05-01'

export const allocationSchema = z.object({
  usedAt: z.string({ required_error: USED_AT_MESSAGE }).refine(parseShanghaiDate, USED_AT_MESSAGE),
  purpose: z.string({ required_error: '请填写用途' }).trim().min(1, '请填写用途').max(200, '用途最多 200 字'),
  amount: yuanField({ max: MAX_RECORDED_FEN, optional: true }),
  items: z.string().trim().max(200, '物品最多 200 字').default(''),
  beneficiaryDescription: z
    .string({ required_error: '请填写受益对象的匿名描述' })
    .trim()
    .min(1, '请填写受益对象的匿名描述')
    .max(200, '受益对象描述最多 200 字'),
  source: z.array(z.string().trim().min(1), { required_error: '请至少选择一笔来源捐赠' }).min(1, '请至少选择一笔来源捐赠'),
  // Each file's bytes are checked (size, real type) when it is stored.
  evidence: z
    .array(z.custom<File>((v) => typeof File !== 'undefined' && v instanceof File, '请选择图片文件'))
    .max(MAX_EVIDENCE, `最多上传 ${MAX_EVIDENCE} 张凭证图片`)
    .default([]),
})

export type AllocationForm = z.infer<typeof allocationSchema>

/** The form field a refusal of recordAllocation belongs next to. */
export function allocationFormField(field: string | undefined): string | undefined {
  if (field === 'amountFen') return 'amount'
  if (field === 'sourceReceipts') return 'source'
  return field
}
