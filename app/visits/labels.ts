import type { VisitActivity, VisitStatus } from '~db/enums'

// Browser-safe labels for visits (家庭陪伴 / 学业辅导).
export const visitActivityLabels: Record<VisitActivity, string> = {
  homework: '辅导作业',
  reading: '共读',
  games: '游戏',
  crafts: '手工',
  listening: '倾听',
  outdoor: '户外',
  other: '其他',
}

export const visitStatusLabels: Record<VisitStatus, string> = {
  logged: '待确认',
  confirmed: '已确认',
  queried: '工作人员有疑问',
}

/** "第 7 / 12 次": confirmed visits against the pairing's plan. */
export function progressLabel(confirmed: number, planned: number): string {
  return `第 ${confirmed} / ${planned} 次`
}
