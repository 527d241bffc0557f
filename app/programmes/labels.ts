import type { Cadence, PairingStatus, ProgrammeKind } from '~db/enums'

// Browser-safe labels for programmes and pairings.
export const programmeKindLabels: Record<ProgrammeKind, string> = { companionship: '家庭陪伴', tutoring: '学业辅导' }
export const cadenceLabels: Record<Cadence, string> = { monthly: '每月一次', weekly: '每周一次' }
export const pairingStatusLabels: Record<PairingStatus, string> = {
  active: '进行中',
  paused: '暂停',
  completed: '已完成',
  ended: '提前结束',
}
export const pairingRoleLabels = { lead: '带队志愿者', member: '团队成员', substitute: '本次替班志愿者' } as const
export const applicationStatusLabels: Record<'pending' | 'accepted' | 'declined', string> = {
  pending: '待审核',
  accepted: '已接受',
  declined: '未通过',
}
export const RENOVATION_STEPS = ['方案确定', '采购', '施工', '完成'] as const
export const subjectOptions = ['语文', '数学', '英语', '物理', '化学', '生物', '历史', '地理', '道德与法治', '美术', '音乐'] as const
export const availabilitySlots = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].flatMap((d) => [`${d}-am`, `${d}-pm`])
const dayLabels: Record<string, string> = { mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六', sun: '周日' }
export function availabilityLabel(slot: string): string {
  const [d, half] = slot.split('-')
  return `${dayLabels[d ?? ''] ?? d}${half === 'am' ? '上午' : '下午'}`
}
