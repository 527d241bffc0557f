import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { desc, eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { notifications, sessions, users, verificationCodes } from '~db/schema'
import { getUser, verifySignIn } from '~/auth/auth.server'
import { hashPassword } from '~/auth/password.server'
import { PASSWORD_RESET_TEMPLATE } from '~/auth/password-reset.server'
import { CODE_LIMITS } from '~/auth/rate-limit.server'
import { CODE_RULES, CODE_TTL_MS } from '~/auth/verification-codes.server'
import { deliverPendingNotifications, type DeliveryConfig } from '~/notifications/delivery.server'
import { testClock } from '~/utils/clock.server'
import { action as forgotAction } from '~/routes/forgot-password'
import { action as accountAction } from '~/routes/account'
import { context, cookieFrom, createUser, formRequest, getRequest, run, signedInCookie, TEST_PASSWORD, unique } from './helpers'

const NEW_PASSWORD = 'brand-new-pass-7'
let phoneCounter = Math.floor(Math.random() * 1e6)
function uniquePhone() {
  phoneCounter += 1
  return `137${String(phoneCounter).padStart(8, '0')}`
}
let ipCounter = 0
function freshIp() {
  ipCounter += 1
  return `10.9.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`
}

async function phoneUser() {
  const phone = uniquePhone()
  const row = db
    .insert(users)
    .values({ phone, displayName: '重置测试', passwordHash: await hashPassword(TEST_PASSWORD) })
    .returning()
    .get()
  return row
}

function sendCode(identifier: string, ip = freshIp()) {
  return run(() =>
    forgotAction({ request: formRequest('/forgot-password', { intent: 'send', identifier }), context: context(ip), params: {} }),
  )
}
function reset(fields: { identifier: string; code: string; password?: string; confirmPassword?: string }, ip = freshIp(), cookie?: string) {
  const password = fields.password ?? NEW_PASSWORD
  return run(() =>
    forgotAction({
      request: formRequest(
        '/forgot-password',
        {
          intent: 'reset',
          identifier: fields.identifier,
          code: fields.code,
          password,
          confirmPassword: fields.confirmPassword ?? password,
        },
        { cookie },
      ),
      context: context(ip),
      params: {},
    }),
  )
}
/** The code in the latest message queued to this address (the outbox the jobs deliver). */
function codeSentTo(recipient: string): string {
  const message = db.select().from(notifications).where(eq(notifications.recipient, recipient)).orderBy(desc(notifications.id)).get()
  const code = message?.body.match(/验证码 (\d{6})/)?.[1]
  if (!code) throw new Error(`no code sent to ${recipient}`)
  return code
}
function fieldErrors(body: unknown): Record<string, string[]> {
  return ((body as { result: { error?: Record<string, string[]> } }).result.error ?? {}) as Record<string, string[]>
}
function wrongCode(code: string) {
  return String((Number(code) + 1) % 10 ** CODE_RULES.digits).padStart(CODE_RULES.digits, '0')
}

describe('asking for a reset code', () => {
  test('a code goes by SMS to the phone typed, and only its SHA-256 is stored', async () => {
    const user = await phoneUser()
    const res = await sendCode(`+86 ${user.phone!.slice(0, 3)} ${user.phone!.slice(3)}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ step: 'reset', masked: `${user.phone!.slice(0, 3)}****${user.phone!.slice(-4)}` })
    const message = db.select().from(notifications).where(eq(notifications.recipient, user.phone!)).get()
    expect(message).toMatchObject({ channel: 'sms', userId: user.id, template: 'auth.password-reset.code' })
    const code = codeSentTo(user.phone!)
    const row = db.select().from(verificationCodes).where(eq(verificationCodes.userId, user.id)).get()!
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/)
    expect(
      Object.values(row)
        .map(String)
        .some((v) => v.includes(code)),
    ).toBe(false)
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(CODE_TTL_MS + 1000)
  })

  test('an e-mail account gets its code by e-mail', async () => {
    const user = await createUser()
    await sendCode(user.email!.toUpperCase())
    expect(db.select().from(notifications).where(eq(notifications.recipient, user.email!)).get()).toMatchObject({
      channel: 'email',
      userId: user.id,
    })
    expect(codeSentTo(user.email!)).toMatch(/^\d{6}$/)
  })

  test('an unknown address gets the same answer, and a code row is written all the same, but nothing is sent', async () => {
    const known = await createUser()
    const unknownEmail = `${unique('nobody')}@test.example`
    const forKnown = await sendCode(known.email!)
    const forUnknown = await sendCode(unknownEmail)
    expect(forUnknown.status).toBe(forKnown.status)
    const shape = (body: unknown) => ({
      ...(body as Record<string, unknown>),
      identifier: 'x',
      masked: String((body as { masked: string }).masked).replace(/^.\*\*\*@.*$/, 'm'),
    })
    expect(shape(forUnknown.body)).toEqual(shape(forKnown.body))
    expect(
      db
        .select()
        .from(verificationCodes)
        .where(eq(verificationCodes.identifier, `email:${unknownEmail}`))
        .all(),
    ).toHaveLength(1)
    expect(db.select().from(notifications).where(eq(notifications.recipient, unknownEmail)).all()).toHaveLength(0)
    // At the second step an unknown address is answered like a known one with a wrong code.
    const guessUnknown = await reset({ identifier: unknownEmail, code: '123456' })
    const guessKnown = await reset({ identifier: known.email!, code: wrongCode(codeSentTo(known.email!)) })
    expect(guessUnknown.status).toBe(guessKnown.status)
    expect(fieldErrors(guessUnknown.body).code).toEqual(fieldErrors(guessKnown.body).code)
    expect(fieldErrors(guessKnown.body).code).toEqual([`验证码不正确，还可以再试 ${CODE_RULES.attemptsPerCode - 1} 次`])
  })

  test('bad input is answered next to the field, in Chinese', async () => {
    const res = await sendCode('12345')
    expect(res.status).toBe(400)
    expect(fieldErrors(res.body).identifier).toEqual(['请输入有效的中国大陆手机号（11 位）或邮箱地址'])
  })

  test('codes are limited per identifier, whatever the address asking', async () => {
    const user = await phoneUser()
    for (let i = 0; i < CODE_LIMITS.sendsPerIdentifier; i++) expect((await sendCode(user.phone!)).status).toBe(200)
    const refused = await sendCode(user.phone!)
    expect(refused.status).toBe(429)
    expect((refused.body as { result: { error: Record<string, string[]> } }).result.error['']?.[0]).toMatch(
      /^获取验证码过于频繁，请 \d+ 分钟后再试$/,
    )
    // …and an unknown identifier is limited the same way.
    const nobody = uniquePhone()
    for (let i = 0; i < CODE_LIMITS.sendsPerIdentifier; i++) await sendCode(nobody)
    expect((await sendCode(nobody)).status).toBe(429)
    // After the window, codes can be asked for again.
    testClock.advance(CODE_LIMITS.sendWindowSeconds * 1000 + 1000)
    expect((await sendCode(user.phone!)).status).toBe(200)
  })

  test('codes are limited per address, across identifiers', async () => {
    const ip = freshIp()
    for (let i = 0; i < CODE_LIMITS.sendsPerIp; i++) expect((await sendCode(uniquePhone(), ip)).status).toBe(200)
    expect((await sendCode(uniquePhone(), ip)).status).toBe(429)
  })
})

describe('resetting with the code', () => {
  test('the right code sets the new password, signs out every session and signs this device in', async () => {
    const user = await phoneUser()
    const elsewhere = [signedInCookie(user.id), signedInCookie(user.id)]
    await sendCode(user.phone!)
    const res = await reset({ identifier: user.phone!, code: codeSentTo(user.phone!) })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/')
    const cookie = cookieFrom(res.headers)
    expect(getUser(getRequest('/', cookie))?.id).toBe(user.id)
    for (const old of elsewhere) expect(getUser(getRequest('/', old))).toBeNull()
    expect(db.select().from(sessions).where(eq(sessions.userId, user.id)).all()).toHaveLength(1)
    expect(await verifySignIn({ identifier: user.phone!, password: TEST_PASSWORD, ip: freshIp() })).toEqual({
      ok: false,
      reason: 'invalid',
    })
    expect(await verifySignIn({ identifier: user.phone!, password: NEW_PASSWORD, ip: freshIp() })).toEqual({ ok: true, userId: user.id })
  })

  test('a code works once', async () => {
    const user = await phoneUser()
    await sendCode(user.phone!)
    const code = codeSentTo(user.phone!)
    expect((await reset({ identifier: user.phone!, code })).status).toBe(302)
    const again = await reset({ identifier: user.phone!, code, password: 'another-pass-8' })
    expect(again.status).toBe(400)
    expect(fieldErrors(again.body).code).toEqual(['验证码无效或已过期，请重新获取'])
    expect(await verifySignIn({ identifier: user.phone!, password: NEW_PASSWORD, ip: freshIp() })).toMatchObject({ ok: true })
  })

  test('a code expires after ten minutes', async () => {
    const user = await phoneUser()
    testClock.freeze(new Date())
    await sendCode(user.phone!)
    const code = codeSentTo(user.phone!)
    testClock.advance(CODE_TTL_MS + 1000)
    const late = await reset({ identifier: user.phone!, code })
    expect(late.status).toBe(400)
    expect(fieldErrors(late.body).code).toEqual(['验证码无效或已过期，请重新获取'])
    expect(await verifySignIn({ identifier: user.phone!, password: TEST_PASSWORD, ip: freshIp() })).toMatchObject({ ok: true })
  })

  test('wrong guesses are limited per code: after the last one even the right code is refused', async () => {
    const user = await phoneUser()
    await sendCode(user.phone!)
    const code = codeSentTo(user.phone!)
    for (let i = 1; i < CODE_RULES.attemptsPerCode; i++) {
      const res = await reset({ identifier: user.phone!, code: wrongCode(code) })
      expect(fieldErrors(res.body).code).toEqual([`验证码不正确，还可以再试 ${CODE_RULES.attemptsPerCode - i} 次`])
    }
    const last = await reset({ identifier: user.phone!, code: wrongCode(code) })
    expect(fieldErrors(last.body).code).toEqual(['验证码错误次数过多，已失效，请重新获取'])
    const right = await reset({ identifier: user.phone!, code })
    expect(right.status).toBe(400)
    expect(fieldErrors(right.body).code).toEqual(['验证码错误次数过多，已失效，请重新获取'])
    expect(await verifySignIn({ identifier: user.phone!, password: TEST_PASSWORD, ip: freshIp() })).toMatchObject({ ok: true })
  })

  test('a new code ends the older one', async () => {
    const user = await phoneUser()
    await sendCode(user.phone!)
    const first = codeSentTo(user.phone!)
    await sendCode(user.phone!)
    const second = codeSentTo(user.phone!)
    // The older code is now just a wrong guess at the live one (on the rare equal draw, nothing to check).
    if (first !== second)
      expect(fieldErrors((await reset({ identifier: user.phone!, code: first })).body).code).toEqual([
        `验证码不正确，还可以再试 ${CODE_RULES.attemptsPerCode - 1} 次`,
      ])
    expect(
      db
        .select()
        .from(verificationCodes)
        .where(eq(verificationCodes.userId, user.id))
        .all()
        .filter((c) => c.expiresAt > new Date()),
    ).toHaveLength(1)
    expect((await reset({ identifier: user.phone!, code: second })).status).toBe(302)
  })

  test('code checks are limited per address', async () => {
    const ip = freshIp()
    const nobody = uniquePhone()
    for (let i = 0; i < CODE_LIMITS.checksPerIp; i++) expect((await reset({ identifier: nobody, code: '000000' }, ip)).status).toBe(400)
    const refused = await reset({ identifier: nobody, code: '000000' }, ip)
    expect(refused.status).toBe(429)
  })

  test('full-width digits and spaces in the code are accepted; the new password follows the registration rules', async () => {
    const user = await phoneUser()
    await sendCode(user.phone!)
    const code = codeSentTo(user.phone!)
    const short = await reset({ identifier: user.phone!, code, password: 'short' })
    expect(fieldErrors(short.body).password).toEqual(['密码至少需要 8 个字符'])
    const mismatch = await reset({ identifier: user.phone!, code, password: NEW_PASSWORD, confirmPassword: 'something-else' })
    expect(fieldErrors(mismatch.body).confirmPassword).toEqual(['两次输入的密码不一致'])
    const wide = code.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))
    expect((await reset({ identifier: user.phone!, code: `${wide.slice(0, 3)} ${wide.slice(3)}` })).status).toBe(302)
  })
})

describe('changing the password on /account', () => {
  function change(cookie: string, fields: Record<string, string>, ip = freshIp()) {
    return run(() =>
      accountAction({
        request: formRequest('/account', { intent: 'change-password', ...fields }, { cookie }),
        context: context(ip),
        params: {},
      }),
    )
  }

  test('needs the current password; signs out the other sessions and keeps this one', async () => {
    const user = await createUser()
    const here = signedInCookie(user.id)
    const other = signedInCookie(user.id)
    const wrong = await change(here, { currentPassword: 'not-my-password', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    expect(wrong.status).toBe(400)
    expect(fieldErrors(wrong.body).currentPassword).toEqual(['当前密码不正确'])
    expect(getUser(getRequest('/', other))?.id).toBe(user.id)

    const ok = await change(here, { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ passwordChanged: true })
    expect(getUser(getRequest('/', here))?.id).toBe(user.id)
    expect(getUser(getRequest('/', other))).toBeNull()
    expect(await verifySignIn({ identifier: user.email!, password: TEST_PASSWORD, ip: freshIp() })).toEqual({
      ok: false,
      reason: 'invalid',
    })
    expect(await verifySignIn({ identifier: user.email!, password: NEW_PASSWORD, ip: freshIp() })).toEqual({ ok: true, userId: user.id })
  })

  test('the new password follows the registration rules, and must differ from the current one', async () => {
    const user = await createUser()
    const here = signedInCookie(user.id)
    const short = await change(here, { currentPassword: TEST_PASSWORD, password: 'short', confirmPassword: 'short' })
    expect(fieldErrors(short.body).password).toEqual(['密码至少需要 8 个字符'])
    const same = await change(here, { currentPassword: TEST_PASSWORD, password: TEST_PASSWORD, confirmPassword: TEST_PASSWORD })
    expect(fieldErrors(same.body).password).toEqual(['新密码不能与当前密码相同'])
    const mismatch = await change(here, { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD, confirmPassword: 'other-other-1' })
    expect(fieldErrors(mismatch.body).confirmPassword).toEqual(['两次输入的密码不一致'])
    expect(await verifySignIn({ identifier: user.email!, password: TEST_PASSWORD, ip: freshIp() })).toMatchObject({ ok: true })
  })

  test('guesses at the current password count against the account like sign-in attempts', async () => {
    const user = await createUser()
    const here = signedInCookie(user.id)
    let last = await change(here, { currentPassword: 'guess-0', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    for (let i = 1; i < 10 && last.status !== 429; i++)
      last = await change(here, { currentPassword: `guess-${i}`, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    expect(last.status).toBe(429)
    expect((await verifySignIn({ identifier: user.email!, password: TEST_PASSWORD, ip: freshIp() })).ok).toBe(false)
  })

  test('a signed-out visitor is sent to sign in', async () => {
    const res = await run(() =>
      accountAction({ request: formRequest('/account', { intent: 'change-password' }), context: context(), params: {} }),
    )
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toMatch(/^\/login/)
  })
})

describe('delivering the code', () => {
  test('a reset code is delivered at once even behind a backlog of more than one batch of other messages', async () => {
    const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weinuan-outbox-'))
    const config: DeliveryConfig = { sms: null, smtpUrl: null, mailFrom: '微暖 <no-reply@weinuan.example>', outboxDir }
    const other = await createUser()
    db.insert(notifications)
      .values(
        Array.from({ length: 150 }, (_, i) => ({
          userId: other.id,
          channel: 'email' as const,
          recipient: other.email!,
          template: 'test.backlog',
          subject: `积压 ${i}`,
          body: '积压的消息',
        })),
      )
      .run()
    const user = await phoneUser()
    await sendCode(user.phone!)
    const report = await deliverPendingNotifications(config, { template: PASSWORD_RESET_TEMPLATE })
    expect(report.written).toBeGreaterThanOrEqual(1)
    const code = db.select().from(notifications).where(eq(notifications.recipient, user.phone!)).orderBy(desc(notifications.id)).get()!
    expect(code.status).toBe('sent')
    expect(fs.readdirSync(outboxDir).some((f) => f.endsWith('-auth.password-reset.code.txt'))).toBe(true)
    // The backlog is left to the jobs.
    expect(
      db
        .select()
        .from(notifications)
        .where(eq(notifications.template, 'test.backlog'))
        .all()
        .every((m) => m.status === 'pending'),
    ).toBe(true)
  })
})
