import type { Logger } from 'pino'
import { runJobs } from './jobs.server'
import { JOBS_INTERVAL_MS, JOBS_LEASE, JOBS_LEASE_MS, processHolderId, releaseLease, runIfLeaseHeld, takeLease } from './lease.server'

/**
 * The server's job schedule: every minute, the process holding the jobs lease runs every job
 * once (app/jobs/lease.server.ts); the others only ask for the lease. A run still in progress
 * is not started twice. Returns stop(), which gives the lease up for another process.
 */
export function startJobSchedule(logger: Logger, intervalMs = JOBS_INTERVAL_MS): { stop: () => void } {
  let running = false
  const tick = () => {
    if (running) {
      // A long run keeps its lease.
      try {
        takeLease(JOBS_LEASE, processHolderId, JOBS_LEASE_MS)
      } catch (error) {
        logger.warn({ err: error }, 'could not renew the jobs lease')
      }
      return
    }
    running = true
    runIfLeaseHeld(processHolderId, () => runJobs())
      .then((outcome) => {
        if (outcome.ran) logger.debug({ jobs: outcome.result }, 'jobs ran')
      })
      .catch((error: unknown) => logger.error({ err: error }, 'jobs failed'))
      .finally(() => {
        running = false
      })
  }
  const timer = setInterval(tick, intervalMs).unref()
  return {
    stop() {
      clearInterval(timer)
      try {
        releaseLease(JOBS_LEASE, processHolderId)
      } catch (error) {
        logger.warn({ err: error }, 'could not release the jobs lease; it lapses by itself')
      }
    },
  }
}
