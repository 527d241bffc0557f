import type { LoaderFunctionArgs } from '@remix-run/node'
import { getPublicNeed } from '~/needs/needs.server'
import { needShareCard } from '~/share/cards.server'
import { shareCardResponse } from '~/share/share-card.server'
import { notFound, requireIdParam } from '~/utils/http.server'
import { siteUrl } from '~/utils/origin.server'

// Resource route: the need's share card (og:image), text, progress and QR only.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const need = getPublicNeed(requireIdParam(params, 'id'))
  if (!need || need.status === 'cancelled') notFound()
  return shareCardResponse(request, needShareCard(need, siteUrl(`/needs/${need.id}`, request)))
}
