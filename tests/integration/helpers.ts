import type { AppLoadContext } from '@remix-run/node'

// Request helpers for calling loaders and actions; the database factories (users, homes, wishes,
// slots, bookings) are shared with the Playwright fixtures in tests/factories.ts.
export * from '../factories'

export const ORIGIN = 'http://localhost:3000'

export function context(ip = '127.0.0.1'): AppLoadContext {
  return { ip, cspNonce: 'test-nonce' }
}

export function formRequest(
  path: string,
  fields: Record<string, string>,
  init: { cookie?: string; headers?: Record<string, string> } = {},
): Request {
  return new Request(ORIGIN + path, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(init.cookie ? { Cookie: init.cookie } : {}), ...init.headers },
  })
}

export function getRequest(path: string, cookie?: string): Request {
  return new Request(ORIGIN + path, { headers: cookie ? { Cookie: cookie } : {} })
}

/** Call a loader or action and normalise what it gives back: thrown or returned Response, or data(). */
export async function run<T>(fn: () => Promise<T> | T): Promise<{ status: number; headers: Headers; body: unknown }> {
  try {
    const result = (await fn()) as unknown
    return normalise(result)
  } catch (thrown) {
    if (thrown instanceof Response) return normalise(thrown)
    throw thrown
  }
}

async function normalise(result: unknown) {
  if (result instanceof Response) {
    const text = await result.text()
    return { status: result.status, headers: result.headers, body: text }
  }
  if (result && typeof result === 'object' && 'type' in result && (result as { type: string }).type === 'DataWithResponseInit') {
    const r = result as unknown as { data: unknown; init: ResponseInit | null }
    return { status: r.init?.status ?? 200, headers: new Headers(r.init?.headers), body: r.data }
  }
  return { status: 200, headers: new Headers(), body: result }
}

/** "name=value" from a Set-Cookie header, ready to send back as a Cookie header. */
export function cookieFrom(headers: Headers): string {
  const setCookie = headers.get('Set-Cookie')
  if (!setCookie) throw new Error('no Set-Cookie header')
  return setCookie.split(';')[0] as string
}
