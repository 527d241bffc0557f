import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'

// Sign-in brute-force limits. One server process serves the site (SQLite, one writer), so an
// in-memory store is exact; a multi-process deployment would switch to a shared store.
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

/** Checks without consuming: is this account or IP already over its limit? */
export async function checkSignInAllowed(accountKey: string, ip: string): Promise<LimitResult> {
  const [account, byIp] = await Promise.all([failuresByAccount.get(accountKey), attemptsByIp.get(ip)])
  const a = blocked(account, SIGN_IN_LIMITS.perAccount)
  if (!a.ok) return a
  return blocked(byIp, SIGN_IN_LIMITS.perIp)
}

export async function recordSignInAttempt(accountKey: string, ip: string, succeeded: boolean): Promise<void> {
  await attemptsByIp.penalty(ip, 1)
  if (succeeded) await failuresByAccount.delete(accountKey)
  else await failuresByAccount.penalty(accountKey, 1)
}
