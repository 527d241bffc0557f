import { flatRoutes } from '@remix-run/fs-routes'
import type { RouteConfig } from '@remix-run/route-config'

// Routes are the flat-routes files under app/routes (v3_routeConfig, the React Router 7 way).
export default flatRoutes({ ignoredRouteFiles: ['**/*.server.*', '**/*.test.*', '**/.*'] }) satisfies RouteConfig
