import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import type Database from 'better-sqlite3'

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/** Apply every committed migration that this database has not seen yet. */
export function applyMigrations(sqlite: Database.Database): void {
  migrate(drizzle(sqlite), { migrationsFolder })
}
