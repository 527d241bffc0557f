import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'

// Sign-in brute-force limits: failed attempts per account and per address. One server process
// serves the site (SQLite, one writer), so an in-memory store is exact; a multi-process
// deployment would switch to a shared store.
const WINDOW_SECONDS = 15 * 60
export const SIGN_IN_LIMITS = { perAccount: 10, perIp: 30, windowSeconds: WINDOW_SECONDS }

const failuresByAccount = new RateLimiterMemory({
  keyPrefix: 'signin-account',
  points: SIGN_IN_LIMITS.perAccount,
  duration: WINDOW_SECONDS,
})
const attemptsByIp = new RateLimiterMemory({
  keyPrefix: 'signin-ip',
  points: SIGN_IN_LIMITS.perIp,
  duration: WINDOW_SECONDS,
})

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number }

function blocked(res: RateLimiterRes | null, limit: number): LimitResult {
  if (res && res.consumedPoints >= limit) {
    return { ok: false, retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) }
  }
  return { ok: true }
}

/**
 * Spend one attempt before the password is checked, so a burst of parallel guesses cannot all
 * slip past the limit; a success gives the account its attempts back.
 */
export async function spendSignInAttempt(accountKey: string, ip: string): Promise<LimitResult> {
  const [account, byIp] = await Promise.all([
    failuresByAccount.penalty(accountKey, 1),
    attemptsByIp.penalty(ip, 1),
  ])
  const a = blocked(account, SIGN_IN_LIMITS.perAccount + 1)
  if (!a.ok) return a
  return blocked(byIp, SIGN_IN_LIMITS.perIp + 1)
}

/** A correct password: the account's failures are forgiven and this attempt no longer counts for the address. */
export async function signInSucceeded(accountKey: string, ip: string): Promise<void> {
  await Promise.all([failuresByAccount.delete(accountKey), attemptsByIp.reward(ip, 1)])
}
