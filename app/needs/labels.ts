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
  fulfilled: '已全部到达',
  // Staff releases carry a reason (pledgeStatusWords): one without is the overdue job's.
  released: '已释放（逾期未送达）',
  cancelled: '已取消',
}

/** A pledge's status in words; a release by staff says why. */
export function pledgeStatusWords(pledge: { status: PledgeStatus; releaseReason: string | null }): string {
  return pledge.releaseReason ? `已由机构释放：${pledge.releaseReason}` : pledgeStatusLabels[pledge.status]
}
