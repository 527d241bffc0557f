import { eq } from 'drizzle-orm'
import { writeTransaction } from '~db/client.server'
import { users } from '~db/schema'
import { enqueueMessageTo } from '~/notifications/notifications.server'
import { findUserByIdentifier, type SessionUser } from './auth.server'
import { hashPassword, verifyPassword } from './password.server'
import { retryMinutes, signInSucceeded, spendCodeCheck, spendCodeSend, spendSignInAttempt } from './rate-limit.server'
import { invalidateUserSessions } from './session.server'
import { parseIdentifier, type Identifier } from './validation'
import { CODE_TTL_MS, codeRefusalMessage, consumeCode, issueCode } from './verification-codes.server'

/** The outbox template of a reset code (delivered at once by `deliverSoon`). */
export const PASSWORD_RESET_TEMPLATE = 'auth.password-reset.code'

// 忘记密码 and 修改密码. A reset code goes by SMS or e-mail to the address typed, through the
// notification outbox. Asking for a code gets the same answer, and does the same work (a code row
// is written either way), whether or not an account has that address: nobody learns from this
// page who is registered (no account enumeration). A reset ends every session of the account.

const keyOf = (identifier: Identifier) => `${identifier.kind}:${identifier.value}`

/** 138****8000, or a***@example.com: shown back to the person without echoing it whole. */
export function maskIdentifier(identifier: Identifier): string {
  if (identifier.kind === 'phone') return `${identifier.value.slice(0, 3)}****${identifier.value.slice(-4)}`
  const [local = '', domain = ''] = identifier.value.split('@')
  return `${local.slice(0, 1)}***@${domain}`
}

export type SendResult = { ok: true; masked: string } | { ok: false; field: 'identifier' | ''; message: string; status: 400 | 429 }

/** Send a password-reset code to this phone number or e-mail address, if it has an account. */
export async function requestPasswordReset(input: { identifier: string; ip: string | null }): Promise<SendResult> {
  const identifier = parseIdentifier(input.identifier)
  if (!identifier) return { ok: false, field: 'identifier', message: '请输入有效的中国大陆手机号（11 位）或邮箱地址', status: 400 }
  const identifierKey = keyOf(identifier)
  const allowed = await spendCodeSend(identifierKey, input.ip ?? 'unknown')
  if (!allowed.ok)
    return { ok: false, field: '', message: `获取验证码过于频繁，请 ${retryMinutes(allowed.retryAfterSeconds)} 分钟后再试`, status: 429 }
  const user = findUserByIdentifier(identifier)
  writeTransaction((tx) => {
    const code = issueCode(tx, { purpose: 'password_reset', identifierKey, userId: user?.id ?? null })
    if (!user) return
    enqueueMessageTo(tx, {
      userId: user.id,
      channel: identifier.kind === 'phone' ? 'sms' : 'email',
      recipient: identifier.value,
      template: PASSWORD_RESET_TEMPLATE,
      subject: '重置密码验证码',
      body: `您正在重置微暖账号的密码，验证码 ${code}，${CODE_TTL_MS / 60_000} 分钟内有效。如非本人操作，请忽略本消息；请勿把验证码告诉任何人。`,
    })
  })
  return { ok: true, masked: maskIdentifier(identifier) }
}

export type ResetResult =
  { ok: true; userId: number } | { ok: false; field: 'code' | 'identifier' | ''; message: string; status: 400 | 429 }

/**
 * Set a new password with the code that was sent. Every session of the account ends (the route
 * then signs the person in on this device), and failed sign-ins counted against it are forgiven.
 */
export async function resetPassword(input: {
  identifier: string
  code: string
  password: string
  ip: string | null
}): Promise<ResetResult> {
  const identifier = parseIdentifier(input.identifier)
  if (!identifier) return { ok: false, field: 'identifier', message: '请输入有效的中国大陆手机号（11 位）或邮箱地址', status: 400 }
  const ip = input.ip ?? 'unknown'
  const allowed = await spendCodeCheck(ip)
  if (!allowed.ok)
    return { ok: false, field: '', message: `尝试次数过多，请 ${retryMinutes(allowed.retryAfterSeconds)} 分钟后再试`, status: 429 }
  const identifierKey = keyOf(identifier)
  const check = writeTransaction((tx) => consumeCode(tx, { purpose: 'password_reset', identifierKey, code: input.code }))
  if (!check.ok) return { ok: false, field: 'code', message: codeRefusalMessage(check), status: 400 }
  const passwordHash = await hashPassword(input.password)
  writeTransaction((tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, check.userId)).run()
  })
  invalidateUserSessions(check.userId)
  await signInSucceeded(identifierKey, ip)
  return { ok: true, userId: check.userId }
}

export type ChangeResult = { ok: true } | { ok: false; field: 'currentPassword' | ''; message: string; status: 400 | 429 }

/**
 * Change the password of the signed-in user: the current password is checked under the same
 * limits as signing in (a stolen session cannot guess it faster), and every other session ends.
 */
export async function changePassword(input: {
  user: Pick<SessionUser, 'id' | 'phone' | 'email'>
  currentPassword: string
  newPassword: string
  keepSessionId: string
  ip: string | null
}): Promise<ChangeResult> {
  const accountKey = input.user.phone ? `phone:${input.user.phone}` : `email:${input.user.email}`
  const ip = input.ip ?? 'unknown'
  const allowed = await spendSignInAttempt(accountKey, ip)
  if (!allowed.ok)
    return { ok: false, field: '', message: `密码尝试次数过多，请 ${retryMinutes(allowed.retryAfterSeconds)} 分钟后再试`, status: 429 }
  const row = findUserByIdentifier(
    input.user.phone ? { kind: 'phone', value: input.user.phone } : { kind: 'email', value: input.user.email ?? '' },
  )
  if (!row || row.id !== input.user.id || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
    return { ok: false, field: 'currentPassword', message: '当前密码不正确', status: 400 }
  }
  await signInSucceeded(accountKey, ip)
  const passwordHash = await hashPassword(input.newPassword)
  writeTransaction((tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, input.user.id)).run()
  })
  invalidateUserSessions(input.user.id, input.keepSessionId)
  return { ok: true }
}
