import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { refuseForeignOrigins } from '../../server/security'

// The middleware in front of every route, exercised over real HTTP.
let base = ''
let close: () => void = () => {}
beforeAll(async () => {
  const app = express()
  app.use(refuseForeignOrigins(undefined))
  app.all('/thing', (_req, res) => res.send('ok'))
  const server = app.listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => server.close()
})
afterAll(() => close())

describe('cross-site requests', () => {
  test('a POST from another origin is refused', async () => {
    const res = await fetch(`${base}/thing`, { method: 'POST', headers: { Origin: 'http://evil.example' } })
    expect(res.status).toBe(403)
    expect(await res.text()).toMatch(/请求来源不被允许/)
  })
  test('a POST marked cross-site by the browser is refused', async () => {
    const res = await fetch(`${base}/thing`, { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' } })
    expect(res.status).toBe(403)
  })
  test('a POST from this origin passes', async () => {
    const res = await fetch(`${base}/thing`, { method: 'POST', headers: { Origin: base } })
    expect(res.status).toBe(200)
  })
  test('GET from anywhere passes (GET changes nothing)', async () => {
    const res = await fetch(`${base}/thing`, { headers: { Origin: 'http://evil.example' } })
    expect(res.status).toBe(200)
  })
})
