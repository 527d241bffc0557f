import { z } from 'zod'

// The forms of two-step sign-in (app/auth/two-factor.server.ts). Checked on the server only:
// the sign-in step is reached before the session counts, so its page stays free of zod.

const otpField = z
  .string({ required_error: '请输入 6 位验证码' })
  .transform((v) => v.normalize('NFKC').replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, '验证码是 6 位数字'))

export const twoFactorCodeSchema = z.object({
  code: otpField,
  redirectTo: z.string().optional(),
})

export const recoveryCodeSchema = z.object({
  code: z.string({ required_error: '请输入恢复码' }).trim().min(1, '请输入恢复码').max(40, '恢复码不正确'),
  redirectTo: z.string().optional(),
})

export const enableTwoFactorSchema = z.object({
  intent: z.literal('enable'),
  key: z.string({ required_error: '密钥无效，请刷新页面重新设置' }),
  code: otpField,
  redirectTo: z.string().optional(),
})

export const disableTwoFactorSchema = z.object({
  intent: z.literal('disable'),
  code: otpField,
})

export const homeTwoFactorSchema = z.object({
  intent: z.literal('two-factor'),
  requireTwoFactor: z
    .enum(['on'])
    .optional()
    .transform((v) => v === 'on'),
})
