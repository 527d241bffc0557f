import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'

// Every document render goes through <RemixServer> (app/entry.server.tsx). Upstream it rebuilds
// the route objects of all ~170 routes (createServerRoutes) and converts them to data routes
// again (createStaticRouter) on each render, so route matching's per-tree cache
// (patches/@remix-run+router*.patch) never applies to the render's own matching either.
// patches/@remix-run+react+2.17.5.patch and patches/react-router-dom+6.30.4.patch (applied by
// patch-package on install, docs/decisions/019-server-route-tree-memo.md) build both once per
// server build. These tests fail without the patches. Everything is loaded through require, as
// Node loads it on the server (the patched CommonJS builds).
const require = createRequire(import.meta.url)
const React = require('react') as typeof import('react')
const { renderToString } = require('react-dom/server') as typeof import('react-dom/server')
const { RemixServer, Outlet, useLoaderData } = require('@remix-run/react') as typeof import('@remix-run/react')
const { UNSAFE_DataRouterContext } = require('react-router-dom') as typeof import('react-router-dom')
const { createStaticRouter } = require('react-router-dom/server') as typeof import('react-router-dom/server')
const { createStaticHandler } = require('@remix-run/router') as typeof import('@remix-run/router')

type Seen = { routes: unknown[] }
const seen: Seen = { routes: [] }

function Root() {
  const router = React.useContext(UNSAFE_DataRouterContext)?.router
  seen.routes.push(router?.routes)
  const data = useLoaderData() as { site: string }
  return React.createElement('main', null, React.createElement('h1', null, data.site), React.createElement(Outlet))
}
const Index = () => React.createElement('p', null, '首页')
function Wish() {
  const data = useLoaderData() as { id: string }
  return React.createElement('p', { 'data-id': data.id }, `心愿 ${data.id}`)
}
const WishV2 = () => React.createElement('p', null, '新版心愿')

const manifestRoutes = {
  root: {
    id: 'root',
    path: '',
    hasLoader: true,
    hasAction: false,
    hasClientLoader: false,
    hasClientAction: false,
    hasErrorBoundary: false,
    module: '/root.js',
  },
  'routes/_index': {
    id: 'routes/_index',
    parentId: 'root',
    index: true,
    hasLoader: false,
    hasAction: false,
    hasClientLoader: false,
    hasClientAction: false,
    hasErrorBoundary: false,
    module: '/index.js',
  },
  'routes/wishes.$id': {
    id: 'routes/wishes.$id',
    parentId: 'root',
    path: 'wishes/:id',
    hasLoader: true,
    hasAction: false,
    hasClientLoader: false,
    hasClientAction: false,
    hasErrorBoundary: false,
    module: '/wish.js',
  },
}
const modules: Record<string, { default: () => React.ReactElement }> = {
  root: { default: Root },
  'routes/_index': { default: Index },
  'routes/wishes.$id': { default: Wish },
}
const handler = createStaticHandler([
  {
    id: 'root',
    path: '',
    loader: () => ({ site: '微暖' }),
    children: [
      { id: 'routes/_index', index: true },
      { id: 'routes/wishes.$id', path: 'wishes/:id', loader: ({ params }) => ({ id: params.id }) },
    ],
  },
])
const future = {
  v3_fetcherPersist: false,
  v3_relativeSplatPath: false,
  v3_throwAbortReason: false,
  v3_singleFetch: false,
  v3_lazyRouteDiscovery: false,
  unstable_optimizeDeps: false,
  v3_routeConfig: false,
}
const manifest = { routes: manifestRoutes, entry: { module: '/entry.js', imports: [] }, url: '/manifest.js', version: '1' }

// As @remix-run/server-runtime does: the same build, but a new routeModules object per request.
async function render(url: string, routeModules: Record<string, unknown> = { ...modules }, build = manifest) {
  const context = await handler.query(new Request(`http://localhost${url}`))
  if (context instanceof Response) throw new Error('unexpected response')
  const entryContext = {
    manifest: build,
    routeModules,
    future,
    isSpaMode: false,
    staticHandlerContext: context,
    serverHandoffString: '{}',
    criticalCss: undefined,
  }
  return renderToString(React.createElement(RemixServer, { context: entryContext as never, url: `http://localhost${url}` }))
}

describe('server route tree built once per build', () => {
  test('renders reuse one route tree, and the HTML is the same as a render that builds it afresh', async () => {
    const fresh = await render('/wishes/7', { ...modules }, { ...manifest, routes: { ...manifestRoutes } })
    seen.routes = []
    const first = await render('/wishes/7')
    const second = await render('/wishes/7')
    const index = await render('/')
    expect(second).toBe(first)
    expect(first).toBe(fresh)
    expect(first).toContain('心愿 7')
    expect(index).toContain('首页')
    expect(seen.routes).toHaveLength(3)
    expect(seen.routes[0]).toBeDefined()
    expect(seen.routes[1]).toBe(seen.routes[0])
    expect(seen.routes[2]).toBe(seen.routes[0])
  })

  test('a build with a changed route module (a development reload) gets a new tree', async () => {
    seen.routes = []
    await render('/wishes/7')
    const changed = await render('/wishes/7', { ...modules, 'routes/wishes.$id': { default: WishV2 } })
    const again = await render('/wishes/7')
    expect(changed).toContain('新版心愿')
    expect(again).toContain('心愿 7')
    expect(seen.routes[1]).not.toBe(seen.routes[0])
    expect(seen.routes[2]).not.toBe(seen.routes[1])
  })

  test('createStaticRouter converts a route tree to data routes once', async () => {
    const routes = [{ id: 'a', path: '/', element: null }]
    const context = await createStaticHandler(routes).query(new Request('http://localhost/'))
    if (context instanceof Response) throw new Error('unexpected response')
    const one = createStaticRouter(routes, context)
    const two = createStaticRouter(routes, context)
    expect(two.routes).toBe(one.routes)
    expect(two.state.matches[0]?.route).toBe(one.routes[0])
    expect(createStaticRouter([...routes], context).routes).not.toBe(one.routes)
  })
})
