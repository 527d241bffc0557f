// What identifies a child by name, shared by the public-text checker (server) and the child
// form's pseudonym rule (client and server).

// Two-character surnames, so that the given name of 欧阳小雨 is 小雨 and not 阳小雨.
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '令狐',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '独孤',
  '端木',
  '南宫',
  '西门',
  '申屠',
  '轩辕',
]

/** The given name of a Chinese full name: the name without its surname ("" if nothing is left). */
export function givenNameOf(realName: string): string {
  const name = realName.replace(/\s+/g, '')
  const chars = Array.from(name)
  if (chars.length < 2) return ''
  const surnameLength = COMPOUND_SURNAMES.some((s) => name.startsWith(s)) && chars.length > 2 ? 2 : 1
  return chars.slice(surnameLength).join('')
}
