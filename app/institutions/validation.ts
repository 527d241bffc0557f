import { z } from 'zod'
import { institutionKinds, membershipRoles } from '~db/enums'
import { idField } from '~/utils/ids'

export const institutionSchema = z.object({
  name: z.string({ required_error: '请输入机构名称' }).trim().min(2, '机构名称至少 2 个字').max(60, '机构名称不能超过 60 个字'),
  slug: z
    .string({ required_error: '请输入网址标识' })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, '只能使用小写字母、数字和连字符，例如 binzhou-fuliyuan')
    .max(60, '网址标识不能超过 60 个字符'),
  kind: z.enum(institutionKinds, { errorMap: () => ({ message: '请选择机构类型' }) }),
  province: z.string({ required_error: '请输入省份' }).trim().min(2, '请输入省份').max(20, '省份过长'),
  city: z.string({ required_error: '请输入城市' }).trim().min(2, '请输入城市').max(20, '城市过长'),
  district: z.string().trim().max(20, '区县过长').optional(),
  publicAddress: z.string().trim().max(120, '地址不能超过 120 个字').optional(),
  publicPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\-\s()]{5,20}$/, '请输入有效的联系电话')
    .optional(),
  description: z.string().trim().max(1000, '简介不能超过 1000 个字').optional(),
  parentSlug: z.string().trim().optional(),
})

export const invitationSchema = z.object({
  role: z.enum(membershipRoles, { errorMap: () => ({ message: '请选择角色' }) }),
  note: z.string().trim().max(60, '备注不能超过 60 个字').optional(),
})

/** 撤销邀请: the invitation's id from its row's button. */
export const revokeInvitationSchema = z.object({ invitationId: idField('该邀请已失效') })

/** 移除成员: the membership's id from its row's button. */
export const removeMemberSchema = z.object({ membershipId: idField('找不到该成员') })
