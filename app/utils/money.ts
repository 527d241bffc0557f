import { z } from 'zod'
import { formatFen } from './format'

// The one parser of amounts people type in yuan (browser-safe: forms validate with it in the
// browser too). Exact string arithmetic into integer fen, never floating point. Full-width
// input from Chinese keyboards ('１００．５０', '￥') is folded to ASCII by NFKC. A comma is
// accepted only as a thousands separator ('1,000.50'): '1,50' is refused rather than guessed.

/** ¥9,999,999,999.99: the most one staff-recorded gift or use may be (ten digits of yuan). */
export const MAX_RECORDED_FEN = 999_999_999_999

export type YuanProblem = 'empty' | 'not_a_number' | 'too_many_decimals' | 'negative' | 'below_min' | 'over_max'

export type YuanRule = {
  /** The smallest amount accepted, in fen (default 1: more than zero). */
  min?: number
  /** The largest amount accepted, in fen. */
  max: number
  /** What the field is called in the messages (default 金额). */
  label?: string
  /** Wording for a form whose messages say more than the defaults. */
  messages?: Partial<Record<YuanProblem, string>>
}

export type ParsedYuan = { ok: true; fen: number } | { ok: false; problem: YuanProblem; message: string }

function defaultMessage(problem: YuanProblem, label: string, min: number, max: number): string {
  switch (problem) {
    case 'empty':
      return `请填写${label}`
    case 'not_a_number':
      return `${label}请填写数字（元），例如 50 或 88.50`
    case 'too_many_decimals':
      return `${label}最多两位小数`
    case 'negative':
      return `${label}不能为负数`
    case 'below_min':
      return min <= 1 ? `${label}须大于 0` : `${label}不能少于 ${formatFen(min)}`
    case 'over_max':
      return `${label}不能超过 ${formatFen(max)}`
  }
}

const AMOUNT = /^(-?)¥?\s*(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/

/** '100', '¥1,000.5', '１００' → fen; otherwise which rule the text breaks, in Chinese. */
export function parseYuan(input: string, rule: YuanRule): ParsedYuan {
  const min = rule.min ?? 1
  const fail = (problem: YuanProblem): ParsedYuan => ({
    ok: false,
    problem,
    message: rule.messages?.[problem] ?? defaultMessage(problem, rule.label ?? '金额', min, rule.max),
  })
  const text = input.normalize('NFKC').trim()
  if (!text) return fail('empty')
  const match = AMOUNT.exec(text)
  if (!match) return fail('not_a_number')
  const [, sign, signAfterYen, grouped = '', decimals = ''] = match
  const whole = grouped.replaceAll(',', '').replace(/^0+(?=\d)/, '')
  const fen = whole.length > 13 ? Number.POSITIVE_INFINITY : Number(whole) * 100 + Number(decimals.slice(0, 2).padEnd(2, '0'))
  if ((sign || signAfterYen) && fen > 0) return fail('negative')
  if (decimals.length > 2) return fail('too_many_decimals')
  if (fen < min) return fail('below_min')
  if (fen > rule.max) return fail('over_max')
  return { ok: true, fen }
}

/**
 * A money field for a zod form schema (Conform or safeParse): the typed text in, integer fen
 * out, each problem reported on the field. Optional fields give undefined when left empty.
 */
export function yuanField(rule: YuanRule & { optional: true }): z.ZodType<number | undefined, z.ZodTypeDef, string | undefined>
export function yuanField(rule: YuanRule & { optional?: false }): z.ZodType<number, z.ZodTypeDef, string | undefined>
export function yuanField(rule: YuanRule & { optional?: boolean }): z.ZodTypeAny {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const parsed = parseYuan(value ?? '', rule)
      if (parsed.ok) return parsed.fen
      if (parsed.problem === 'empty' && rule.optional) return undefined
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.message })
      return z.NEVER
    })
}
