import fs from 'node:fs'
import path from 'node:path'
import { openDatabase } from '~db/client.server'
import { applyMigrations } from '~db/migrate.server'

export const TMP_DIR = path.resolve('tests/.tmp')
export const BASE_DB = path.join(TMP_DIR, 'base.db')

/** Build one migrated database; every test file starts from a copy of it. */
export default function setup() {
  fs.mkdirSync(TMP_DIR, { recursive: true })
  for (const f of fs.readdirSync(TMP_DIR)) {
    if (/^(base|vitest-.*)\.db(-wal|-shm)?$/.test(f)) fs.rmSync(path.join(TMP_DIR, f))
  }
  const sqlite = openDatabase(BASE_DB)
  applyMigrations(sqlite)
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  sqlite.close()
}
