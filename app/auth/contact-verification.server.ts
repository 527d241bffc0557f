import { and, eq, gt, isNull } from 'drizzle-orm'
import { db, writeTransaction } from '~db/client.server'
import { users, verificationCodes } from '~db/schema'
import { enqueueMessageTo } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import type { SessionUser } from './auth.server'
import { maskIdentifier } from './password-reset.server'
import { retryMinutes, spendCodeCheck, spendCodeSend } from './rate-limit.server'
import type { Identifier } from './validation'
import { CODE_TTL_MS, codeRefusalMessage, consumeCode, issueCode } from './verification-codes.server'

/** The outbox template of a contact-verification code (delivered at once by `deliverSoon`). */
export const CONTACT_VERIFICATION_TEMPLATE = 'auth.contact-verification.code'

// 验证手机号/邮箱. Registration creates the account unverified and sends a code to the phone
// number or e-mail address given (the codes of verification-codes.server.ts, purpose
// 'contact_verification', under the same send and check limits as 忘记密码). Until the code is
// typed the account may browse and sign in, but may not claim wishes, give with a receipt in its
// name or book volunteer slots (requireVerifiedContact in auth.server.ts): a volunteer's service
// record and a donor's receipts hang on a contact that is really theirs.

type ContactUser = Pick<SessionUser, 'id' | 'phone' | 'email' | 'phoneVerifiedAt' | 'emailVerifiedAt'>

/** The contact still to verify: the phone number first, else the e-mail address; null when one is verified. */
export function contactToVerify(user: ContactUser): Identifier | null {
  if ((user.phone && user.phoneVerifiedAt) || (user.email && user.emailVerifiedAt)) return null
  if (user.phone) return { kind: 'phone', value: user.phone }
  if (user.email) return { kind: 'email', value: user.email }
  return null
}

const keyOf = (identifier: Identifier) => `${identifier.kind}:${identifier.value}`

/** Whether a live (unused, unexpired) code has been sent to this user's contact. */
export function hasLiveContactCode(userId: number): boolean {
  return Boolean(
    db
      .select({ id: verificationCodes.id })
      .from(verificationCodes)
      .where(
        and(
          eq(verificationCodes.purpose, 'contact_verification'),
          eq(verificationCodes.userId, userId),
          isNull(verificationCodes.usedAt),
          gt(verificationCodes.expiresAt, now()),
        ),
      )
      .get(),
  )
}

export type ContactSendResult = { ok: true; masked: string } | { ok: false; field: ''; message: string; status: 400 | 429 }

/** Send a code to the user's unverified contact (SMS or e-mail, through the outbox). */
export async function sendContactCode(input: { user: ContactUser; ip: string | null }): Promise<ContactSendResult> {
  const identifier = contactToVerify(input.user)
  if (!identifier) return { ok: false, field: '', message: '您的手机号或邮箱已验证，无需再次验证', status: 400 }
  const identifierKey = keyOf(identifier)
  const allowed = await spendCodeSend(identifierKey, input.ip ?? 'unknown')
  if (!allowed.ok)
    return { ok: false, field: '', message: `获取验证码过于频繁，请 ${retryMinutes(allowed.retryAfterSeconds)} 分钟后再试`, status: 429 }
  writeTransaction((tx) => {
    const code = issueCode(tx, { purpose: 'contact_verification', identifierKey, userId: input.user.id })
    enqueueMessageTo(tx, {
      userId: input.user.id,
      channel: identifier.kind === 'phone' ? 'sms' : 'email',
      recipient: identifier.value,
      template: CONTACT_VERIFICATION_TEMPLATE,
      subject: '微暖账号验证码',
      body: `您正在验证微暖账号的${identifier.kind === 'phone' ? '手机号' : '邮箱'}，验证码 ${code}，${CODE_TTL_MS / 60_000} 分钟内有效。请勿把验证码告诉任何人。`,
    })
  })
  return { ok: true, masked: maskIdentifier(identifier) }
}

export type ContactVerifyResult = { ok: true } | { ok: false; field: 'code' | ''; message: string; status: 400 | 429 }

/** Check the code typed; the right one marks the contact verified. */
export async function verifyContactCode(input: { user: ContactUser; code: string; ip: string | null }): Promise<ContactVerifyResult> {
  const identifier = contactToVerify(input.user)
  if (!identifier) return { ok: true }
  const allowed = await spendCodeCheck(input.ip ?? 'unknown')
  if (!allowed.ok)
    return { ok: false, field: '', message: `尝试次数过多，请 ${retryMinutes(allowed.retryAfterSeconds)} 分钟后再试`, status: 429 }
  const identifierKey = keyOf(identifier)
  return writeTransaction((tx) => {
    const check = consumeCode(tx, { purpose: 'contact_verification', identifierKey, code: input.code })
    if (!check.ok) return { ok: false as const, field: 'code' as const, message: codeRefusalMessage(check), status: 400 as const }
    // The code was issued to this account's own contact; a code of another account cannot match.
    if (check.userId !== input.user.id)
      return { ok: false as const, field: 'code' as const, message: '验证码无效或已过期，请重新获取', status: 400 as const }
    const at = now()
    tx.update(users)
      .set(identifier.kind === 'phone' ? { phoneVerifiedAt: at } : { emailVerifiedAt: at })
      .where(eq(users.id, input.user.id))
      .run()
    return { ok: true as const }
  })
}

/** sendContactCode for an account by id (just registered: no session user yet). */
export async function sendContactCodeFor(userId: number, ip: string | null): Promise<ContactSendResult> {
  const user = db
    .select({
      id: users.id,
      phone: users.phone,
      email: users.email,
      phoneVerifiedAt: users.phoneVerifiedAt,
      emailVerifiedAt: users.emailVerifiedAt,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get()
  if (!user) return { ok: false, field: '', message: '账号不存在', status: 400 }
  return sendContactCode({ user, ip })
}
