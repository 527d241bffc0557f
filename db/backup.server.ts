import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'

// Online backup and restore of the SQLite database (docs/decisions/003). Deliberately does not
// import ./client.server, which opens the application's connection as a side effect.

/** UTC timestamp for file names: YYYYMMDD-HHmmss. */
export function fileTimestamp(date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return (
    `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}` +
    `-${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`
  )
}

export function defaultBackupPath(dataDir = process.env.DATA_DIR ?? 'data', date = new Date()): string {
  return path.join(dataDir, 'backups', `weinuan-${fileTimestamp(date)}.db`)
}

/** PRAGMA integrity_check of an open database: 'ok', or the problems it found, one a line. */
export function integrityCheck(sqlite: Database.Database): string {
  const rows = sqlite.pragma('integrity_check') as { integrity_check: string }[]
  return rows.map((r) => r.integrity_check).join('\n')
}

/** Open an existing database file read-only and run integrity_check on it. */
export function checkDatabaseFile(file: string): string {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true })
  try {
    sqlite.pragma('busy_timeout = 5000')
    return integrityCheck(sqlite)
  } finally {
    sqlite.close()
  }
}

export type BackupResult = { path: string; bytes: number; integrity: string }

/**
 * Copy sourcePath to destPath with SQLite's online backup API. Safe while the server is
 * running: the backup sees one consistent snapshot, committed WAL content included. The copy
 * is written beside destPath first, switched to rollback-journal mode so it is one
 * self-contained file, checked with integrity_check, and only then renamed into place.
 * Refuses to overwrite an existing file.
 */
export async function backupDatabase(sourcePath: string, destPath: string): Promise<BackupResult> {
  if (!fs.existsSync(sourcePath)) throw new Error(`database not found: ${sourcePath}`)
  if (fs.existsSync(destPath)) throw new Error(`refusing to overwrite existing file: ${destPath}`)
  fs.mkdirSync(path.dirname(path.resolve(destPath)), { recursive: true })
  const partial = `${destPath}.partial-${process.pid}`

  const source = new Database(sourcePath, { fileMustExist: true })
  try {
    source.pragma('busy_timeout = 5000')
    await source.backup(partial)
  } catch (error) {
    fs.rmSync(partial, { force: true })
    throw error
  } finally {
    source.close()
  }

  let integrity: string
  const copy = new Database(partial, { fileMustExist: true })
  try {
    copy.pragma('journal_mode = DELETE')
    integrity = integrityCheck(copy)
  } finally {
    copy.close()
  }
  if (integrity !== 'ok') {
    fs.rmSync(partial, { force: true })
    throw new Error(`backup failed integrity_check:\n${integrity}`)
  }
  fs.renameSync(partial, destPath)
  return { path: destPath, bytes: fs.statSync(destPath).size, integrity }
}

export type RestoreResult = { path: string; bytes: number; integrity: string; movedAside: string[] }

/**
 * Replace targetPath with the contents of backupPath. The server must not be running (the
 * caller checks). The backup is checked first; the current database and its -wal/-shm files
 * are moved aside to `<targetPath>.before-restore-<timestamp>` (keeping the -wal/-shm
 * suffixes, so the old database can still be opened); then the checked copy is renamed into
 * place.
 */
export async function restoreDatabase(backupPath: string, targetPath: string, date = new Date()): Promise<RestoreResult> {
  const sourceIntegrity = checkDatabaseFile(backupPath)
  if (sourceIntegrity !== 'ok') throw new Error(`backup failed integrity_check:\n${sourceIntegrity}`)

  // Copy next to the target (same file system, so the final rename is atomic).
  const stamp = fileTimestamp(date)
  const incoming = `${targetPath}.restoring-${stamp}`
  fs.rmSync(incoming, { force: true })
  const copied = await backupDatabase(backupPath, incoming)

  const aside = `${targetPath}.before-restore-${stamp}`
  const movedAside: string[] = []
  for (const suffix of ['', '-wal', '-shm']) {
    const file = `${targetPath}${suffix}`
    if (fs.existsSync(file)) {
      fs.renameSync(file, `${aside}${suffix}`)
      movedAside.push(`${aside}${suffix}`)
    }
  }
  fs.renameSync(incoming, targetPath)
  return { path: targetPath, bytes: copied.bytes, integrity: copied.integrity, movedAside }
}
