import type { LoaderFunctionArgs } from '@remix-run/node'
import { readWishImage } from '~/images/images.server'
import { invariantFound } from '~/utils/http.server'

// Resource route: a stored wish image. Keys are random and never reused, so the file can be
// cached for a year.
export async function loader({ params }: LoaderFunctionArgs) {
  const image = invariantFound(await readWishImage(params.key))
  return new Response(new Uint8Array(image.body), {
    headers: {
      'Content-Type': image.contentType,
      'Content-Length': String(image.body.byteLength),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
