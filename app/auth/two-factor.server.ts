import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from '@oslojs/encoding'
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp'
import QRCode from 'qrcode'
import { and, eq, isNull, lt, or } from 'drizzle-orm'
import { db, writeTransaction } from '~db/client.server'
import { institutions, memberships, sessions, users } from '~db/schema'
import { auditedWrite, type Actor } from '~/audit/audit.server'
import { now } from '~/utils/clock.server'
import { retryMinutes, signInSucceeded, spendSignInAttempt } from './rate-limit.server'
import { decryptSecret, encryptSecret } from './two-factor-key.server'

// Two-step sign-in with an authenticator app (TOTP, RFC 6238), after the Lucia guide
// (lucia-auth.com, "Two-factor authentication"): a TOTP key per user, a flag on the session
// saying its second step was passed, a setup that is confirmed by a code before it counts, and
// one recovery code that turns two-step sign-in off when the phone is lost.
// docs/decisions/020-two-factor.md gives the reasons.

export const TOTP_PERIOD_SECONDS = 30
export const TOTP_DIGITS = 6
const KEY_BYTES = 20
const ISSUER = '微暖'

// The state asked on every signed-in request comes with the session query (session.server.ts).

export function userHasTwoFactor(userId: number): boolean {
  const row = db.select({ key: users.totpKey }).from(users).where(eq(users.id, userId)).get()
  return Boolean(row?.key)
}

/** REQUIRE_STAFF_2FA=1: every staff member and platform admin (read when asked, so tests can set it). */
export function platformRequiresTwoFactor(): boolean {
  return process.env.REQUIRE_STAFF_2FA === '1'
}

/**
 * Whether this user must have two-step sign-in: the platform requires it of staff and admins,
 * or a home they work for requires it of its staff. Another home's setting never applies.
 */
export function twoFactorRequiredOf(user: { id: number; isPlatformAdmin: boolean }): boolean {
  const homes = db
    .select({ requireTwoFactor: institutions.requireTwoFactor })
    .from(memberships)
    .innerJoin(institutions, eq(institutions.id, memberships.institutionId))
    .where(eq(memberships.userId, user.id))
    .all()
  if (platformRequiresTwoFactor() && (user.isPlatformAdmin || homes.length > 0)) return true
  return homes.some((h) => h.requireTwoFactor)
}

// ---- Setup ---------------------------------------------------------------------------------

/** A new random key, as the base32 text people type into an authenticator app. */
export function newTotpKeyText(): string {
  return encodeBase32UpperCaseNoPadding(randomBytes(KEY_BYTES))
}

/** The key from its base32 text (spaces allowed, any case), or null when it is not a key. */
export function keyFromText(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, '').toUpperCase()
  if (!/^[A-Z2-7]+$/.test(clean)) return null
  try {
    const key = decodeBase32IgnorePadding(clean)
    return key.length === KEY_BYTES ? key : null
  } catch {
    return null
  }
}

/** The otpauth:// URI an authenticator app reads (from the QR code, or a tap on a phone). */
export function totpKeyUri(accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI(ISSUER, accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS)
}

/** "ABCD EFGH …": the key in groups of four, easier to copy by hand. */
export function groupKeyText(text: string): string {
  return text.replace(/(.{4})(?=.)/g, '$1 ')
}

export type TwoFactorSetup = { keyText: string; groupedKey: string; uri: string; qrSvg: string }

/**
 * What the setup page shows for a key (a new one unless given): the QR code of the otpauth://
 * URI, rendered on the server like the site's other QR codes, and the key as text.
 */
export async function twoFactorSetup(
  user: { email: string | null; phone: string | null; displayName: string },
  keyText = newTotpKeyText(),
): Promise<TwoFactorSetup> {
  const key = keyFromText(keyText) ?? (keyFromText((keyText = newTotpKeyText())) as Uint8Array)
  const uri = totpKeyUri(user.email ?? user.phone ?? user.displayName, key)
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
  return { keyText, groupedKey: groupKeyText(keyText), uri, qrSvg }
}

// ---- Codes ---------------------------------------------------------------------------------

