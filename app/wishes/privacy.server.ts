import { createHash } from 'node:crypto'
import { givenNameOf } from '~/children/validation'

// PRODUCT.md rule 1: before a wish is published, look for text that could identify the child.
// Each finding is a flag that staff either fix (edit the text) or confirm as harmless.

export type PrivacyFlagKind = 'real_name' | 'given_name' | 'phone' | 'id_number' | 'school'
export type WishTextField = 'title' | 'story' | 'itemDetails'

export type PrivacyFlag = {
  /** Stable while the text is unchanged; what wishes.privacy_confirmed_flags stores. */
  key: string
  kind: PrivacyFlagKind
  fields: WishTextField[]
  match: string
  message: string
}

export const privacyFlagMessages: Record<PrivacyFlagKind, string> = {
  real_name: '出现了儿童的真实姓名',
  given_name: '出现了儿童的名字（不含姓）',
  phone: '疑似手机号码',
  id_number: '疑似身份证号码',
  school: '疑似学校名称',
}

export const wishTextFieldLabels: Record<WishTextField, string> = { title: '标题', story: '心愿故事', itemDetails: '物品说明' }

const SCHOOL_PATTERN = /[\u4e00-\u9fa5]{2,}(?:小学|中学|学校|幼儿园|初中|高中)/g
// Digits possibly broken up by spaces or dashes (138 1234 5678, 138-1234-5678); X ends an ID number.
const DIGIT_RUN_PATTERN = /[0-9](?:[0-9\s-]*[0-9Xx])?/g

function toHalfWidthDigits(text: string): string {
  return text.replace(/[０-９Ｘｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

function flagKey(kind: PrivacyFlagKind, match: string): string {
  // Hashed so that confirmations do not copy a real name or number into yet another column.
  return `${kind}:${createHash('sha256').update(match).digest('hex').slice(0, 12)}`
}

function digitKind(digits: string): 'phone' | 'id_number' | null {
  if (/^1[3-9]\d{9}$/.test(digits)) return 'phone'
  if (/^\d{17}[\dX]$/i.test(digits) || /^\d{15}$/.test(digits)) return 'id_number'
  return null
}

function findInField(text: string, realName: string, schoolNames: readonly string[]): Array<{ kind: PrivacyFlagKind; match: string }> {
  const found: Array<{ kind: PrivacyFlagKind; match: string }> = []
  const compact = text.replace(/\s+/g, '')
  const name = realName.replace(/\s+/g, '')
  const given = givenNameOf(name)
  if (name && compact.toLowerCase().includes(name.toLowerCase())) found.push({ kind: 'real_name', match: name })
  // A one-character given name would match ordinary words (乐 in 快乐), so only longer ones count.
  else if (given.length >= 2 && compact.toLowerCase().includes(given.toLowerCase())) found.push({ kind: 'given_name', match: given })

  const normalised = toHalfWidthDigits(text)
  for (const run of normalised.match(DIGIT_RUN_PATTERN) ?? []) {
    const candidates = new Set([run.replace(/[\s-]/g, ''), ...run.split(/\s+/).map((part) => part.replace(/-/g, ''))])
    for (const digits of candidates) {
      const kind = digitKind(digits)
      if (kind) found.push({ kind, match: digits.toUpperCase() })
    }
  }

  for (const school of text.match(SCHOOL_PATTERN) ?? []) found.push({ kind: 'school', match: school })
  for (const school of schoolNames) {
    if (school.trim() && text.includes(school.trim())) found.push({ kind: 'school', match: school.trim() })
  }
  return found
}

/**
 * Flags in a wish's public text that may identify the child: their real or given name, digits
 * that look like a mainland mobile or ID number, and school names (pattern or known names).
 */
export function checkWishPrivacy(
  text: { title: string; story: string; itemDetails: string },
  child: { realName: string },
  schoolNames: readonly string[] = [],
): PrivacyFlag[] {
  const byKey = new Map<string, PrivacyFlag>()
  for (const field of ['title', 'story', 'itemDetails'] as const) {
    for (const { kind, match } of findInField(text[field] ?? '', child.realName, schoolNames)) {
      const key = flagKey(kind, match)
      const existing = byKey.get(key)
      if (existing) {
        if (!existing.fields.includes(field)) existing.fields.push(field)
      } else {
        byKey.set(key, { key, kind, fields: [field], match, message: privacyFlagMessages[kind] })
      }
    }
  }
  return [...byKey.values()]
}

/** Flags staff have not yet confirmed; publishing waits until this is empty. */
export function unconfirmedFlags(flags: PrivacyFlag[], confirmed: readonly string[]): PrivacyFlag[] {
  return flags.filter((f) => !confirmed.includes(f.key))
}
