import Database from 'better-sqlite3'
import { generateHOTP } from '@oslojs/otp'
import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { institutions, sessions, users } from '~db/schema'
import { decryptSecret, DEV_TOTP_ENCRYPTION_KEY } from '~/auth/two-factor-key.server'
import { keyFromText } from '~/auth/two-factor.server'
import { sessionIdFromToken } from '~/auth/session.server'
import { action as setupAction, loader as setupLoader } from '~/routes/account_.two-factor'
import { loader as adminLoader } from '~/routes/admin._index'
import { action as loginAction } from '~/routes/login'
import { action as recoveryAction } from '~/routes/login_.recovery'
import { action as secondStepAction, loader as secondStepLoader } from '~/routes/login_.two-factor'
import { loader as myClaimsLoader } from '~/routes/me.claims'
import { loader as consoleLoader } from '~/routes/staff.$slug'
import { action as settingsAction } from '~/routes/staff.$slug.settings'
import { testClock } from '~/utils/clock.server'
import { productionProblems } from '../../server/production'
import {
  addMember,
  context,
  cookieFrom,
  createUser,
  formRequest,
  getRequest,
  homeWithStaff,
  run,
  signedInCookie,
  TEST_PASSWORD,
} from './helpers'

// Issue 13: two-step sign-in (app/auth/two-factor.server.ts) — the rules, through the routes.

const T0 = new Date('2026-03-02T02:00:00.000Z')
let address = 0
/** Each test its own address, so the per-address sign-in window never mixes tests. */
const nextIp = () => `10.13.${Math.floor(++address / 200)}.${address % 200}`

afterEach(() => {
  delete process.env.REQUIRE_STAFF_2FA
})

/** The code an authenticator app shows now (the app's clock: testClock). */
function codeAt(keyText: string, at: Date, stepOffset = 0): string {
  const key = keyFromText(keyText)!
  return generateHOTP(key, BigInt(Math.floor(at.getTime() / 30_000) + stepOffset), 6)
}

function openConsole(slug: string, cookie: string) {
  return run(() => consoleLoader({ request: getRequest(`/staff/${slug}`, cookie), params: { slug }, context: context() }))
}

type SetupData = { setup: { keyText: string; uri: string; qrSvg: string; groupedKey: string } | null; enabled: boolean }

async function setupPage(cookie: string, query = '') {
  return run(() => setupLoader({ request: getRequest(`/account/two-factor${query}`, cookie), params: {}, context: context() }))
}

/** Set up two-step sign-in for a signed-in user; returns the key text and the recovery code. */
async function enable(cookie: string, ip = nextIp()) {
  const page = await setupPage(cookie)
  const keyText = (page.body as SetupData).setup!.keyText
  const res = await run(() =>
    setupAction({
      request: formRequest('/account/two-factor', { intent: 'enable', key: keyText, code: codeAt(keyText, testClock_now()) }, { cookie }),
      params: {},
      context: context(ip),
    }),
  )
  expect(res.status).toBe(200)
  const body = res.body as { intent: string; recoveryCode: string }
  expect(body.intent).toBe('enabled')
  return { keyText, recoveryCode: body.recoveryCode }
}

// The frozen test clock's instant (testClock has no getter; the app's now() is what counts).
let frozenAt = T0
function testClock_now() {
  return frozenAt
}
function freeze(at: Date) {
  frozenAt = at
  testClock.freeze(at)
}
function advance(ms: number) {
  frozenAt = new Date(frozenAt.getTime() + ms)
  testClock.freeze(frozenAt)
}

async function signInWithPassword(email: string, ip: string, redirectTo?: string) {
  const fields: Record<string, string> = { identifier: email, password: TEST_PASSWORD }
  if (redirectTo) fields.redirectTo = redirectTo
  const res = await run(() => loginAction({ request: formRequest('/login', fields), context: context(ip), params: {} }))
  expect(res.status).toBe(302)
  return { location: res.headers.get('Location'), cookie: cookieFrom(res.headers) }
}

