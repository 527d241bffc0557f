import type { LoaderFunctionArgs } from '@remix-run/node'
import { campaignShareCard } from '~/share/cards.server'
import { shareCardResponse } from '~/share/share-card.server'
import { invariantFound } from '~/utils/http.server'
import { siteUrl } from '~/utils/origin.server'
import { getPublicCampaign } from '~/wishes/public.server'

// Resource route: the campaign's share card (og:image), text, progress and QR only.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const campaign = invariantFound(getPublicCampaign(params.slug ?? ''))
  return shareCardResponse(request, campaignShareCard(campaign, siteUrl(`/campaigns/${campaign.slug}`, request)))
}
