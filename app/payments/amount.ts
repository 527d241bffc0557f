import { formatFen } from '~/utils/format'
import type { YuanRule } from '~/utils/money'

// Gift amounts: shared by the /give form and the server (browser-safe).

export const MIN_GIFT_FEN = 100 // ¥1
export const MAX_GIFT_FEN = 5_000_000 // ¥50,000
export const PRESET_AMOUNTS_FEN = [5_000, 10_000, 20_000, 50_000] as const

/** The per-gift bounds of a typed amount (parseYuan), in the words of the /give form. */
export const GIFT_AMOUNT: YuanRule = {
  min: MIN_GIFT_FEN,
  max: MAX_GIFT_FEN,
  messages: {
    empty: '请输入捐款金额',
    below_min: `每笔捐款至少 ${formatFen(MIN_GIFT_FEN)}`,
    over_max: `每笔捐款最多 ${formatFen(MAX_GIFT_FEN)}`,
  },
}

// 月捐 (issue 14): a monthly amount, ¥1 to ¥5,000 a month.
export const MIN_MONTHLY_FEN = 100 // ¥1
export const MAX_MONTHLY_FEN = 500_000 // ¥5,000
export const MONTHLY_PRESETS_FEN = [1_000, 3_000, 10_000, 30_000] as const

export const MONTHLY_AMOUNT: YuanRule = {
  min: MIN_MONTHLY_FEN,
  max: MAX_MONTHLY_FEN,
  messages: {
    empty: '请输入每月捐款金额',
    below_min: `每月至少 ${formatFen(MIN_MONTHLY_FEN)}`,
    over_max: `每月最多 ${formatFen(MAX_MONTHLY_FEN)}`,
  },
}
