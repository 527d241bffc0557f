import { z } from 'zod'
import { needCategories } from '~db/enums'

// Staff forms for wishes and per-home claim deadlines; used by the server and in the browser.

export const STORY_MAX = 300

/** "12.5" yuan → 1250 fen; null when blank; NaN when not a money amount. */
export function yuanToFen(value: string | undefined): number | null {
  const text = (value ?? '').trim()
  if (!text) return null
  if (!/^\d{1,7}(?:\.\d{1,2})?$/.test(text)) return Number.NaN
  const [whole, cents = ''] = text.split('.')
  return Number(whole) * 100 + Number(cents.padEnd(2, '0'))
}

export function fenToYuanInput(fen: number | null | undefined): string {
  if (fen == null) return ''
  const rest = fen % 100
  return rest === 0 ? String(fen / 100) : `${Math.floor(fen / 100)}.${String(rest).padStart(2, '0')}`
}

export const wishSchema = z.object({
  childId: z.number({ required_error: '请选择儿童', invalid_type_error: '请选择儿童' }).int().positive('请选择儿童'),
  category: z.enum(needCategories, { errorMap: () => ({ message: '请选择类别' }) }),
  title: z.string({ required_error: '请输入心愿标题' }).trim().min(2, '标题至少 2 个字').max(40, '标题不能超过 40 个字'),
  story: z
    .string({ required_error: '请写下孩子为什么想要它' })
    .trim()
    .min(5, '心愿故事至少 5 个字')
    .refine((v) => Array.from(v).length <= STORY_MAX, `心愿故事不能超过 ${STORY_MAX} 个字`),
  itemDetails: z.string().trim().max(500, '物品说明不能超过 500 个字').optional(),
  quantity: z
    .number({ invalid_type_error: '请输入数量' })
    .int('数量须为整数')
    .min(1, '数量至少为 1')
    .max(999, '数量不能超过 999')
    .default(1),
  estimatedValue: z
    .string()
    .trim()
    .optional()
    .refine((v) => !Number.isNaN(yuanToFen(v)), '请输入金额（元），最多两位小数，例如 45 或 45.50'),
  campaignId: z.number().int().positive().optional(),
  confirmedFlags: z.array(z.string()).optional(),
})

export type WishFormInput = z.infer<typeof wishSchema>

export const claimSettingsSchema = z
  .object({
    claimBuyDays: z
      .number({ required_error: '请输入天数', invalid_type_error: '请输入天数' })
      .int('请输入整数天数')
      .min(1, '至少 1 天')
      .max(60, '最多 60 天'),
    claimDeliverDays: z
      .number({ required_error: '请输入天数', invalid_type_error: '请输入天数' })
      .int('请输入整数天数')
      .min(1, '至少 1 天')
      .max(60, '最多 60 天'),
  })
  .refine((v) => v.claimDeliverDays >= v.claimBuyDays, { path: ['claimDeliverDays'], message: '送达期限不能短于购买期限' })
