import { sha256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { and, desc, eq, gt, isNull, lte } from 'drizzle-orm'
import type { Tx } from '~db/client.server'
import { verificationCodes } from '~db/schema'
import { now } from '~/utils/clock.server'

// One-time codes sent by SMS or e-mail. Six random digits; only their SHA-256 (bound to the
// purpose and the identifier) is stored, as sessions store only the hash of their token. A code
// lives CODE_TTL_MS, is used at most once, dies after attemptsPerCode wrong guesses, and a new
// code for the same identifier ends the older ones.

export const CODE_TTL_MS = 10 * 60_000
export const CODE_RULES = { attemptsPerCode: 5, digits: 6 }

export type CodePurpose = (typeof verificationCodes.$inferSelect)['purpose']

function codeHash(purpose: CodePurpose, identifierKey: string, code: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(`${purpose}:${identifierKey}:${code}`)))
}

/** Six uniformly random digits (rejection sampling, no modulo bias). */
export function generateCode(): string {
  const limit = 10 ** CODE_RULES.digits
  const ceiling = Math.floor(0x1_0000_0000 / limit) * limit
  const word = new Uint32Array(1)
  for (;;) {
    crypto.getRandomValues(word)
    const value = word[0] as number
    if (value < ceiling) return String(value % limit).padStart(CODE_RULES.digits, '0')
  }
}

/**
 * Issue a code for this identifier (inside the caller's transaction) and return it in clear, for
 * the message only. userId is null when no account has the identifier: the row is written all
 * the same, so the request does the same work whoever asks.
 */
export function issueCode(tx: Tx, input: { purpose: CodePurpose; identifierKey: string; userId: number | null }): string {
  const at = now()
  tx.delete(verificationCodes).where(lte(verificationCodes.expiresAt, at)).run()
  // The older live codes of this identifier end now.
  tx.update(verificationCodes)
    .set({ expiresAt: at })
    .where(
      and(
        eq(verificationCodes.purpose, input.purpose),
        eq(verificationCodes.identifier, input.identifierKey),
        isNull(verificationCodes.usedAt),
        gt(verificationCodes.expiresAt, at),
      ),
    )
    .run()
  const code = generateCode()
  tx.insert(verificationCodes)
    .values({
      purpose: input.purpose,
      identifier: input.identifierKey,
      userId: input.userId,
      codeHash: codeHash(input.purpose, input.identifierKey, code),
      expiresAt: new Date(at.getTime() + CODE_TTL_MS),
    })
    .run()
  return code
}

export type CodeCheck =
  { ok: true; userId: number } | { ok: false; reason: 'expired' | 'too_many' } | { ok: false; reason: 'wrong'; attemptsLeft: number }

/**
 * Check (and on success use up) the live code of this identifier, inside the caller's
 * transaction. A wrong guess is counted on the code; the last allowed one kills it. A right code
 * issued for an identifier without an account (never sent to anyone) counts as wrong.
 */
export function consumeCode(tx: Tx, input: { purpose: CodePurpose; identifierKey: string; code: string }): CodeCheck {
  const at = now()
  const row = tx
    .select()
    .from(verificationCodes)
    .where(
      and(
        eq(verificationCodes.purpose, input.purpose),
        eq(verificationCodes.identifier, input.identifierKey),
        isNull(verificationCodes.usedAt),
        gt(verificationCodes.expiresAt, at),
      ),
    )
    .orderBy(desc(verificationCodes.id))
    .limit(1)
    .get()
  if (!row) return { ok: false, reason: 'expired' }
  if (row.attempts >= CODE_RULES.attemptsPerCode) return { ok: false, reason: 'too_many' }
  const given = new TextEncoder().encode(codeHash(input.purpose, input.identifierKey, input.code))
  const right = constantTimeEqual(given, new TextEncoder().encode(row.codeHash))
  if (right && row.userId !== null) {
    const used = tx
      .update(verificationCodes)
      .set({ usedAt: at })
      .where(and(eq(verificationCodes.id, row.id), isNull(verificationCodes.usedAt)))
      .run().changes
    if (used) return { ok: true, userId: row.userId }
    return { ok: false, reason: 'expired' }
  }
  const attempts = row.attempts + 1
  tx.update(verificationCodes).set({ attempts }).where(eq(verificationCodes.id, row.id)).run()
  if (attempts >= CODE_RULES.attemptsPerCode) return { ok: false, reason: 'too_many' }
  return { ok: false, reason: 'wrong', attemptsLeft: CODE_RULES.attemptsPerCode - attempts }
}

export function codeRefusalMessage(check: Exclude<CodeCheck, { ok: true }>): string {
  if ('attemptsLeft' in check) return `验证码不正确，还可以再试 ${check.attemptsLeft} 次`
  return check.reason === 'too_many' ? '验证码错误次数过多，已失效，请重新获取' : '验证码无效或已过期，请重新获取'
}
