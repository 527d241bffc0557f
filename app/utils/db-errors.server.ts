// What a database error means, asked in one place. better-sqlite3 throws a SqliteError with a
// `code` (SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_TRIGGER, …) and drizzle may wrap it, so
// every question looks down the `cause` chain.

type ErrorLike = { code?: unknown; message?: unknown }

function errorChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = []
  for (
    let e: unknown = error;
    e && typeof e === 'object' && chain.length < 5 && !chain.includes(e as ErrorLike);
    e = (e as { cause?: unknown }).cause
  ) {
    chain.push(e as ErrorLike)
  }
  return chain
}

const says = (e: ErrorLike, text: string) => typeof e.message === 'string' && e.message.includes(text)

/** A UNIQUE index refused the write; with `column` ('table.column'), only when it was that one. */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  return errorChain(error).some((e) => e.code === 'SQLITE_CONSTRAINT_UNIQUE' && (!column || says(e, column)))
}

/** Messages of the RAISE(ABORT, …) triggers in db/migrations that the app turns into refusals. */
export const TRIGGER_REFUSALS = {
  slotCapacityExceeded: 'slot capacity exceeded',
  slotCapacityBelowConfirmed: 'slot capacity below confirmed bookings',
} as const

/** The trigger that raised `message` (one of TRIGGER_REFUSALS) refused the write. */
export function isTriggerRefusal(error: unknown, message: (typeof TRIGGER_REFUSALS)[keyof typeof TRIGGER_REFUSALS]): boolean {
  return errorChain(error).some((e) => says(e, message))
}
