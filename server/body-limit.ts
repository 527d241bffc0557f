import type { NextFunction, Request, Response } from 'express'
import { MAX_IMAGE_BYTES } from '~/images/images.server'

// Request body limits, enforced before Remix sees a byte: a declared Content-Length over the
// limit is refused at once, and a body without one (chunked) is counted as it arrives and
// refused as soon as it passes the limit. Bodies within the limit are read here (never more
// than the limit is held) and handed to Remix by server/remix.ts.

const KB = 1024
/** Every ordinary form. The largest are 2,000-character texts (about 18 KB percent-encoded) and bulk wish actions. */
export const FORM_BODY_LIMIT = 64 * KB
/** Stripe's event payloads are far smaller; 1 MB leaves room without inviting abuse. */
export const WEBHOOK_BODY_LIMIT = 1024 * KB

/** Multipart upload routes and how many images each takes (plus room for the other fields). */
const UPLOAD_ROUTES: Array<{ path: RegExp; images: number }> = [
  // staff.$slug.wishes.$wishId: one wish image.
  { path: /^\/staff\/[^/]+\/wishes\/\d+(?:\.data)?$/, images: 1 },
  // staff.$slug.allocations: up to 4 evidence images (MAX_EVIDENCE there).
  { path: /^\/staff\/[^/]+\/allocations(?:\.data)?$/, images: 4 },
  // staff.$slug.feedback.$kind.$subjectId: one feedback photo (执行反馈) per upload.
  { path: /^\/staff\/[^/]+\/feedback\/(?:wish|need|allocation)\/\d+(?:\.data)?$/, images: 1 },
]

export function bodyLimitFor(path: string, contentType: string | undefined): number {
  if (path === '/webhooks/stripe') return WEBHOOK_BODY_LIMIT
  if ((contentType ?? '').toLowerCase().startsWith('multipart/form-data')) {
    const upload = UPLOAD_ROUTES.find((r) => r.path.test(path))
    if (upload) return upload.images * MAX_IMAGE_BYTES + FORM_BODY_LIMIT
  }
  return FORM_BODY_LIMIT
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * KB ? `${Math.round(bytes / (1024 * KB))} MB` : `${Math.round(bytes / KB)} KB`
}

const tooLargeMessage = (limit: number) =>
  `提交的内容过大（上限 ${sizeText(limit)}），请删减后再试；图片请压缩到 ${sizeText(MAX_IMAGE_BYTES)} 以内`

function tooLargePage(limit: number): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>提交的内容过大 · 微暖</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.6">
<h1 style="font-size: 1.5rem">提交的内容过大</h1>
<p>${tooLargeMessage(limit)}。</p>
<p>请返回上一页修改后重新提交，或 <a href="/">返回首页</a>。</p>
</body></html>`
}

function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path.startsWith('/webhooks/')
}

/**
 * Past this much, the rest of a refused body is not even discarded: the connection is cut.
 * Below it the body is drained (read and dropped, never held), so that browsers and other
 * clients still sending it read the 413 instead of a reset connection.
 */
const DRAIN_LIMIT = 32 * 1024 * KB

/** 413 at once; the app never sees the body. */
function refuse(req: Request, res: Response, limit: number, received: number) {
  if (res.headersSent) return
  const declared = Number(req.get('content-length') ?? 0)
  const cut = declared > DRAIN_LIMIT
  res.status(413).set('Cache-Control', 'no-store')
  if (cut) res.set('Connection', 'close')
  if (wantsJson(req)) res.json({ error: tooLargeMessage(limit) })
  else res.type('html').send(tooLargePage(limit))
  if (cut) return
  let drained = received
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length
    if (drained > DRAIN_LIMIT) req.socket.destroy()
  })
  req.resume()
}

const BODY = Symbol('weinuan.body')
type WithBody = Response & { [BODY]?: Buffer }

/** The body read by limitRequestBody, once (server/remix.ts). */
export function takeBufferedBody(res: Response): Buffer | undefined {
  const body = (res as WithBody)[BODY]
  delete (res as WithBody)[BODY]
  return body
}

export function limitRequestBody() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next()
    const limit = bodyLimitFor(req.path, req.get('content-type'))
    const declared = req.get('content-length')
    if (declared !== undefined && !(Number(declared) <= limit)) return refuse(req, res, limit, 0)
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const onData = (chunk: Buffer) => {
      if (settled) return
      size += chunk.length
      if (size > limit) {
        settled = true
        chunks.length = 0
        req.off('data', onData)
        refuse(req, res, limit, size)
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.once('end', () => {
      if (settled) return
      settled = true
      req.off('data', onData)
      ;(res as WithBody)[BODY] = Buffer.concat(chunks, size)
      next()
    })
    req.once('error', (error) => {
      if (settled) return
      settled = true
      next(error)
    })
  }
}
