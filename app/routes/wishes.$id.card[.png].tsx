import type { LoaderFunctionArgs } from '@remix-run/node'
import { wishShareCard } from '~/share/cards.server'
import { shareCardResponse } from '~/share/share-card.server'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { siteUrl } from '~/utils/origin.server'
import { getPublicWish } from '~/wishes/public.server'

// Resource route: the wish's share card (og:image), text and QR only — never a photo.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const wish = invariantFound(getPublicWish(requireIdParam(params, 'id')))
  return shareCardResponse(request, wishShareCard(wish, siteUrl(`/wishes/${wish.id}`, request)))
}
