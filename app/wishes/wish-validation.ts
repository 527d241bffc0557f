import { z } from 'zod'
import { needCategories } from '~db/enums'
import { yuanField } from '~/utils/money'
import { idField } from '~/utils/ids'

// Staff forms for wishes and per-home claim deadlines; used by the server and in the browser.

export const STORY_MAX = 300
/** ¥9,999,999.99: seven digits of yuan, as the form has always allowed. */
const MAX_ESTIMATED_VALUE_FEN = 999_999_999

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
  estimatedValue: yuanField({ label: '估计价值', min: 0, max: MAX_ESTIMATED_VALUE_FEN, optional: true }),
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

/** The wish list's bulk buttons: publish or withdraw the ticked wishes. */
export const bulkWishesSchema = z.object({
  intent: z.enum(['publish', 'withdraw'], { errorMap: () => ({ message: '未知操作' }) }),
  wishIds: z.array(idField('请先勾选心愿'), { required_error: '请先勾选心愿' }).min(1, '请先勾选心愿'),
})
