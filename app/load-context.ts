// What the Express server hands every loader and action (server/app.ts getLoadContext).
declare module '@remix-run/node' {
  interface AppLoadContext {
    ip: string | null
    cspNonce: string
  }
}

export {}
