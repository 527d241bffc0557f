import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import * as schema from './schema'

export type DB = BetterSQLite3Database<typeof schema>
export type Tx = Parameters<Parameters<DB['transaction']>[0]>[0]

/** Open a SQLite file with the durability settings of docs/decisions/003. */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
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

export const db: DB = drizzle(sqlite, { schema })

/**
 * Run a write transaction with BEGIN IMMEDIATE so that the write lock is taken up front and
 * concurrent writers queue on busy_timeout instead of failing mid-transaction.
 */
export function writeTransaction<T>(fn: (tx: Tx) => T): T {
  return db.transaction(fn, { behavior: 'immediate' })
}

export function closeDatabase(): void {
  if (globalThis.__weinuanSqlite) {
    globalThis.__weinuanSqlite.close()
    globalThis.__weinuanSqlite = undefined
  }
}
