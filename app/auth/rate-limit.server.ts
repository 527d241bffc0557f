import { and, eq, gt, inArray, lte } from 'drizzle-orm'
import { writeTransaction, type Tx } from '~db/client.server'
import { rateLimits } from '~db/schema'
import { now } from '~/utils/clock.server'
import { getEnv } from '~/utils/env.server'

// Brute-force limits for signing in and registering. The counts live in SQLite (rate_limits),
// read and written in one BEGIN IMMEDIATE transaction per attempt, so they hold exactly across
// every server process sharing the database (one per core, docs/decisions/014): spreading
// guesses over workers gains nothing.
//
// Per account, progressively: a few free failures, then each further failure blocks the account
// for 1, 2, 4, 8, then 15 minutes. The owner is never locked out for good: once a block ends the
// right password signs in and forgives every failure. Per address, a plain window (30 attempts
// per 15 minutes; successes give theirs back) stops one machine from trying many accounts.

export const SIGN_IN_LIMITS = {
  freeFailures: 5,
  blockMinutes: [1, 2, 4, 8, 15] as readonly number[],
  /** Failures are forgotten after a quiet day. */
  forgetAfterMs: 24 * 3600_000,
  perIp: 30,
  windowSeconds: 15 * 60,
}

/** Registration attempts (that pass validation) per address per hour (REGISTRATIONS_PER_IP_PER_HOUR). */
export const REGISTER_LIMITS = { perIp: getEnv().REGISTRATIONS_PER_IP_PER_HOUR, windowSeconds: 3600 }

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number }

type Row = typeof rateLimits.$inferSelect

/** The row of `key`, unless it has expired (then it counts as absent). */
function liveRow(tx: Tx, key: string, at: Date): Row | undefined {
  return tx
    .select()
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), gt(rateLimits.expiresAt, at)))
    .get()
}

function saveRow(tx: Tx, row: Row) {
  tx.insert(rateLimits)
    .values(row)
    .onConflictDoUpdate({ target: rateLimits.key, set: { count: row.count, blockedUntil: row.blockedUntil, expiresAt: row.expiresAt } })
    .run()
}

/** A few expired rows per attempt: the table stays the size of the recent attempts. */
function pruneExpired(tx: Tx, at: Date) {
  const expired = tx.select({ key: rateLimits.key }).from(rateLimits).where(lte(rateLimits.expiresAt, at)).limit(20)
  tx.delete(rateLimits).where(inArray(rateLimits.key, expired)).run()
}

const accountKeyOf = (accountKey: string) => `account:${accountKey}`

/**
 * Reserve an attempt for this account (inside the attempt's write transaction, so parallel
 * guesses from any process are counted one by one): refused while a block runs; otherwise
 * counted as a failure in advance, and a failure beyond the free ones starts the next, longer
 * block. A success undoes it all.
 */
function reserveAccountAttempt(tx: Tx, accountKey: string, at: Date): LimitResult {
  const key = accountKeyOf(accountKey)
  const state = liveRow(tx, key, at)
  const blockedUntil = state?.blockedUntil?.getTime() ?? 0
  if (blockedUntil > at.getTime()) return { ok: false, retryAfterSeconds: Math.ceil((blockedUntil - at.getTime()) / 1000) }
  const failures = (state?.count ?? 0) + 1
  const beyond = failures - SIGN_IN_LIMITS.freeFailures
  const steps = SIGN_IN_LIMITS.blockMinutes
  const nextBlock = beyond >= 0 ? new Date(at.getTime() + (steps[Math.min(beyond, steps.length - 1)] as number) * 60_000) : null
  saveRow(tx, { key, count: failures, blockedUntil: nextBlock, expiresAt: new Date(at.getTime() + SIGN_IN_LIMITS.forgetAfterMs) })
  return { ok: true }
}

/**
 * Add `points` to the fixed window of `key` (started by its first point, `windowSeconds` long)
 * and say whether it is now beyond `limit`. Attempts made while refused still count.
 */
