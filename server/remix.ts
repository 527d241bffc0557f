import type { AppLoadContext, ServerBuild } from '@remix-run/node'
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable } from '@remix-run/node'
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

function toRemixRequest(req: ExpressRequest, res: ExpressResponse, appOrigin: string | undefined): Request {
  const url = new URL(req.originalUrl, appOrigin ?? requestOrigin(req))
  let controller: AbortController | null = new AbortController()
  const headers = remixHeaders(req)
  if (appOrigin) {
    // The app sees only the configured origin: refuseForeignOrigins() has already matched any
    // Origin header against it, and Remix's own check compares Origin with Host.
    headers.set('host', url.host)
    headers.delete('x-forwarded-host')
  }
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers, signal: controller.signal }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const body = takeBufferedBody(res)
    if (body) init.body = new Uint8Array(body)
    else {
      init.body = createReadableStreamFromReadable(req)
      init.duplex = 'half'
    }
  }
  // Abort loaders and actions once the response can no longer be written.
  res.on('finish', () => (controller = null))
  res.on('close', () => controller?.abort())
  return new Request(url.href, init)
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
      if (response.headers.get('Content-Type')?.match(/text\/event-stream/i)) res.flushHeaders()
      if (response.body) await writeReadableStreamToWritable(response.body, res)
      else res.end()
    } catch (error) {
      next(error)
    }
  }
}
