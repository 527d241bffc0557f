import type { claimStatuses, releaseReasons } from '~db/enums'

// Browser-safe labels for a donor's claim on a wish (认领).
export const claimStatusLabels: Record<(typeof claimStatuses)[number], string> = {
  active: '进行中',
  delivered: '已签收',
  released: '已释放',
}
export const claimReleaseReasonLabels: Record<(typeof releaseReasons)[number], string> = {
  deadline: '超过期限',
  cancelled: '捐赠人取消',
  withdrawn: '心愿已撤回',
}
