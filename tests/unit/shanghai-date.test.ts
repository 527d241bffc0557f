import { describe, expect, test } from 'vitest'
import { formatDate, formatDateTime } from '~/utils/format'
import {
  addShanghaiDays,
  addShanghaiMonths,
  endOfShanghaiDay,
  parseDateTimeLocal,
  parseShanghaiDate,
  parseShanghaiMonth,
  shanghaiDateString,
  shanghaiDaysBetween,
  shanghaiInstant,
  shanghaiParts,
  startOfShanghaiDay,
  startOfShanghaiMonth,
  toDateTimeLocal,
} from '~/utils/shanghai-date'

describe('Asia/Shanghai calendar days', () => {
  test('a Shanghai day turns at 16:00 UTC: 15:59:59Z is still the 9th, 16:00:00Z is the 10th', () => {
    expect(shanghaiDateString(new Date('2026-05-09T15:59:59.999Z'))).toBe('2026-05-09')
    expect(shanghaiDateString(new Date('2026-05-09T16:00:00.000Z'))).toBe('2026-05-10')
    expect(startOfShanghaiDay('2026-05-10').toISOString()).toBe('2026-05-09T16:00:00.000Z')
    expect(endOfShanghaiDay('2026-05-10').toISOString()).toBe('2026-05-10T15:59:59.999Z')
  })

  test('month and year ends: the last evening of December in UTC is already New Year in Shanghai', () => {
    expect(shanghaiParts(new Date('2026-12-31T16:00:00Z'))).toMatchObject({
      date: '2027-01-01',
      year: 2027,
      month: 1,
      day: 1,
      time: '00:00',
      weekday: 5,
    })
    expect(shanghaiParts(new Date('2026-12-31T15:59:00Z'))).toMatchObject({
      date: '2026-12-31',
      year: 2026,
      month: 12,
      day: 31,
      time: '23:59',
    })
    expect(endOfShanghaiDay('2026-12-31').toISOString()).toBe('2026-12-31T15:59:59.999Z')
    expect(startOfShanghaiMonth(2026, 13).toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(startOfShanghaiMonth(2027, 0).toISOString()).toBe('2026-11-30T16:00:00.000Z')
    expect(startOfShanghaiMonth(2026, 3).toISOString()).toBe('2026-02-28T16:00:00.000Z')
  })

  test('an impossible calendar date is rejected, never rolled over into the next month', () => {
    expect(parseShanghaiDate('2027-02-30')).toBeNull()
    expect(parseShanghaiDate('2027-02-29')).toBeNull()
    expect(parseShanghaiDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 })
    expect(parseShanghaiDate('2026-04-31')).toBeNull()
    expect(parseShanghaiDate('2026-13-01')).toBeNull()
    expect(parseShanghaiDate('2026-00-10')).toBeNull()
    expect(parseShanghaiDate('2026-5-1')).toBeNull()
    expect(parseShanghaiDate(' 2026-05-01')).toBeNull()
    expect(parseShanghaiDate('')).toBeNull()
    expect(parseShanghaiDate('2026-12-31')).toEqual({ year: 2026, month: 12, day: 31 })
    expect(() => startOfShanghaiDay('2027-02-30')).toThrow(RangeError)
  })

  test('wall-clock times and datetime-local values are read as Shanghai time', () => {
    expect(shanghaiInstant('2026-12-12', '09:30').toISOString()).toBe('2026-12-12T01:30:00.000Z')
    expect(shanghaiInstant('2026-12-12', '12:00').toISOString()).toBe('2026-12-12T04:00:00.000Z')
    expect(parseDateTimeLocal('2026-01-01T07:05').toISOString()).toBe('2025-12-31T23:05:00.000Z')
    expect(toDateTimeLocal(new Date('2025-12-31T23:05:00Z'))).toBe('2026-01-01T07:05')
    expect(toDateTimeLocal(null)).toBe('')
    expect(() => shanghaiInstant('2026-12-12', '24:00')).toThrow(RangeError)
  })

  test('day and month arithmetic crosses month and year ends and clamps to the last day of a month', () => {
    expect(addShanghaiDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addShanghaiDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(addShanghaiDays('2026-05-10', 7)).toBe('2026-05-17')
    expect(addShanghaiMonths('2026-01-31', 1)).toBe('2026-02-28')
    expect(addShanghaiMonths('2028-01-31', 1)).toBe('2028-02-29')
    expect(addShanghaiMonths('2026-12-15', 1)).toBe('2027-01-15')
    expect(shanghaiDaysBetween('2026-12-25', '2027-01-01')).toBe(7)
    expect(shanghaiDaysBetween('2027-01-01', '2026-12-25')).toBe(-7)
  })

  test('a month key is YYYY-MM with a month from 01 to 12', () => {
    expect(parseShanghaiMonth('2026-06')).toEqual({ year: 2026, month: 6 })
    expect(parseShanghaiMonth('2026-13')).toBeNull()
    expect(parseShanghaiMonth('2026-6')).toBeNull()
  })
})

describe('display formatters', () => {
  test('dates and times are printed as the Shanghai calendar and clock show them', () => {
    expect(formatDateTime(new Date('2026-05-09T16:00:00Z'))).toBe('2026/05/10 00:00')
    expect(formatDateTime('2026-12-31T15:59:00Z')).toBe('2026/12/31 23:59')
    expect(formatDate(Date.parse('2026-12-31T16:30:00Z'))).toBe('2027/01/01')
  })
})
