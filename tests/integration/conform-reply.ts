// Reading a Conform reply (`{ result: submission.reply() }`) returned by a route action in tests.

type Reply = { result?: { error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> | null } | null }

/** Errors by field name; form-level errors are under ''. */
export function replyErrors(body: unknown): Record<string, string[] | null | undefined> {
  return (body as Reply).result?.error ?? {}
}

/** What the user submitted, as Conform hands it back to the form. */
export function replyValues(body: unknown): Record<string, unknown> {
  return (body as Reply).result?.initialValue ?? {}
}
