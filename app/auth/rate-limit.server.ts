import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { now } from '~/utils/clock.server'
import { getEnv } from '~/utils/env.server'

// Brute-force limits for signing in and registering. One server process serves the site
// (SQLite, one writer), so in-memory state is exact; a multi-process deployment would switch
// to a shared store.
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

type AccountState = { failures: number; blockedUntil: number; lastFailureAt: number }
const accounts = new Map<string, AccountState>()

function forgetStale(at: number) {
  if (accounts.size < 10_000) return
  for (const [key, state] of accounts) {
    if (at - state.lastFailureAt > SIGN_IN_LIMITS.forgetAfterMs && state.blockedUntil <= at) accounts.delete(key)
  }
}

/**
 * Reserve an attempt for this account, synchronously (so parallel guesses are counted one by
 * one): refused while a block runs; otherwise counted as a failure in advance, and a failure
 * beyond the free ones starts the next, longer block. A success undoes it all.
 */
function reserveAccountAttempt(accountKey: string): LimitResult {
  const at = now().getTime()
  forgetStale(at)
  let state = accounts.get(accountKey)
  if (state && at - state.lastFailureAt > SIGN_IN_LIMITS.forgetAfterMs && state.blockedUntil <= at) state = undefined
  if (state && state.blockedUntil > at) return { ok: false, retryAfterSeconds: Math.ceil((state.blockedUntil - at) / 1000) }
  const failures = (state?.failures ?? 0) + 1
  const beyond = failures - SIGN_IN_LIMITS.freeFailures
  const steps = SIGN_IN_LIMITS.blockMinutes
  const blockedUntil = beyond >= 0 ? at + (steps[Math.min(beyond, steps.length - 1)] as number) * 60_000 : 0
  accounts.set(accountKey, { failures, blockedUntil, lastFailureAt: at })
  return { ok: true }
}

const attemptsByIp = new RateLimiterMemory({
  keyPrefix: 'signin-ip',
  points: SIGN_IN_LIMITS.perIp,
  duration: SIGN_IN_LIMITS.windowSeconds,
})

const registrationsByIp = new RateLimiterMemory({
  keyPrefix: 'register-ip',
  points: REGISTER_LIMITS.perIp,
  duration: REGISTER_LIMITS.windowSeconds,
})

function blocked(res: RateLimiterRes | null, limit: number): LimitResult {
  if (res && res.consumedPoints >= limit) {
    return { ok: false, retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) }
  }
  return { ok: true }
}

/**
 * Spend one attempt before the password is checked, so a burst of parallel guesses cannot all
 * slip past the limits.
 */
export async function spendSignInAttempt(accountKey: string, ip: string): Promise<LimitResult & { scope?: 'account' | 'ip' }> {
  const account = reserveAccountAttempt(accountKey)
  const byIp = blocked(await attemptsByIp.penalty(ip, 1), SIGN_IN_LIMITS.perIp + 1)
  if (!account.ok) return { ...account, scope: 'account' }
  return byIp.ok ? byIp : { ...byIp, scope: 'ip' }
}

/** A correct password: the account's failures and blocks are forgiven and this attempt no longer counts for the address. */
export async function signInSucceeded(accountKey: string, ip: string): Promise<void> {
  accounts.delete(accountKey)
  await attemptsByIp.reward(ip, 1)
}

/** One registration attempt from this address (counted before the account lookup and the hashing). */
export async function spendRegistrationAttempt(ip: string): Promise<LimitResult> {
  return blocked(await registrationsByIp.penalty(ip, 1), REGISTER_LIMITS.perIp + 1)
}

/** Minutes to tell people, rounded up (at least 1). */
export function retryMinutes(retryAfterSeconds: number): number {
  return Math.max(1, Math.ceil(retryAfterSeconds / 60))
}
