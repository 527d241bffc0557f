import { z } from 'zod'
import { institutionKinds, membershipRoles, orgTypes, registrationKinds } from '~db/enums'
import { idField } from '~/utils/ids'
import { normaliseRegistrationNo, usccProblem, usccProblemMessages } from './registration'

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

// ---- 机构信息 (public trust facts) and 收件信息 (private), edited by a home's managers ----------

const yesNo = z.enum(['yes', 'no'], { errorMap: () => ({ message: '请选择是否具有公开募捐资格' }) })

export const trustFactsSchema = z
  .object({
    registrationKind: z.enum(registrationKinds, { errorMap: () => ({ message: '请选择证号类型' }) }),
    registrationNo: z.string().trim().max(40, '证号不能超过 40 个字符').optional(),
    registrationAuthority: z.string().trim().max(40, '登记管理机关不能超过 40 个字').optional(),
    orgType: z.enum(orgTypes, { errorMap: () => ({ message: '请选择机构性质' }) }).optional(),
    publicFundraising: yesNo.default('no'),
    publicAddress: institutionSchema.shape.publicAddress,
    publicPhone: institutionSchema.shape.publicPhone,
  })
  .transform((value, ctx) => {
    let registrationNo = value.registrationNo ?? ''
    if (registrationNo && value.registrationKind === 'uscc') {
      registrationNo = normaliseRegistrationNo(registrationNo)
      const problem = usccProblem(registrationNo)
      if (problem) ctx.addIssue({ code: 'custom', path: ['registrationNo'], message: usccProblemMessages[problem] })
    } else if (registrationNo && Array.from(registrationNo).length < 4) {
      ctx.addIssue({ code: 'custom', path: ['registrationNo'], message: '登记证号至少 4 个字符' })
    }
    if (value.publicFundraising === 'yes' && value.orgType !== 'charity')
      ctx.addIssue({
        code: 'custom',
        path: ['publicFundraising'],
        message: '只有已认定的慈善组织才能取得公开募捐资格（慈善法）；请先把机构性质选为“慈善组织（已认定）”',
      })
    return {
      registrationKind: value.registrationKind,
      registrationNo,
      registrationAuthority: value.registrationAuthority ?? '',
      orgType: value.orgType ?? null,
      publicFundraising: value.publicFundraising === 'yes',
      publicAddress: value.publicAddress ?? '',
      publicPhone: value.publicPhone ?? '',
    }
  })
export type TrustFactsInput = z.output<typeof trustFactsSchema>

export const shippingRecipientSchema = z.object({
  shippingRecipient: z.string().trim().max(40, '收件人不能超过 40 个字').optional(),
  shippingPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\-\s()]{5,20}$/, '请输入有效的联系电话，例如 0543-1234567 或 13800000000')
    .optional(),
})
