import { parseId } from './ids'

// One way to answer "no" from a loader or action: throw a Response that Remix's error
// boundaries render. Modelled on the Epic Stack's `invariantResponse`.

/** Throws a Response with `status` (400 unless given) when `condition` is falsy. */
export function invariantResponse(condition: unknown, message: string, init?: ResponseInit): asserts condition {
  if (!condition) {
    throw new Response(message, { status: 400, ...init, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...init?.headers } })
  }
}

/**
 * The body of a 404 where no page is rendered (a .csv, .xlsx or image URL): plain Chinese, never
 * "Not Found". Document requests get the error boundary's page instead.
 */
export const NOT_FOUND_TEXT = '您访问的页面或文件不存在，或已被移除。'

/** Throws a 404 Response. */
export function notFound(message = NOT_FOUND_TEXT): never {
  throw new Response(message, { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
}

/** Returns `value`, or throws a 404 when it is null or undefined (a row that does not exist). */
export function invariantFound<T>(value: T | null | undefined, message = NOT_FOUND_TEXT): T {
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
