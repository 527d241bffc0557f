import crypto from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import helmet from 'helmet'

const NONCE_BYTES = 16
/** Random bytes for this many nonces are drawn at once (one call into the CSPRNG, not one per response). */
const NONCES_PER_DRAW = 256
let nonceBytes = Buffer.alloc(0)
let nonceOffset = 0

/** 128 fresh random bits, base64; each slice of the drawn bytes is used once. */
export function newNonce(): string {
  if (nonceOffset + NONCE_BYTES > nonceBytes.length) {
    nonceBytes = crypto.randomBytes(NONCE_BYTES * NONCES_PER_DRAW)
    nonceOffset = 0
  }
  const nonce = nonceBytes.toString('base64', nonceOffset, nonceOffset + NONCE_BYTES)
  nonceOffset += NONCE_BYTES
  return nonce
}

/** A fresh nonce per response for Remix's inline scripts, used by the CSP below. */
export function cspNonce(_req: Request, res: Response, next: NextFunction) {
  res.locals.cspNonce = newNonce()
  next()
}

export function securityHeaders({ dev }: { dev: boolean }) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'connect-src': dev ? ["'self'", 'ws:'] : ["'self'"],
        'font-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'object-src': ["'none'"],
        'script-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        'style-src': ["'self'", "'unsafe-inline'"],
        'upgrade-insecure-requests': null,
      },
    },
    // The site is served over plain HTTP on localhost in local runs; a TLS proxy adds HSTS.
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  })
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * CSRF defence in depth beside SameSite=Lax cookies: a state-changing request whose Origin
 * (or Sec-Fetch-Site) says it came from another site is refused.
 */
export function refuseForeignOrigins(appOrigin: string | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next()
    const origin = req.get('origin')
    const expected = appOrigin ?? `${req.protocol}://${req.get('host')}`
    const fetchSite = req.get('sec-fetch-site')
    const foreignOrigin = origin !== undefined && origin !== expected
    const foreignFetch = fetchSite === 'cross-site'
    if (foreignOrigin || foreignFetch) {
      res.status(403).type('text/plain; charset=utf-8').send('请求来源不被允许 (cross-origin request refused)')
      return
    }
    next()
  }
}

// The session cookie under either name (app/auth/session.server.ts: "__Host-" when Secure).
const SESSION_COOKIE = /(?:^|;\s*)(?:__Host-)?weinuan_session=/
// Consoles and personal pages, with their single-fetch ".data" twins (/me.data, /staff/x.data).
const PRIVATE_AREA = /^\/(?:staff|me|admin|account|invite|dev)(?:[/.]|$)/

/** The request carries the session cookie or asks for a console or personal page. */
export function privateRequest(req: Request): boolean {
  return SESSION_COOKIE.test(req.get('cookie') ?? '') || PRIVATE_AREA.test(req.path)
}

/**
 * The rule of privateResponses() below, asked when the headers go out: a private area, a
 * cookie being set, or a signed-in request unless the route declared itself `public`.
 */
export function privateResponse(req: Request, res: Response): boolean {
  const signedIn = SESSION_COOKIE.test(req.get('cookie') ?? '')
  const declaredPublic = /\bpublic\b/i.test(String(res.getHeader('cache-control') ?? ''))
  return PRIVATE_AREA.test(req.path) || res.hasHeader('set-cookie') || (signedIn && !declaredPublic)
}

/**
 * `Cache-Control: private, no-store` on every private response, decided when the headers go
 * out: anything under the consoles and personal pages, anything that sets a cookie, and every
 * response to a signed-in request (documents, `.data`, CSV/XLSX, labels, slips) unless the
 * route declared itself `public` (identical for everyone: images, public disclosures, the
 * ledger key). Mounted in front of the Remix handler, after the static files.
 */
export function privateResponses(req: Request, res: Response, next: NextFunction) {
  const writeHead = res.writeHead
  res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
    if (privateResponse(req, this)) this.setHeader('Cache-Control', 'private, no-store')
    return writeHead.apply(this, args)
  } as Response['writeHead']
  next()
}
