import crypto from 'node:crypto'
import os from 'node:os'
import { and, eq, gt, lte, or } from 'drizzle-orm'
import { db, writeTransaction } from '~db/client.server'
import { jobLeases } from '~db/schema'
import { now } from '~/utils/clock.server'

// Work that exactly one process may do at a time (the background jobs) is guarded by a lease
// row in the database: every server process (cluster workers, or two servers on one file) asks
// for it on each tick, and only the holder works. The holder renews it on every tick; if the
// holder dies, the lease lapses and the next process to ask takes over.
// docs/decisions/014-cluster-and-job-lease.md.

export const JOBS_LEASE = 'background-jobs'
export const JOBS_INTERVAL_MS = 60_000
/** Two ticks: one missed renewal is tolerated, a dead holder is replaced within two minutes. */
export const JOBS_LEASE_MS = 2 * JOBS_INTERVAL_MS

/** This process's holder id: host, pid and a random part (a pid can be reused after a crash). */
export const processHolderId = `${os.hostname()}:${process.pid}:${crypto.randomBytes(6).toString('hex')}`

/**
 * Take or renew the lease `name` for `holder` until now + ttlMs. True when `holder` holds it
 * afterwards: the lease was free, had lapsed, or was already theirs. One write transaction
 * (BEGIN IMMEDIATE), so two processes asking at once queue and exactly one wins.
 */
export function takeLease(name: string, holder: string, ttlMs: number): boolean {
  const at = now()
  const expiresAt = new Date(at.getTime() + ttlMs)
  return writeTransaction((tx) => {
    const changed = tx
      .insert(jobLeases)
      .values({ name, holder, expiresAt })
      .onConflictDoUpdate({
        target: jobLeases.name,
        set: { holder, expiresAt },
        where: or(eq(jobLeases.holder, holder), lte(jobLeases.expiresAt, at)),
      })
      .run().changes
    return changed > 0
  })
}

/** Give the lease up (graceful shutdown), so another process need not wait for it to lapse. */
export function releaseLease(name: string, holder: string): void {
  writeTransaction((tx) => {
    tx.delete(jobLeases)
      .where(and(eq(jobLeases.name, name), eq(jobLeases.holder, holder)))
      .run()
  })
}

/** Who holds the lease now, if anyone (a lapsed lease is held by nobody). */
export function leaseHolder(name: string): string | null {
  const row = db
    .select({ holder: jobLeases.holder })
    .from(jobLeases)
    .where(and(eq(jobLeases.name, name), gt(jobLeases.expiresAt, now())))
    .get()
  return row?.holder ?? null
}

/**
 * One tick of the job schedule for `holder`: renew (or take) the jobs lease and, only when it
 * is held, run `work`. Resolves with whether this process ran the jobs.
 */
export async function runIfLeaseHeld<T>(
  holder: string,
  work: () => Promise<T>,
  name = JOBS_LEASE,
  ttlMs = JOBS_LEASE_MS,
): Promise<{ ran: false } | { ran: true; result: T }> {
  if (!takeLease(name, holder, ttlMs)) return { ran: false }
  return { ran: true, result: await work() }
}
