import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import express, { type Request, type Response } from 'express'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { sqlite } from '~db/client.server'
import { claimWish } from '~/claims/claims.server'
import { recordAudit } from '~/audit/audit.server'
import { writeTransaction } from '~db/client.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { recordWalkInGift } from '~/needs/walk-in.server'
import { builtFiles } from '../../server/app'
import { PageCache } from '../../server/page-cache'
import { cspNonce, privateResponses, securityHeaders } from '../../server/security'
import { addMember, createPublishedWish, createTestInstitution, createUser, signedInCookie, unique } from './helpers'
import { startServer, type ServerProcess } from './server-process'

// Issue 12, page rendering: the cache of anonymous public pages (server/page-cache.ts,
// docs/decisions/015-public-page-cache.md).

const generation = () => sqlite.prepare('SELECT generation FROM public_generation WHERE id = 1').pluck().get() as number
const htmlNonces = (html: string) => [...new Set([...html.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]))]
const cspNonceOf = (res: globalThis.Response) => /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1]

describe('invalidation: the public generation', () => {
  test('claiming a wish and recording a gift bump it; sessions, the audit log and notifications do not', async () => {
    const home = createTestInstitution()
    const donor = await createUser()
    const staff = await createUser()
    addMember(staff.id, home.id, 'staff')
    const wish = createPublishedWish(home.id)

    let before = generation()
    expect(claimWish({ userId: donor.id, wishId: wish.id, publicDisplay: 'anonymous' }).ok).toBe(true)
    expect(generation()).toBeGreaterThan(before)

    before = generation()
    const gift = recordWalkInGift({ userId: staff.id, ip: null }, home.id, {
      kind: 'goods',
      items: '大米 2 袋',
      quantity: 2,
      unit: '袋',
      channel: 'desk',
      donorName: '王某',
      publicDisplay: 'anonymous',
    })
    expect(gift.ok).toBe(true)
    expect(generation()).toBeGreaterThan(before)

    before = generation()
    signedInCookie(donor.id) // a session row
    writeTransaction((tx) => {
      recordAudit(tx, { userId: staff.id, ip: null }, { institutionId: home.id, action: 'test.noop', entityType: 'test' })
      enqueueNotification(tx, { userId: donor.id, template: 'test', subject: '测试', body: '测试' })
    })
    sqlite.prepare('UPDATE notifications SET status = status').run()
    expect(generation()).toBe(before)
  })

  test('every table bumps it on insert, update and delete, or is on the list of tables no public page shows', () => {
    // A new table must be decided on: give it the three triggers (migration public_generation)
    // or add it here with the reason no public page shows its rows.
    // Never shown publicly (job_leases and rate_limits are written all the time: a trigger there
    // would empty every cache each minute), or derived: written only in the same transaction as
    // a table that bumps (ledger_nodes with ledger_leaves, donation_months with donations,
    // disclosure_totals with disclosures).
    const neverPublic = new Set([
      'sessions',
      'audit_log',
      'notifications',
      'processed_events',
      'invitations',
      'public_generation',
      'job_leases',
      'rate_limits',
      'ledger_nodes',
      'donation_months',
      'disclosure_totals',
      'public_totals',
      'verification_codes',
      // 月捐 (issue 14): private rows; their public counts live in monthly_gift_totals, which bumps.
      'monthly_gifts',
      'monthly_gift_charges',
      // written only in the same transaction as the matched entry in donations (which bumps)
      'matching_matches',
    ])
    const tables = (
      sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'")
        .pluck()
        .all() as string[]
    ).sort()
    const triggers = new Set(
      sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'public_generation_%'").pluck().all() as string[],
    )
    const undecided = tables.filter(
      (t) => !neverPublic.has(t) && ['insert', 'update', 'delete'].some((op) => !triggers.has(`public_generation_${t}_${op}`)),
    )
    expect(undecided).toEqual([])
    for (const t of neverPublic) expect([...triggers].filter((name) => name.startsWith(`public_generation_${t}_`))).toEqual([])
  })
})

