import { z } from 'zod'

// Shared by the forms (client-side hints) and the server (the authority).
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/

/** Accepts "138 0013 8000", "+86 13800138000", "138-0013-8000". */
export function normalizePhone(input: string): string {
  return input.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '')
}

export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase()
}

export type Identifier = { kind: 'phone'; value: string } | { kind: 'email'; value: string }

export function parseIdentifier(input: string): Identifier | null {
  const trimmed = input.trim()
  if (trimmed.includes('@')) {
    const email = normalizeEmail(trimmed)
    return z.string().email().safeParse(email).success ? { kind: 'email', value: email } : null
  }
  const phone = normalizePhone(trimmed)
  return MAINLAND_MOBILE.test(phone) ? { kind: 'phone', value: phone } : null
}

export const passwordSchema = z.string({ required_error: '请输入密码' }).min(8, '密码至少需要 8 个字符').max(128, '密码不能超过 128 个字符')

export const identifierSchema = z
  .string({ required_error: '请输入手机号或邮箱' })
  .trim()
  .min(1, '请输入手机号或邮箱')
  .refine((v) => parseIdentifier(v) !== null, '请输入有效的中国大陆手机号（11 位）或邮箱地址')

export const displayNameSchema = z.string({ required_error: '请输入称呼' }).trim().min(1, '请输入称呼').max(30, '称呼不能超过 30 个字符')

// Any C0 or C1 control character (TAB, CR, LF among them) or a backslash: browsers drop or
// reinterpret these while resolving a URL ("/\t/evil.example" becomes "//evil.example"), and
// CR/LF cannot go into a Location header at all.
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_REDIRECT = /[\u0000-\u001f\u007f-\u009f\\]/
const REDIRECT_BASE = 'http://weinuan.invalid'

/**
 * Only paths on this site may be returned to after signing in. The target is resolved with
 * `new URL(to, origin)` and must keep that origin; anything else (another host, a scheme, a
 * protocol-relative "//host", backslashes or control characters) gives the fallback. The result
 * is the normalised path, query and fragment, always safe for a Location header.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (!to || typeof to !== 'string' || !to.startsWith('/') || UNSAFE_IN_REDIRECT.test(to)) return fallback
  let url: URL
  try {
    url = new URL(to, REDIRECT_BASE)
  } catch {
    return fallback
  }
  if (url.origin !== REDIRECT_BASE) return fallback
  return `${url.pathname}${url.search}${url.hash}`
}

export const signInSchema = z.object({
  identifier: identifierSchema,
  password: z.string({ required_error: '请输入密码' }).min(1, '请输入密码'),
  redirectTo: z.string().optional(),
})

export const registerSchema = z
  .object({
    identifier: identifierSchema,
    displayName: displayNameSchema,
    password: passwordSchema,
    confirmPassword: z.string({ required_error: '请再次输入密码' }),
    redirectTo: z.string().optional(),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ['confirmPassword'],
    message: '两次输入的密码不一致',
  })

/** The six digits of a one-time code; spaces and full-width digits (１２３４５６) are accepted. */
export const codeSchema = z
  .string({ required_error: '请输入验证码' })
  .transform((v) => v.replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, '请输入 6 位数字验证码'))

export const forgotPasswordSchema = z.object({
  intent: z.literal('send'),
  identifier: identifierSchema,
})

export const resetPasswordSchema = z
  .object({
    intent: z.literal('reset'),
    identifier: identifierSchema,
    code: codeSchema,
    password: passwordSchema,
    confirmPassword: z.string({ required_error: '请再次输入新密码' }),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], message: '两次输入的密码不一致' })

export const changePasswordSchema = z
  .object({
    intent: z.literal('change-password'),
    currentPassword: z.string({ required_error: '请输入当前密码' }).min(1, '请输入当前密码'),
    password: passwordSchema,
    confirmPassword: z.string({ required_error: '请再次输入新密码' }),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ['confirmPassword'], message: '两次输入的密码不一致' })
  .refine((v) => v.password !== v.currentPassword, { path: ['password'], message: '新密码不能与当前密码相同' })

export const verifyContactSchema = z.object({
  intent: z.literal('verify'),
  code: codeSchema,
  redirectTo: z.string().optional(),
})
