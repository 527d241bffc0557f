import type { LoaderFunctionArgs } from '@remix-run/node'
import { readPublishedPhoto } from '~/feedback-photos/feedback-photos.server'
import { invariantFound } from '~/utils/http.server'

// Resource route: a published feedback photo (执行反馈). Pending photos are never served here.
// Cached for an hour only: staff may delete a published photo.
export async function loader({ params }: LoaderFunctionArgs) {
  const body = invariantFound(await readPublishedPhoto(params.key))
  return new Response(new Uint8Array(body), {
    headers: {
      'Content-Type': 'image/webp',
      'Content-Length': String(body.byteLength),
      'Cache-Control': 'public, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
