import cluster, { type Worker } from 'node:cluster'
import os from 'node:os'
import type { Logger } from 'pino'

// One server process per core (node:cluster): the primary forks the workers, which share the
// listening socket and the SQLite file (WAL); the primary serves nothing and holds no database
// connection. It restarts a worker that crashes, replaces them one at a time on SIGHUP or
// SIGUSR2 (graceful restart: a new worker listens before an old one stops), and on SIGTERM or
// SIGINT stops them all gracefully. docs/decisions/014-cluster-and-job-lease.md.

/** How many workers: WEB_CONCURRENCY, else one per core. The Vite dev server runs alone (1). */
export function workerCount(configured: number | undefined, builtApp: boolean): number {
  if (!builtApp) return 1
  return configured ?? os.availableParallelism()
}

/** In-flight requests get this long when a worker is stopped (as in a single server's shutdown). */
const STOP_TIMEOUT_MS = 10_000
/** A worker that crashes sooner than this after starting is restarted after a growing pause. */
const STABLE_AFTER_MS = 10_000
const MAX_RESTART_DELAY_MS = 30_000

type Started = { worker: Worker; startedAt: number }

/**
 * Fork a worker and resolve once it listens; reject if it exits before (a failed start: bad
 * build, port in use), so that startup and graceful restarts never count on a dead worker.
 */
function forkWorker(): Promise<Started> {
  return new Promise((resolve, reject) => {
    const worker = cluster.fork()
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`worker ${worker.process.pid} exited before listening (${signal ?? `code ${code}`})`))
    worker.once('exit', onExit)
    worker.once('listening', () => {
      worker.off('exit', onExit)
      resolve({ worker, startedAt: Date.now() })
    })
  })
}

/**
 * Stop a worker gracefully: worker.disconnect() takes it out of the primary's connection
 * rotation at once (so no connection is handed to a worker that is going away), then the worker
 * closes its server, lets in-flight requests finish, closes SQLite and exits (server/index.ts).
 * One that takes longer than STOP_TIMEOUT_MS is killed.
 */
function stopWorker(worker: Worker, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) return resolve()
    const force = setTimeout(() => {
      logger.warn({ worker: worker.process.pid }, `worker still busy after ${STOP_TIMEOUT_MS / 1000}s; killing it`)
      worker.process.kill('SIGKILL')
    }, STOP_TIMEOUT_MS)
    worker.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    if (worker.isConnected()) worker.disconnect()
    else worker.process.kill('SIGTERM')
  })
}

export function runPrimary(options: { workers: number; logger: Logger }): void {
  const { logger } = options
  const serving = new Set<Worker>()
  /** Workers being stopped on purpose (graceful restart or shutdown): their exit is expected. */
  const retiring = new WeakSet<Worker>()
  let stopping = false
  let reloading = false
  let restartDelay = 0
  const alive = new Set<Worker>()
  cluster.on('fork', (worker) => alive.add(worker))
  cluster.on('exit', (worker) => alive.delete(worker))

  // A worker that dies on its own is replaced; a crash loop backs off.
  const watch = ({ worker, startedAt }: Started) => {
    serving.add(worker)
    worker.once('exit', (code, signal) => {
      serving.delete(worker)
      if (stopping || retiring.has(worker)) return
      restartDelay = Date.now() - startedAt < STABLE_AFTER_MS ? Math.min(Math.max(restartDelay * 2, 500), MAX_RESTART_DELAY_MS) : 0
      logger.error({ worker: worker.process.pid, code, signal, restartInMs: restartDelay }, 'worker died; starting a new one')
      setTimeout(() => void replaceDead(), restartDelay)
    })
  }

  const replaceDead = async () => {
    if (stopping) return
    try {
      watch(await forkWorker())
    } catch (error) {
      restartDelay = Math.min(Math.max(restartDelay * 2, 500), MAX_RESTART_DELAY_MS)
      logger.error({ err: error, restartInMs: restartDelay }, 'replacement worker failed to start; trying again')
      setTimeout(() => void replaceDead(), restartDelay)
    }
  }

  // Graceful restart: one worker at a time, the new one listening before the old one stops, so
  // the socket always has a worker behind it. A new worker that fails to start aborts the
  // restart and leaves the old ones serving.
  // A signal during a restart queues one more (the code may have changed again meanwhile).
  let reloadAgain = false
  const reload = async (signal: string): Promise<void> => {
    if (stopping) return
    if (reloading) {
      reloadAgain = true
      return
    }
    reloading = true
    const old = [...serving]
    logger.info({ signal, workers: old.length }, 'graceful restart: replacing workers one at a time')
    try {
      for (const worker of old) {
        if (stopping) break
        const fresh = await forkWorker()
        watch(fresh)
        if (stopping) break
        retiring.add(worker)
        serving.delete(worker)
        await stopWorker(worker, logger)
        logger.info({ old: worker.process.pid, new: fresh.worker.process.pid }, 'worker replaced')
      }
      logger.info('graceful restart done')
    } catch (error) {
      logger.error({ err: error }, 'graceful restart stopped: a new worker did not start; the others keep serving')
    } finally {
      reloading = false
    }
    if (reloadAgain) {
      reloadAgain = false
      await reload(`${signal} (queued)`)
    }
  }

  const shutdown = (signal: string, exitCode = 0) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down: stopping workers')
    const workers = [...alive]
    for (const worker of workers) retiring.add(worker)
    void Promise.all(workers.map((w) => stopWorker(w, logger))).then(() => {
      logger.info('closed')
      process.exit(exitCode)
    })
  }

  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGHUP', () => void reload('SIGHUP'))
  process.on('SIGUSR2', () => void reload('SIGUSR2'))

  logger.info({ workers: options.workers, primary: process.pid }, `starting ${options.workers} worker${options.workers === 1 ? '' : 's'}`)
  Promise.all(Array.from({ length: options.workers }, () => forkWorker()))
    .then((started) => {
      for (const s of started) watch(s)
      logger.info({ workers: started.map((s) => s.worker.process.pid) }, 'all workers listening')
    })
    .catch((error: unknown) => {
      logger.fatal({ err: error }, 'a worker failed to start')
      shutdown('startup failure', 1)
    })
}
