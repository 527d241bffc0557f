import crypto from 'node:crypto'
import zlib from 'node:zlib'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { sqlite } from '~db/client.server'
import { getEnv } from '~/utils/env.server'
import { privateRequest, privateResponse } from './security'

// An in-process cache of anonymous public pages (HTML documents and Remix single-fetch `.data`),
// docs/decisions/015-public-page-cache.md. A page is kept while the database's public
// generation (bumped by triggers on every table public pages show, whichever process writes)
// stays the same, and for at most `ttlMs` so time-dependent text (deadlines, "还剩 3 天")
// stays fresh. Each cached document gets a fresh CSP nonce per response.

/** What a CDN or nginx in front sees on a cacheable page: store it, but ask us every time. */
export const PUBLIC_PAGE_CACHE_CONTROL = 'public, max-age=0, must-revalidate'

export type PageCacheOptions = {
  /** The current public generation (one indexed read of `public_generation`). */
  generation: () => number
  /** Set when the app sees a fixed origin (APP_ORIGIN); otherwise the key has the Host too. */
  appOrigin?: string
  ttlMs?: number
  maxEntries?: number
  maxBytes?: number
  maxEntryBytes?: number
  clock?: () => number
}

type Entry = {
  /** Headers the route set (not those of the middleware in front, such as the CSP). */
  headers: Array<[string, string | number | string[]]>
  /** The body cut at every occurrence of the nonce it was rendered with. */
  parts: Buffer[]
  /** The same pieces deflated separately, so a gzip body can be put together per response. */
  deflated: Buffer[]
  etag: string
  bytes: number
  expiresAt: number
}

// Documents and single-fetch data; resource routes (JSON, CSV, images, .ics) set their own headers.
const CACHEABLE_TYPE = /^text\/(?:html|x-script)\b/i
// Set per response by Node, by compression, or by us.
const NOT_STORED = new Set(['content-length', 'transfer-encoding', 'connection', 'date', 'etag', 'x-cache', 'set-cookie', 'cache-control'])

export class PageCache {
  private readonly entries = new Map<string, Entry>()
  private bytes = 0
  private generationSeen: number | null = null
  private readonly ttlMs: number
  private readonly maxEntries: number
  private readonly maxBytes: number
  private readonly maxEntryBytes: number
  private readonly clock: () => number

  constructor(private readonly options: PageCacheOptions) {
    this.ttlMs = options.ttlMs ?? 30_000
    this.maxEntries = options.maxEntries ?? 500
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024
    this.maxEntryBytes = options.maxEntryBytes ?? 1024 * 1024
    this.clock = options.clock ?? Date.now
  }

  get size() {
    return { entries: this.entries.size, bytes: this.bytes }
  }

  clear() {
    this.entries.clear()
    this.bytes = 0
  }

  /** The generation now; everything cached under another one is dropped. */
  private currentGeneration(): number {
    const generation = this.options.generation()
    if (generation !== this.generationSeen) {
      this.clear()
      this.generationSeen = generation
    }
    return generation
  }

  private key(req: Request): string {
    const origin = this.options.appOrigin ?? `${req.protocol}://${req.get('host') ?? ''}|${req.get('x-forwarded-host') ?? ''}`
    return origin + req.originalUrl
  }

