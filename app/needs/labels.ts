import type { NeedStatus, PledgeStatus } from '~db/enums'

// Chinese labels for 物资需求 and 认捐; kept out of *.server.ts so pages can use them.
export const needUrgencyLabels = { normal: '普通', urgent: '紧急' } as const

export const needStatusLabels: Record<NeedStatus, string> = {
  open: '认捐中',
  fully_pledged: '已认捐满',
  fully_received: '已全部收到',
  closed: '已结束',
  cancelled: '已取消',
}

export const pledgeStatusLabels: Record<PledgeStatus, string> = {
  active: '待送达',
  fulfilled: '已完成',
  released: '已释放（逾期未送达）',
  cancelled: '已取消',
}

/** "YYYY-MM-DD" of an instant in Asia/Shanghai (for date inputs). */
export function shanghaiDateInput(value: Date | string | number): string {
  return new Date(new Date(value).getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}
