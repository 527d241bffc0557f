import { eq } from 'drizzle-orm'
import { describe, expect, test, vi } from 'vitest'
import { db } from '~db/client.server'
import { sessions, users } from '~db/schema'
import { hashPassword } from '~/auth/password.server'
import { REGISTER_LIMITS, SIGN_IN_LIMITS } from '~/auth/rate-limit.server'
import { readSessionToken, sessionIdFromToken } from '~/auth/session.server'
import { getUser } from '~/auth/auth.server'
import { testClock } from '~/utils/clock.server'
import { action as registerAction } from '~/routes/register'
import { action as loginAction } from '~/routes/login'
import { action as logoutAction } from '~/routes/logout'
import { action as accountAction } from '~/routes/account'
import { context, cookieFrom, createUser, formRequest, getRequest, run, signedInCookie, TEST_PASSWORD, unique } from './helpers'

// hashPassword, watched (it still hashes): registering a taken account must not spend argon2.
vi.mock('~/auth/password.server', async (importOriginal) => {
  const actual = await importOriginal<typeof import('~/auth/password.server')>()
  return { ...actual, hashPassword: vi.fn(actual.hashPassword) }
})

function register(fields: Record<string, string>, ip = '10.0.0.1') {
  return run(() => registerAction({ request: formRequest('/register', fields), context: context(ip), params: {} }))
}
function signIn(identifier: string, password: string, ip = '10.0.0.2', cookie?: string) {
  return run(() => loginAction({ request: formRequest('/login', { identifier, password }, { cookie }), context: context(ip), params: {} }))
}
function errorsOf(body: unknown): Record<string, string[]> {
  return ((body as { result: { error: Record<string, string[]> } }).result.error ?? {}) as Record<string, string[]>
}

describe('registering', () => {
  test('a visitor registers with a mobile number and is signed in with a hashed password', async () => {
    const phone = `139${String(Date.now()).slice(-8)}`
    const res = await register({
      identifier: `+86 ${phone}`,
      displayName: '小王',
      password: 'abcdefgh1',
      confirmPassword: 'abcdefgh1',
      redirectTo: '/institutions',
    })
    expect(res.status).toBe(302)
    // Registered accounts land on 输入验证码 first, going on to where they were headed.
    expect(res.headers.get('Location')).toBe('/account/verify?redirectTo=%2Finstitutions')
    const cookie = cookieFrom(res.headers)
    const user = getUser(getRequest('/', cookie))
    expect(user?.displayName).toBe('小王')
    expect(user?.phone).toBe(phone)
    const row = db.select().from(users).where(eq(users.phone, phone)).get()
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/)
    expect(res.headers.get('Set-Cookie')).toMatch(/HttpOnly; SameSite=Lax/)
  })

  test('bad input is answered in Chinese next to each field', async () => {
    const res = await register({ identifier: '12345', displayName: '', password: 'short', confirmPassword: 'other' })
    expect(res.status).toBe(400)
    const errors = errorsOf(res.body)
    expect(errors.identifier).toEqual(['请输入有效的中国大陆手机号（11 位）或邮箱地址'])
    expect(errors.displayName).toEqual(['请输入称呼'])
    expect(errors.password).toEqual(['密码至少需要 8 个字符'])
  })

  test('mismatched confirmation is reported on the confirmation field', async () => {
    const res = await register({
      identifier: `${unique()}@test.example`,
      displayName: '甲',
      password: 'abcdefgh1',
      confirmPassword: 'abcdefgh2',
    })
    expect(errorsOf(res.body).confirmPassword).toEqual(['两次输入的密码不一致'])
  })

  test('an email already registered is refused, case-insensitively', async () => {
    const email = `${unique()}@test.example`
    expect((await register({ identifier: email, displayName: '甲', password: 'abcdefgh1', confirmPassword: 'abcdefgh1' })).status).toBe(302)
    const again = await register({
      identifier: email.toUpperCase(),
      displayName: '乙',
      password: 'abcdefgh1',
      confirmPassword: 'abcdefgh1',
    })
    expect(again.status).toBe(400)
    expect(errorsOf(again.body).identifier).toEqual(['该邮箱已注册，请直接登录'])
  })

  test('an account that exists is refused before any password is hashed', async () => {
    const email = `${unique()}@test.example`
    expect(
      (await register({ identifier: email, displayName: '甲', password: 'abcdefgh1', confirmPassword: 'abcdefgh1' }, '10.0.7.1')).status,
    ).toBe(302)
    vi.mocked(hashPassword).mockClear()
    const again = await register({ identifier: email, displayName: '乙', password: 'abcdefgh2', confirmPassword: 'abcdefgh2' }, '10.0.7.2')
    expect(errorsOf(again.body).identifier).toEqual(['该邮箱已注册，请直接登录'])
    expect(hashPassword).not.toHaveBeenCalled()
  })

  test('one address can only try to register so often', async () => {
    const ip = '10.0.8.1'
    const taken = `${unique()}@test.example`
    expect((await register({ identifier: taken, displayName: '甲', password: 'abcdefgh1', confirmPassword: 'abcdefgh1' }, ip)).status).toBe(
      302,
    )
    // Attempts on an existing account count too (they are how accounts are enumerated).
    for (let i = 1; i < REGISTER_LIMITS.perIp; i++) {
      expect(
        (await register({ identifier: taken, displayName: '甲', password: 'abcdefgh1', confirmPassword: 'abcdefgh1' }, ip)).status,
      ).toBe(400)
    }
    const refused = await register(
      { identifier: `${unique()}@test.example`, displayName: '乙', password: 'abcdefgh1', confirmPassword: 'abcdefgh1' },
      ip,
    )
    expect(refused.status).toBe(429)
    expect(errorsOf(refused.body)['']?.[0]).toMatch(/^注册尝试次数过多，请 \d+ 分钟后再试$/)
    const elsewhere = await register(
      { identifier: `${unique()}@test.example`, displayName: '乙', password: 'abcdefgh1', confirmPassword: 'abcdefgh1' },
      '10.0.8.2',
    )
    expect(elsewhere.status).toBe(302)
  })

  test('redirects after registering stay on this site', async () => {
    const res = await register({
      identifier: `${unique()}@test.example`,
      displayName: '甲',
      password: 'abcdefgh1',
      confirmPassword: 'abcdefgh1',
      redirectTo: '//evil.example/x',
    })
    expect(res.headers.get('Location')).toBe('/account/verify')
  })
})

