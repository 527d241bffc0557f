import { getEnv } from './env.server'

// The one place that decides the site's origin for absolute URLs (share cards and og:url,
// poster and label QR codes, Stripe return URLs, invitation links, notices, .ics files).
// APP_ORIGIN when set — production refuses to start without it, so there the Host header is
// never reflected into a link. Outside production without APP_ORIGIN, the request's own origin.

/** The site's public origin, e.g. "https://weinuan.example.org". */
export function siteOrigin(request: Request): string {
  const configured = getEnv().APP_ORIGIN
  if (configured) return configured
  if (getEnv().NODE_ENV === 'production') throw new Error('APP_ORIGIN is required in production')
  return new URL(request.url).origin
}

/**
 * An absolute URL for a path on this site. Without a request (notices written by jobs) and
 * without APP_ORIGIN (local runs only), the path itself.
 */
export function siteUrl(path: string, request?: Request): string {
  const origin = request ? siteOrigin(request) : getEnv().APP_ORIGIN
  return `${origin ?? ''}${path}`
}
