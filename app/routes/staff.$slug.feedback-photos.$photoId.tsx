import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireStaff } from '~/auth/auth.server'
import { readStaffPhoto } from '~/feedback-photos/feedback-photos.server'
import { invariantFound, requireIdParam } from '~/utils/http.server'

// Resource route: a feedback photo in any state, for its own home's staff only (pending photos
// may show a face). Private like everything under /staff (server/security.ts).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const body = invariantFound(await readStaffPhoto(institution.id, requireIdParam(params, 'photoId')))
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': 'image/webp',
      'Content-Length': String(body.byteLength),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
