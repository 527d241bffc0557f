import { formatFen } from '~/utils/format'

// 一起捐 bounds (browser-safe).
export const TEAM_GOAL_MIN_FEN = 100 // ¥1
export const TEAM_GOAL_MAX_FEN = 50_000_000 // ¥500,000
export const TEAM_STORY_MAX = 300

export const TEAM_GOAL_HINT = `${formatFen(TEAM_GOAL_MIN_FEN)} 至 ${formatFen(TEAM_GOAL_MAX_FEN)}`

/** The public label of a team's state. */
export const teamStatusLabels = { open: '进行中', closed: '已结束', hidden: '已被机构隐藏' } as const
