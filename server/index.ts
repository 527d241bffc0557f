import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { pino } from 'pino'
import { closeDatabase, sqlite } from '~db/client.server'
import { applyMigrations } from '~db/migrate.server'
import { runJobs } from '~/jobs/jobs.server'
import { backfillLedgerLeaves } from '~/ledger/tree.server'
import { getEnv } from '~/utils/env.server'
import { createApp } from './app'
import { productionProblems } from './production'

const env = getEnv()
const logger = pino({ level: env.LOG_LEVEL })
const production = env.NODE_ENV === 'production'
const demo = env.DEMO_MODE === 'true'

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
// Entries recorded before the verifiable log existed get their Merkle leaves (idempotent).
backfillLedgerLeaves()

const healthCheck = () => sqlite.prepare('SELECT 1 AS ok').get() !== undefined

async function main() {
  let app
  // Production and the local demo serve the built app; development runs Vite.
  if (production || demo) {
    const buildDir = path.resolve('build')
    const build = (await import(pathToFileURL(path.join(buildDir, 'server/index.js')).href)) as ServerBuild
    app = createApp({ logger, build, clientDir: path.join(buildDir, 'client'), appOrigin: env.APP_ORIGIN, trustProxy: env.TRUST_PROXY, healthCheck })
  } else {
    const { createServer } = await import('vite')
    const vite = await createServer({ server: { middlewareMode: true } })
    app = createApp({ logger, vite, appOrigin: env.APP_ORIGIN, trustProxy: env.TRUST_PROXY, healthCheck })
  }

  const server = app.listen(env.PORT, () => {
    logger.info(`微暖 listening on http://localhost:${env.PORT} (${env.NODE_ENV}${demo ? ', demo mode' : ''})`)
    if (demo) logger.warn('demo mode: demo accounts with a public password and a mock checkout; never expose this server to the internet')
  })

  // Background jobs (claim deadlines, reminders, 候补 offers, notification delivery) every
  // minute; a run still in progress is not started twice. Tests call runJobs directly.
  let jobsRunning = false
  const jobsTimer =
    env.NODE_ENV === 'test'
      ? null
      : setInterval(() => {
          if (jobsRunning) return
          jobsRunning = true
          runJobs()
            .then((report) => logger.debug({ jobs: report }, 'jobs ran'))
            .catch((error: unknown) => logger.error({ err: error }, 'jobs failed'))
            .finally(() => {
              jobsRunning = false
            })
        }, 60_000).unref()

  // Graceful shutdown: stop accepting, let in-flight requests finish, then close SQLite.
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    if (jobsTimer) clearInterval(jobsTimer)
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
}

main().catch((error) => {
  logger.fatal({ err: error }, 'failed to start')
  process.exit(1)
})
