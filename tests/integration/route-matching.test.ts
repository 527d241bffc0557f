import { createRequire } from 'node:module'
import type { AgnosticRouteObject } from '@remix-run/router'
import { describe, expect, test, vi } from 'vitest'

// The server matches every request against ~170 routes. Upstream @remix-run/router flattens,
// ranks and compiles the whole route tree again on every call; patches/@remix-run+router*.patch
// (applied by patch-package on install, docs/decisions/013-route-matching-patch.md) caches that
// work. Node loads the patched CommonJS build (what @remix-run/server-runtime requires); the
// untouched ES module build (what the browser bundle uses) serves here as the reference.
type MatchRoutes = typeof import('@remix-run/router').matchRoutes
const require = createRequire(import.meta.url)
const patched = require('@remix-run/router') as { matchRoutes: MatchRoutes }
const reference = (await import('@remix-run/router/dist/router.js' as string)) as { matchRoutes: MatchRoutes }
const referenceMatchRoutes = reference.matchRoutes

const tree: AgnosticRouteObject[] = [
  {
    id: 'root',
    path: '',
    children: [
      { id: 'index', index: true },
      {
        id: 'wishes',
        path: 'wishes',
        children: [
          { id: 'wishes-index', index: true },
          { id: 'wish', path: ':id' },
          { id: 'wish-claim', path: ':id/claim' },
        ],
      },
      { id: 'ledger-receipt', path: 'ledger/:receipt' },
      { id: 'ledger-receipt-print', path: 'ledger/:receipt/receipt' },
      {
        id: 'staff',
        path: 'staff/:slug',
        children: [
          { id: 'staff-index', index: true },
          { id: 'staff-wish', path: 'wishes/:wishId' },
          { id: 'staff-new', path: 'wishes/new' },
        ],
      },
      { id: 'optional', path: 'disclosures/:id?' },
      { id: 'csv', path: 'disclosures/:id.csv' },
      { id: 'splat', path: '*' },
    ],
  },
]

const paths = [
  '/',
  '/wishes',
  '/wishes/12',
  '/wishes/12/claim',
  '/ledger/WN-2026-000001',
  '/ledger/WN-2026-000001/receipt',
  '/staff/binzhou',
  '/staff/binzhou/wishes/new',
  '/staff/binzhou/wishes/7',
  '/disclosures',
  '/disclosures/3',
  '/disclosures/3.csv',
  '/no/such/page',
  '/WISHES/3/',
]

const ids = (matches: ReturnType<typeof referenceMatchRoutes>) =>
  matches?.map((m) => ({ id: m.route.id, params: m.params, pathname: m.pathname }))

describe('route matching on the server', () => {
  test('the patched matcher answers exactly as upstream for every kind of route, call after call', () => {
    for (let round = 0; round < 3; round++) {
      for (const path of paths) {
        expect(ids(patched.matchRoutes(tree, path)), path).toEqual(ids(referenceMatchRoutes(tree, path)))
      }
    }
  })

  test('the route tree is flattened once per tree, not once per request', () => {
    // A tree is treated as immutable once matched: a route added to the same array later is not
    // seen (upstream would see it). The server's route tree never changes after start-up.
    const routes: AgnosticRouteObject[] = [{ id: 'a', path: 'a' }]
    expect(ids(patched.matchRoutes(routes, '/b'))).toBeUndefined()
    routes.push({ id: 'b', path: 'b' })
    expect(ids(patched.matchRoutes(routes, '/b'))).toBeUndefined()
    expect(ids(referenceMatchRoutes(routes, '/b'))?.[0]?.id).toBe('b')
    // A new tree is flattened afresh.
    expect(ids(patched.matchRoutes([...routes], '/b'))?.[0]?.id).toBe('b')
  })

  // decodePath() runs once per uncached match (it calls the global decodeURIComponent per path
  // segment): a spy on it tells a match walked from a cached one without any timing.
  const decodes = (fn: () => void) => {
    const spy = vi.spyOn(globalThis, 'decodeURIComponent')
    try {
      fn()
      return spy.mock.calls.length
    } finally {
      spy.mockRestore()
    }
  }

  test('the matches of a pathname are kept per tree (decision 021), as copies', () => {
    const routes: AgnosticRouteObject[] = [{ id: 'r', path: '', children: [{ id: 'w', path: 'wishes/:id' }] }]
    expect(decodes(() => patched.matchRoutes(routes, '/wishes/5'))).toBeGreaterThan(0)
    // The same pathname again (also with a query or hash): answered from the cache.
    expect(decodes(() => patched.matchRoutes(routes, '/wishes/5'))).toBe(0)
    expect(decodes(() => patched.matchRoutes(routes, { pathname: '/wishes/5', search: '?x=1', hash: '' }))).toBe(0)
    // Another pathname, the same pathname on another tree, a partial match: matched afresh.
    expect(decodes(() => patched.matchRoutes(routes, '/wishes/6'))).toBeGreaterThan(0)
    expect(decodes(() => patched.matchRoutes([...routes], '/wishes/5'))).toBeGreaterThan(0)

    const first = patched.matchRoutes(routes, '/wishes/5')!
    const second = patched.matchRoutes(routes, '/wishes/5')!
    // Each caller gets its own matches and params (one params object per result, as upstream).
    expect(first).not.toBe(second)
    expect(first[0]).not.toBe(second[0])
    expect(first[0]!.params).toBe(first[1]!.params)
    expect(first[0]!.params).not.toBe(second[0]!.params)
    ;(first[1]!.params as Record<string, string>).id = 'changed'
    first.pop()
    expect(ids(patched.matchRoutes(routes, '/wishes/5'))).toEqual(ids(referenceMatchRoutes(routes, '/wishes/5')))
    expect(patched.matchRoutes(routes, '/wishes/5')![1]!.route).toBe(routes[0]!.children![0])
    // No match is cached too, and stays no match.
    expect(patched.matchRoutes(routes, '/nothing')).toBeNull()
    expect(decodes(() => expect(patched.matchRoutes(routes, '/nothing')).toBeNull())).toBe(0)
  })

  test('the cache is bounded: least recently used pathnames go, long pathnames are not kept', () => {
    const routes: AgnosticRouteObject[] = [{ id: 'w', path: 'wishes/:id' }]
    patched.matchRoutes(routes, '/wishes/kept')
    patched.matchRoutes(routes, '/wishes/dropped')
    for (let i = 0; i < 998; i++) patched.matchRoutes(routes, `/wishes/${i}`)
    patched.matchRoutes(routes, '/wishes/kept') // used again: the most recent now
    patched.matchRoutes(routes, '/wishes/new') // 1,001st pathname: the least recent goes
    expect(decodes(() => patched.matchRoutes(routes, '/wishes/kept'))).toBe(0)
    expect(decodes(() => patched.matchRoutes(routes, '/wishes/dropped'))).toBeGreaterThan(0)

    const long = `/wishes/${'x'.repeat(600)}`
    expect(ids(patched.matchRoutes(routes, long))).toEqual(ids(referenceMatchRoutes(routes, long)))
    expect(decodes(() => patched.matchRoutes(routes, long))).toBeGreaterThan(0)
  })
})
