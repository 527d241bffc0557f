import type { LoaderFunctionArgs } from '@remix-run/node'
import { shareCardResponse } from '~/share/share-card.server'
import { teamShareCard } from '~/teams/card.server'
import { getPublicTeam } from '~/teams/teams.server'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { siteUrl } from '~/utils/origin.server'

// Resource route: a team's share card (og:image), text, progress and QR only — never a photo.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const team = getPublicTeam(requireIdParam(params, 'id'))
  const shown = invariantFound(team && !team.hidden ? team : null)
  return shareCardResponse(request, teamShareCard(shown, siteUrl(`/teams/${shown.id}`, request)))
}
