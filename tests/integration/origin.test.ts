import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { addMember, createPublishedWish, createTestInstitution, createUser, signedInCookie } from './helpers'
import { startServer, type ServerProcess } from './server-process'

// Issue 10 item 4 over real HTTP: with APP_ORIGIN set, every absolute URL the site builds
// (og:url, invitation links, the payment provider's return and checkout URLs) uses it, whatever
// Host header the request carries. The development server runs on this file's database.

const APP_ORIGIN = 'https://weinuan.example.org'
let server: ServerProcess

beforeAll(async () => {
  server = await startServer({
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    APP_ORIGIN,
    STRIPE_SECRET_KEY: undefined,
    PAYMENTS_MOCK: undefined,
  })
  await server.ready()
  await fetch(`${server.base}/`)
}, 120_000)
afterAll(async () => {
  await server?.stop()
})

const EVIL = { Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' }

describe('absolute URLs use APP_ORIGIN, never the Host header', () => {
  test('a wish page’s og:url and share link', async () => {
    const home = createTestInstitution()
    const wish = createPublishedWish(home.id)
    const res = await fetch(`${server.base}/wishes/${wish.id}`, { headers: EVIL })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain(`<meta property="og:url" content="${APP_ORIGIN}/wishes/${wish.id}"/>`)
    expect(html).toContain(`<meta property="og:image" content="${APP_ORIGIN}/wishes/${wish.id}/card.png?v=`)
    expect(html).not.toContain('evil.example')
  })

  test('an invitation link', async () => {
    const home = createTestInstitution()
    const manager = await createUser({ displayName: '院长' })
    addMember(manager.id, home.id, 'manager')
    const res = await fetch(`${server.base}/staff/${home.slug}/members`, {
      method: 'POST',
      body: new URLSearchParams({ intent: 'invite', role: 'staff' }),
      headers: { ...EVIL, Origin: APP_ORIGIN, Cookie: signedInCookie(manager.id), 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(new RegExp(`${APP_ORIGIN.replace(/\./g, '\\.')}/invite/[A-Za-z0-9_-]+`))
    expect(html).not.toContain('evil.example')
  })

  test('the checkout URL a money gift is sent to', async () => {
    const home = createTestInstitution()
    const donor = await createUser()
    const res = await fetch(`${server.base}/give?home=${home.slug}`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ amount: '5000', publicDisplay: 'anonymous' }),
      headers: { ...EVIL, Origin: APP_ORIGIN, Cookie: signedInCookie(donor.id), 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toMatch(new RegExp(`^${APP_ORIGIN.replace(/\./g, '\\.')}/dev/mock-checkout/cs_mock_[0-9a-f]+$`))
  })
})
