import http from 'node:http'
import type { AddressInfo } from 'node:net'
import zlib from 'node:zlib'
import compression from 'compression'
import express from 'express'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { writeBody } from '../../server/remix'

// server/remix.ts writeBody (issue 12): a Remix body that is complete within the hold time goes
// out in one write with a Content-Length; one still streaming after it keeps streaming.

type Source = (controller: ReadableStreamDefaultController<Uint8Array>) => Promise<void> | void

const sources = new Map<string, { source: Source; holdMs: number; cancel?: () => void }>()
let base = ''
let server: http.Server
/** Socket writes the server made per request path (write and writev calls). */
const writes = new Map<string, number>()

beforeAll(async () => {
  const app = express()
  app.use(compression())
  app.get('/:name', (req, res, next) => {
    const entry = sources.get(req.params.name)!
    let count = 0
    const socket = req.socket as unknown as { _writeGeneric: (...args: unknown[]) => unknown }
    const original = socket._writeGeneric
    socket._writeGeneric = function (this: unknown, ...args: unknown[]) {
      count++
      return original.apply(this, args)
    }
    res.on('finish', () => {
      writes.set(req.params.name, count)
      socket._writeGeneric = original
    })
    res.setHeader('Content-Type', 'text/html; charset=utf-8')
    const body = new ReadableStream<Uint8Array>({ start: (controller) => entry.source(controller), cancel: () => entry.cancel?.() })
    writeBody(body, res, entry.holdMs).catch(next)
  })
  server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => new Promise((resolve) => server.close(resolve)))

/** GET a path; onChunk sees each piece of the (decoded) body as it arrives. */
function get(path: string, headers: Record<string, string> = {}, onChunk?: (text: string) => void) {
  return new Promise<{ headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers, agent: false }, (res) => {
        const stream = res.headers['content-encoding'] === 'gzip' ? res.pipe(zlib.createGunzip()) : res
        let body = ''
        stream.on('data', (chunk: Buffer) => {
          body += chunk.toString()
          onChunk?.(chunk.toString())
        })
        stream.on('end', () => resolve({ headers: res.headers, body }))
        stream.on('error', reject)
      })
      .on('error', reject)
  })
}

const encoder = new TextEncoder()
const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('writeBody', () => {
  test('a body complete within the hold time: one write, with its Content-Length, byte for byte', async () => {
    const parts = Array.from({ length: 12 }, (_, i) => `<p>第 ${i} 段 ${'x'.repeat(2000)}</p>`)
    sources.set('page', {
      holdMs: 1000,
      source: async (controller) => {
        // Like React and Remix's streamed data: pieces over several ticks.
        for (const part of parts) {
          controller.enqueue(encoder.encode(part))
          await tick()
        }
        controller.close()
      },
    })
    const res = await get('/page')
    expect(res.body).toBe(parts.join(''))
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(parts.join(''))))
    expect(res.headers['transfer-encoding']).toBeUndefined()
    expect(writes.get('page')).toBe(1)

    // With gzip (compression in front): compressed in one piece, and it decodes to the same page.
    const gz = await get('/page', { 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gz.body).toBe(parts.join(''))
  })

  test('a body still streaming after the hold time is written as it comes', async () => {
    // The second piece is produced only once the client has read the first: a body held back
    // until its end would never finish.
    let firstSeen: () => void = () => {}
    const seen = new Promise<void>((resolve) => (firstSeen = resolve))
    sources.set('stream', {
      holdMs: 5,
      source: async (controller) => {
        controller.enqueue(encoder.encode('<p>shell</p>'))
        await seen
        controller.enqueue(encoder.encode('<p>later</p>'))
        controller.close()
      },
    })
    const res = await get('/stream', { 'accept-encoding': 'gzip' }, (text) => {
      if (text.includes('shell')) firstSeen()
    })
    expect(res.body).toBe('<p>shell</p><p>later</p>')
    expect(res.headers['content-length']).toBeUndefined()
  })

  test('hold time 0 (event streams): every piece at once', async () => {
    let firstSeen: () => void = () => {}
    const seen = new Promise<void>((resolve) => (firstSeen = resolve))
    sources.set('events', {
      holdMs: 0,
      source: async (controller) => {
        controller.enqueue(encoder.encode('data: 1\n\n'))
        await seen
        controller.enqueue(encoder.encode('data: 2\n\n'))
        controller.close()
      },
    })
    const res = await get('/events', {}, (text) => {
      if (text.includes('data: 1')) firstSeen()
    })
    expect(res.body).toBe('data: 1\n\ndata: 2\n\n')
  })

  test('a large body is not held back whole: it is written past 256 KB and arrives intact', async () => {
    const piece = 'y'.repeat(64 * 1024)
    sources.set('large', {
      holdMs: 60_000,
      source: async (controller) => {
        for (let i = 0; i < 10; i++) {
          controller.enqueue(encoder.encode(piece))
          await tick()
        }
        controller.close()
      },
    })
    const res = await get('/large')
    expect(res.body).toBe(piece.repeat(10))
    expect(res.headers['content-length']).toBeUndefined()
  })

  test('a body that fails midway cuts the response instead of ending it as if complete', async () => {
    sources.set('broken', {
      holdMs: 1000,
      source: async (controller) => {
        controller.enqueue(encoder.encode('<p>start</p>'))
        await tick()
        controller.error(new Error('render failed'))
      },
    })
    await expect(get('/broken')).rejects.toThrow()
  })

  test('a client that goes away cancels a body still streaming (the request carries no abort signal)', async () => {
    // An event stream that would never end by itself: its source must learn the client left.
    let cancelled: () => void = () => {}
    const wasCancelled = new Promise<void>((resolve) => (cancelled = resolve))
    let timer: NodeJS.Timeout | undefined
    sources.set('endless', {
      holdMs: 0,
      source: (controller) => {
        controller.enqueue(encoder.encode('data: 0\n\n'))
        timer = setInterval(() => controller.enqueue(encoder.encode('data: tick\n\n')), 5)
      },
      cancel: () => {
        clearInterval(timer)
        cancelled()
      },
    })
    await new Promise<void>((resolve, reject) => {
      const request = http.get(`${base}/endless`, { agent: false }, (res) => {
        res.once('data', () => {
          request.destroy()
          resolve()
        })
      })
      request.on('error', () => {})
      request.setTimeout(5000, () => reject(new Error('no first event')))
    })
    await wasCancelled
    clearInterval(timer)
  })
})
