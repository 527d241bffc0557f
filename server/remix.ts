import type { AppLoadContext, ServerBuild } from '@remix-run/node'
import { createReadableStreamFromReadable, createRequestHandler } from '@remix-run/node'
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import { takeBufferedBody } from './body-limit'

// Our Express → Remix adapter (in place of @remix-run/express's, which it follows closely), for
// two reasons: the request body is the one limitRequestBody() already read and bounded, and the
// request's origin is APP_ORIGIN when set, so the Host header never reaches the app.

type Options = {
  build: ServerBuild | (() => Promise<ServerBuild>)
  getLoadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext
  appOrigin?: string
}

function remixHeaders(req: ExpressRequest): Headers {
  const headers = new Headers()
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const v of value) headers.append(key, v)
    else headers.set(key, value)
  }
  return headers
}

/** The request's own origin (outside production without APP_ORIGIN only). */
function requestOrigin(req: ExpressRequest): string {
  const forwardedPort = req.get('X-Forwarded-Host')?.split(':')[1]
  const hostPort = req.get('host')?.split(':')[1]
  const port = [forwardedPort, hostPort].map((p) => Number.parseInt(p ?? '', 10)).find((p) => Number.isSafeInteger(p))
  // req.hostname respects the "trust proxy" setting.
  return `${req.protocol}://${req.hostname}${port ? `:${port}` : ''}`
}

/**
 * The Fetch request Remix gets. It carries no abort signal (decision 029): a signal passed to
 * `new Request` is followed through a WeakRef and a FinalizationRegistry entry that survive every
 * young-generation GC and are released only by a full one, for every request (issue 12). No loader
 * or action reads `request.signal` (their SQLite work is synchronous: nothing to interrupt); what
 * a disconnect must stop is a response still streaming, and writeBody cancels that body.
 */
function toRemixRequest(req: ExpressRequest, res: ExpressResponse, appOrigin: string | undefined): Request {
  const url = new URL(req.originalUrl, appOrigin ?? requestOrigin(req))
  const headers = remixHeaders(req)
  if (appOrigin) {
    // The app sees only the configured origin: refuseForeignOrigins() has already matched any
    // Origin header against it, and Remix's own check compares Origin with Host.
    headers.set('host', url.host)
    headers.delete('x-forwarded-host')
  }
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const body = takeBufferedBody(res)
    if (body) init.body = new Uint8Array(body)
    else {
      init.body = createReadableStreamFromReadable(req)
      init.duplex = 'half'
    }
  }
  return new Request(url.href, init)
}

/** How long the first chunks of a body are held back to be written together (see writeBody). */
const COALESCE_MS = 10
/** Held back at most this much: past it, the body is written as it comes. */
const COALESCE_MAX_BYTES = 256 * 1024

/**
 * Write a Remix response body to Node's response. React renders a page into many small chunks
 * over several ticks (the shell, then Remix's streamed loader data, then the end); written one
 * by one, each tick is a system call on the socket and, behind compression, a gzip flush (three
 * to four writes per signed-in page, ten with gzip; issue 12). The chunks that arrive within
 * `holdMs` of the first are collected and written at once: a body that is complete by then (every
 * page of the site: no loader defers data) goes out in one write with a Content-Length, like a
 * plain `res.end(html)`. A body still streaming after `holdMs` (or past COALESCE_MAX_BYTES) is
 * written what it has so far, then chunk by chunk as before, each flushed through compression.
 * `holdMs` 0: every chunk at once (event streams).
 */
export async function writeBody(body: ReadableStream<Uint8Array>, res: ExpressResponse, holdMs: number): Promise<void> {
  const reader = body.getReader()
  const flushable = res as ExpressResponse & { flush?: () => void }
  let held: Uint8Array[] | null = holdMs > 0 ? [] : null
  let heldBytes = 0
  const write = (chunk: Uint8Array) => {
    res.write(chunk)
    flushable.flush?.()
  }
  const release = () => {
    if (!held) return
    const chunks = held
    held = null
    if (chunks.length > 0) write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, heldBytes))
  }
  const timer = held ? setTimeout(release, holdMs) : null
  // The client went away before the end: cancel the body, so that its source (an event stream,
  // a long render) stops producing; the pending read then ends the loop below.
  const cancel = () => {
    if (!res.writableFinished) reader.cancel().catch(() => {})
  }
  res.once('close', cancel)
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) break
      if (held) {
        held.push(value)
        heldBytes += value.byteLength
        if (heldBytes >= COALESCE_MAX_BYTES) release()
      } else write(value)
    }
    if (timer) clearTimeout(timer)
    if (held) {
      // The whole body, before any of it was written: one write, its length known.
      const all = held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes)
      held = null
      if (!res.headersSent && !res.hasHeader('Content-Length') && !res.hasHeader('Transfer-Encoding'))
        res.setHeader('Content-Length', all.byteLength)
      res.end(all)
    } else res.end()
  } catch (error) {
    if (timer) clearTimeout(timer)
    held = null
    res.destroy(error as Error)
    throw error
  } finally {
    res.off('close', cancel)
  }
}

export function remixHandler(options: Options) {
  const handle = createRequestHandler(options.build)
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      const request = toRemixRequest(req, res, options.appOrigin)
      const response = await handle(request, options.getLoadContext(req, res))
      res.statusMessage = response.statusText
      res.status(response.status)
      for (const [key, value] of response.headers.entries()) res.append(key, value)
      if (response.headers.get('Content-Type')?.match(/text\/event-stream/i)) {
        res.flushHeaders()
        if (response.body) await writeBody(response.body, res, 0)
        else res.end()
      } else if (response.body) await writeBody(response.body, res, COALESCE_MS)
      else res.end()
    } catch (error) {
      next(error)
    }
  }
}
