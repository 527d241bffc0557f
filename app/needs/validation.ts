import { z } from 'zod'
import { needCategories } from '~db/enums'
import { idField } from '~/utils/ids'
import { MAX_RECORDED_FEN, yuanField } from '~/utils/money'
import { parseShanghaiDate } from '~/utils/shanghai-date'

// Staff forms of 物资需求 and 登记捐赠, parsed by Conform (parseWithZod) on the server and, on
// these staff pages, in the browser too. Field names are the form's input names.

const MAX_QUANTITY = 100_000

export const needSchema = z
  .object({
    title: z.string({ required_error: '请填写需求名称' }).trim().min(1, '请填写需求名称').max(60, '需求名称不能超过 60 个字'),
    category: z.enum(needCategories, { errorMap: () => ({ message: '请选择类别' }) }),
    itemDescription: z.string().trim().max(500, '物品说明不能超过 500 个字').default(''),
    specification: z.string().trim().max(200, '规格不能超过 200 个字').default(''),
    unit: z.string({ required_error: '请填写单位' }).trim().min(1, '请填写单位').max(6, '单位不能超过 6 个字'),
    quantityNeeded: z
      .number({ invalid_type_error: '需要数量须为整数', required_error: '请填写需要数量' })
      .int('需要数量须为整数')
      .min(1, '需要数量至少为 1')
      .max(MAX_QUANTITY, '需要数量过大'),
    perPledgeMax: z
      .number({ invalid_type_error: '每份认捐上限须为整数' })
      .int('每份认捐上限须为整数')
      .min(1, '每份认捐上限至少为 1')
      .max(MAX_QUANTITY, '每份认捐上限过大')
      .optional(),
    urgency: z.enum(['normal', 'urgent'], { errorMap: () => ({ message: '请选择紧急程度' }) }).default('normal'),
    deadline: z.string().refine(parseShanghaiDate, '请输入有效的日期，例如 2026-12-31').optional(),
    deliveryAddress: z.string().trim().max(200, '送达地址不能超过 200 个字').default(''),
    deliveryHours: z.string().trim().max(100, '接收时间不能超过 100 个字').default(''),
  })
  .refine((v) => !v.perPledgeMax || v.perPledgeMax <= v.quantityNeeded, { path: ['perPledgeMax'], message: '每份认捐上限不能超过需要数量' })

export type NeedFormValue = z.infer<typeof needSchema>

/** 取消需求: the reason the pledgers are told (may be left empty). */
export const cancelNeedSchema = z.object({
  reason: z.string().trim().max(200, '取消原因最多 200 字').default(''),
})

/** 释放认捐: the reason the pledger is sent. */
export const releaseReasonSchema = z
  .string({ required_error: '请填写释放原因，认捐人会收到这段说明' })
  .trim()
  .min(2, '请填写释放原因，认捐人会收到这段说明')
  .max(200, '释放原因最多 200 字')

export const releasePledgeSchema = z.object({ reason: releaseReasonSchema })

// ---- 登记捐赠 (walk-in gift) -------------------------------------------------------------------

/** `need:12` or `wish:34`: what a walk-in gift is counted towards (empty: undesignated). */
const TARGET = /^(need|wish):([1-9][0-9]{0,11})$/

export const walkInGiftSchema = z
  .object({
    kind: z.enum(['goods', 'money'], { errorMap: () => ({ message: '请选择物资或善款' }) }),
    items: z.string({ required_error: '请填写捐赠内容' }).trim().min(1, '请填写捐赠内容').max(200, '捐赠内容最多 200 字'),
    // Text, checked below only for goods: a quantity left over from switching to 善款 is ignored.
    quantity: z.string().trim().optional(),
    unit: z.string().trim().max(10, '单位最多 10 字').optional(),
    estimatedValue: yuanField({ label: '估值', min: 0, max: MAX_RECORDED_FEN, optional: true }),
    amount: yuanField({ max: MAX_RECORDED_FEN, optional: true }),
    channel: z.enum(['desk', 'bank_transfer'], { errorMap: () => ({ message: '请选择收款方式' }) }),
    paymentReference: z.string().trim().max(100, '流水号最多 100 字').optional(),
    donorName: z.string({ required_error: '请填写捐赠人姓名' }).trim().min(1, '请填写捐赠人姓名').max(50, '姓名最多 50 字'),
    donorContact: z.string().trim().max(100, '联系方式最多 100 字').optional(),
    publicDisplay: z.enum(['name', 'masked', 'anonymous'], { errorMap: () => ({ message: '请选择公开方式' }) }),
    target: z.string().regex(TARGET, '请选择用途').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'money') {
      if (v.amount === undefined) ctx.addIssue({ code: 'custom', path: ['amount'], message: '请填写金额' })
    } else if (v.quantity && !/^\d{1,7}$/.test(v.quantity)) {
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: '数量须为正整数' })
    } else if (v.quantity && Number(v.quantity) < 1) {
      ctx.addIssue({ code: 'custom', path: ['quantity'], message: '数量至少为 1' })
    }
  })

export type WalkInGiftForm = z.infer<typeof walkInGiftSchema>

/** The form field a walk-in refusal belongs next to (the domain names its own inputs). */
export function walkInFormField(field: string | undefined): string | undefined {
  if (field === 'amountFen') return 'amount'
  if (field === 'needId' || field === 'wishId') return 'target'
  return field
}

/** The need or wish a `target` value names. */
export function walkInTarget(target: string | undefined): { needId: number | null; wishId: number | null } {
  const match = target ? TARGET.exec(target) : null
  return { needId: match?.[1] === 'need' ? Number(match[2]) : null, wishId: match?.[1] === 'wish' ? Number(match[2]) : null }
}

// ---- 门口登记 (an arrival against a pledge) -------------------------------------------------------

export const arrivalSchema = z.object({
  pledgeId: idField('请先按认捐编号找到认捐'),
  quantity: z.number({ required_error: '请填写本次到达数量', invalid_type_error: '请填写数字' }).int('数量须为整数').min(1, '数量至少为 1'),
  conditionNote: z.string().trim().max(200, '物资状况最多 200 字').default(''),
})

// ---- 更正 (a correction of a ledger entry) -----------------------------------------------------

/** The shortest correction reason; correctEntry (donations/corrections.server.ts) applies the same rule. */
export const MIN_CORRECTION_REASON = 4

export const correctionSchema = z.object({
  intent: z.enum(['preview', 'confirm'], { errorMap: () => ({ message: '未知的操作' }) }),
  receiptNo: z
    .string({ required_error: '请选择要更正的记录' })
    .trim()
    .min(1, '请选择要更正的记录')
    .transform((s) => s.toUpperCase()),
  reason: z
    .string({ required_error: `请填写更正说明（至少 ${MIN_CORRECTION_REASON} 个字）` })
    .trim()
    .refine((s) => Array.from(s).length >= MIN_CORRECTION_REASON, `请填写更正说明（至少 ${MIN_CORRECTION_REASON} 个字）`)
    .refine((s) => Array.from(s).length <= 200, '更正说明最多 200 字'),
})
