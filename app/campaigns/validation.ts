import { z } from 'zod'
import { parseShanghaiDate } from '~/utils/shanghai-date'

// Staff form for a campaign (活动). Dates are calendar days in Asia/Shanghai.
const day = (label: string) =>
  z
    .string({ required_error: `请输入${label}` })
    .trim()
    .refine(parseShanghaiDate, `请输入有效的${label}，例如 2026-06-01`)

export const campaignSchema = z
  .object({
    name: z.string({ required_error: '请输入活动名称' }).trim().min(2, '活动名称至少 2 个字').max(40, '活动名称不能超过 40 个字'),
    description: z.string().trim().max(1000, '活动介绍不能超过 1000 个字').optional(),
    startsOn: day('开始日期'),
    endsOn: day('结束日期'),
    partnerSlugs: z.string().trim().max(500, '内容过长').optional(),
  })
  .refine((v) => v.endsOn >= v.startsOn, { path: ['endsOn'], message: '结束日期不能早于开始日期' })

export type CampaignInput = z.infer<typeof campaignSchema>

/** "a-b, c-d，e" → ['a-b', 'c-d', 'e'] */
export function parseSlugList(text: string | undefined): string[] {
  return [
    ...new Set(
      (text ?? '')
        .split(/[\s,，、;；]+/)
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  ]
}
