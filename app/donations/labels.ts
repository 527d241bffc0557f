import { formatFen } from '~/utils/format'

// Chinese labels for the public donation log; kept out of *.server.ts so pages can use them.
export const donationKinds = ['goods', 'money'] as const
export type DonationKind = (typeof donationKinds)[number]
export const donationKindLabels: Record<DonationKind, string> = { goods: '物资', money: '善款' }

export const donationChannelLabels = {
  wish_claim: '微心愿认领',
  need_pledge: '物资需求认捐',
  desk: '现场登记',
  bank_transfer: '银行转账',
  online: '线上支付',
} as const

type EntryForDisplay = {
  kind: 'goods' | 'money'
  designation: 'wish' | 'need' | 'campaign' | 'general'
  quantity: number | null
  unit: string | null
  amountFen: number | null
  wishTitle: string | null
  wishPseudonym: string | null
  campaignName: string | null
}

/** What the gift was for, in public words: 微心愿：小凤的心愿「…」. */
export function designationText(entry: EntryForDisplay): string {
  switch (entry.designation) {
    case 'wish':
      return entry.wishPseudonym && entry.wishTitle ? `微心愿：${entry.wishPseudonym}的心愿「${entry.wishTitle}」` : '微心愿'
    case 'campaign':
      return entry.campaignName ? `活动：${entry.campaignName}` : '活动'
    case 'need':
      return '物资需求'
    default:
      return '非定向捐赠'
  }
}

/** "3 件" for goods, "¥50" for money. */
export function amountText(entry: EntryForDisplay): string {
  if (entry.kind === 'money') return entry.amountFen === null ? '' : formatFen(entry.amountFen)
  return entry.quantity === null ? '' : `${entry.quantity} ${entry.unit ?? ''}`.trim()
}