// The real server (Vite dev, PAGE_CACHE=on) in a child process on this file's database: every
// write made here is a write from another process and connection.
describe('over HTTP', () => {
  let server: ServerProcess
  let base = ''
  beforeAll(async () => {
    server = await startServer({ NODE_ENV: 'development', LOG_LEVEL: 'warn', PAGE_CACHE: 'on' })
    base = server.base
    await server.ready()
    await fetch(`${base}/wishes`) // Vite compiles the app on the first request
  }, 120_000)
  afterAll(async () => {
    await server?.stop()
  })

  const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers, redirect: 'manual' })

  test('a wish page is served from the cache until the wish is claimed in another process, then the new page', async () => {
    const home = createTestInstitution()
    const donor = await createUser()
    const wish = createPublishedWish(home.id, { title: unique('一个书包') })
    const first = await get(`/wishes/${wish.id}`)
    expect(first.status).toBe(200)
    expect(first.headers.get('x-cache')).toBe('MISS')
    expect(await first.text()).toContain('认领这个心愿')
    const second = await get(`/wishes/${wish.id}`)
    expect(second.headers.get('x-cache')).toBe('HIT')
    expect(await second.text()).toContain('认领这个心愿')

    expect(claimWish({ userId: donor.id, wishId: wish.id, publicDisplay: 'anonymous' }).ok).toBe(true)
    const after = await get(`/wishes/${wish.id}`)
    expect(after.headers.get('x-cache')).toBe('MISS')
    const html = await after.text()
    expect(html).toContain('已被认领')
  })

  test('the public log shows a gift recorded in another process at once, document and .data alike', async () => {
    const home = createTestInstitution()
    const staff = await createUser()
    addMember(staff.id, home.id, 'staff')
    const items = unique('棉衣')
    for (const path of ['/ledger', '/ledger.data']) {
      await get(path)
      expect((await get(path)).headers.get('x-cache')).toBe('HIT')
    }
    expect(
      recordWalkInGift({ userId: staff.id, ip: null }, home.id, {
        kind: 'goods',
        items,
        quantity: 1,
        unit: '件',
        channel: 'desk',
        donorName: '李某',
        publicDisplay: 'anonymous',
      }).ok,
    ).toBe(true)
    for (const path of ['/ledger', '/ledger.data']) {
      const res = await get(path)
      expect(res.headers.get('x-cache')).toBe('MISS')
      expect(await res.text()).toContain(items)
    }
  })

  test('a claim made through the server itself invalidates its own cache', async () => {
    const home = createTestInstitution()
    const donor = await createUser()
    const wish = createPublishedWish(home.id)
    await get(`/wishes/${wish.id}`)
    expect((await get(`/wishes/${wish.id}`)).headers.get('x-cache')).toBe('HIT')
    const claim = await fetch(`${base}/wishes/${wish.id}/claim`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ publicDisplay: 'anonymous' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base, Cookie: signedInCookie(donor.id) },
    })
    expect(claim.status).toBe(302)
    const after = await get(`/wishes/${wish.id}`)
    expect(after.headers.get('x-cache')).toBe('MISS')
    expect(await after.text()).toContain('已被认领')
  })

  test('two responses from the cache carry different nonces, each used throughout its page', async () => {
    await get('/institutions')
    const a = await get('/institutions')
    const b = await get('/institutions')
    expect([a.headers.get('x-cache'), b.headers.get('x-cache')]).toEqual(['HIT', 'HIT'])
    const [na, nb] = [htmlNonces(await a.text()), htmlNonces(await b.text())]
    expect(na).toHaveLength(1)
    expect(nb).toHaveLength(1)
    expect(na[0]).not.toBe(nb[0])
  })

  test('ETag, Cache-Control and Vary for a CDN; If-None-Match gets a 304 without a CSP', async () => {
    const home = createTestInstitution()
    const wish = createPublishedWish(home.id)
    const page = await get(`/wishes/${wish.id}`)
    expect(page.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate')
    expect(page.headers.get('vary')).toMatch(/\bCookie\b/)
    const etag = page.headers.get('etag')
    expect(etag).toMatch(/^W\/"[\w-]+"$/)

    for (const outcome of ['HIT', 'HIT']) {
      const res = await get(`/wishes/${wish.id}`, { 'If-None-Match': etag! })
      expect(res.status).toBe(304)
      expect(res.headers.get('x-cache')).toBe(outcome)
      expect(res.headers.get('etag')).toBe(etag)
      expect(res.headers.get('content-security-policy')).toBeNull()
      expect(await res.text()).toBe('')
    }
    const other = await get(`/wishes/${wish.id}`, { 'If-None-Match': 'W/"something-else"' })
    expect(other.status).toBe(200)

    // The page changes: the old ETag no longer matches, and the new page gets a new one.
    const donor = await createUser()
    claimWish({ userId: donor.id, wishId: wish.id, publicDisplay: 'anonymous' })
    const changed = await get(`/wishes/${wish.id}`, { 'If-None-Match': etag! })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
    // A fresh render of the same page (after an unrelated write) keeps its ETag: the nonce is not part of it.
    const again = changed.headers.get('etag')!
    createTestInstitution()
    const rerendered = await get(`/wishes/${wish.id}`, { 'If-None-Match': again })
    expect(rerendered.headers.get('x-cache')).toBe('MISS')
    expect(rerendered.status).toBe(304)
  })

  test('signed-in requests are never served from the cache nor stored into it', async () => {
    const user = await createUser({ displayName: unique('签名用户') })
    const cookie = signedInCookie(user.id)
    const home = createTestInstitution()
    const wish = createPublishedWish(home.id)

    await get(`/wishes/${wish.id}`)
    expect((await get(`/wishes/${wish.id}`)).headers.get('x-cache')).toBe('HIT')
    const signedIn = await get(`/wishes/${wish.id}`, { Cookie: cookie })
    expect(signedIn.headers.get('x-cache')).toBeNull()
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store')
    expect(signedIn.headers.get('etag')).toBeNull()
    expect(await signedIn.text()).toContain(user.displayName)

    // Signed in first: nothing stored, so the next anonymous request renders.
    const other = createPublishedWish(home.id)
    for (const path of [`/wishes/${other.id}`, `/wishes/${other.id}.data`]) {
      const mine = await get(path, { Cookie: cookie })
      expect(await mine.text()).toContain(user.displayName)
      const anonymous = await get(path)
      expect(anonymous.headers.get('x-cache')).toBe('MISS')
      expect(await anonymous.text()).not.toContain(user.displayName)
    }

    // The Secure name of the session cookie bypasses the cache too, whatever its value.
    const secureName = await get(`/wishes/${wish.id}`, { Cookie: '__Host-weinuan_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' })
    expect(secureName.headers.get('x-cache')).toBeNull()
    expect(secureName.headers.get('cache-control')).toBe('private, no-store')
  })

  test('consoles and personal pages are never cached', async () => {
    for (const path of ['/me/claims', '/staff', '/admin', '/account', '/me.data']) {
      const res = await get(path)
      expect(res.headers.get('x-cache'), path).toBeNull()
      expect(res.headers.get('cache-control'), path).toBe('private, no-store')
    }
  })
})

