// Options for the Remix Vite plugin. vite.config.ts imports this file so that the
// Remix configuration lives in one place that the design card names. Routes are declared in
// app/routes.ts (v3_routeConfig), which reads the flat-routes files under app/routes.
/** @type {import('@remix-run/dev').VitePluginConfig} */
export default {
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
    v3_routeConfig: true,
  },
}
