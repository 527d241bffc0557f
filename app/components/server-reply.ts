import type { SubmissionResult } from '@conform-to/react'

/**
 * The errors and the typed values of a Conform reply (`submission.reply()` in an action), read
 * without Conform's client: for public pages that validate on the server only and are close to
 * the JavaScript budget. Remount the form with `key={reply.key}` so the typed values come back.
 */
export function serverReply<Values extends Record<string, unknown>>(result: SubmissionResult<string[]> | undefined) {
  const errors = (result?.error ?? {}) as Record<string, string[] | null | undefined>
  return {
    errors: (name: keyof Values & string) => errors[name] ?? undefined,
    formErrors: errors[''] ?? undefined,
    values: (result?.initialValue ?? {}) as Partial<{ [K in keyof Values]: string }>,
    key: JSON.stringify(result?.initialValue ?? null),
  }
}
