import { describe, expect, test } from 'vitest'
import { invariantFound, invariantResponse, requireIdParam } from '~/utils/http.server'
import { idField, parseId } from '~/utils/ids'

async function thrown(fn: () => unknown): Promise<Response> {
  try {
    fn()
  } catch (error) {
    if (error instanceof Response) return error
    throw error
  }
  throw new Error('expected a thrown Response')
}

describe('parseId', () => {
  test.each([
    ['1', 1],
    ['42', 42],
    ['9007199254740991', 9007199254740991],
    [7, 7],
  ])('accepts %j', (input, expected) => expect(parseId(input)).toBe(expected))

  test.each([
    '',
    '0',
    '-1',
    '01',
    '1.5',
    '1e3',
    ' 1',
    '1 ',
    '+1',
    'abc',
    '9007199254740993',
    '99999999999999999',
    0,
    -3,
    1.5,
    Number.NaN,
    null,
    undefined,
    {},
  ])('refuses %j', (input) => expect(parseId(input)).toBeNull())
})

describe('requireIdParam', () => {
  test('returns the id', () => expect(requireIdParam({ id: '12' }, 'id')).toBe(12))
  test.each([undefined, 'x', '0', '1.0'])('answers 404 for %j', async (value) => {
    const response = await thrown(() => requireIdParam({ id: value }, 'id'))
    expect(response.status).toBe(404)
  })
})

describe('invariants', () => {
  test('invariantFound passes values through and 404s on null, in Chinese', async () => {
    expect(invariantFound(0)).toBe(0)
    const response = await thrown(() => invariantFound(null))
    expect(response.status).toBe(404)
    expect(await response.text()).toBe('您访问的页面或文件不存在，或已被移除。')
    expect((await thrown(() => invariantFound(undefined))).status).toBe(404)
  })
  test('invariantResponse answers 400 by default, with the message', async () => {
    invariantResponse(true, 'never')
    const response = await thrown(() => invariantResponse(false, '参数错误'))
    expect(response.status).toBe(400)
    expect(await response.text()).toBe('参数错误')
    expect((await thrown(() => invariantResponse(0, 'gone', { status: 410 }))).status).toBe(410)
  })
})

describe('idField', () => {
  const field = idField('请选择儿童')
  test('parses a chosen id', () => expect(field.parse('5')).toBe(5))
  test.each(['', 'abc', '0', undefined])('gives the message for %j', (value) => {
    const result = field.safeParse(value)
    expect(result.success).toBe(false)
    if (!result.success) expect(result.error.issues[0]?.message).toBe('请选择儿童')
  })
})
