import { and, desc, eq, sql } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { bookings, claims, notifications, payments, sessions, users } from '~db/schema'
import { getUser } from '~/auth/auth.server'
import { CONTACT_VERIFICATION_TEMPLATE } from '~/auth/contact-verification.server'
import { describeDevice } from '~/auth/device'
import { LAST_SEEN_EVERY_MS, publicSessionId, readSessionToken, SESSION_LIMITS, sessionIdFromToken } from '~/auth/session.server'
import { CODE_RULES } from '~/auth/verification-codes.server'
import { testClock } from '~/utils/clock.server'
import { action as accountAction, loader as accountLoader } from '~/routes/account'
import { action as verifyAction, loader as verifyLoader } from '~/routes/account_.verify'
import { action as giveAction, loader as giveLoader } from '~/routes/give'
import { action as loginAction } from '~/routes/login'
import { action as registerAction } from '~/routes/register'
import { action as bookAction, loader as bookLoader } from '~/routes/volunteer.slots.$id.book'
import { action as claimAction, loader as claimLoader } from '~/routes/wishes.$id.claim'
import {
  addMember,
  context,
  cookieFrom,
  createPublishedWish,
  createTestInstitution,
  createUser,
  formRequest,
  getRequest,
  insertTestSlot,
  run,
  signedInCookie,
  TEST_PASSWORD,
} from './helpers'

const HOUR = 3_600_000
const DAY = 24 * HOUR

let phoneCounter = Math.floor(Math.random() * 1e6)
function uniquePhone() {
  phoneCounter += 1
  return `136${String(phoneCounter).padStart(8, '0')}`
}
let ipCounter = 0
function freshIp() {
  ipCounter += 1
  return `10.13.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`
}
function sessionRow(cookie: string) {
  return db
    .select()
    .from(sessions)
    .where(eq(sessions.id, sessionIdFromToken(readSessionToken(getRequest('/', cookie))!)))
    .get()
}
function fieldErrors(body: unknown): Record<string, string[]> {
  return ((body as { result?: { error?: Record<string, string[]> } }).result?.error ?? {}) as Record<string, string[]>
}
/** The code in the latest verification message queued to this address. */
function codeSentTo(recipient: string): string {
  const message = db
    .select()
    .from(notifications)
    .where(and(eq(notifications.recipient, recipient), eq(notifications.template, CONTACT_VERIFICATION_TEMPLATE)))
    .orderBy(desc(notifications.id))
    .get()
  const code = message?.body.match(/验证码 (\d{6})/)?.[1]
  if (!code) throw new Error(`no code sent to ${recipient}`)
  return code
}
function wrongCode(code: string) {
  return String((Number(code) + 1) % 10 ** CODE_RULES.digits).padStart(CODE_RULES.digits, '0')
}
/** Rows written by this connection so far (SQLite total_changes()). */
function writes(): number {
  return db.get<{ n: number }>(sql`select total_changes() as n`).n
}

async function staffUser() {
  const user = await createUser({ displayName: '社工' })
  addMember(user.id, createTestInstitution().id, 'staff')
  return user
}

