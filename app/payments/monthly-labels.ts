import type { MonthlyGiftStatus } from '~db/enums'

// Browser-safe words for a monthly gift's status (我的月捐, issue 14).
export const monthlyStatusLabels: Record<MonthlyGiftStatus, string> = {
  open: '等待支付确认',
  active: '进行中',
  past_due: '本月扣款失败，支付机构将自动重试',
  paused: '已暂停（暂停期间不扣款）',
  cancelled: '已取消（不再扣款）',
  expired: '未开通',
}
