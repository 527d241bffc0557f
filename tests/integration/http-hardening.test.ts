import http from 'node:http'
import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { children, sessions, wishes } from '~db/schema'
import { claimWish } from '~/claims/claims.server'
import {
  addMember,
  createPublishedWish,
  createTestInstitution,
  createUser,
  findUserByEmail,
  signedInCookie,
  TEST_PASSWORD,
  unique,
} from './helpers'
import { startServer, type ServerProcess } from './server-process'

// Issue 10, items 1–3, over real HTTP: the development server (Vite) runs in a child process
// on this test file's database, so users and sessions made here are seen by the server.

let server: ServerProcess
let base = ''
let ipCounter = 0
/** A distinct client address per request (the server trusts X-Forwarded-For from loopback). */
function nextIp(): string {
  ipCounter += 1
  return `10.77.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`
}

beforeAll(async () => {
  server = await startServer({ NODE_ENV: 'development', LOG_LEVEL: 'warn' })
  base = server.base
  await server.ready()
  // First requests make Vite compile the app; do it once here rather than in a test.
  await fetch(`${base}/login`)
}, 120_000)
afterAll(async () => {
  await server?.stop()
})

function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(base + path, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base, 'X-Forwarded-For': nextIp(), ...headers },
  })
}

/** A test name that shows control characters as escapes. */
const show = (s: string) => JSON.stringify(s).replace(/[\u0080-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

const EVIL_REDIRECTS = [
  '/\t/evil.example',
  '/\r/evil.example',
  '/\n/evil.example',
  '//evil.example',
  '/\\evil.example',
  'https://evil.example',
  '/\u0085/evil.example',
]

describe('item 1: redirects after signing in or registering stay on this site', () => {
  for (const suffix of ['', '.data']) {
    for (const target of EVIL_REDIRECTS) {
      test(`POST /login${suffix} with redirectTo=${show(target)}`, async () => {
        const user = await createUser()
        const res = await post(`/login${suffix}`, { identifier: user.email!, password: TEST_PASSWORD, redirectTo: target })
        expect(res.status).toBeLessThan(500)
        const body = await res.text()
        if (suffix) {
          expect(res.status).toBe(202)
          expect(body).not.toContain('evil')
          expect(body).toMatch(/"redirect","\/"/)
        } else {
          expect(res.status).toBe(302)
          expect(res.headers.get('Location')).toBe('/')
        }
        expect(res.headers.get('Set-Cookie')).toMatch(/weinuan_session=/)
        expect(db.select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(1)
      })

      test(`POST /register${suffix} with redirectTo=${show(target)}`, async () => {
        const email = `${unique()}@test.example`
        const res = await post(`/register${suffix}`, {
          identifier: email,
          displayName: '甲',
          password: 'abcdefgh1',
          confirmPassword: 'abcdefgh1',
          redirectTo: target,
        })
        expect(res.status).toBeLessThan(500)
        const body = await res.text()
        if (suffix) {
          expect(res.status).toBe(202)
          expect(body).not.toContain('evil')
        } else {
          expect(res.status).toBe(302)
          // On to 输入验证码, the unsafe target dropped.
          expect(res.headers.get('Location')).toBe('/account/verify')
        }
        const user = findUserByEmail(email)
        expect(user).toBeDefined()
        expect(db.select().from(sessions).where(eq(sessions.userId, user!.id)).all()).toHaveLength(1)
      })
    }
  }

  test('a same-site path with a query survives', async () => {
    const user = await createUser()
    const res = await post('/login', { identifier: user.email!, password: TEST_PASSWORD, redirectTo: '/wishes?category=study#list' })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/wishes?category=study#list')
  })
})

/** Send `size` bytes to `path` with node:http (chunked unless told), resolving on the response. */
function sendBody(path: string, size: number, options: { chunked?: boolean; contentType?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
    const url = new URL(base + path)
    const headers: Record<string, string> = {
      'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded',
      Origin: base,
      'X-Forwarded-For': nextIp(),
      ...options.headers,
    }
    if (!options.chunked) headers['Content-Length'] = String(size)
    // A fresh connection each time (no agent pool): a reused idle socket could race its close.
    // Keep-alive, as browsers send it: the server then drains the refused body instead of
    // closing a "Connection: close" socket under a client that is still writing (EPIPE).
    headers.Connection = 'keep-alive'
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent: false })
    let answered = false
    req.on('response', (res) => {
      answered = true
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (body += d))
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body })
        // Close the kept-alive socket once everything queued has been flushed.
        if (req.writableFinished) req.destroy()
        else req.once('finish', () => req.destroy())
      })
      res.on('error', reject)
    })
    // The server may close the connection while we are still sending: that is the point. Once
    // the answer is in, the kept-alive socket is detached from the request, so its late write
    // errors (ECANCELED, EPIPE) are expected and swallowed here.
    req.on('error', (error) => {
      if (!answered) reject(error)
    })
    req.on('socket', (socket) => socket.on('error', () => {}))
    const chunk = Buffer.alloc(64 * 1024, 'a')
    let sent = 0
    const write = () => {
      // Like a browser, keep sending the whole body even once the answer has come.
      while (sent < size && !req.destroyed) {
        const n = Math.min(chunk.length, size - sent)
        sent += n
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          req.once('drain', write)
          return
        }
      }
      if (sent >= size) req.end()
    }
    write()
  })
}

