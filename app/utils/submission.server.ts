import type { Submission } from '@conform-to/react'

type ReplyOptions = { hideFields?: string[]; resetForm?: boolean }

/**
 * The Conform reply for a domain refusal: the message goes next to the field the refusal names
 * (so the user sees it where they typed), or above the form when it names none. The submitted
 * values come back, so nothing typed is lost.
 */
export function refusalReply<Output>(
  submission: Submission<Output>,
  refusal: { message: string; field?: string | null },
  options: ReplyOptions = {},
) {
  return submission.reply(
    refusal.field ? { ...options, fieldErrors: { [refusal.field]: [refusal.message] } } : { ...options, formErrors: [refusal.message] },
  )
}
