import { z } from 'zod'

/**
 * A row id from untrusted text (route parameter, query string, form field): a positive safe
 * integer written in plain decimal digits, else null. No leading zeros, signs, exponents or
 * spaces, so one id has one spelling.
 */
export function parseId(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,15}$/.test(value)) return null
  const id = Number(value)
  return Number.isSafeInteger(id) ? id : null
}

/** zod field for an id chosen in a form (a select or a hidden input); `message` is shown next to it. */
export function idField(message: string) {
  return z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? undefined : (parseId(v) ?? Number.NaN)),
    z.number({ required_error: message, invalid_type_error: message }),
  )
}
