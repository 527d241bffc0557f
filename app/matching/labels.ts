// 配捐 words and ratios, browser-safe and without zod (public pages show them).

/** The ratios a pledge may use, per mille of the gift: 1:1 and 1:0.5. */
export const MATCH_RATIOS = [1000, 500] as const
export type MatchRatio = (typeof MATCH_RATIOS)[number]

/** "1 元" / "0.5 元": what the partner adds for every yuan given. */
export function ratioYuanLabel(permille: number): string {
  return `${permille / 1000} 元`
}

export const pledgeStatusLabels = { proposed: '待机构确认', accepted: '已生效', declined: '机构已婉拒' } as const