  private lookup(key: string): Entry | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    this.entries.delete(key)
    if (entry.expiresAt <= this.clock()) {
      this.bytes -= entry.bytes
      return undefined
    }
    this.entries.set(key, entry) // most recently used last
    return entry
  }

  private store(key: string, entry: Entry) {
    const old = this.entries.get(key)
    if (old) {
      this.entries.delete(key)
      this.bytes -= old.bytes
    }
    this.entries.set(key, entry)
    this.bytes += entry.bytes
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break
      this.entries.delete(k)
      this.bytes -= e.bytes
    }
  }

  /** Mounted after cspNonce, the security headers and privateResponses, before the Remix handler. */
  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || privateRequest(req)) return next()
      const key = this.key(req)
      const generation = this.currentGeneration()
      const entry = this.lookup(key)
      if (entry) {
        send(req, res, entry, 'HIT')
        return
      }
      this.capture(req, res, (made) => {
        // A write during rendering may not be in this page: keep it only if nothing changed.
        if (made.bytes <= this.maxEntryBytes && this.options.generation() === generation) this.store(key, made)
      })
      next()
    }
  }

  /**
   * Hold back the response of a cache candidate until it is complete, so that it can carry an
   * ETag (and be a 304); anything else is passed through untouched as soon as it starts.
   */
  private capture(req: Request, res: Response, keep: (entry: Entry) => void) {
    const inFront = new Set(res.getHeaderNames())
    const original = { writeHead: res.writeHead, write: res.write, end: res.end }
    const restore = () => Object.assign(res, original)
    const chunks: Buffer[] = []
    const expiresAt = () => this.clock() + this.ttlMs
    let mode: 'undecided' | 'hold' | 'pass' = 'undecided'

    const decide = () => {
      if (mode !== 'undecided') return
      const cacheable =
        res.statusCode === 200 &&
        CACHEABLE_TYPE.test(String(res.getHeader('content-type') ?? '')) &&
        !res.hasHeader('cache-control') &&
        !res.hasHeader('content-encoding') &&
        !privateResponse(req, res)
      mode = cacheable ? 'hold' : 'pass'
      if (mode === 'pass') restore()
    }
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return
      chunks.push(
        typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : Buffer.from(chunk as Uint8Array),
      )
    }
    const callbackOf = (args: unknown[]) => args.find((a): a is () => void => typeof a === 'function')

    res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
      decide()
      if (mode === 'pass') return original.writeHead.apply(this, args)
      // Holding: a status and headers passed here still count (Node's implicit header passes
      // this.statusCode only).
      if (typeof args[0] === 'number') this.statusCode = args[0]
      const headers = args.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a)) as
        Record<string, string | number | string[]> | undefined
      if (headers) for (const [name, value] of Object.entries(headers)) this.setHeader(name, value)
      return this
    } as Response['writeHead']

    res.write = function (this: Response, chunk: unknown, ...rest: unknown[]) {
      decide()
      if (mode === 'pass') return (original.write as (...a: unknown[]) => boolean).call(this, chunk, ...rest)
      collect(chunk, rest[0])
      const callback = callbackOf(rest)
      if (callback) process.nextTick(callback)
      return true
    } as Response['write']

    res.end = function (this: Response, chunk?: unknown, ...rest: unknown[]) {
      decide()
      if (mode === 'pass') return (original.end as (...a: unknown[]) => Response).call(this, chunk, ...rest)
      collect(chunk, rest[0])
      restore()
      const callback = callbackOf([chunk, ...rest])
      if (callback) this.once('finish', callback)
      // Rechecked now that the whole response is known (a late error turns it into a 500).
      if (this.statusCode !== 200 || privateResponse(req, this)) return this.end(Buffer.concat(chunks))
      const headers: Entry['headers'] = []
      for (const name of this.getHeaderNames()) {
        const value = this.getHeader(name)
        if (inFront.has(name) || NOT_STORED.has(name) || value === undefined) continue
        headers.push([name, value])
      }
      const body = Buffer.concat(chunks)
      const parts = splitAtNonce(body, String(this.locals.cspNonce ?? ''))
      const deflated = deflateParts(parts)
      const bytes = body.length + deflated.reduce((sum, d) => sum + d.length, 0)
      const entry: Entry = { headers, parts, deflated, etag: etagOf(parts), bytes, expiresAt: expiresAt() }
      send(req, this, entry, 'MISS')
      keep(entry)
      return this
    } as Response['end']
  }
}

