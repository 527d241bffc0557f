import { Writable } from 'node:stream'
import express from 'express'
import { pino } from 'pino'
import { describe, expect, test } from 'vitest'
import { requestLog } from '../../server/request-log'

// server/request-log.ts: the one line per request production needs (issue 12: it replaced
// pino-http, keeping the shape of its line).

function appWithLog() {
  const lines: Array<Record<string, unknown>> = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>)
      callback()
    },
  })
  const app = express()
  app.use(requestLog(pino({ level: 'info' }, sink), { ignore: (req) => req.url.startsWith('/assets/') }))
  app.use(
    '/mounted',
    express.Router().get('/page', (_req, res) => void res.send('mounted')),
  )
  app.get('/ok', (_req, res) => void res.send('ok'))
  app.get('/broken', (_req, res) => void res.status(502).send('upstream'))
  app.get('/assets/app.js', (_req, res) => void res.send('js'))
  return { app, lines }
}

async function request(app: express.Express, paths: string[]) {
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as { port: number }
  try {
    for (const p of paths)
      await fetch(`http://127.0.0.1:${port}${p}`, { headers: { cookie: 'weinuan_session=secret-token' } }).then((r) => r.text())
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
}

describe('the request log', () => {
  test('one line per request: method, URL as asked, status and time; nothing else of the request', async () => {
    const { app, lines } = appWithLog()
    await request(app, ['/ok?x=1', '/mounted/page', '/broken', '/assets/app.js'])
    expect(lines.map((l) => [l.msg, l.req, l.res])).toEqual([
      ['request completed', { method: 'GET', url: '/ok?x=1' }, { statusCode: 200 }],
      ['request completed', { method: 'GET', url: '/mounted/page' }, { statusCode: 200 }],
      ['request errored', { method: 'GET', url: '/broken' }, { statusCode: 502 }],
    ])
    for (const line of lines) {
      expect(line.level).toBe(30)
      expect(typeof line.responseTime).toBe('number')
      expect(JSON.stringify(line)).not.toContain('secret-token')
    }
    expect((lines[2]!.err as { message: string }).message).toBe('failed with status code 502')
  })
})
