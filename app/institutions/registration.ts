// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set (digits and capital
// letters without I, O, Z, S, V); characters 3–8 are the 行政区划码 (digits); the 18th is a check
// character computed from the first 17. Pure, so the settings form checks it in the browser too.

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** Spaces and hyphens out, full-width letters and digits to half-width, upper case. */
export function normaliseRegistrationNo(input: string): string {
  return input
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000-]/g, '')
    .toUpperCase()
}

/** The check character for the first 17 characters, or null when one is outside the set. */
export function usccCheckCharacter(first17: string): string | null {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const value = CHARSET.indexOf(first17[i] ?? '')
    if (value < 0) return null
    sum += value * WEIGHTS[i]!
  }
  return CHARSET[(31 - (sum % 31)) % 31]!
}

export type UsccProblem = 'length' | 'characters' | 'region' | 'check'

/** Why a (normalised) code is not a valid 统一社会信用代码, or null when it is. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return 'length'
  if (![...code].every((c) => CHARSET.includes(c))) return 'characters'
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'region'
  return usccCheckCharacter(code.slice(0, 17)) === code[17] ? null : 'check'
}

export const usccProblemMessages: Record<UsccProblem, string> = {
  length: '统一社会信用代码应为 18 位（不含空格）',
  characters: '统一社会信用代码只含数字和大写字母（不含 I、O、Z、S、V）',
  region: '统一社会信用代码第 3–8 位应为行政区划码（6 位数字）',
  check: '统一社会信用代码的校验位（第 18 位）不符，请核对登记证书',
}
