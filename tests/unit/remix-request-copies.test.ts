import * as data from '@remix-run/server-runtime/dist/data.js'
import { describe, expect, test } from 'vitest'

// patches/@remix-run+server-runtime+2.17.5.patch (docs/decisions/029): Remix hands loaders and
// actions the request itself when its URL has none of the parameters Remix strips (`index`,
// `_data`, `_routes`), instead of two identical copies whose signals follow the original's; a URL
// that has them is stripped exactly as before.

type Args = { request: Request }
// Internal functions: called here with the arguments they use (no real load context needed).
type Call = (args: Record<string, unknown>) => Promise<unknown>
const callRouteLoader = data.callRouteLoader as unknown as Call
const callRouteAction = data.callRouteAction as unknown as Call
const call = (fn: Call, request: Request, singleFetch: boolean) => {
  let seen: Request | undefined
  const handler = ({ request }: Args) => {
    seen = request
    return { ok: true }
  }
  return Promise.resolve(
    fn({ loadContext: {}, loader: handler, action: handler, params: {}, request, routeId: 'routes/x', singleFetch }),
  ).then(() => seen as Request)
}

describe('the request a loader or action receives', () => {
  test('is the request itself when there is nothing to strip', async () => {
    for (const singleFetch of [true, false]) {
      const get = new Request('https://weinuan.test/institutions/a?page=2')
      expect(await call(callRouteLoader, get, singleFetch)).toBe(get)
      const post = new Request('https://weinuan.test/volunteer/slots/1/book', { method: 'POST', body: 'kind=individual' })
      expect(await call(callRouteAction, post, singleFetch)).toBe(post)
    }
  })

  test('is a stripped copy, body and headers included, when the URL has index, _data or _routes', async () => {
    const post = new Request('https://weinuan.test/volunteer?index&_routes=routes%2Fx&keep=1', {
      method: 'POST',
      body: 'kind=individual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'a=b' },
    })
    const seen = await call(callRouteAction, post, true)
    expect(seen).not.toBe(post)
    expect(seen.url).toBe('https://weinuan.test/volunteer?keep=1')
    expect(seen.method).toBe('POST')
    expect(seen.headers.get('cookie')).toBe('a=b')
    expect(await seen.text()).toBe('kind=individual')

    // A non-empty index value is kept (Remix's own rule); _data goes without single fetch.
    const get = new Request('https://weinuan.test/volunteer?index=7&_data=routes%2Fx')
    expect((await call(callRouteLoader, get, false)).url).toBe('https://weinuan.test/volunteer?index=7')
  })
})
