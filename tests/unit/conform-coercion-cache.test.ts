import { parseWithZod } from '@conform-to/zod'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { bookingFormSchema } from '~/bookings/validation'

// patches/@conform-to+zod+1.21.1.patch (docs/decisions/028): parseWithZod builds the coerced
// copy of a schema once, not on every submission, and parses exactly as before.

function form(fields: Record<string, string>): FormData {
  const data = new FormData()
  for (const [name, value] of Object.entries(fields)) data.append(name, value)
  return data
}

describe('parseWithZod with the coerced-schema cache', () => {
  test('coerces a schema once however many submissions it parses', () => {
    // Coercing walks the schema: a lazy field's getter runs once per coercion (zod itself only
    // calls the coerced copy's getter when parsing).
    let coercions = 0
    const schema = z.object({
      count: z.lazy(() => {
        coercions++
        return z.number().int()
      }),
    })
    for (let i = 0; i < 3; i++) expect(parseWithZod(form({ count: String(i) }), { schema }).status).toBe('success')
    expect(coercions).toBe(1)
  })

  test('a schema made per request (a new object) is coerced for itself', () => {
    let coercions = 0
    const make = (max: number) =>
      z.object({
        n: z.lazy(() => {
          coercions++
          return z.number().max(max, `不能超过 ${max}`)
        }),
      })
    expect(parseWithZod(form({ n: '5' }), { schema: make(10) }).status).toBe('success')
    const refused = parseWithZod(form({ n: '5' }), { schema: make(3) })
    expect(refused.status === 'error' && refused.error).toEqual({ n: ['不能超过 3'] })
    expect(coercions).toBe(2)
  })

  test('parses as before: empty strings are missing values, numbers and the booking form', () => {
    const schema = z.object({ name: z.string({ required_error: '请填写' }), age: z.number().optional(), agree: z.boolean().optional() })
    const empty = parseWithZod(form({ name: '', age: '' }), { schema })
    expect(empty.status === 'error' && empty.error).toEqual({ name: ['请填写'] })
    const full = parseWithZod(form({ name: '李', age: '30', agree: 'on' }), { schema })
    expect(full.status === 'success' && full.value).toEqual({ name: '李', age: 30, agree: true })
    for (let i = 0; i < 2; i++) {
      const booking = parseWithZod(
        form({ kind: 'group', organisation: '滨州学院', partySize: '12', contactName: ' 王老师 ', contactPhone: '13900001111' }),
        {
          schema: bookingFormSchema,
        },
      )
      expect(booking.status === 'success' && booking.value).toEqual({
        kind: 'group',
        organisation: '滨州学院',
        partySize: 12,
        contactName: '王老师',
        contactPhone: '13900001111',
      })
      const bad = parseWithZod(form({ kind: 'individual', contactName: '王', contactPhone: '123' }), { schema: bookingFormSchema })
      expect(bad.status === 'error' && bad.error).toEqual({ contactPhone: ['请填写 11 位手机号，便于机构联系'] })
    }
  })
})