function secondStep(cookie: string, code: string, ip: string, redirectTo = '') {
  return run(() =>
    secondStepAction({ request: formRequest('/login/two-factor', { code, redirectTo }, { cookie }), params: {}, context: context(ip) }),
  )
}

function fieldErrors(body: unknown): string[] {
  const result = (body as { result: { error?: Record<string, string[] | null> } }).result
  return Object.values(result.error ?? {}).flatMap((v) => v ?? [])
}

describe('setting up', () => {
  test('the key is shown as a QR code and as text, and only counts after a right code; it is stored encrypted', async () => {
    freeze(T0)
    const { home, staff, cookie } = await homeWithStaff()
    const page = await setupPage(cookie)
    const setup = (page.body as SetupData).setup!
    expect(setup.uri).toMatch(/^otpauth:\/\/totp\//)
    expect(setup.uri).toContain(`secret=${setup.keyText}`)
    expect(setup.qrSvg).toContain('<svg')
    expect(setup.groupedKey.replace(/ /g, '')).toBe(setup.keyText)

    const ip = nextIp()
    const wrong = await run(() =>
      setupAction({
        request: formRequest(
          '/account/two-factor',
          { intent: 'enable', key: setup.keyText, code: '000000' === codeAt(setup.keyText, T0) ? '111111' : '000000' },
          { cookie },
        ),
        params: {},
        context: context(ip),
      }),
    )
    expect(wrong.status).toBe(400)
    expect(fieldErrors(wrong.body).join()).toMatch(/验证码不正确/)
    // The same key comes back, so the app already set up still matches.
    expect((wrong.body as { setup: { keyText: string } }).setup.keyText).toBe(setup.keyText)
    expect(db.select().from(users).where(eq(users.id, staff.id)).get()!.totpKey).toBeNull()

    const res = await run(() =>
      setupAction({
        request: formRequest('/account/two-factor', { intent: 'enable', key: setup.keyText, code: codeAt(setup.keyText, T0) }, { cookie }),
        params: {},
        context: context(ip),
      }),
    )
    expect((res.body as { recoveryCode: string }).recoveryCode).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/)
    const row = db.select().from(users).where(eq(users.id, staff.id)).get()!
    expect(row.totpKey).toMatch(/^v1:/)
    expect(row.totpKey).not.toContain(setup.keyText)
    expect(Buffer.from(decryptSecret(row.totpKey!)!)).toEqual(Buffer.from(keyFromText(setup.keyText)!))
    expect(row.recoveryCodeHash).toMatch(/^[0-9a-f]{64}$/)
    // This session passed the second step while setting up: the console stays open.
    expect((await openConsole(home.slug, cookie)).status).toBe(200)
  })

  test('a key encrypted with another TOTP_ENCRYPTION_KEY does not decrypt', async () => {
    freeze(T0)
    const { staff, cookie } = await homeWithStaff()
    await enable(cookie)
    const stored = db.select().from(users).where(eq(users.id, staff.id)).get()!.totpKey!
    process.env.TOTP_ENCRYPTION_KEY = 'b'.repeat(64)
    try {
      expect(decryptSecret(stored)).toBeNull()
    } finally {
      delete process.env.TOTP_ENCRYPTION_KEY
    }
  })
})

