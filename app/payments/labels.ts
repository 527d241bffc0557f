// Browser-safe words for a payment's outcome.

/** The return page's heading: thanks only for a gift that happened or is on its way; a failed, expired or cancelled payment says so. */
export function paymentPageHeading(status: 'open' | 'completed' | 'failed' | 'expired', cancelled: boolean): string {
  if (status === 'completed') return '感谢您的捐款'
  if (status === 'open') return cancelled ? '支付未完成' : '感谢您的捐款，支付正在确认'
  return status === 'failed' ? '支付未成功' : '支付已过期'
}
