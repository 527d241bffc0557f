import type { ShareCard } from '~/share/share-card.server'
import { formatFen } from '~/utils/format'
import type { PublicTeam } from './teams.server'

/**
 * A team's share card: its name, progress, the home and what it gives to — public fields of the
 * team page only. Never a photo and never a person's name: the starter is not on the card.
 */
export function teamShareCard(team: PublicTeam, url: string): ShareCard {
  return {
    kicker: '一起捐',
    title: team.name,
    lines: [`${team.target.kind}：${team.target.title}`, `${team.home.name} · ${team.home.city}`, `${team.giftCount} 笔捐款`],
    url,
    progress: {
      done: Math.min(team.raisedFen, team.goalFen),
      total: team.goalFen,
      label: `已筹 ${formatFen(team.raisedFen)} / 目标 ${formatFen(team.goalFen)}`,
    },
  }
}
