import cluster from 'node:cluster'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { pino } from 'pino'
import { closeDatabase, sqlite } from '~db/client.server'
import { getEnv } from '~/utils/env.server'
import { runPrimary, workerCount } from './cluster'

const env = getEnv()
const logger = pino({ level: env.LOG_LEVEL })
const production = env.NODE_ENV === 'production'
const demo = env.DEMO_MODE === 'true'
// Production and the local demo serve the built app, one process per core (server/cluster.ts);
// development runs Vite in this one process.
const builtApp = production || demo
const buildDir = path.resolve('build')
const serverBuild = path.join(buildDir, 'server/index.js')

/**
 * Once, before anything is served (in the primary, before forking): migrate, refuse an unsafe
 * production configuration, and make what workers would otherwise race to create. Imported
 * here, not at the top: each process loads only what it runs, so workers start sooner.
 */
async function prepare() {
  const { applyMigrations } = await import('~db/migrate.server')
  const { productionProblems } = await import('./production')
  const { backfillLedgerLeaves, ledgerPublicKeyPem } = await import('~/ledger/tree.server')
  const { webhookSecret } = await import('~/payments/provider.server')
  applyMigrations(sqlite)

  // Production refuses to start when it would be unsafe (mock payments, demo accounts, a public
  // webhook secret, no APP_ORIGIN, demo mode); nothing has been served yet.
  const problems = productionProblems(env, sqlite)
  if (problems.length > 0) {
    const message = `Refusing to start with NODE_ENV=production:\n${problems.map((p) => `  - ${p}`).join('\n')}`
    logger.fatal({ problems }, 'refusing to start in production')
    process.stderr.write(`${message}\n`)
    closeDatabase()
    process.exit(1)
  }
  if (builtApp && !fs.existsSync(serverBuild)) {
    logger.fatal(`no production build at ${path.relative(process.cwd(), serverBuild)}: run \`npx remix vite:build\` first`)
    closeDatabase()
    process.exit(1)
  }
  // Entries recorded before the verifiable log existed get their Merkle leaves (idempotent).
  backfillLedgerLeaves()
  // Files made on first use ($DATA_DIR/ledger-key.pem, the mock checkout's secret): made here
  // once, so that workers starting together read the same one instead of each writing its own.
  ledgerPublicKeyPem()
  webhookSecret()
}

const healthCheck = () => sqlite.prepare('SELECT 1 AS ok').get() !== undefined

/** Serve HTTP in this process (a cluster worker, or the only process in development). */
async function serve() {
  const { createApp } = await import('./app')
  const { startJobSchedule } = await import('~/jobs/schedule.server')
  let app
  if (builtApp) {
    const build = (await import(pathToFileURL(serverBuild).href)) as ServerBuild
    app = createApp({
      logger,
      build,
      clientDir: path.join(buildDir, 'client'),
      appOrigin: env.APP_ORIGIN,
      trustProxy: env.TRUST_PROXY,
      healthCheck,
    })
  } else {
    const { createServer } = await import('vite')
    const vite = await createServer({ server: { middlewareMode: true } })
    app = createApp({ logger, vite, appOrigin: env.APP_ORIGIN, trustProxy: env.TRUST_PROXY, healthCheck })
  }

  const server = app.listen(env.PORT, () => {
    logger.info(
      `微暖 listening on http://localhost:${env.PORT} (${env.NODE_ENV}${demo ? ', demo mode' : ''}${cluster.isWorker ? `, worker ${cluster.worker?.id}` : ''})`,
    )
    if (demo && !cluster.isWorker)
      logger.warn('demo mode: demo accounts with a public password and a mock checkout; never expose this server to the internet')
  })

  // Background jobs (claim deadlines, reminders, 候补 offers, notification delivery) every
  // minute, in whichever process holds the jobs lease. Tests call runJobs directly.
  const jobs = env.NODE_ENV === 'test' ? null : startJobSchedule(logger)

  // Graceful shutdown: stop accepting, let in-flight requests finish, then close SQLite.
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    jobs?.stop()
    server.close(() => {
      closeDatabase()
      logger.info('closed')
      process.exit(0)
    })
    server.closeIdleConnections()
    setTimeout(() => {
      logger.warn('forcing exit after 10s')
      process.exit(1)
    }, 10_000).unref()
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
  // A cluster worker is stopped by the primary with worker.disconnect() (server/cluster.ts):
  // Node closes its server and waits for in-flight requests, then the IPC channel closes.
  cluster.worker?.on('disconnect', () => {
    if (stopping) return
    stopping = true
    jobs?.stop()
    closeDatabase()
    logger.info('closed')
    process.exit(0)
  })
}

const workers = workerCount(env.WEB_CONCURRENCY, builtApp)
if (cluster.isPrimary) {
  await prepare()
  if (!builtApp && env.WEB_CONCURRENCY && env.WEB_CONCURRENCY > 1)
    logger.warn('WEB_CONCURRENCY is ignored in development: the Vite dev server runs in one process')
}

if (cluster.isPrimary && builtApp) {
  if (demo) logger.warn('demo mode: demo accounts with a public password and a mock checkout; never expose this server to the internet')
  // The primary serves nothing: workers open their own connections.
  closeDatabase()
  runPrimary({ workers, logger })
} else {
  serve().catch((error) => {
    logger.fatal({ err: error }, 'failed to start')
    process.exit(1)
  })
}