describe('signing in with a code', () => {
  test('after the password the session waits for the code: consoles and personal pages send it to the code step', async () => {
    freeze(T0)
    const { home, staff, cookie } = await homeWithStaff()
    const { keyText } = await enable(cookie)
    advance(60_000)
    const ip = nextIp()
    const { location, cookie: half } = await signInWithPassword(staff.email!, ip, `/staff/${home.slug}/children`)
    expect(location).toBe(`/login/two-factor?redirectTo=${encodeURIComponent(`/staff/${home.slug}/children`)}`)

    const console = await openConsole(home.slug, half)
    expect(console.status).toBe(302)
    expect(console.headers.get('Location')).toBe(`/login/two-factor?redirectTo=${encodeURIComponent(`/staff/${home.slug}`)}`)
    const mine = await run(() => myClaimsLoader({ request: getRequest('/me/claims', half), params: {}, context: context() }))
    expect(mine.headers.get('Location')).toMatch(/^\/login\/two-factor/)
    expect(
      (await run(() => secondStepLoader({ request: getRequest('/login/two-factor', half), params: {}, context: context() }))).status,
    ).toBe(200)

    const wrong = await secondStep(half, codeAt(keyText, frozenAt, 5), ip)
    expect(wrong.status).toBe(400)
    expect(fieldErrors(wrong.body).join()).toMatch(/验证码不正确/)
    expect((await openConsole(home.slug, half)).status).toBe(302)

    const right = await secondStep(half, codeAt(keyText, frozenAt), ip, `/staff/${home.slug}/children`)
    expect(right.status).toBe(302)
    expect(right.headers.get('Location')).toBe(`/staff/${home.slug}/children`)
    expect((await openConsole(home.slug, half)).status).toBe(200)
    expect(
      db
        .select()
        .from(sessions)
        .where(eq(sessions.id, sessionIdFromToken(half.split('=')[1]!)))
        .get()!.twoFactorVerified,
    ).toBe(true)
  })

  test("the previous step's code is accepted (a phone's clock may lag); full-width digits and spaces are fine", async () => {
    freeze(T0)
    const { staff, cookie } = await homeWithStaff()
    const { keyText } = await enable(cookie)
    advance(5 * 60_000)
    const ip = nextIp()
    const { cookie: half } = await signInWithPassword(staff.email!, ip)
    const lagging = codeAt(keyText, frozenAt, -1)
    const typed = lagging.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).replace(/^(...)/, '$1 ')
    expect((await secondStep(half, typed, ip)).status).toBe(302)
  })

  test('a code is never accepted twice, not even in another session within its window', async () => {
    freeze(T0)
    const { home, staff, cookie } = await homeWithStaff()
    const { keyText } = await enable(cookie)
    advance(60_000)
    const ip = nextIp()
    const code = codeAt(keyText, frozenAt)
    const first = await signInWithPassword(staff.email!, ip)
    expect((await secondStep(first.cookie, code, ip)).status).toBe(302)

    advance(5_000)
    const second = await signInWithPassword(staff.email!, ip)
    const replay = await secondStep(second.cookie, code, ip)
    expect(replay.status).toBe(400)
    expect((await openConsole(home.slug, second.cookie)).status).toBe(302)
    // An older step than the one used is refused as well; the next one works.
    expect((await secondStep(second.cookie, codeAt(keyText, frozenAt, -1), ip)).status).toBe(400)
    advance(30_000)
    expect((await secondStep(second.cookie, codeAt(keyText, frozenAt), ip)).status).toBe(302)
  })

  test('wrong codes are limited per account: after the free failures even the right code waits', async () => {
    freeze(T0)
    const { staff, cookie } = await homeWithStaff()
    const { keyText } = await enable(cookie)
    advance(60_000)
    const ip = nextIp()
    const { cookie: half } = await signInWithPassword(staff.email!, ip)
    const wrongCode = codeAt(keyText, frozenAt, 7)
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await secondStep(half, wrongCode, nextIp())).status)
    expect(statuses).toEqual([400, 400, 400, 400, 400])
    const blocked = await secondStep(half, codeAt(keyText, frozenAt), nextIp())
    expect(blocked.status).toBe(429)
    expect((blocked.body as { result: { error: Record<string, string[]> } }).result.error['']!.join()).toMatch(/尝试次数过多/)
    // Once the block is over the right code signs in.
    advance(16 * 60_000)
    expect((await secondStep(half, codeAt(keyText, frozenAt), nextIp())).status).toBe(302)
  })
})

