import { describe, expect, test } from 'vitest'
import { generateCode, normaliseCode, READABLE_ALPHABET, type NormaliseCodeOptions } from './door-code.server'

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

type Case = [input: string | null | undefined, options: NormaliseCodeOptions, expected: string]

const cases: Record<string, Case[]> = {
  'a bare code typed in lower case with stray spaces': [
    ['  ab12cd ', slip, 'AB12CD'],
    ['ab 12 cd', slip, 'AB12CD'],
  ],
  'dashes typed between groups, or left out, give the stored form': [
    ['AB-12-CD', slip, 'AB12CD'],
    ['wx abc123', parcel, 'WX-ABC123'],
    ['WXABC123', parcel, 'WX-ABC123'],
    ['wx—abc123', parcel, 'WX-ABC123'],
    ['wn abcde fghjk', certificate, 'WN-ABCDE-FGHJK'],
  ],
  'full-width characters from a Chinese keyboard': [
    ['ＡＢ１２ＣＤ', slip, 'AB12CD'],
    ['ｗｘ－ａｂｃ１２３', parcel, 'WX-ABC123'],
    ['　ab12cd　', slip, 'AB12CD'],
  ],
  'a scanned or pasted link, absolute or relative, with the code in its query or path': [
    ['https://weinuan.example/staff/h/slots/3/checkin?code=ab12cd', slip, 'AB12CD'],
    ['/staff/h/receive?x=1&code=WX%2DABC123#top', parcel, 'WX-ABC123'],
    ['?code=wx+abc123', parcel, 'WX-ABC123'],
    ['https://weinuan.example/verify/service/wn-abcde-fghjk', certificate, 'WN-ABCDE-FGHJK'],
  ],
  'broken percent-encoding never throws: the code is kept as pasted and finds nothing': [
    ['https://x/c?code=%E0%A4%A', slip, '%E0%A4%A'],
    ['/staff/x/intake?code=%', slip, '%'],
    ['https://x/verify/service/%E0%A4%A', certificate, '%E0%A4%A'],
    ['%E0%A4%A', slip, '%E0%A4%A'],
  ],
  'text that is not a code keeps its characters (the check-in search matches names too)': [
    ['张小燕', slip, '张小燕'],
    ['zx7', slip, 'ZX7'],
    ['WX-T123451', parcel, 'WX-T123451'],
  ],
  'nothing given, nothing left': [
    ['', slip, ''],
    [undefined, slip, ''],
    [null, {}, ''],
    ['https://x/c?code=', slip, ''],
  ],
}

describe('normaliseCode', () => {
  for (const [story, list] of Object.entries(cases)) {
    test(story, () => {
      for (const [input, options, expected] of list) expect(normaliseCode(input, options), String(input)).toBe(expected)
    })
  }
})
