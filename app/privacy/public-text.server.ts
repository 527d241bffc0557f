import { inArray } from 'drizzle-orm'
import { db, type Tx } from '~db/client.server'
import { children } from '~db/schema'
import { givenNameOf } from './names'

// docs/product.md rule 1: the one privacy check for text the public will read — wishes, needs,
// campaigns, walk-in gift descriptions, correction reasons and 用途 (allocations). It looks for
// a child's real name (and, when the text is about one known child, their given name), digits
// that look like a mainland mobile or ID number, and school names. Wishes turn findings into
// flags staff fix or confirm (wishes/privacy.server.ts); every other public text is refused
// with the finding named next to its field (publicTextProblem).

export type PrivacyFindingKind = 'real_name' | 'given_name' | 'phone' | 'id_number' | 'school'
export type PrivacyFinding = { kind: PrivacyFindingKind; match: string }

export const privacyFindingMessages: Record<PrivacyFindingKind, string> = {
  real_name: '出现了儿童的真实姓名',
  given_name: '出现了儿童的名字（不含姓）',
  phone: '疑似手机号码',
  id_number: '疑似身份证号码',
  school: '疑似学校名称',
}

/** What the text must not contain: real names of the children concerned, and known school names. */
export type KnownPrivateData = {
  realNames: readonly string[]
  /** Given names are checked only when the text is about one known child (a wish). */
  givenNames?: readonly string[]
  schoolNames?: readonly string[]
}

const SCHOOL_PATTERN = /[\u4e00-\u9fa5]{2,}(?:小学|中学|学校|幼儿园|初中|高中)/g
const SCHOOL_SUFFIX = /(?:小学|中学|学校|幼儿园|初中|高中)$/
// A school's name starts after the last verb or particle ("她在育才小学" → 育才小学), and generic
// words ("购买学校用品", "走进乡村学校") name no school.
const BEFORE_SCHOOL_NAME = /^.*[的在于自至所为给和与及或到去进往买是了们读上向从对把被让送]/
const GENERIC_SCHOOL_WORDS = new Set([
  '乡村',
  '农村',
  '城市',
  '城区',
  '特殊教育',
  '特教',
  '普通',
  '寄宿',
  '寄宿制',
  '附近',
  '当地',
  '本地',
  '周边',
  '各个',
  '多所',
  '学前',
  '本院',
  '公办',
  '民办',
  '义务教育',
])
// Digits possibly broken up by spaces or dashes (138 1234 5678, 138-1234-5678); X ends an ID number.
const DIGIT_RUN_PATTERN = /[0-9](?:[0-9\s-]*[0-9Xx])?/g

function toHalfWidthDigits(text: string): string {
  return text.replace(/[０-９Ｘｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

function digitKind(digits: string): 'phone' | 'id_number' | null {
  if (/^1[3-9]\d{9}$/.test(digits)) return 'phone'
  if (/^\d{17}[\dX]$/i.test(digits) || /^\d{15}$/.test(digits)) return 'id_number'
  return null
}

function schoolNamesIn(text: string): string[] {
  const found: string[] = []
  for (const raw of text.match(SCHOOL_PATTERN) ?? []) {
    const school = raw.replace(BEFORE_SCHOOL_NAME, '')
    const name = school.replace(SCHOOL_SUFFIX, '')
    if (Array.from(name).length >= 2 && !GENERIC_SCHOOL_WORDS.has(name)) found.push(school)
  }
  return found
}

/** Everything in one text that may identify a child, in the order: names, digits, schools. */
export function findPersonalData(text: string, known: KnownPrivateData): PrivacyFinding[] {
  const found: PrivacyFinding[] = []
  const compact = text.replace(/\s+/g, '').toLowerCase()
  const names = new Set<string>()
  for (const realName of known.realNames) {
    const name = realName.replace(/\s+/g, '')
    if (name && compact.includes(name.toLowerCase()) && !names.has(name)) {
      names.add(name)
      found.push({ kind: 'real_name', match: name })
    }
  }
  if (!found.length) {
    // A one-character given name would match ordinary words (乐 in 快乐), so only longer ones count.
    for (const given of known.givenNames ?? []) {
      if (given.length >= 2 && compact.includes(given.toLowerCase())) found.push({ kind: 'given_name', match: given })
    }
  }

  const normalised = toHalfWidthDigits(text)
  for (const run of normalised.match(DIGIT_RUN_PATTERN) ?? []) {
    const candidates = new Set([run.replace(/[\s-]/g, ''), ...run.split(/\s+/).map((part) => part.replace(/-/g, ''))])
    for (const digits of candidates) {
      const kind = digitKind(digits)
      if (kind) found.push({ kind, match: digits.toUpperCase() })
    }
  }

  for (const school of schoolNamesIn(text)) found.push({ kind: 'school', match: school })
  for (const school of known.schoolNames ?? []) {
    if (school.trim() && text.includes(school.trim())) found.push({ kind: 'school', match: school.trim() })
  }
  return found
}

/** What to look for in a wish's text: its child's real name and given name. */
export function knownForChild(child: { realName: string }, schoolNames: readonly string[] = []): KnownPrivateData {
  const name = child.realName.replace(/\s+/g, '')
  return { realNames: name ? [name] : [], givenNames: [givenNameOf(name)].filter(Boolean), schoolNames }
}

/** Real names of the children of these homes (archived ones too: they are still real children). */
export function childNamesOfHomes(tx: Tx | typeof db, institutionIds: readonly number[]): string[] {
  if (!institutionIds.length) return []
  const rows = tx
    .select({ realName: children.realName })
    .from(children)
    .where(inArray(children.institutionId, [...institutionIds]))
    .all()
  return [...new Set(rows.map((r) => r.realName.replace(/\s+/g, '')).filter(Boolean))]
}

/** "出现了儿童的真实姓名「张小明」，公开内容只能写化名或匿名描述（如“本院 3 名学龄儿童”）" */
export function privacyRefusal(finding: PrivacyFinding): string {
  return `${privacyFindingMessages[finding.kind]}「${finding.match}」，公开内容只能写化名或匿名描述（如“本院 3 名学龄儿童”），不能写姓名、电话、身份证号或学校`
}

/**
 * Check public text with no known child (needs, campaigns, walk-in gifts, corrections, 用途)
 * against the real names of the homes' children and the phone / ID / school patterns. Returns
 * the first field with a finding and the Chinese message to show next to it, or null.
 */
export function publicTextProblem<F extends string>(
  tx: Tx | typeof db,
  institutionIds: readonly number[],
  fields: ReadonlyArray<readonly [F, string | null | undefined]>,
): { field: F; message: string } | null {
  const texts = fields.filter(([, text]) => text && text.trim())
  if (!texts.length) return null
  const known: KnownPrivateData = { realNames: childNamesOfHomes(tx, institutionIds) }
  for (const [field, text] of texts) {
    const [finding] = findPersonalData(text as string, known)
    if (finding) return { field, message: privacyRefusal(finding) }
  }
  return null
}
