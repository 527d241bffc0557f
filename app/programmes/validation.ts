import { z } from 'zod'
import { cadences, pairingStatuses, programmeKinds, qualificationKinds } from '~db/enums'
import { idField, parseId } from '~/utils/ids'
import { parseShanghaiDate } from '~/utils/shanghai-date'
import { availabilitySlots } from './labels'

// Form schemas for programmes, families, pairings, applications and tutoring, parsed by Conform
// (`parseWithZod`): field names are the form's input names. Conform turns empty inputs into
// `undefined`, a checked box into `true` and one checkbox value into a one-item array.

/** An id picked in an optional select: empty means "none", anything else must be an id. */
function optionalIdField(message: string) {
  return z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? undefined : (parseId(v) ?? Number.NaN)),
    z.number({ invalid_type_error: message }).optional(),
  )
}

const dateText = (required: string) =>
  z
    .string({ required_error: required })
    .trim()
    .refine((v) => parseShanghaiDate(v) !== null, '请输入有效日期，例如 2026-03-01')

export const programmeSchema = z.object({
  name: z.string({ required_error: '请输入项目名称' }).trim().min(2, '项目名称为 2–40 个字').max(40, '项目名称为 2–40 个字'),
  slug: z
    .string({ required_error: '请输入网址标识' })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/, '网址标识为 3–50 个小写字母、数字或连字符'),
  kind: z.enum(programmeKinds, { errorMap: () => ({ message: '请选择项目类型' }) }),
  description: z.string().trim().max(2000, '介绍不能超过 2000 个字').default(''),
  asksOfVolunteers: z.string().trim().max(1000, '对志愿者的要求不能超过 1000 个字').default(''),
  plannedVisits: z
    .number({ required_error: '请输入计划次数', invalid_type_error: '计划次数须为整数' })
    .int('计划次数须为整数')
    .min(1, '计划次数为 1–200')
    .max(200, '计划次数为 1–200'),
  cadence: z.enum(cadences, { errorMap: () => ({ message: '请选择频率' }) }),
  durationMonths: z
    .number({ required_error: '请输入周期', invalid_type_error: '周期须为整数' })
    .int('周期须为整数')
    .min(1, '周期为 1–36 个月')
    .max(36, '周期为 1–36 个月'),
  requiredQualifications: z.array(z.enum(qualificationKinds, { errorMap: () => ({ message: '请选择有效的资质' }) })).default([]),
  requiresBackgroundCheck: z.boolean().default(false),
  acceptingApplications: z.boolean().default(false),
})
export type ProgrammeInput = z.infer<typeof programmeSchema>

/** Accept or decline one application (buttons on the programme page). */
export const reviewSchema = z.object({
  intent: z.enum(['accept', 'decline']),
  applicationId: idField('找不到该申请'),
})

export const applicationSchema = z.object({
  motivation: z.string({ required_error: '请简单说说您为什么想参加' }).trim().min(5, '请至少写 5 个字').max(500, '不能超过 500 个字'),
  availability: z.string({ required_error: '请填写您方便的时间' }).trim().min(2, '请填写您方便的时间').max(200, '不能超过 200 个字'),
})
export type ApplicationInput = z.infer<typeof applicationSchema>

export const familySchema = z.object({
  alias: z.string({ required_error: '请输入家庭化名' }).trim().min(2, '家庭化名为 2–10 个字').max(10, '家庭化名为 2–10 个字'),
  householdDescription: z.string().trim().max(1000, '家庭情况不能超过 1000 个字').default(''),
  address: z.string().trim().max(200, '地址不能超过 200 个字').default(''),
  contacts: z.string().trim().max(300, '联系方式不能超过 300 个字').default(''),
  childIds: z.array(idField('请选择本机构的儿童')).default([]),
})
export type FamilyInput = z.infer<typeof familySchema>

export const pairingSchema = z.object({
  programmeId: idField('请选择项目'),
  familyId: optionalIdField('请选择家庭'),
  childId: optionalIdField('请选择儿童'),
  startDate: dateText('请输入开始日期'),
  plannedVisits: z
    .number({ invalid_type_error: '计划次数须为整数' })
    .int('计划次数须为整数')
    .min(1, '计划次数为 1–200')
    .max(200, '计划次数为 1–200')
    .optional(),
  leadUserId: idField('请选择带队志愿者'),
  memberUserIds: z.array(idField('请选择队员')).default([]),
})
export type PairingInput = z.infer<typeof pairingSchema>

export const pairingStatusSchema = z.object({
  intent: z.literal('status'),
  status: z.enum(pairingStatuses, { errorMap: () => ({ message: '请选择状态' }) }),
  reason: z.string().trim().max(300, '原因不能超过 300 个字').default(''),
})

export const renovationSchema = z.object({
  intent: z.literal('renovation'),
  step: z.string({ required_error: '没有这个改造步骤' }).max(50, '没有这个改造步骤'),
  // Empty clears the step's date.
  doneOn: z
    .string()
    .trim()
    .refine((v) => parseShanghaiDate(v) !== null, '请输入有效日期，例如 2026-03-01')
    .optional(),
})

export const pairingNeedSchema = z.object({
  intent: z.enum(['link-need', 'unlink-need']),
  needId: idField('请选择物资需求'),
})

const subjects = z.array(z.string().trim().min(1, '科目无效').max(20, '科目无效')).min(1, '请至少选择一个科目')
const availability = z.array(z.string().refine((s) => availabilitySlots.includes(s), '时间段无效')).min(1, '请至少选择一个时间段')
const grade = z
  .number({ required_error: '请选择年级', invalid_type_error: '年级为 1–12' })
  .int('年级为 1–12')
  .min(1, '年级为 1–12')
  .max(12, '年级为 1–12')

export const studyNeedSchema = z.object({ subjects, grade, availability })
export type StudyNeedInput = z.infer<typeof studyNeedSchema>
/** The staff form: the study need plus the child it belongs to. */
export const studyNeedFormSchema = studyNeedSchema.extend({ childId: idField('请选择儿童') })

export const tutoringOfferSchema = z.object({
  subjects,
  grades: z.array(grade).min(1, '请至少选择一个年级'),
  availability,
})
export type TutoringOfferInput = z.infer<typeof tutoringOfferSchema>

/** The archive button on a family's page: nothing to fill in, only the intent. */
export const familyArchiveSchema = z.object({ intent: z.literal('archive') })