describe('signing in', () => {
  test('the right password signs in with a fresh token, never one planted in the cookie', async () => {
    const user = await createUser({ displayName: '老张' })
    const planted = 'weinuan_session=' + 'a'.repeat(32)
    const res = await signIn(user.email!, TEST_PASSWORD, '10.0.1.1', planted)
    expect(res.status).toBe(302)
    const newCookie = cookieFrom(res.headers)
    expect(newCookie).not.toBe(planted)
    expect(getUser(getRequest('/', newCookie))?.id).toBe(user.id)
    expect(getUser(getRequest('/', planted))).toBeNull()
  })

  test('a signed-in member who opens the sign-in form is sent home', async () => {
    const user = await createUser()
    const res = await signIn(user.email!, TEST_PASSWORD, '10.0.1.3', signedInCookie(user.id))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/')
    expect(res.headers.get('Set-Cookie')).toBeNull()
  })

  test('a wrong password and an unknown account get the same message', async () => {
    const user = await createUser()
    const wrong = await signIn(user.email!, 'not-the-password', '10.0.1.2')
    const unknown = await signIn(`${unique()}@nobody.example`, 'whatever-123', '10.0.1.2')
    expect(wrong.status).toBe(400)
    expect(errorsOf(wrong.body)['']).toEqual(['账号或密码不正确'])
    expect(errorsOf(unknown.body)['']).toEqual(['账号或密码不正确'])
    expect(wrong.headers.get('Set-Cookie')).toBeNull()
  })

  test('failures beyond the free ones block the account for a while; the right password passes once the block ends', async () => {
    const user = await createUser()
    const free = SIGN_IN_LIMITS.freeFailures
    for (let i = 0; i < free; i++) {
      const res = await signIn(user.email!, `wrong-${i}-pass`, `10.0.2.${i}`)
      expect(res.status).toBe(400)
    }
    // Blocked for a minute, even with the right password.
    const blocked = await signIn(user.email!, TEST_PASSWORD, '10.0.2.99')
    expect(blocked.status).toBe(429)
    expect(errorsOf(blocked.body)['']?.[0]).toBe('登录尝试次数过多，为保护账号已暂停登录，请 1 分钟后再试')
    testClock.advance(61_000)
    const owner = await signIn(user.email!, TEST_PASSWORD, '10.0.2.98')
    expect(owner.status).toBe(302)
  })

  test('each further failure blocks longer (1, 2, 4 … up to 15 minutes), never for good', async () => {
    const user = await createUser()
    for (let i = 0; i < SIGN_IN_LIMITS.freeFailures; i++)
      expect((await signIn(user.email!, `wrong-${i}-pass`, `10.0.6.${i}`)).status).toBe(400)
    const minutes: number[] = []
    for (let round = 0; round < 6; round++) {
      const refused = await signIn(user.email!, `wrong-r${round}-pass`, `10.0.6.${50 + round}`)
      expect(refused.status).toBe(429)
      minutes.push(Number(/请 (\d+) 分钟后再试/.exec(errorsOf(refused.body)['']?.[0] ?? '')?.[1]))
      testClock.advance(minutes[minutes.length - 1]! * 60_000 + 1_000)
      // The block has ended: this wrong guess is checked (400) and starts a longer block.
      expect((await signIn(user.email!, `wrong-x${round}-pass`, `10.0.6.${100 + round}`)).status).toBe(400)
    }
    expect(minutes).toEqual([1, 2, 4, 8, 15, 15])
    testClock.advance(16 * 60_000)
    expect((await signIn(user.email!, TEST_PASSWORD, '10.0.6.200')).status).toBe(302)
    // A success forgives everything: the free failures are back.
    for (let i = 0; i < SIGN_IN_LIMITS.freeFailures; i++)
      expect((await signIn(user.email!, `again-${i}-pass`, `10.0.6.${210 + i}`)).status).toBe(400)
  })

  test('a burst of parallel guesses cannot slip past the account limit', async () => {
    const user = await createUser()
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => signIn(user.email!, `guess-${i}-xx`, `10.0.4.${i}`)))
    expect(results.filter((r) => r.status === 400)).toHaveLength(SIGN_IN_LIMITS.freeFailures)
    expect(results.filter((r) => r.status === 429)).toHaveLength(16 - SIGN_IN_LIMITS.freeFailures)
  })

  test('successful sign-ins from a shared office address do not use up its limit', async () => {
    const ip = '10.0.5.1'
    const user = await createUser()
    for (let i = 0; i < 35; i++) expect((await signIn(user.email!, TEST_PASSWORD, ip)).status).toBe(302)
  })

  test('one address trying many accounts is limited too', async () => {
    const ip = '10.0.3.1'
    let last = { status: 0 }
    for (let i = 0; i < 31; i++) last = await signIn(`${unique()}@nobody.example`, 'whatever-123', ip)
    expect(last.status).toBe(429)
    const otherIp = await signIn(`${unique()}@nobody.example`, 'whatever-123', '10.0.3.2')
    expect(otherIp.status).toBe(400)
  })
})

