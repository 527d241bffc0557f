import type { QualificationKind, SlotStatus } from '~db/enums'
import { shanghaiParts } from '~/utils/shanghai-date'
import { qualificationLabels } from '~/volunteers/labels'

// Browser-safe words and helpers for the slot pages (Shanghai dates: ~/utils/shanghai-date).
// No zod and no server imports here.

export const slotStatusLabels: Record<SlotStatus, string> = {
  draft: '草稿',
  published: '已发布',
  cancelled: '已取消',
}

export const weekdayLabels = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'] as const

/** "2026年12月12日（周六）09:30–11:30"; a slot over several days shows both ends. */
export function formatSlotTime(startsAt: Date | string | number, endsAt: Date | string | number): string {
  const s = shanghaiParts(startsAt)
  const e = shanghaiParts(endsAt)
  const day = (p: ReturnType<typeof shanghaiParts>) => `${p.year}年${p.month}月${p.day}日（${weekdayLabels[p.weekday]}）`
  return s.date === e.date ? `${day(s)}${s.time}–${e.time}` : `${day(s)}${s.time} 至 ${day(e)}${e.time}`
}

/** "剩余 12 / 40", or 已满 when nothing is left. */
export function remainingLabel(remaining: number, capacity: number): string {
  return remaining > 0 ? `剩余 ${remaining} / ${capacity}` : '已满，可候补'
}

export type RequirementFields = {
  minAge: number | null
  requiredQualifications: readonly QualificationKind[]
  requiresBackgroundCheck: boolean
}

/** What a volunteer must meet to book, in words (rule 5); empty when anyone may book. */
export function requirementWords(slot: RequirementFields): string[] {
  const words: string[] = []
  if (slot.minAge != null) words.push(`活动当天须年满 ${slot.minAge} 岁`)
  if (slot.requiresBackgroundCheck) words.push('需与儿童密切接触：须提交无犯罪记录等背景核验材料，并经机构核验通过')
  for (const q of slot.requiredQualifications) words.push(`须具备经机构核验的「${qualificationLabels[q]}」资质`)
  return words
}

export type GroupRuleFields = { allowGroups: boolean; groupMinDaysAhead: number; groupMaxSize: number }

/** Whether a slot asks anything of its volunteers (rule 5). */
export function hasRequirements(slot: RequirementFields): boolean {
  return slot.requiresBackgroundCheck || slot.minAge != null || slot.requiredQualifications.length > 0
}

/**
 * A group booking is one account for many people, and only that account is checked: a slot with
 * any requirement takes individual bookings only, so that every attendee is a verified account.
 */
export function acceptsGroups(slot: GroupRuleFields & RequirementFields): boolean {
  return slot.allowGroups && !hasRequirements(slot)
}

export const GROUPS_REFUSED_FOR_REQUIREMENTS = '这个活动对参加者有资格要求，只接受个人预约：请每位参加者用自己的账号预约，并各自满足要求'

export function groupRuleWords(slot: GroupRuleFields & RequirementFields): string {
  if (slot.allowGroups && hasRequirements(slot)) return '有资格要求，仅接受个人预约：每位参加者须用自己的账号预约并满足要求'
  if (!slot.allowGroups) return '仅接受个人预约，不接受团体预约'
  const ahead = slot.groupMinDaysAhead > 0 ? `须至少提前 ${slot.groupMinDaysAhead} 天预约，` : ''
  return `接受团体预约：${ahead}每个团体最多 ${slot.groupMaxSize} 人`
}

export function cancelCutoffWords(hours: number): string {
  if (hours <= 0) return '活动开始前均可自行取消预约'
  if (hours % 24 === 0) return `活动开始前 ${hours / 24} 天（${hours} 小时）以前可自行取消；之后请直接联系机构`
  return `活动开始前 ${hours} 小时以前可自行取消；之后请直接联系机构`
}

// Recurrence choices offered by the series form; each maps to an RRULE.
export const recurrenceKinds = ['monthly_2nd_saturday', 'weekly', 'biweekly'] as const
export type RecurrenceKind = (typeof recurrenceKinds)[number]

export const recurrenceLabels: Record<RecurrenceKind, string> = {
  monthly_2nd_saturday: '每月第二个周六',
  weekly: '每周',
  biweekly: '每两周',
}

/** RRULE weekday codes, indexed like Date#getDay (0 = Sunday). */
export const rruleWeekdays = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const

/** The open-day preset the series form offers (社会开放日, docs/product.md). */
export const OPEN_DAY_PRESET = {
  label: '每月第二个周六 9:30–11:30，40 人',
  kind: 'open_day',
  title: '社会开放日',
  description: '每月第二个周六为社会开放日，欢迎爱心人士和志愿者走进福利院。团体来访请提前预约；来访者凭来访接待单进入开放区域。',
  recurrence: 'monthly_2nd_saturday',
  startTime: '09:30',
  endTime: '11:30',
  capacity: 40,
  allowGroups: true,
  groupMinDaysAhead: 3,
  groupMaxSize: 15,
  cancelCutoffHours: 24,
} as const