function countInWindow(tx: Tx, key: string, points: number, limit: number, windowSeconds: number, at: Date): LimitResult {
  const state = liveRow(tx, key, at)
  const expiresAt = state?.expiresAt ?? new Date(at.getTime() + windowSeconds * 1000)
  const count = Math.max(0, (state?.count ?? 0) + points)
  if (state || count > 0) saveRow(tx, { key, count, blockedUntil: null, expiresAt })
  if (count > limit) return { ok: false, retryAfterSeconds: Math.ceil((expiresAt.getTime() - at.getTime()) / 1000) }
  return { ok: true }
}

/**
 * Spend one attempt before the password is checked, so a burst of parallel guesses cannot all
 * slip past the limits.
 */
export async function spendSignInAttempt(accountKey: string, ip: string): Promise<LimitResult & { scope?: 'account' | 'ip' }> {
  const at = now()
  return writeTransaction((tx) => {
    pruneExpired(tx, at)
    const account = reserveAccountAttempt(tx, accountKey, at)
    const byIp = countInWindow(tx, `signin-ip:${ip}`, 1, SIGN_IN_LIMITS.perIp, SIGN_IN_LIMITS.windowSeconds, at)
    if (!account.ok) return { ...account, scope: 'account' as const }
    return byIp.ok ? byIp : { ...byIp, scope: 'ip' as const }
  })
}

/** A correct password: the account's failures and blocks are forgiven and this attempt no longer counts for the address. */
export async function signInSucceeded(accountKey: string, ip: string): Promise<void> {
  const at = now()
  writeTransaction((tx) => {
    tx.delete(rateLimits)
      .where(eq(rateLimits.key, accountKeyOf(accountKey)))
      .run()
    countInWindow(tx, `signin-ip:${ip}`, -1, SIGN_IN_LIMITS.perIp, SIGN_IN_LIMITS.windowSeconds, at)
  })
}

/** One registration attempt from this address (counted before the account lookup and the hashing). */
export async function spendRegistrationAttempt(ip: string): Promise<LimitResult> {
  const at = now()
  return writeTransaction((tx) => {
    pruneExpired(tx, at)
    return countInWindow(tx, `register-ip:${ip}`, 1, REGISTER_LIMITS.perIp, REGISTER_LIMITS.windowSeconds, at)
  })
}

/** Minutes to tell people, rounded up (at least 1). */
export function retryMinutes(retryAfterSeconds: number): number {
  return Math.max(1, Math.ceil(retryAfterSeconds / 60))
}

/**
 * One-time codes (app/auth/password-reset.server.ts): codes sent per identifier and per address
 * in a fixed window, and code checks per address. Wrong guesses at one code are limited by the
 * code itself (CODE_LIMITS.attemptsPerCode in verification-codes.server.ts).
 */
export const CODE_LIMITS = {
  sendsPerIdentifier: 5,
  sendsPerIp: getEnv().CODE_SENDS_PER_IP_PER_HOUR,
  sendWindowSeconds: 3600,
  checksPerIp: 30,
  checkWindowSeconds: 15 * 60,
}

/** One code sent to this identifier from this address; refused when either is past its limit. */
export async function spendCodeSend(identifierKey: string, ip: string): Promise<LimitResult & { scope?: 'identifier' | 'ip' }> {
  const at = now()
  return writeTransaction((tx) => {
    pruneExpired(tx, at)
    const byIdentifier = countInWindow(
      tx,
      `code-send:${identifierKey}`,
      1,
      CODE_LIMITS.sendsPerIdentifier,
      CODE_LIMITS.sendWindowSeconds,
      at,
    )
    const byIp = countInWindow(tx, `code-send-ip:${ip}`, 1, CODE_LIMITS.sendsPerIp, CODE_LIMITS.sendWindowSeconds, at)
    if (!byIdentifier.ok) return { ...byIdentifier, scope: 'identifier' as const }
    return byIp.ok ? byIp : { ...byIp, scope: 'ip' as const }
  })
}

/** One code check (right or wrong) from this address. */
export async function spendCodeCheck(ip: string): Promise<LimitResult> {
  const at = now()
  return writeTransaction((tx) => {
    pruneExpired(tx, at)
    return countInWindow(tx, `code-check-ip:${ip}`, 1, CODE_LIMITS.checksPerIp, CODE_LIMITS.checkWindowSeconds, at)
  })
}
