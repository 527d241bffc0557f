import { parseId } from './ids'

// One way to answer "no" from a loader or action: throw a Response that Remix's error
// boundaries render. Modelled on the Epic Stack's `invariantResponse`.

/** Throws a Response with `status` (400 unless given) when `condition` is falsy. */
export function invariantResponse(condition: unknown, message: string, init?: ResponseInit): asserts condition {
  if (!condition) {
    throw new Response(message, { status: 400, ...init, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...init?.headers } })
  }
}

/** Throws a 404 Response. */
export function notFound(message = 'Not Found'): never {
  throw new Response(message, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

/** Returns `value`, or throws a 404 when it is null or undefined (a row that does not exist). */
export function invariantFound<T>(value: T | null | undefined, message = 'Not Found'): T {
  if (value === null || value === undefined) notFound(message)
  return value
}

/**
 * Reads a positive integer id from a route parameter, or throws a 404: `/wishes/abc`,
 * `/wishes/0`, `/wishes/1.5` and ids beyond 2^53 name no row, so they are "not found", never 500.
 */
export function requireIdParam(params: Record<string, string | undefined>, name: string): number {
  const id = parseId(params[name])
  if (id === null) notFound()
  return id
}