/** Digits only: full-width digits become ASCII, spaces and dashes go. */
export function normaliseOtp(input: string): string {
  return input.normalize('NFKC').replace(/[\s-]/g, '')
}

function currentCounter(): number {
  return Math.floor(now().getTime() / 1000 / TOTP_PERIOD_SECONDS)
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * The time step whose code this is: the current one or a neighbour (a phone's clock may be 30 s
 * off), and only a step after the last accepted one, so a code is never accepted twice.
 */
function matchingCounter(key: Uint8Array, code: string, lastCounter: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null
  const current = currentCounter()
  let found: number | null = null
  for (const counter of [current - 1, current, current + 1]) {
    if (sameText(generateHOTP(key, BigInt(counter), TOTP_DIGITS), code) && found === null) found = counter
  }
  if (found === null || (lastCounter !== null && found <= lastCounter)) return null
  return found
}

const RECOVERY_BYTES = 10

/** 16 characters in groups of four, e.g. "K3QF-7ZP2-MX4D-A9RT" (base32, 80 random bits). */
function newRecoveryCode(): string {
  return encodeBase32UpperCaseNoPadding(randomBytes(RECOVERY_BYTES)).replace(/(.{4})(?=.)/g, '$1-')
}

/** Stored as SHA-256: the code is random enough that a fast hash cannot be reversed. */
function hashRecoveryCode(code: string): string {
  const clean = code.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase()
  return createHash('sha256').update(clean).digest('hex')
}

export type TwoFactorRefusal = { ok: false; field?: 'code'; message: string; status: 400 | 429 }

/** One attempt at a code for this account (rate-limit.server.ts, per account and per address). */
async function spendCodeAttempt(userId: number, ip: string | null): Promise<TwoFactorRefusal | null> {
  const allowed = await spendSignInAttempt(`totp:${userId}`, ip ?? 'unknown')
  if (allowed.ok) return null
  return { ok: false, message: `验证码尝试次数过多，请 ${retryMinutes(allowed.retryAfterSeconds)} 分钟后再试`, status: 429 }
}

async function codeAccepted(userId: number, ip: string | null) {
  await signInSucceeded(`totp:${userId}`, ip ?? 'unknown')
}

const WRONG_CODE = '验证码不正确或已用过，请输入验证器应用中当前显示的 6 位数字'

/**
 * Turn two-step sign-in on: the code must come from the key shown on the setup page (the key
 * travels in the form, so nothing is stored until it is confirmed). This session counts as
 * verified; the user's other sessions must pass the second step. Returns the recovery code,
 * shown once.
 */
export async function enableTwoFactor(input: {
  userId: number
  sessionId: string
  keyText: string
  code: string
  ip: string | null
}): Promise<{ ok: true; recoveryCode: string } | TwoFactorRefusal> {
  const key = keyFromText(input.keyText)
  if (!key) return { ok: false, message: '密钥无效，请刷新页面重新设置', status: 400 }
  const limited = await spendCodeAttempt(input.userId, input.ip)
  if (limited) return limited
  const counter = matchingCounter(key, normaliseOtp(input.code), null)
  if (counter === null) return { ok: false, field: 'code', message: WRONG_CODE, status: 400 }
  const recoveryCode = newRecoveryCode()
  const enabled = writeTransaction((tx) => {
    const changed = tx
      .update(users)
      .set({ totpKey: encryptSecret(key), totpLastCounter: counter, recoveryCodeHash: hashRecoveryCode(recoveryCode) })
      .where(and(eq(users.id, input.userId), isNull(users.totpKey)))
      .run().changes
    if (changed === 0) return false
    tx.update(sessions).set({ twoFactorVerified: false }).where(eq(sessions.userId, input.userId)).run()
    tx.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, input.sessionId)).run()
    return true
  })
  if (!enabled) return { ok: false, message: '两步验证已经开启', status: 400 }
  await codeAccepted(input.userId, input.ip)
  return { ok: true, recoveryCode }
}

