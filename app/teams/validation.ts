import { z } from 'zod'
import { publicDisplays } from '~db/enums'
import { yuanField } from '~/utils/money'
import { parseShanghaiDate } from '~/utils/shanghai-date'
import { TEAM_GOAL_MAX_FEN, TEAM_GOAL_MIN_FEN, TEAM_STORY_MAX } from './limits'

// The 一起捐 forms (server only: parsed in the action, the page reads the reply with serverReply).

export const teamSchema = z.object({
  name: z.string({ required_error: '请填写一起捐的名称' }).trim().min(2, '名称至少 2 个字').max(30, '名称不能超过 30 个字'),
  goal: yuanField({
    min: TEAM_GOAL_MIN_FEN,
    max: TEAM_GOAL_MAX_FEN,
    label: '目标金额',
    messages: { empty: '请填写目标金额' },
  }),
  story: z.string().trim().max(TEAM_STORY_MAX, `说明不能超过 ${TEAM_STORY_MAX} 个字`).optional(),
  endsOn: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || parseShanghaiDate(v) !== null, '请输入有效的截止日期，例如 2026-06-01'),
  starterDisplay: z.enum(publicDisplays, { errorMap: () => ({ message: '请选择发起人如何公开显示' }) }),
})

export type TeamInput = z.infer<typeof teamSchema>

export const teamEditSchema = z.discriminatedUnion('intent', [
  teamSchema.extend({ intent: z.literal('save') }),
  z.object({ intent: z.literal('close') }),
])

export const hideTeamSchema = z.object({
  teamId: z.coerce.number({ invalid_type_error: '无效的一起捐' }).int().positive(),
  reason: z.string({ required_error: '请填写隐藏的原因' }).trim().min(4, '原因至少 4 个字').max(200, '原因不能超过 200 个字'),
})
