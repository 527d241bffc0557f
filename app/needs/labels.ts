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

/**
 * A pledge's status in words; a release by staff says why. An active pledge of which part has
 * arrived says 部分送达 with what arrived against what was promised (pass `received`, and the
 * need's `unit` where the page does not show it next to the status).
 */
export function pledgeStatusWords(pledge: {
  status: PledgeStatus
  releaseReason: string | null
  quantity?: number
  received?: number
  unit?: string
}): string {
  if (pledge.releaseReason) return `已由机构释放：${pledge.releaseReason}`
  const received = pledge.received ?? 0
  if (pledge.status === 'active' && received > 0 && pledge.quantity !== undefined) {
    return `部分送达：已到 ${received} / 认捐 ${pledge.quantity}${pledge.unit ? ` ${pledge.unit}` : ''}`
  }
  return pledgeStatusLabels[pledge.status]
}
