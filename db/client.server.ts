import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Logger } from 'drizzle-orm'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'

// No schema: the relational query API (db.query.*) is not used, and with a schema drizzle builds a
// query builder for every table each time it opens a transaction or savepoint (issue 12).
export type DB = BetterSQLite3Database
export type Tx = Parameters<Parameters<DB['transaction']>[0]>[0]

/** How long a writer waits for the write lock (SQLite's busy_timeout, and our own retries) before failing. */
export const WRITE_LOCK_TIMEOUT_MS = 5000

/** Open a SQLite file with the durability settings of docs/decisions/003. */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma(`busy_timeout = ${WRITE_LOCK_TIMEOUT_MS}`)
  return sqlite
}

declare global {
  // One connection per process, kept across Vite's dev-mode module reloads.
  var __weinuanSqlite: Database.Database | undefined
}

function connection(): Database.Database {
  if (!globalThis.__weinuanSqlite) {
    globalThis.__weinuanSqlite = openDatabase(process.env.DATABASE_PATH ?? 'data/weinuan.db')
  }
  return globalThis.__weinuanSqlite
}

export const sqlite: Database.Database = connection()

/**
 * The connection as drizzle sees it: `prepare` answers from a cache of compiled statements, so
 * that a query drizzle builds again (same SQL text) is not compiled again by SQLite on every call
 * (issue 12: preparing was most of a booking's SQL time). better-sqlite3 statements are reusable;
 * two things keep sharing them safe: a statement still being iterated is never handed out again
 * (a fresh one is prepared instead), and raw mode, which drizzle switches on for some calls, is
 * switched off before each reuse. Bounded: the least recently used statement is dropped.
 */
export function statementCache(connection: Database.Database, limit = 500): Pick<Database.Database, 'prepare' | 'transaction'> {
  const cache = new Map<string, Database.Statement>()
  return {
    prepare(source: string) {
      const hit = cache.get(source)
      if (hit && !hit.busy) {
        cache.delete(source)
        cache.set(source, hit)
        if (hit.reader) hit.raw(false)
        return hit
      }
      const statement = connection.prepare(source)
      if (!hit) {
        cache.set(source, statement)
        if (cache.size > limit) cache.delete(cache.keys().next().value as string)
      }
      return statement
    },
    transaction: (fn) => connection.transaction(fn),
  } as Pick<Database.Database, 'prepare' | 'transaction'>
}

/**
 * Every statement drizzle runs passes through here (a no-op): with prepared and cached
 * statements, `sqlite.prepare` no longer says what runs, so tests that count statements spy on this.
 */
export const queryLog: Logger = { logQuery() {} }

export const db: DB = drizzle({ client: statementCache(sqlite) as Database.Database, logger: queryLog })

/**
 * A drizzle query prepared once, on first use (not at import: the tables may not exist yet),
 * with `sql.placeholder` for its parameters: the hot paths skip drizzle's query building too.
 * Such a query runs on this process's one connection, so inside writeTransaction() it is part
 * of the transaction like any query made with `tx`.
 */
export function preparedOnce<T>(build: () => T): () => T {
  let prepared: T | undefined
  return () => (prepared ??= build())
}

const pause = new Int32Array(new SharedArrayBuffer(4))

/** Sleep the thread for `ms` (fractions allowed): the wait between two tries for the write lock. */
function sleepMs(ms: number) {
  Atomics.wait(pause, 0, 0, ms)
}

// SQLITE_BUSY and its extended codes (SQLITE_BUSY_RECOVERY, …), which busy_timeout also waited out.
const isBusy = (error: unknown) => String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY')

/** One try at a write transaction: `busy` when another connection held the write lock (`fn` did not run). */
export type WriteAttempt<T> = { busy: false; value: T } | { busy: true; error: unknown }

/**
 * Try BEGIN IMMEDIATE once, without waiting for the lock (busy_timeout 0 for that statement
 * only): run `fn` in the transaction and commit, or say `busy` if another connection holds the
 * write lock. Only a BEGIN that found the lock taken counts as busy: once `fn` has started, the
 * lock is ours and anything else waits as it always did. Nested calls (already in a
 * transaction) take no lock.
 */
export function tryWriteTransaction<T>(fn: (tx: Tx) => T): WriteAttempt<T> {
  if (sqlite.inTransaction) return { busy: false, value: db.transaction(fn, { behavior: 'immediate' }) }
  let started = false
  const body = (tx: Tx) => {
    started = true
    setBusyTimeout(WRITE_LOCK_TIMEOUT_MS)
    return fn(tx)
  }
  setBusyTimeout(0)
  try {
    return { busy: false, value: db.transaction(body, { behavior: 'immediate' }) }
  } catch (error) {
    if (started || !isBusy(error)) throw error
    return { busy: true, error }
  } finally {
    setBusyTimeout(WRITE_LOCK_TIMEOUT_MS)
  }
}

/**
 * Run a write transaction with BEGIN IMMEDIATE so that the write lock is taken up front and
 * concurrent writers queue for it instead of failing mid-transaction.
 *
 * The queueing is ours, not SQLite's busy handler: that one sleeps 1, 2, 5, 10 … 100 ms between
 * tries, so with two server processes a writer that just missed the lock slept for tens of ms
 * while the other process took it again and again (issue 12: the bookings' p99 of seconds). Here
 * BEGIN IMMEDIATE is tried with no busy wait (tryWriteTransaction), and on SQLITE_BUSY tried
 * again after about 0.05 ms, growing to at most 1 ms, until WRITE_LOCK_TIMEOUT_MS. The thread
 * sleeps meanwhile: callers that can wait without blocking the event loop use groupCommit
 * (db/group-commit.server.ts).
 */
export function writeTransaction<T>(fn: (tx: Tx) => T): T {
  const deadline = Date.now() + WRITE_LOCK_TIMEOUT_MS
  let wait = 0.05
  for (;;) {
    const attempt = tryWriteTransaction(fn)
    if (!attempt.busy) return attempt.value
    if (Date.now() >= deadline) throw attempt.error
    sleepMs(wait * (0.5 + Math.random()))
    wait = Math.min(1, wait * 2)
  }
}

const busyTimeoutStatements = new Map<number, Database.Statement>()
function setBusyTimeout(ms: number) {
  let statement = busyTimeoutStatements.get(ms)
  if (!statement) busyTimeoutStatements.set(ms, (statement = sqlite.prepare(`PRAGMA busy_timeout = ${ms}`)))
  statement.get()
}

export function closeDatabase(): void {
  if (globalThis.__weinuanSqlite) {
    globalThis.__weinuanSqlite.close()
    globalThis.__weinuanSqlite = undefined
  }
}