describe('session lifetimes', () => {
  test('a member session ends after 30 idle days; each use keeps it alive', async () => {
    testClock.freeze('2026-03-01T00:00:00Z')
    const user = await createUser()
    const used = signedInCookie(user.id)
    const idle = signedInCookie(user.id)
    for (let day = 0; day < 3; day++) {
      testClock.advance(25 * DAY)
      expect(getUser(getRequest('/', used))?.id).toBe(user.id)
    }
    // 75 days on: the used one lives, the idle one ended at day 30.
    expect(getUser(getRequest('/', idle))).toBeNull()
    expect(SESSION_LIMITS.member.idleMs).toBe(30 * DAY)
  })

  test('a member session ends 90 days after signing in, however much it is used', async () => {
    testClock.freeze('2026-03-01T00:00:00Z')
    const user = await createUser()
    const cookie = signedInCookie(user.id)
    for (let i = 0; i < 4; i++) {
      testClock.advance(22 * DAY)
      expect(getUser(getRequest('/', cookie))?.id).toBe(user.id)
    }
    testClock.advance(2 * DAY + 1000) // 90 days and a second
    expect(getUser(getRequest('/', cookie))).toBeNull()
  })

  test('staff sessions end after 12 idle hours and 7 days in all', async () => {
    testClock.freeze('2026-03-01T00:00:00Z')
    const staff = await staffUser()
    const idle = signedInCookie(staff.id)
    const used = signedInCookie(staff.id)
    testClock.advance(11 * HOUR)
    expect(getUser(getRequest('/', used))?.id).toBe(staff.id)
    testClock.advance(2 * HOUR)
    expect(getUser(getRequest('/', idle))).toBeNull()
    expect(getUser(getRequest('/', used))?.id).toBe(staff.id)
    // Used every 10 hours (13 h in so far), it lives to the 163rd hour, and ends 7 days after signing in.
    for (let i = 0; i < 15; i++) {
      testClock.advance(10 * HOUR)
      expect(getUser(getRequest('/', used))?.id).toBe(staff.id)
    }
    testClock.advance(5 * HOUR) // 168 h
    expect(getUser(getRequest('/', used))).toBeNull()
  })

  test('a platform admin has the staff limits; a member the long ones', async () => {
    testClock.freeze('2026-03-01T00:00:00Z')
    const admin = await createUser({ isPlatformAdmin: true })
    const member = await createUser()
    const adminCookie = signedInCookie(admin.id)
    const memberCookie = signedInCookie(member.id)
    expect(sessionRow(adminCookie)!.expiresAt.getTime() - Date.parse('2026-03-01T00:00:00Z')).toBe(SESSION_LIMITS.staff.absoluteMs)
    expect(sessionRow(memberCookie)!.expiresAt.getTime() - Date.parse('2026-03-01T00:00:00Z')).toBe(SESSION_LIMITS.member.absoluteMs)
    testClock.advance(12 * HOUR + 1000)
    expect(getUser(getRequest('/', adminCookie))).toBeNull()
    expect(getUser(getRequest('/', memberCookie))?.id).toBe(member.id)
  })

  test('someone who becomes staff while signed in gets the staff idle timeout at once', async () => {
    testClock.freeze('2026-03-01T00:00:00Z')
    const user = await createUser()
    const cookie = signedInCookie(user.id)
    addMember(user.id, createTestInstitution().id, 'staff')
    testClock.advance(13 * HOUR)
    expect(getUser(getRequest('/', cookie))).toBeNull()
  })

  test('last_seen_at is written at most once per few minutes per session', async () => {
    testClock.freeze('2026-03-01T00:00:00Z')
    const user = await createUser()
    const cookie = signedInCookie(user.id)
    const before = writes()
    for (let i = 0; i < 20; i++) {
      testClock.advance(10_000) // 20 requests over 200 s
      expect(getUser(getRequest('/', cookie))?.id).toBe(user.id)
    }
    expect(writes() - before).toBe(0)
    testClock.advance(LAST_SEEN_EVERY_MS)
    for (let i = 0; i < 5; i++) getUser(getRequest('/', cookie))
    expect(writes() - before).toBe(1)
    expect(sessionRow(cookie)!.lastSeenAt!.getTime()).toBe(Date.parse('2026-03-01T00:00:00Z') + 200_000 + LAST_SEEN_EVERY_MS)
  })

  test('an ended session sends its user to sign in with 登录已过期, clears the cookie and is removed', async () => {
    testClock.freeze('2026-03-01T00:00:00Z')
    const user = await createUser()
    const cookie = signedInCookie(user.id)
    testClock.advance(31 * DAY)
    const res = await run(() => accountLoader({ request: getRequest('/account', cookie), params: {}, context: context() }))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/login?redirectTo=%2Faccount&expired=1')
    expect(res.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
    expect(sessionRow(cookie)).toBeUndefined()
    // A session signed out elsewhere is simply gone: plain sign-in, no 过期 notice.
    const again = await run(() => accountLoader({ request: getRequest('/account', cookie), params: {}, context: context() }))
    expect(again.headers.get('Location')).toBe('/login?redirectTo=%2Faccount')
  })

  test('signing in records the device and the address, never the token', async () => {
    const user = await createUser()
    const res = await run(() =>
      loginAction({
        request: formRequest(
          '/login',
          { identifier: user.email!, password: TEST_PASSWORD },
          {
            headers: {
              'User-Agent':
                'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.44',
            },
          },
        ),
        context: context('10.13.250.9'),
        params: {},
      }),
    )
    expect(res.status).toBe(302)
    const row = sessionRow(cookieFrom(res.headers))!
    expect(row).toMatchObject({ device: '微信 · iPhone', ip: '10.13.250.9', userId: user.id })
  })

  test('device descriptions are coarse', () => {
    expect(
      describeDevice(
        'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
      ),
    ).toBe('Chrome · Android')
    expect(
      describeDevice(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
      ),
    ).toBe('Safari · Mac')
    expect(describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0')).toBe('Firefox · Windows')
    expect(describeDevice('')).toBe('未知设备')
    expect(describeDevice(null)).toBe('未知设备')
  })
})

describe('登录设备', () => {
  function post(cookie: string, fields: Record<string, string>) {
    return run(() => accountAction({ request: formRequest('/account', fields, { cookie }), params: {}, context: context() }))
  }
  async function devicesOf(cookie: string) {
    const res = await run(() => accountLoader({ request: getRequest('/account', cookie), params: {}, context: context() }))
    return res.body as { devices: Array<{ publicId: string; current: boolean; device: string; signedInAt: string; lastSeenAt: string }> }
  }

  test('lists every live session of the user, marks this one, and never shows a session id', async () => {
    testClock.freeze('2026-03-01T01:30:00Z')
    const user = await createUser()
    const here = signedInCookie(user.id)
    const other = signedInCookie(user.id)
    const someoneElse = signedInCookie((await createUser()).id)
    const page = await devicesOf(here)
    expect(page.devices).toHaveLength(2)
    expect(page.devices.filter((d) => d.current)).toEqual([
      expect.objectContaining({ publicId: publicSessionId(sessionRow(here)!.id), signedInAt: '2026/03/01 09:30' }),
    ])
    const text = JSON.stringify(page)
    for (const cookie of [here, other, someoneElse]) {
      expect(text).not.toContain(sessionRow(cookie)!.id)
      expect(text).not.toContain(readSessionToken(getRequest('/', cookie))!)
    }
    expect(text).not.toContain(publicSessionId(sessionRow(someoneElse)!.id))
  })

  test('退出 ends that device only; 退出其他所有设备 keeps this one', async () => {
    const user = await createUser()
    const here = signedInCookie(user.id)
    const a = signedInCookie(user.id)
    const b = signedInCookie(user.id)
    const res = await post(here, { intent: 'sign-out-device', device: publicSessionId(sessionRow(a)!.id) })
    expect(res.status).toBe(200)
    expect(getUser(getRequest('/', a))).toBeNull()
    expect(getUser(getRequest('/', b))?.id).toBe(user.id)
    expect((await post(here, { intent: 'sign-out-others' })).status).toBe(200)
    expect(getUser(getRequest('/', b))).toBeNull()
    expect(getUser(getRequest('/', here))?.id).toBe(user.id)
  })

  test("user A cannot end user B's session, by its public id or by its id", async () => {
    const a = await createUser()
    const b = await createUser()
    const aCookie = signedInCookie(a.id)
    const bCookie = signedInCookie(b.id)
    const bId = sessionRow(bCookie)!.id
    for (const device of [publicSessionId(bId), bId, readSessionToken(getRequest('/', bCookie))!]) {
      const res = await post(aCookie, { intent: 'sign-out-device', device })
      expect(res.status).toBe(404)
    }
    expect(getUser(getRequest('/', bCookie))?.id).toBe(b.id)
    expect(getUser(getRequest('/', aCookie))?.id).toBe(a.id)
  })

  test("this device's own 退出 signs it out", async () => {
    const user = await createUser()
    const here = signedInCookie(user.id)
    const res = await post(here, { intent: 'sign-out-device', device: publicSessionId(sessionRow(here)!.id) })
    expect(res.status).toBe(302)
    expect(res.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
    expect(getUser(getRequest('/', here))).toBeNull()
  })
})

describe('verifying the contact at registration', () => {
  function register(identifier: string, redirectTo = '') {
    return run(() =>
      registerAction({
        request: formRequest('/register', {
          identifier,
          displayName: '新朋友',
          password: TEST_PASSWORD,
          confirmPassword: TEST_PASSWORD,
          redirectTo,
        }),
        context: context(freshIp()),
        params: {},
      }),
    )
  }
  function verify(cookie: string, code: string, redirectTo = '', ip = freshIp()) {
    return run(() =>
      verifyAction({
        request: formRequest('/account/verify', { intent: 'verify', code, redirectTo }, { cookie }),
        context: context(ip),
        params: {},
      }),
    )
  }

  test('registering creates an unverified account, sends a code by SMS and lands on 输入验证码; the code verifies it', async () => {
    const phone = uniquePhone()
    const res = await register(phone, '/volunteer')
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/account/verify?redirectTo=%2Fvolunteer')
    const cookie = cookieFrom(res.headers)
    const user = db.select().from(users).where(eq(users.phone, phone)).get()!
    expect(user.phoneVerifiedAt).toBeNull()
    expect(db.select().from(notifications).where(eq(notifications.recipient, phone)).get()).toMatchObject({
      channel: 'sms',
      userId: user.id,
      template: CONTACT_VERIFICATION_TEMPLATE,
    })
    const page = await run(() =>
      verifyLoader({ request: getRequest('/account/verify?redirectTo=%2Fvolunteer', cookie), params: {}, context: context() }),
    )
    expect(page.body).toMatchObject({ kind: 'phone', masked: `${phone.slice(0, 3)}****${phone.slice(-4)}`, codeSent: true })

    const code = codeSentTo(phone)
    const wrong = await verify(cookie, wrongCode(code), '/volunteer')
    expect(wrong.status).toBe(400)
    expect(fieldErrors(wrong.body).code).toEqual([`验证码不正确，还可以再试 ${CODE_RULES.attemptsPerCode - 1} 次`])
    const short = await verify(cookie, '12', '/volunteer')
    expect(fieldErrors(short.body).code).toEqual(['请输入 6 位数字验证码'])

    const ok = await verify(cookie, code, '/volunteer')
    expect(ok.status).toBe(302)
    expect(ok.headers.get('Location')).toBe('/volunteer')
    expect(db.select().from(users).where(eq(users.id, user.id)).get()!.phoneVerifiedAt).not.toBeNull()
    // Verified: the page sends on.
    const after = await run(() => verifyLoader({ request: getRequest('/account/verify', cookie), params: {}, context: context() }))
    expect(after.headers.get('Location')).toBe('/account')
  })

  test('an expired code says so; 重新获取 sends a new one under the code limits', async () => {
    testClock.freeze(new Date())
    const email = `verify-${Date.now()}-${ipCounter}@test.example`
    const res = await register(email)
    expect(res.headers.get('Location')).toBe('/account/verify')
    const cookie = cookieFrom(res.headers)
    const code = codeSentTo(email)
    testClock.advance(11 * 60_000)
    const late = await verify(cookie, code)
    expect(fieldErrors(late.body).code).toEqual(['验证码无效或已过期，请重新获取'])
    const ip = freshIp()
    const resend = () =>
      run(() => verifyAction({ request: formRequest('/account/verify', { intent: 'send' }, { cookie }), context: context(ip), params: {} }))
    expect((await resend()).body).toMatchObject({ sent: true })
    // Registration sent one; four more are allowed in the hour, then refused in Chinese.
    for (let i = 0; i < 3; i++) expect((await resend()).status).toBe(200)
    const refused = await resend()
    expect(refused.status).toBe(429)
    expect((refused.body as { error: string }).error).toMatch(/^获取验证码过于频繁，请 \d+ 分钟后再试$/)
    // The newest code sent before the refusal verifies.
    const latest = codeSentTo(email)
    expect(latest).toMatch(/^\d{6}$/)
    expect((await verify(cookie, latest)).status).toBe(302)
    expect(db.select().from(users).where(eq(users.email, email)).get()!.emailVerifiedAt).not.toBeNull()
  })

  test("another account's code does not verify this one", async () => {
    const mine = await register(uniquePhone())
    const theirsPhone = uniquePhone()
    await register(theirsPhone)
    const res = await verify(cookieFrom(mine.headers), codeSentTo(theirsPhone))
    expect(res.status).toBe(400)
  })
})

describe('what an unverified account may not do', () => {
  test('claiming a wish, booking a slot and giving send it to verify, and nothing is written', async () => {
    const home = createTestInstitution()
    const wish = createPublishedWish(home.id)
    const slot = insertTestSlot(home.id)
    const user = await createUser({ verified: false })
    const cookie = signedInCookie(user.id)
    const attempts: Array<readonly [string, () => Promise<unknown>]> = [
      [
        `/wishes/${wish.id}/claim`,
        () => claimLoader({ request: getRequest(`/wishes/${wish.id}/claim`, cookie), params: { id: String(wish.id) }, context: context() }),
      ],
      [
        `/wishes/${wish.id}/claim`,
        () =>
          claimAction({
            request: formRequest(`/wishes/${wish.id}/claim`, { publicDisplay: 'masked' }, { cookie }),
            params: { id: String(wish.id) },
            context: context(),
          }),
      ],
      [
        `/volunteer/slots/${slot.id}/book`,
        () =>
          bookLoader({
            request: getRequest(`/volunteer/slots/${slot.id}/book`, cookie),
            params: { id: String(slot.id) },
            context: context(),
          }),
      ],
      [
        `/volunteer/slots/${slot.id}/book`,
        () =>
          bookAction({
            request: formRequest(
              `/volunteer/slots/${slot.id}/book`,
              { kind: 'individual', contactName: '张三', contactPhone: '13800138000' },
              { cookie },
            ),
            params: { id: String(slot.id) },
            context: context(),
          }),
      ],
      [
        `/give?home=${home.slug}`,
        () => giveLoader({ request: getRequest(`/give?home=${home.slug}`, cookie), params: {}, context: context() }),
      ],
      [
        `/give?home=${home.slug}`,
        () =>
          giveAction({
            request: formRequest(`/give?home=${home.slug}`, { amount: 'custom', customAmount: '50', publicDisplay: 'name' }, { cookie }),
            params: {},
            context: context(),
          }),
      ],
    ]
    for (const [path, call] of attempts) {
      const res = await run(call)
      expect(res.status).toBe(302)
      expect(res.headers.get('Location')).toBe(`/account/verify?redirectTo=${encodeURIComponent(path)}`)
    }
    expect(db.select().from(claims).where(eq(claims.userId, user.id)).all()).toHaveLength(0)
    expect(db.select().from(bookings).where(eq(bookings.userId, user.id)).all()).toHaveLength(0)
    expect(db.select().from(payments).where(eq(payments.userId, user.id)).all()).toHaveLength(0)
    // Once verified, the same claim goes through.
    db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id)).run()
    const claimed = await run(() =>
      claimAction({
        request: formRequest(`/wishes/${wish.id}/claim`, { publicDisplay: 'masked' }, { cookie }),
        params: { id: String(wish.id) },
        context: context(),
      }),
    )
    expect(claimed.headers.get('Location')).toMatch(/^\/me\/claims\?claimed=\d+/)
  })

  test('/account shows the contact unverified, with a link to verify', async () => {
    const user = await createUser({ verified: false })
    const res = await run(() => accountLoader({ request: getRequest('/account', signedInCookie(user.id)), params: {}, context: context() }))
    expect(res.body).toMatchObject({ user: { emailVerified: false, contactVerified: false } })
    const verified = await createUser()
    const ok = await run(() =>
      accountLoader({ request: getRequest('/account', signedInCookie(verified.id)), params: {}, context: context() }),
    )
    expect(ok.body).toMatchObject({ user: { emailVerified: true, contactVerified: true } })
  })
})
