import fs from 'node:fs'
import path from 'node:path'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import type { Logger } from 'pino'
import type { ViteDevServer } from 'vite'
import { limitRequestBody } from './body-limit'
import { publicPageCache } from './page-cache'
import { remixHandler } from './remix'
import { requestLog } from './request-log'
import { cspNonce, privateResponses, refuseForeignOrigins, securityHeaders } from './security'

type Options = {
  logger: Logger
  appOrigin?: string
  trustProxy: string | number | boolean
  /** Production: the built server bundle. Development: a Vite dev server. */
  build?: ServerBuild
  vite?: ViteDevServer
  clientDir?: string
  healthCheck: () => boolean
}

export function createApp(options: Options) {
  const { logger, vite } = options
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', options.trustProxy)

  app.get('/healthz', (_req, res) => {
    try {
      res.json({ ok: options.healthCheck() })
    } catch (error) {
      logger.error({ err: error }, 'health check failed')
      res.status(503).json({ ok: false })
    }
  })

  app.use(compression())
  // One short line per request (method, URL, status, time); cookies and other headers stay out.
  app.use(requestLog(logger, { ignore: (req) => req.url.startsWith('/assets/') }))
  app.use(cspNonce)
  app.use(securityHeaders({ dev: Boolean(vite) }))
  app.use(refuseForeignOrigins(options.appOrigin))

  if (vite) {
    app.use(vite.middlewares)
  } else if (options.clientDir) {
    // Hashed file names never change content: cache them for a year.
    app.use('/assets', express.static(path.join(options.clientDir, 'assets'), { immutable: true, maxAge: '1y' }))
    app.use(builtFiles(options.clientDir))
  }

  app.all(
    '*',
    privateResponses,
    publicPageCache({ dev: Boolean(vite), appOrigin: options.appOrigin }),
    limitRequestBody(),
    remixHandler({
      build: vite ? () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild> : (options.build as ServerBuild),
      appOrigin: options.appOrigin,
      getLoadContext: (req, res) => ({ ip: req.ip ?? null, cspNonce: res.locals.cspNonce as string }),
    }),
  )
  return app
}

/**
 * The other built files (favicon.svg), found by their first path segment so that a page
 * request costs no file-system lookup (a stat per request showed in the profile, issue 12).
 */
export function builtFiles(clientDir: string): express.RequestHandler {
  const names = new Set(fs.readdirSync(clientDir).filter((name) => name !== 'assets'))
  const serve = express.static(clientDir, { maxAge: '1h' })
  return (req, res, next) => (names.has(req.path.split('/')[1] ?? '') ? serve(req, res, next) : next())
}