describe('item 2: oversized bodies are refused with 413 before the app reads them', () => {
  test('a 20 MB form body to /login gets a Chinese 413 page and the server stays healthy', async () => {
    const res = await sendBody('/login', 20 * 1024 * 1024)
    expect(res.status).toBe(413)
    expect(res.contentType).toMatch(/text\/html/)
    expect(res.body).toContain('提交的内容过大')
    const health = await fetch(`${base}/healthz`)
    expect(health.status).toBe(200)
  })

  test('a 20 MB chunked body (no Content-Length) to /login gets 413 too', async () => {
    const res = await sendBody('/login', 20 * 1024 * 1024, { chunked: true })
    expect(res.status).toBe(413)
    expect(res.body).toContain('提交的内容过大')
    expect((await fetch(`${base}/healthz`)).status).toBe(200)
  })

  test('an ordinary form just over 64 KB is refused, one under it is read', async () => {
    const over = await sendBody('/login.data', 64 * 1024 + 1)
    expect(over.status).toBe(413)
    const res = await post('/login', { identifier: '', password: '', padding: 'x'.repeat(60 * 1024) })
    expect(res.status).toBe(400)
  })

  test('API and webhook paths answer 413 in JSON', async () => {
    const api = await sendBody('/api/ledger', 200 * 1024, { contentType: 'application/json' })
    expect(api.status).toBe(413)
    expect(api.contentType).toMatch(/application\/json/)
    expect(JSON.parse(api.body)).toMatchObject({ error: expect.stringContaining('提交的内容过大') })
    const hook = await sendBody('/webhooks/stripe', 2 * 1024 * 1024, { contentType: 'application/json', chunked: true })
    expect(hook.status).toBe(413)
    expect(hook.contentType).toMatch(/application\/json/)
  })

  test('a legitimate image upload still works; one far over the image limit is refused', async () => {
    const home = createTestInstitution()
    const staff = await createUser({ displayName: '社工' })
    addMember(staff.id, home.id, 'staff')
    const child = db
      .insert(children)
      .values({ institutionId: home.id, realName: '上传测试', birthDate: '2016-01-01', gender: 'female', pseudonym: '小云' })
      .returning()
      .get()
    const wish = db
      .insert(wishes)
      .values({ institutionId: home.id, childId: child.id, category: 'study', title: '一盒彩笔', story: '想画画。' })
      .returning()
      .get()
    const cookie = signedInCookie(staff.id)
    // ~1.5 MB of noise: a big but legitimate phone photo.
    const noise = Buffer.alloc(1200 * 900 * 3)
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24
    const photo = await sharp(noise, { raw: { width: 1200, height: 900, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer()
    expect(photo.byteLength).toBeGreaterThan(64 * 1024)
    const form = new FormData()
    form.append('image', new File([new Uint8Array(photo)], 'photo.jpg', { type: 'image/jpeg' }))
    const path = `/staff/${home.slug}/wishes/${wish.id}`
    const ok = await fetch(base + path, { method: 'POST', body: form, redirect: 'manual', headers: { Cookie: cookie, Origin: base } })
    expect(ok.status).toBe(200)
    expect(db.select().from(wishes).where(eq(wishes.id, wish.id)).get()?.imageKey).toBeTruthy()

    const tooBig = await sendBody(path, 12 * 1024 * 1024, { contentType: 'multipart/form-data; boundary=xyz', headers: { Cookie: cookie } })
    expect(tooBig.status).toBe(413)
  })
})

describe('item 3: private responses are never stored by caches', () => {
  async function setUp() {
    const home = createTestInstitution()
    const staff = await createUser({ displayName: '社工' })
    addMember(staff.id, home.id, 'staff')
    const child = db
      .insert(children)
      .values({ institutionId: home.id, realName: '缓存测试', birthDate: '2015-05-01', gender: 'male', pseudonym: '小树' })
      .returning()
      .get()
    const donor = await createUser({ displayName: '捐赠人' })
    const wish = createPublishedWish(home.id)
    const claim = claimWish({ userId: donor.id, wishId: wish.id, publicDisplay: 'anonymous' })
    if (!claim.ok) throw new Error('claim failed')
    return { home, child, staffCookie: signedInCookie(staff.id), donorCookie: signedInCookie(donor.id), claimId: claim.claimId }
  }

  test('signed-in pages, single-fetch data and resource routes say private, no-store', async () => {
    const s = await setUp()
    const urls: Array<[string, string]> = [
      [`/staff/${s.home.slug}/children/${s.child.id}`, s.staffCookie],
      [`/staff/${s.home.slug}/children/${s.child.id}.data`, s.staffCookie],
      [`/staff/${s.home.slug}`, s.staffCookie],
      [`/me/claims/${s.claimId}/label`, s.donorCookie],
      ['/me/claims', s.donorCookie],
      ['/account', s.donorCookie],
      ['/', s.donorCookie],
      ['/_root.data', s.donorCookie],
      ['/wishes', s.donorCookie],
    ]
    for (const [url, cookie] of urls) {
      const res = await fetch(base + url, { headers: { Cookie: cookie }, redirect: 'manual' })
      expect(res.status, url).toBe(200)
      expect(res.headers.get('Cache-Control'), url).toBe('private, no-store')
      await res.arrayBuffer()
    }
  })

  test('private areas say so to visitors who are not signed in too', async () => {
    const s = await setUp()
    for (const url of [`/staff/${s.home.slug}/children/${s.child.id}`, '/me/claims', '/admin', '/account']) {
      const res = await fetch(base + url, { redirect: 'manual' })
      expect(res.status, url).toBe(302)
      expect(res.headers.get('Cache-Control'), url).toBe('private, no-store')
    }
  })

  test('a response that sets a cookie is private', async () => {
    const user = await createUser()
    const res = await post('/login', { identifier: user.email!, password: TEST_PASSWORD })
    expect(res.headers.get('Set-Cookie')).toBeTruthy()
    expect(res.headers.get('Cache-Control')).toBe('private, no-store')
  })

  test('public pages for visitors who are not signed in are left cacheable', async () => {
    const res = await fetch(`${base}/wishes`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Cache-Control') ?? '').not.toContain('no-store')
  })
})