/** The second step of signing in: a current code from the app marks this session verified. */
export async function verifyTwoFactorCode(input: {
  userId: number
  sessionId: string
  code: string
  ip: string | null
}): Promise<{ ok: true } | TwoFactorRefusal> {
  const limited = await spendCodeAttempt(input.userId, input.ip)
  if (limited) return limited
  const code = normaliseOtp(input.code)
  const accepted = writeTransaction((tx) => {
    const user = tx.select({ key: users.totpKey, last: users.totpLastCounter }).from(users).where(eq(users.id, input.userId)).get()
    const key = user?.key ? decryptSecret(user.key) : null
    if (!user || !key) return false
    const counter = matchingCounter(key, code, user.last)
    if (counter === null) return false
    // Conditional on the last step, so two requests with the same code cannot both pass.
    const changed = tx
      .update(users)
      .set({ totpLastCounter: counter })
      .where(and(eq(users.id, input.userId), or(isNull(users.totpLastCounter), lt(users.totpLastCounter, counter))))
      .run().changes
    if (changed === 0) return false
    tx.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, input.sessionId)).run()
    return true
  })
  if (!accepted) return { ok: false, field: 'code', message: WRONG_CODE, status: 400 }
  await codeAccepted(input.userId, input.ip)
  return { ok: true }
}

/**
 * The recovery code, for a lost phone: as in the Lucia guide it works once and resets two-step
 * sign-in (the key and the code are removed, every session of the user loses its verified
 * flag). A user whose home requires two-step sign-in is then sent to set it up again.
 */
export async function recoverWithCode(input: {
  userId: number
  code: string
  ip: string | null
}): Promise<{ ok: true } | TwoFactorRefusal> {
  const limited = await spendCodeAttempt(input.userId, input.ip)
  if (limited) return limited
  const hash = hashRecoveryCode(input.code)
  const reset = writeTransaction((tx) => {
    const changed = tx
      .update(users)
      .set({ totpKey: null, totpLastCounter: null, recoveryCodeHash: null })
      .where(and(eq(users.id, input.userId), eq(users.recoveryCodeHash, hash)))
      .run().changes
    if (changed === 0) return false
    tx.update(sessions).set({ twoFactorVerified: false }).where(eq(sessions.userId, input.userId)).run()
    return true
  })
  if (!reset) return { ok: false, field: 'code', message: '恢复码不正确或已用过', status: 400 }
  await codeAccepted(input.userId, input.ip)
  return { ok: true }
}

/** Turn two-step sign-in off with a current code, unless the platform or a home requires it. */
export async function disableTwoFactor(input: {
  user: { id: number; isPlatformAdmin: boolean }
  code: string
  ip: string | null
}): Promise<{ ok: true } | TwoFactorRefusal> {
  if (twoFactorRequiredOf(input.user)) return { ok: false, message: '您所在的机构要求两步验证，不能关闭', status: 400 }
  const limited = await spendCodeAttempt(input.user.id, input.ip)
  if (limited) return limited
  const code = normaliseOtp(input.code)
  const done = writeTransaction((tx) => {
    const user = tx.select({ key: users.totpKey, last: users.totpLastCounter }).from(users).where(eq(users.id, input.user.id)).get()
    const key = user?.key ? decryptSecret(user.key) : null
    if (!user || !key || matchingCounter(key, code, user.last) === null) return false
    tx.update(users).set({ totpKey: null, totpLastCounter: null, recoveryCodeHash: null }).where(eq(users.id, input.user.id)).run()
    tx.update(sessions).set({ twoFactorVerified: false }).where(eq(sessions.userId, input.user.id)).run()
    return true
  })
  if (!done) return { ok: false, field: 'code', message: WRONG_CODE, status: 400 }
  await codeAccepted(input.user.id, input.ip)
  return { ok: true }
}

/** A home's manager switches the requirement for the home's staff on or off (audited). */
export function setHomeRequiresTwoFactor(actor: Actor, institutionId: number, required: boolean) {
  return auditedWrite(actor, (tx) => {
    tx.update(institutions).set({ requireTwoFactor: required }).where(eq(institutions.id, institutionId)).run()
    return {
      result: { ok: true as const },
      audit: {
        institutionId,
        action: 'institution.require_two_factor',
        entityType: 'institution',
        entityId: institutionId,
        summary: { requireTwoFactor: required },
      },
    }
  })
}
