import type { getPublicNeed } from '~/needs/needs.server'
import { formatDate } from '~/utils/format'
import type { PublicCampaign, PublicWish } from '~/wishes/public.server'
import { wishStatusLabels } from '~/wishes/labels'
import type { ShareCard } from './share-card.server'

// What each kind of page puts on its share card: only fields its public page already shows.
// A wish never contributes its photo or its child's real identity (docs/product.md rule 1): the
// card has the pseudonym (化名), the age band, the wish and the home.

type PublicNeed = NonNullable<ReturnType<typeof getPublicNeed>>

export function wishShareCard(wish: PublicWish, url: string): ShareCard {
  const state = wish.open ? '等待爱心人士认领' : wish.status === 'published' ? '已截止认领' : wishStatusLabels[wish.status]
  return {
    kicker: '微心愿',
    title: wish.title,
    lines: [`${wish.pseudonym}（化名）· ${wish.ageBand}`, `${wish.home.name} · ${wish.home.city}`, state],
    url,
  }
}

export function needShareCard(need: PublicNeed, url: string): ShareCard {
  const { progress } = need
  return {
    kicker: '物资需求',
    title: need.title,
    lines: [`${need.homeName} · ${need.city}`, `需要 ${progress.needed} ${need.unit}，还差 ${progress.stillNeeded} ${need.unit}`],
    url,
    progress: {
      done: Math.min(progress.pledged, progress.needed),
      total: progress.needed,
      label: `已认捐 ${progress.pledged} / ${progress.needed} ${need.unit}`,
    },
  }
}

export function campaignShareCard(campaign: PublicCampaign, url: string): ShareCard {
  const homes = campaign.homes.map((h) => h.name)
  return {
    kicker: '公益活动',
    title: campaign.name,
    lines: [
      `${formatDate(campaign.startsAt)} — ${formatDate(campaign.endsAt)}`,
      homes.length > 2 ? `${homes.slice(0, 2).join('、')} 等 ${homes.length} 家机构` : homes.join('、'),
    ],
    url,
    progress: campaign.progress.total
      ? {
          done: campaign.progress.claimed,
          total: campaign.progress.total,
          label: `${campaign.progress.total} 个微心愿，已认领 ${campaign.progress.claimed} 个`,
        }
      : undefined,
  }
}
