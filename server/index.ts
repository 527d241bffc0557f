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

const env = getEnv()
const logger = pino({ level: env.LOG_LEVEL })
const production = env.NODE_ENV === 'production'

applyMigrations(sqlite)
// Entries recorded before the verifiable log existed get their Merkle leaves (idempotent).
backfillLedgerLeaves()

const healthCheck = () => sqlite.prepare('SELECT 1 AS ok').get() !== undefined

async function main() {
  let app
  if (production) {
    const buildDir = path.resolve('build')
    const build = (await import(pathToFileURL(path.join(buildDir, 'server/index.js')).href)) as ServerBuild
    app = createApp({ logger, build, clientDir: path.join(buildDir, 'client'), appOrigin: env.APP_ORIGIN, trustProxy: env.TRUST_PROXY, healthCheck })
  } else {
    const { createServer } = await import('vite')
    const vite = await createServer({ server: { middlewareMode: true } })
    app = createApp({ logger, vite, appOrigin: env.APP_ORIGIN, trustProxy: env.TRUST_PROXY, healthCheck })
  }

  const server = app.listen(env.PORT, () => {
    logger.info(`微暖 listening on http://localhost:${env.PORT} (${env.NODE_ENV})`)
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