describe('the recovery code', () => {
  test('works once, turns two-step sign-in off and unverifies every session of the user', async () => {
    freeze(T0)
    const { staff, cookie } = await homeWithStaff()
    const { recoveryCode } = await enable(cookie)
    advance(60_000)
    const ip = nextIp()
    const { cookie: half } = await signInWithPassword(staff.email!, ip, '/me/claims')

    const wrong = await run(() =>
      recoveryAction({
        request: formRequest('/login/recovery', { code: 'AAAA-BBBB-CCCC-DDDD' }, { cookie: half }),
        params: {},
        context: context(ip),
      }),
    )
    expect(wrong.status).toBe(400)
    expect(fieldErrors(wrong.body).join()).toMatch(/恢复码不正确/)

    const used = await run(() =>
      recoveryAction({
        request: formRequest(
          '/login/recovery',
          { code: recoveryCode.toLowerCase().replace(/-/g, ' '), redirectTo: '/me/claims' },
          { cookie: half },
        ),
        params: {},
        context: context(ip),
      }),
    )
    expect(used.status).toBe(302)
    expect(used.headers.get('Location')).toBe(`/account/two-factor?recovered=1&redirectTo=${encodeURIComponent('/me/claims')}`)
    const row = db.select().from(users).where(eq(users.id, staff.id)).get()!
    expect([row.totpKey, row.recoveryCodeHash, row.totpLastCounter]).toEqual([null, null, null])
    expect(
      db
        .select()
        .from(sessions)
        .where(eq(sessions.userId, staff.id))
        .all()
        .every((s) => !s.twoFactorVerified),
    ).toBe(true)
    // Signed in now (no second step any more), and the setup page offers a new key.
    const page = await setupPage(half)
    expect(page.status).toBe(200)
    expect((page.body as SetupData).enabled).toBe(false)

    // Set up again: the old recovery code no longer works.
    const again = await enable(half)
    advance(60_000)
    const next = await signInWithPassword(staff.email!, ip)
    const reused = await run(() =>
      recoveryAction({
        request: formRequest('/login/recovery', { code: recoveryCode }, { cookie: next.cookie }),
        params: {},
        context: context(ip),
      }),
    )
    expect(reused.status).toBe(400)
    expect(again.recoveryCode).not.toBe(recoveryCode)
  })
})

