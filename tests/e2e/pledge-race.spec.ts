import type { APIRequestContext } from '@playwright/test'
import { expect, fixtureData, test } from './fixtures'
import { uniquePhone } from './utils'

// Over-pledging through the real server: 60 members each pledge 1 unit of a 50-unit need in
// the same instant. Exactly 50 pledges are accepted and the total never exceeds the need.

const MEMBERS = 60
const NEEDED = 50

/** Tomorrow in Asia/Shanghai as YYYY-MM-DD. */
function tomorrow(): string {
  return new Date(Date.now() + 8 * 3600_000 + 24 * 3600_000).toISOString().slice(0, 10)
}

test(`of ${MEMBERS} simultaneous 1-unit pledges on a ${NEEDED}-unit need exactly ${NEEDED} are accepted`, async ({
  playwright,
  baseURL,
  insertHome,
  insertNeed,
}) => {
  test.setTimeout(240_000)
  const { id: needId } = await insertNeed(await insertHome(), {
    title: `饮用水抢捐 ${Math.random().toString(36).slice(2, 7)}`,
    unit: '箱',
    quantityNeeded: NEEDED,
    urgency: 'urgent',
  })

  // Connection: close gives every request a fresh socket, like separate phones.
  const members: APIRequestContext[] = []
  for (let i = 0; i < MEMBERS; i++) {
    // Its own address too (X-Forwarded-For, believed from loopback): one address may only register so often.
    const member = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Origin: baseURL!, Connection: 'close', 'X-Forwarded-For': `10.21.${Math.floor(i / 250)}.${(i % 250) + 1}` },
    })
    const registered = await member.post('/register', {
      form: {
        identifier: uniquePhone(),
        displayName: `认捐${i}`,
        password: 'warm-hearts-2026',
        confirmPassword: 'warm-hearts-2026',
        redirectTo: '/',
      },
      maxRedirects: 0,
    })
    expect(registered.status(), await registered.text()).toBe(302)
    members.push(member)
  }

  const pages = await Promise.all(members.map((member) => member.get(`/needs/${needId}`)))
  for (const page of pages) expect(page.status()).toBe(200)

  const expectedAt = tomorrow()
  const responses = await Promise.all(
    members.map((member) =>
      // ?index: the need page is an index route, as a <Form> on it posts.
      member.post(`/needs/${needId}?index`, { form: { quantity: '1', expectedAt, publicDisplay: 'anonymous' }, maxRedirects: 0 }),
    ),
  )
  const accepted = responses.filter((r) => r.status() === 302)
  const refused = responses.filter((r) => r.status() === 409)
  expect(accepted).toHaveLength(NEEDED)
  expect(refused).toHaveLength(MEMBERS - NEEDED)
  for (const res of accepted) expect(res.headers()['location']).toMatch(/^\/me\/donations\?pledged=1#pledge-\d+$/)

  const { rows, needStatus } = (await fixtureData()).pledgesOfNeed(needId)
  expect(rows).toHaveLength(NEEDED)
  expect(rows.reduce((sum, r) => sum + r.quantity, 0)).toBe(NEEDED)
  expect(new Set(rows.map((r) => r.userId)).size).toBe(NEEDED)
  expect(needStatus).toBe('fully_pledged')

  // A late member is told it is full.
  const late = await members[0]!.get(`/needs/${needId}`)
  expect(await late.text()).toContain('已经认捐满')

  await Promise.all(members.map((m) => m.dispose()))
})