// The middleware chain of server/app.ts with the production CSP, in this process, in front of a
// stand-in for Remix whose answer each test chooses.
describe('in front of a route', () => {
  let base = ''
  let listener: http.Server
  let renders = 0
  let now = 1_000_000
  let route: (req: Request, res: Response) => void = () => {}
  const cache = new PageCache({ generation, ttlMs: 30_000, maxEntries: 3, maxBytes: 64 * 1024, clock: () => now })

  beforeAll(async () => {
    const app = express()
    app.use(cspNonce)
    app.use(securityHeaders({ dev: false }))
    app.all('*', privateResponses, cache.middleware(), (req, res) => {
      renders += 1
      route(req, res)
    })
    listener = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => listener.once('listening', resolve))
    base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise((resolve) => listener.close(resolve)))

  /** A page that uses its response's nonce twice, written in chunks like React's stream. */
  const page =
    (body = '页面') =>
    (_req: Request, res: Response) => {
      const nonce = res.locals.cspNonce as string
      res.status(200).type('text/html; charset=utf-8')
      res.write(`<!DOCTYPE html><html><body><script nonce="${nonce}">1</script>`)
      res.write(`<p>${body}</p><script nonce="${nonce}">2</script>`)
      res.end('</body></html>')
    }
  const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers })

  test('each response, cached or not, has one fresh nonce, the same in the CSP header and the HTML', async () => {
    route = page()
    const seen = new Set<string>()
    for (const outcome of ['MISS', 'HIT', 'HIT']) {
      const res = await get('/nonce')
      expect(res.headers.get('x-cache')).toBe(outcome)
      const nonces = htmlNonces(await res.text())
      expect(nonces).toHaveLength(1)
      expect(cspNonceOf(res)).toBe(nonces[0])
      seen.add(nonces[0]!)
    }
    expect(seen.size).toBe(3)
    expect(renders).toBeGreaterThan(0)
  })

  test('with Accept-Encoding: gzip a cached page is sent compressed once, each response with its own nonce', async () => {
    route = page('压缩'.repeat(500))
    const raw = (path: string) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http
          .get(`${base}${path}`, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } }, (res) => {
            const chunks: Buffer[] = []
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }))
          })
          .on('error', reject)
      })
    const seen = new Set<string>()
    for (const outcome of ['MISS', 'HIT', 'HIT']) {
      const res = await raw('/gzip')
      expect(res.headers['x-cache']).toBe(outcome)
      expect(res.headers['content-encoding']).toBe('gzip')
      expect(res.headers.vary).toMatch(/Accept-Encoding/)
      const html = zlib.gunzipSync(res.body).toString() // checks the CRC and length too
      expect(html).toContain('压缩'.repeat(500))
      const nonces = htmlNonces(html)
      expect(nonces).toHaveLength(1)
      expect(String(res.headers['content-security-policy'])).toContain(`'nonce-${nonces[0]}'`)
      seen.add(nonces[0]!)
    }
    expect(seen.size).toBe(3)
  })

  test('a response that sets a cookie is never stored', async () => {
    route = (req, res) => {
      res.append('Set-Cookie', 'flash=1; Path=/; HttpOnly')
      page()(req, res)
    }
    for (let i = 0; i < 2; i++) {
      const res = await get('/sets-cookie')
      expect(res.headers.get('x-cache')).toBeNull()
      expect(res.headers.get('cache-control')).toBe('private, no-store')
    }
  })

  test('a response the route marks private or no-store is never stored, nor one that is not a 200 page', async () => {
    const cases: Array<[string, (req: Request, res: Response) => void]> = [
      ['/private', (req, res) => (res.setHeader('Cache-Control', 'private, max-age=60'), page()(req, res))],
      ['/no-store', (req, res) => (res.setHeader('Cache-Control', 'no-store'), page()(req, res))],
      ['/not-found', (_req, res) => res.status(404).type('text/html').end('<p>没有</p>')],
      ['/json', (_req, res) => res.status(200).type('application/json').end('{}')],
    ]
    for (const [path, handler] of cases) {
      route = handler
      const before = renders
      await get(path)
      const res = await get(path)
      expect(res.headers.get('x-cache'), path).toBeNull()
      expect(renders - before, path).toBe(2)
    }
  })

  test('pages expire after the TTL, and the cache keeps at most its number of entries (least recently used go)', async () => {
    route = page()
    await get('/ttl')
    now += 29_000
    expect((await get('/ttl')).headers.get('x-cache')).toBe('HIT')
    now += 31_000
    expect((await get('/ttl')).headers.get('x-cache')).toBe('MISS')

    for (const path of ['/a', '/b', '/c']) await get(path)
    await get('/a') // used: /b is now the least recently used
    await get('/d')
    expect(cache.size.entries).toBe(3)
    expect((await get('/b')).headers.get('x-cache')).toBe('MISS')
    expect((await get('/a')).headers.get('x-cache')).toBe('HIT')
  })

  test('the cache keeps at most its number of bytes', async () => {
    route = page('大'.repeat(10_000)) // ~30 KB each; the limit is 64 KB
    for (const path of ['/big1', '/big2', '/big3']) await get(path)
    expect(cache.size.bytes).toBeLessThanOrEqual(64 * 1024)
    expect((await get('/big1')).headers.get('x-cache')).toBe('MISS')
    expect((await get('/big3')).headers.get('x-cache')).toBe('HIT')
  })
})

describe('built files', () => {
  test('favicon.svg is served from the build, and a page request makes no file-system lookup', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weinuan-client-'))
    fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    const app = express()
    app.use(builtFiles(dir))
    app.use((_req, res) => res.status(200).type('text/plain').end('page'))
    const listener = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => listener.once('listening', resolve))
    const origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
    try {
      const icon = await fetch(`${origin}/favicon.svg`)
      expect(icon.status).toBe(200)
      expect(await icon.text()).toContain('<svg')
      const stat = vi.spyOn(fs, 'stat')
      const pageRes = await fetch(`${origin}/wishes`)
      expect(await pageRes.text()).toBe('page')
      expect(stat).not.toHaveBeenCalled()
    } finally {
      await new Promise((resolve) => listener.close(resolve))
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