describe('required by a home or by the platform', () => {
  test("a manager's 「要求两步验证」 sends the home's staff without it to the setup page; another home's setting does not apply", async () => {
    freeze(T0)
    const a = await homeWithStaff({ manager: true })
    const b = await homeWithStaff()
    addMember(b.staff.id, a.home.id, 'staff')
    const saved = await run(() =>
      settingsAction({
        request: formRequest(
          `/staff/${a.home.slug}/settings`,
          { intent: 'two-factor', requireTwoFactor: 'on' },
          { cookie: a.managerCookie },
        ),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(saved.status).toBe(200)
    expect(db.select().from(institutions).where(eq(institutions.id, a.home.id)).get()!.requireTwoFactor).toBe(true)

    const gated = await openConsole(a.home.slug, a.cookie)
    expect(gated.status).toBe(302)
    expect(gated.headers.get('Location')).toBe(`/account/two-factor?redirectTo=${encodeURIComponent(`/staff/${a.home.slug}`)}`)
    // Staff of home B (also a member of A) still open B's console; A's stays closed to them.
    expect((await openConsole(b.home.slug, b.cookie)).status).toBe(200)
    expect((await openConsole(a.home.slug, b.cookie)).status).toBe(302)
    // Personal pages are not gated.
    expect((await run(() => myClaimsLoader({ request: getRequest('/me/claims', a.cookie), params: {}, context: context() }))).status).toBe(
      200,
    )

    // Once set up the console opens, and the requirement keeps it from being turned off.
    await enable(a.cookie)
    expect((await openConsole(a.home.slug, a.cookie)).status).toBe(200)
    expect(((await setupPage(a.cookie)).body as { required: boolean }).required).toBe(true)
    advance(60_000)
    const off = await run(() =>
      setupAction({
        request: formRequest('/account/two-factor', { intent: 'disable', code: '123456' }, { cookie: a.cookie }),
        params: {},
        context: context(nextIp()),
      }),
    )
    expect(off.status).toBe(400)
    expect(db.select().from(users).where(eq(users.id, a.staff.id)).get()!.totpKey).not.toBeNull()

    // The manager is held to it too: switching it off needs their own two-step sign-in first.
    const offRequest = () =>
      run(() =>
        settingsAction({
          request: formRequest(`/staff/${a.home.slug}/settings`, { intent: 'two-factor' }, { cookie: a.managerCookie }),
          params: { slug: a.home.slug },
          context: context(),
        }),
      )
    expect((await offRequest()).headers.get('Location')).toMatch(/^\/account\/two-factor\?redirectTo=/)
    advance(60_000)
    await enable(a.managerCookie)
    expect((await offRequest()).status).toBe(200)
    expect((await openConsole(a.home.slug, b.cookie)).status).toBe(200)
  })

  test('REQUIRE_STAFF_2FA=1 requires it of every staff member and platform admin', async () => {
    freeze(T0)
    const { home, cookie } = await homeWithStaff()
    const admin = await createUser({ isPlatformAdmin: true })
    const adminCookie = signedInCookie(admin.id)
    const volunteer = signedInCookie((await createUser()).id)
    expect((await openConsole(home.slug, cookie)).status).toBe(200)
    process.env.REQUIRE_STAFF_2FA = '1'
    expect((await openConsole(home.slug, cookie)).headers.get('Location')).toMatch(/^\/account\/two-factor\?redirectTo=/)
    const adminPage = await run(() => adminLoader({ request: getRequest('/admin', adminCookie), params: {}, context: context() }))
    expect(adminPage.status).toBe(302)
    expect(adminPage.headers.get('Location')).toBe(`/account/two-factor?redirectTo=${encodeURIComponent('/admin')}`)
    expect((await run(() => myClaimsLoader({ request: getRequest('/me/claims', volunteer), params: {}, context: context() }))).status).toBe(
      200,
    )
    await enable(adminCookie)
    expect((await run(() => adminLoader({ request: getRequest('/admin', adminCookie), params: {}, context: context() }))).status).toBe(200)
  })

  test('staff without the requirement may turn two-step sign-in off with a current code', async () => {
    freeze(T0)
    const { staff, cookie } = await homeWithStaff()
    const { keyText } = await enable(cookie)
    advance(60_000)
    const off = await run(() =>
      setupAction({
        request: formRequest('/account/two-factor', { intent: 'disable', code: codeAt(keyText, frozenAt) }, { cookie }),
        params: {},
        context: context(nextIp()),
      }),
    )
    expect(off.status).toBe(200)
    expect(db.select().from(users).where(eq(users.id, staff.id)).get()!.totpKey).toBeNull()
  })
})

describe('production', () => {
  test('refuses to start without TOTP_ENCRYPTION_KEY, with the development key or with a malformed one', () => {
    const sqlite = new Database(':memory:')
    sqlite.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)')
    const env = { NODE_ENV: 'production', APP_ORIGIN: 'https://weinuan.example.org' } as Parameters<typeof productionProblems>[0]
    expect(productionProblems(env, sqlite).join('\n')).toMatch(/TOTP_ENCRYPTION_KEY is not set/)
    expect(productionProblems({ ...env, TOTP_ENCRYPTION_KEY: DEV_TOTP_ENCRYPTION_KEY }, sqlite).join('\n')).toMatch(
      /public development key/,
    )
    expect(productionProblems({ ...env, TOTP_ENCRYPTION_KEY: 'too-short' }, sqlite).join('\n')).toMatch(/must be 32 bytes/)
    expect(productionProblems({ ...env, TOTP_ENCRYPTION_KEY: 'c'.repeat(64) }, sqlite)).toEqual([])
    expect(productionProblems({ ...env, TOTP_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }, sqlite)).toEqual([])
    sqlite.close()
  })
})
