import type { NeedCategory, PublicDisplay, WishStatus } from '~db/schema'
import { shanghaiParts } from '~/utils/shanghai-date'

// The six kinds of need (docs/product.md); every wish and need carries one.
export const categoryLabels: Record<NeedCategory, string> = {
  material: '物质',
  study: '学业',
  psychological: '心理',
  growth: '成长',
  physical: '身体',
  legal: '法律援助',
}

/** The categories as select options, for the wish and need filters. */
export const categoryOptions = Object.entries(categoryLabels).map(([value, label]) => ({ value, label }))

export const wishStatusLabels: Record<WishStatus, string> = {
  draft: '草稿',
  published: '待认领',
  claimed: '已认领',
  received: '已收到',
  fulfilled: '已实现',
  withdrawn: '已撤回',
  expired: '已过期',
}

export const publicDisplayLabels: Record<PublicDisplay, string> = {
  name: '显示我的称呼',
  masked: '部分隐藏（如 王**）',
  anonymous: '显示为“爱心人士”',
}

// Public age bands: the birth date itself is never shown.
export const AGE_BANDS = [
  { min: 0, max: 2, label: '0–2岁' },
  { min: 3, max: 5, label: '3–5岁' },
  { min: 6, max: 8, label: '6–8岁' },
  { min: 9, max: 11, label: '9–11岁' },
  { min: 12, max: 14, label: '12–14岁' },
  { min: 15, max: 17, label: '15–17岁' },
  { min: 18, max: 200, label: '18岁及以上' },
] as const
export type AgeBand = (typeof AGE_BANDS)[number]['label']

/** Whole years between a YYYY-MM-DD birth date and `on`, in Asia/Shanghai's calendar. */
export function ageOn(birthDate: string, on: Date): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number]
  const today = shanghaiParts(on)
  let age = today.year - y
  const beforeBirthday = today.month < m || (today.month === m && today.day < d)
  if (beforeBirthday) age -= 1
  return Math.max(0, age)
}

export function ageBand(birthDate: string, on: Date): AgeBand {
  const age = ageOn(birthDate, on)
  return (AGE_BANDS.find((b) => age >= b.min && age <= b.max) ?? AGE_BANDS[6]).label
}