describe('sessions', () => {
  test('signing out ends this session only', async () => {
    const user = await createUser()
    const a = signedInCookie(user.id)
    const b = signedInCookie(user.id)
    const res = await run(() => logoutAction({ request: formRequest('/logout', {}, { cookie: a }), context: context(), params: {} }))
    expect(res.status).toBe(302)
    expect(res.headers.get('Set-Cookie')).toMatch(/Max-Age=0/)
    expect(getUser(getRequest('/', a))).toBeNull()
    expect(getUser(getRequest('/', b))?.id).toBe(user.id)
  })

  test('signing out everywhere ends every session of the user', async () => {
    const user = await createUser()
    const other = await createUser()
    const a = signedInCookie(user.id)
    const b = signedInCookie(user.id)
    const keep = signedInCookie(other.id)
    const res = await run(() =>
      accountAction({ request: formRequest('/account', { intent: 'sign-out-everywhere' }, { cookie: a }), context: context(), params: {} }),
    )
    expect(res.status).toBe(200)
    expect(getUser(getRequest('/', a))).toBeNull()
    expect(getUser(getRequest('/', b))).toBeNull()
    expect(getUser(getRequest('/', keep))?.id).toBe(other.id)
    expect(db.select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(0)
  })

  test('only the SHA-256 of the token is stored', async () => {
    const user = await createUser()
    const cookie = signedInCookie(user.id)
    const token = readSessionToken(getRequest('/', cookie))!
    const stored = db.select().from(sessions).where(eq(sessions.userId, user.id)).all()
    expect(stored.map((s) => s.id)).toEqual([sessionIdFromToken(token)])
    expect(stored[0]!.id).not.toContain(token)
  })

  test('sessions end when idle: used after 20 days they live on, unused for 30 days they expire', async () => {
    testClock.freeze('2026-01-01T00:00:00Z')
    const user = await createUser()
    const active = signedInCookie(user.id)
    const idle = signedInCookie(user.id)
    testClock.advance(20 * 86_400_000)
    expect(getUser(getRequest('/', active))?.id).toBe(user.id)
    const seen = db
      .select()
      .from(sessions)
      .where(eq(sessions.id, sessionIdFromToken(readSessionToken(getRequest('/', active))!)))
      .get()
    expect(seen?.lastSeenAt?.getTime()).toBe(new Date('2026-01-21T00:00:00Z').getTime())
    testClock.advance(11 * 86_400_000)
    expect(getUser(getRequest('/', idle))).toBeNull()
    expect(getUser(getRequest('/', active))?.id).toBe(user.id)
  })

  test('a malformed cookie is ignored', () => {
    expect(getUser(getRequest('/', 'weinuan_session=../../etc'))).toBeNull()
  })
})
