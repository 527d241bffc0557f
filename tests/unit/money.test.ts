import { describe, expect, test } from 'vitest'
import { fenToYuan, formatFen } from '~/utils/format'
import { parseYuan, yuanField } from '~/utils/money'

const gift = { min: 100, max: 5_000_000 }

describe('parsing money typed in yuan', () => {
  test('plain, one- and two-decimal amounts become exact integer fen', () => {
    expect(parseYuan('100', gift)).toEqual({ ok: true, fen: 10_000 })
    expect(parseYuan('100.5', gift)).toEqual({ ok: true, fen: 10_050 })
    expect(parseYuan('100.50', gift)).toEqual({ ok: true, fen: 10_050 })
    expect(parseYuan('19.99', gift)).toEqual({ ok: true, fen: 1_999 })
    expect(parseYuan('0.1', { max: 100 })).toEqual({ ok: true, fen: 10 })
    expect(parseYuan('  007 ', gift)).toEqual({ ok: true, fen: 700 })
  })

  test('a yen sign, full-width digits and points, and thousands separators are accepted', () => {
    expect(parseYuan('¥100', gift)).toEqual({ ok: true, fen: 10_000 })
    expect(parseYuan('￥ 88.50', gift)).toEqual({ ok: true, fen: 8_850 })
    expect(parseYuan('１００', gift)).toEqual({ ok: true, fen: 10_000 })
    expect(parseYuan('１００．５', gift)).toEqual({ ok: true, fen: 10_050 })
    expect(parseYuan('1,000.5', gift)).toEqual({ ok: true, fen: 100_050 })
    expect(parseYuan('１，０００', gift)).toEqual({ ok: true, fen: 100_000 })
    expect(parseYuan('　５０　', gift)).toEqual({ ok: true, fen: 5_000 })
  })

  test('each mistake has its own Chinese message', () => {
    expect(parseYuan('', gift)).toEqual({ ok: false, problem: 'empty', message: '请填写金额' })
    expect(parseYuan('   ', gift)).toMatchObject({ ok: false, problem: 'empty' })
    expect(parseYuan('abc', gift)).toEqual({ ok: false, problem: 'not_a_number', message: '金额请填写数字（元），例如 50 或 88.50' })
    expect(parseYuan('1,00', gift)).toMatchObject({ ok: false, problem: 'not_a_number' })
    expect(parseYuan('.5', gift)).toMatchObject({ ok: false, problem: 'not_a_number' })
    expect(parseYuan('1.234', gift)).toEqual({ ok: false, problem: 'too_many_decimals', message: '金额最多两位小数' })
    expect(parseYuan('-5', gift)).toEqual({ ok: false, problem: 'negative', message: '金额不能为负数' })
    expect(parseYuan('－５', gift)).toMatchObject({ ok: false, problem: 'negative' })
    expect(parseYuan('¥-5', gift)).toMatchObject({ ok: false, problem: 'negative' })
    expect(parseYuan('0', { max: 100 })).toEqual({ ok: false, problem: 'below_min', message: '金额须大于 0' })
    expect(parseYuan('0.5', gift)).toEqual({ ok: false, problem: 'below_min', message: '金额不能少于 ¥1' })
    expect(parseYuan('50000.01', gift)).toEqual({ ok: false, problem: 'over_max', message: '金额不能超过 ¥50,000' })
    expect(parseYuan('99999999999999999999', gift)).toMatchObject({ ok: false, problem: 'over_max' })
  })

  test('a field can allow zero, name itself and word its own messages', () => {
    expect(parseYuan('0', { min: 0, max: 100 })).toEqual({ ok: true, fen: 0 })
    expect(parseYuan('-1', { min: 0, max: 100, label: '估值' })).toMatchObject({ message: '估值不能为负数' })
    expect(parseYuan('0.5', { ...gift, messages: { below_min: '每笔捐款至少 ¥1' } })).toMatchObject({ message: '每笔捐款至少 ¥1' })
  })

  test('the zod field gives fen, undefined for an optional empty field, and the message on the field', () => {
    expect(yuanField({ max: 10_000 }).parse('１２.５')).toBe(1_250)
    expect(yuanField({ max: 10_000, optional: true }).parse(undefined)).toBeUndefined()
    expect(yuanField({ max: 10_000, optional: true }).parse('')).toBeUndefined()
    const required = yuanField({ max: 10_000 }).safeParse('')
    expect(required.success ? null : required.error.issues.map((i) => i.message)).toEqual(['请填写金额'])
    const negative = yuanField({ max: 10_000, optional: true }).safeParse('-5')
    expect(negative.success ? null : negative.error.issues.map((i) => i.message)).toEqual(['金额不能为负数'])
  })
})

describe('formatting fen', () => {
  test('for display: yen sign, thousands grouped, decimals only when there are cents', () => {
    expect(formatFen(12_345)).toBe('¥123.45')
    expect(formatFen(5_000)).toBe('¥50')
    expect(formatFen(123_456_700)).toBe('¥1,234,567')
    expect(formatFen(-9_000)).toBe('-¥90')
    expect(formatFen(5)).toBe('¥0.05')
  })

  test('for an input value and for spreadsheets: plain yuan that parses back to the same fen', () => {
    expect(fenToYuan(12_345)).toBe('123.45')
    expect(fenToYuan(5_000)).toBe('50')
    expect(fenToYuan(5_000, { fixed: true })).toBe('50.00')
    expect(fenToYuan(-1_050, { fixed: true })).toBe('-10.50')
    for (const fen of [1, 10, 99, 100, 12_345, 4_999_999]) expect(parseYuan(fenToYuan(fen), { max: 5_000_000 })).toEqual({ ok: true, fen })
  })
})
