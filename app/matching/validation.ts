import { z } from 'zod'
import { normaliseRegistrationNo, usccProblem, usccProblemMessages } from '~/institutions/registration'
import { MAX_RECORDED_FEN, yuanField } from '~/utils/money'
import { MATCH_RATIOS, type MatchRatio } from './labels'

export { MATCH_RATIOS, ratioYuanLabel, type MatchRatio } from './labels'

// Forms of 配捐 (docs/decisions/024-matching-pledges.md). Browser-safe: no server imports.

const text = (label: string, max: number) =>
  z
    .string({ required_error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}最多 ${max} 个字`)

const DATE = /^\d{4}-\d{2}-\d{2}$/
const date = (label: string) => z.string({ required_error: `请选择${label}` }).regex(DATE, `请选择${label}`)

export const partnerApplicationSchema = z.object({
  name: text('组织名称', 60),
  registrationNo: z
    .string({ required_error: '请填写统一社会信用代码' })
    .transform(normaliseRegistrationNo)
    .superRefine((code, ctx) => {
      const problem = usccProblem(code)
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: usccProblemMessages[problem] })
    }),
  contactName: text('联系人', 30),
  contactPhone: z
    .string({ required_error: '请填写联系电话' })
    .trim()
    .regex(/^[0-9+\-\s]{7,20}$/, '请填写有效的联系电话'),
  description: z.string().trim().max(300, '简介最多 300 个字').optional().default(''),
})

export const pledgeSchema = z
  .object({
    target: z.string({ required_error: '请选择配捐对象' }).regex(/^(home|campaign):\d+$/, '请选择配捐对象'),
    ratioPermille: z.coerce
      .number({ required_error: '请选择配捐比例', invalid_type_error: '请选择配捐比例' })
      .refine((n): n is MatchRatio => (MATCH_RATIOS as readonly number[]).includes(n), '请选择配捐比例'),
    capFen: yuanField({ label: '配捐总额', min: 100, max: MAX_RECORDED_FEN }),
    perGiftCapFen: yuanField({ label: '单笔配捐上限', min: 1, max: MAX_RECORDED_FEN }),
    startsOn: date('开始日期'),
    endsOn: date('结束日期'),
  })
  .superRefine((v, ctx) => {
    if (v.endsOn < v.startsOn) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['endsOn'], message: '结束日期不能早于开始日期' })
    if (v.perGiftCapFen > v.capFen)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['perGiftCapFen'], message: '单笔配捐上限不能超过配捐总额' })
  })

export const settlementSchema = z.object({
  pledgeId: z.coerce.number().int().positive(),
  amountFen: yuanField({ label: '到账金额', min: 1, max: MAX_RECORDED_FEN }),
  transferredOn: date('到账日期'),
  bankReference: z.string().trim().max(60, '银行流水号最多 60 个字').optional().default(''),
  note: z.string().trim().max(200, '备注最多 200 个字').optional().default(''),
})

export const settlementReversalSchema = z.object({
  settlementId: z.coerce.number().int().positive(),
  reason: text('更正说明', 200),
})
