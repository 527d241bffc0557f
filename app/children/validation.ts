import { z } from 'zod'
import { genders } from '~db/enums'
import { givenNameOf } from '~/privacy/names'
import { parseShanghaiDate, shanghaiDateString } from '~/utils/shanghai-date'

export const genderLabels: Record<(typeof genders)[number], string> = { female: '女', male: '男' }

export const childSchema = z
  .object({
    realName: z.string({ required_error: '请输入儿童真实姓名' }).trim().min(1, '请输入儿童真实姓名').max(30, '姓名不能超过 30 个字'),
    birthDate: z
      .string({ required_error: '请输入出生日期' })
      .trim()
      .refine(parseShanghaiDate, '请输入有效的出生日期，例如 2016-05-01')
      .refine((v) => v >= '1990-01-01', '出生日期过早，请检查'),
    gender: z.enum(genders, { errorMap: () => ({ message: '请选择性别' }) }),
    pseudonym: z.string({ required_error: '请输入化名' }).trim().min(1, '请输入化名').max(10, '化名不能超过 10 个字'),
    privateNotes: z.string().trim().max(1000, '备注不能超过 1000 个字').optional(),
  })
  .superRefine((value, ctx) => {
    const real = value.realName.replace(/\s+/g, '')
    const given = givenNameOf(real)
    const pseudonym = value.pseudonym.replace(/\s+/g, '')
    // A pseudonym that repeats the real name (or a two-character given name) identifies the child.
    if (pseudonym === real || pseudonym.includes(real) || (given.length >= 2 && pseudonym.includes(given))) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['pseudonym'], message: '化名不能包含儿童的真实姓名，请换一个' })
    }
  })

export type ChildInput = z.infer<typeof childSchema>

/** The birth date must not lie in the future; checked on the server against now(). */
export function birthDateIsPast(birthDate: string, today: Date): boolean {
  return birthDate <= shanghaiDateString(today)
}