/** A cached or just-made page, with this response's own nonce, or 304 when the client has it. */
function send(req: Request, res: Response, entry: Entry, outcome: 'HIT' | 'MISS') {
  for (const [name, value] of entry.headers) res.setHeader(name, value)
  res.setHeader('Cache-Control', PUBLIC_PAGE_CACHE_CONTROL)
  res.vary('Cookie')
  res.setHeader('ETag', entry.etag)
  res.setHeader('X-Cache', outcome)
  if (etagMatches(req.get('if-none-match'), entry.etag)) {
    // A 304's headers replace the stored ones in the client's (or CDN's) cache: a fresh CSP
    // nonce here would no longer match the nonce in the body it keeps.
    res.removeHeader('Content-Security-Policy')
    res.removeHeader('Content-Type')
    res.statusCode = 304
    res.end()
    return
  }
  const nonce = Buffer.from(String(res.locals.cspNonce ?? ''))
  const gzip = req.get('accept-encoding') !== undefined && req.acceptsEncodings('gzip') === 'gzip'
  const body = gzip ? gzipWithNonce(entry, nonce) : joinWithNonce(entry.parts, nonce)
  // compression() leaves a response that is already encoded alone.
  if (gzip) res.setHeader('Content-Encoding', 'gzip')
  res.vary('Accept-Encoding')
  res.statusCode = 200
  res.setHeader('Content-Length', body.length)
  res.end(body)
}

function joinWithNonce(parts: Buffer[], nonce: Buffer): Buffer {
  const pieces: Buffer[] = []
  parts.forEach((part, i) => {
    if (i > 0) pieces.push(nonce)
    pieces.push(part)
  })
  return Buffer.concat(pieces)
}

/**
 * Each piece deflated on its own, every one but the last ending byte-aligned and not final
 * (Z_FULL_FLUSH), so that pieces and a stored block holding the nonce concatenate into one
 * valid deflate stream: the page is compressed once, not per response.
 */
function deflateParts(parts: Buffer[]): Buffer[] {
  return parts.map((part, i) => zlib.deflateRawSync(part, i < parts.length - 1 ? { finishFlush: zlib.constants.Z_FULL_FLUSH } : {}))
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff])

function gzipWithNonce(entry: Entry, nonce: Buffer): Buffer {
  // A stored (uncompressed), non-final block: BFINAL=0, BTYPE=00, then LEN and its complement.
  const stored = Buffer.alloc(5)
  stored.writeUInt16LE(nonce.length, 1)
  stored.writeUInt16LE(~nonce.length & 0xffff, 3)
  const pieces: Buffer[] = [GZIP_HEADER]
  let crc = 0
  let size = 0
  entry.deflated.forEach((deflated, i) => {
    if (i > 0) {
      pieces.push(stored, nonce)
      crc = zlib.crc32(nonce, crc)
      size += nonce.length
    }
    pieces.push(deflated)
    const part = entry.parts[i] as Buffer
    crc = zlib.crc32(part, crc)
    size += part.length
  })
  const trailer = Buffer.alloc(8)
  trailer.writeUInt32LE(crc >>> 0, 0)
  trailer.writeUInt32LE(size >>> 0, 4)
  pieces.push(trailer)
  return Buffer.concat(pieces)
}

function splitAtNonce(body: Buffer, nonce: string): Buffer[] {
  if (!nonce) return [body]
  const parts: Buffer[] = []
  let from = 0
  for (let at = body.indexOf(nonce, from); at !== -1; at = body.indexOf(nonce, from)) {
    parts.push(body.subarray(from, at))
    from = at + nonce.length
  }
  parts.push(body.subarray(from))
  return parts
}

/** Weak: the bytes differ in the nonce from one response to the next. */
function etagOf(parts: Buffer[]): string {
  const hash = crypto.createHash('sha256')
  for (const [i, part] of parts.entries()) {
    if (i > 0) hash.update('\0nonce\0')
    hash.update(part)
  }
  return `W/"${hash.digest('base64url').slice(0, 27)}"`
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  const opaque = etag.replace(/^W\//, '')
  return header.split(',').some((tag) => {
    const t = tag.trim()
    return t === '*' || t.replace(/^W\//, '') === opaque
  })
}

/**
 * The page cache of this server process, reading the generation from its own connection; on
 * when serving the built app (production, the local demo), off under the Vite dev server
 * (edited code would be served stale) unless PAGE_CACHE says otherwise.
 */
export function publicPageCache({ dev, appOrigin }: { dev: boolean; appOrigin?: string }): RequestHandler {
  const setting = getEnv().PAGE_CACHE
  if (setting === 'off' || (dev && setting !== 'on')) return (_req, _res, next) => next()
  const read = sqlite.prepare('SELECT generation FROM public_generation WHERE id = 1').pluck()
  return new PageCache({ generation: () => read.get() as number, appOrigin }).middleware()
}
