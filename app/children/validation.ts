import { z } from 'zod'
import { genders } from '~db/enums'
import { parseShanghaiDate, shanghaiDateString } from '~/utils/shanghai-date'

export const genderLabels: Record<(typeof genders)[number], string> = { female: '女', male: '男' }

// Two-character surnames, so that the given name of 欧阳小雨 is 小雨 and not 阳小雨.
const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '长孙', '宇文', '司徒', '夏侯', '独孤', '端木', '南宫', '西门', '申屠', '轩辕']

/** The given name of a Chinese full name: the name without its surname ("" if nothing is left). */
export function givenNameOf(realName: string): string {
  const name = realName.replace(/\s+/g, '')
  const chars = Array.from(name)
  if (chars.length < 2) return ''
  const surnameLength = COMPOUND_SURNAMES.some((s) => name.startsWith(s)) && chars.length > 2 ? 2 : 1
  return chars.slice(surnameLength).join('')
}

export const childSchema = z
  .object({
    realName: z.string({ required_error: '请输入儿童真实姓名' }).trim().min(1, '请输入儿童真实姓名').max(30, '姓名不能超过 30 个字'),
    birthDate: z
      .string({ required_error: '请输入出生日期' })
      .trim()
      .refine(parseShanghaiDate, '请输入有效的出生日期，例如 2016-05-01')
      .refine((v) => v >= '1990-01-01', '出生日期过早，请检查'),
    gender: z.enum(genders, { errorMap: () => ({ message: '请选择性别' }) }),
    pseudonym: z
      .string({ required_error: '请输入化名' })
      .trim()
      .min(1, '请输入化名')
      .max(10, '化名不能超过 10 个字'),
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
