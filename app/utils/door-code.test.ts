import { describe, expect, test } from 'vitest'
import { generateCode, normaliseCode, READABLE_ALPHABET } from './door-code.server'

const slip = { param: 'code', shape: { groups: [6] } }
const parcel = { param: 'code', shape: { prefix: 'WX', groups: [6] } }
const certificate = { pathPrefix: '/verify/service/', shape: { prefix: 'WN', groups: [5, 5] } }

describe('generateCode', () => {
  test('draws the asked number of characters from the readable alphabet', () => {
    for (let i = 0; i < 50; i++) expect(generateCode(6)).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ2-9]{6}$/)
    expect(READABLE_ALPHABET).not.toMatch(/[01IO]/)
  })
  test('uses the alphabet it is given', () => {
    expect(generateCode(12, 'XY')).toMatch(/^[XY]{12}$/)
  })
})

describe('normaliseCode', () => {
  test('a bare code typed in lower case with stray spaces', () => {
    expect(normaliseCode('  ab12cd ', slip)).toBe('AB12CD')
    expect(normaliseCode('ab 12 cd', slip)).toBe('AB12CD')
  })
  test('dashes typed between groups, or left out, give the stored form', () => {
    expect(normaliseCode('AB-12-CD', slip)).toBe('AB12CD')
    expect(normaliseCode('wx abc123', parcel)).toBe('WX-ABC123')
    expect(normaliseCode('WXABC123', parcel)).toBe('WX-ABC123')
    expect(normaliseCode('wx—abc123', parcel)).toBe('WX-ABC123')
    expect(normaliseCode('wn abcde fghjk', certificate)).toBe('WN-ABCDE-FGHJK')
  })
  test('full-width characters from a Chinese keyboard', () => {
    expect(normaliseCode('ＡＢ１２ＣＤ', slip)).toBe('AB12CD')
    expect(normaliseCode('ｗｘ－ａｂｃ１２３', parcel)).toBe('WX-ABC123')
    expect(normaliseCode('　ab12cd　', slip)).toBe('AB12CD')
  })
  test('a scanned or pasted link, absolute or relative, with the code in its query', () => {
    expect(normaliseCode('https://weinuan.example/staff/h/slots/3/checkin?code=ab12cd', slip)).toBe('AB12CD')
    expect(normaliseCode('/staff/h/receive?x=1&code=WX%2DABC123#top', parcel)).toBe('WX-ABC123')
    expect(normaliseCode('?code=wx+abc123', parcel)).toBe('WX-ABC123')
    expect(normaliseCode('https://weinuan.example/verify/service/wn-abcde-fghjk', certificate)).toBe('WN-ABCDE-FGHJK')
  })
  test('broken percent-encoding never throws: the code is kept as pasted and finds nothing', () => {
    expect(normaliseCode('https://x/c?code=%E0%A4%A', slip)).toBe('%E0%A4%A')
    expect(normaliseCode('/staff/x/intake?code=%', slip)).toBe('%')
    expect(normaliseCode('https://x/verify/service/%E0%A4%A', certificate)).toBe('%E0%A4%A')
    expect(() => normaliseCode('%E0%A4%A', slip)).not.toThrow()
  })
  test('text that is not a code keeps its characters (the check-in search matches names too)', () => {
    expect(normaliseCode('张小燕', slip)).toBe('张小燕')
    expect(normaliseCode('zx7', slip)).toBe('ZX7')
    expect(normaliseCode('WX-T123451', parcel)).toBe('WX-T123451')
  })
  test('nothing given, nothing left', () => {
    expect(normaliseCode('', slip)).toBe('')
    expect(normaliseCode(undefined, slip)).toBe('')
    expect(normaliseCode(null)).toBe('')
    expect(normaliseCode('https://x/c?code=', slip)).toBe('')
  })
})
