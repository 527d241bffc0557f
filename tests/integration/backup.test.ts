import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { backupDatabase, checkDatabaseFile, defaultBackupPath, restoreDatabase } from '~db/backup.server'
import { openDatabase } from '~db/client.server'
import { applyMigrations } from '~db/migrate.server'

// These tests make their own databases in a scratch directory, apart from the per-file test
// database, so that they can hold a connection open the way the running server does.
const dir = path.resolve('tests/.tmp', `backup-${process.pid}-${crypto.randomBytes(4).toString('hex')}`)
const sourcePath = path.join(dir, 'source.db')
let source: Database.Database

function institutionRows(sqlite: Database.Database) {
  return sqlite.prepare('SELECT * FROM institutions ORDER BY id').all()
}

function insertInstitution(sqlite: Database.Database, slug: string, name: string) {
  sqlite
    .prepare("INSERT INTO institutions (slug, name, kind, province, city) VALUES (?, ?, 'welfare_home', '山东省', '滨州市')")
    .run(slug, name)
}

beforeAll(() => {
  fs.mkdirSync(dir, { recursive: true })
  source = openDatabase(sourcePath)
  applyMigrations(source)
  insertInstitution(source, 'backup-a', '备份测试福利院甲')
  insertInstitution(source, 'backup-b', '备份测试福利院乙')
})

afterAll(() => {
  source.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('backupDatabase', () => {
  test('copies a database that is open in WAL mode, committed rows included, and the copy passes integrity_check', async () => {
    // The open connection holds recent commits in the -wal file, as a running server would.
    expect(source.pragma('journal_mode', { simple: true })).toBe('wal')
    insertInstitution(source, 'backup-c', '备份测试福利院丙')
    const dest = path.join(dir, 'copy.db')

    const result = await backupDatabase(sourcePath, dest)

    expect(result).toMatchObject({ path: dest, integrity: 'ok' })
    expect(result.bytes).toBe(fs.statSync(dest).size)
    expect(checkDatabaseFile(dest)).toBe('ok')
    // One self-contained file: no -wal beside it.
    expect(fs.existsSync(`${dest}-wal`)).toBe(false)
    const copy = openDatabase(dest)
    try {
      expect(institutionRows(copy)).toEqual(institutionRows(source))
      expect(institutionRows(copy)).toHaveLength(3)
    } finally {
      copy.close()
    }
  })

  test('refuses to overwrite an existing file and leaves no partial file behind', async () => {
    const dest = path.join(dir, 'existing.db')
    fs.writeFileSync(dest, 'keep me')
    await expect(backupDatabase(sourcePath, dest)).rejects.toThrow(/refusing to overwrite/)
    expect(fs.readFileSync(dest, 'utf8')).toBe('keep me')
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([])
  })

  test('default path is data/backups/weinuan-YYYYMMDD-HHmmss.db in UTC', () => {
    expect(defaultBackupPath('data', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe(
      path.join('data', 'backups', 'weinuan-20260102-030405.db'),
    )
  })
})

describe('restoreDatabase', () => {
  test('puts the backup in place and keeps the previous database aside', async () => {
    const backup = path.join(dir, 'for-restore.db')
    await backupDatabase(sourcePath, backup)
    const expected = institutionRows(source)

    const target = path.join(dir, 'target.db')
    const current = openDatabase(target)
    applyMigrations(current)
    insertInstitution(current, 'will-be-replaced', '将被替换')
    current.close()

    const when = new Date(Date.UTC(2026, 5, 1, 12, 0, 0))
    const result = await restoreDatabase(backup, target, when)

    expect(result.integrity).toBe('ok')
    expect(result.movedAside).toContain(`${target}.before-restore-20260601-120000`)
    const restored = openDatabase(target)
    try {
      expect(institutionRows(restored)).toEqual(expected)
    } finally {
      restored.close()
    }
    const previous = openDatabase(`${target}.before-restore-20260601-120000`)
    try {
      expect(institutionRows(previous).map((r) => (r as { slug: string }).slug)).toEqual(['will-be-replaced'])
    } finally {
      previous.close()
    }
  })

  test('refuses a file that is not a sound database and changes nothing', async () => {
    const bad = path.join(dir, 'bad.db')
    fs.writeFileSync(bad, 'this is not a database')
    const target = path.join(dir, 'untouched.db')
    fs.writeFileSync(target, 'original')
    await expect(restoreDatabase(bad, target)).rejects.toThrow()
    expect(fs.readFileSync(target, 'utf8')).toBe('original')
  })
})
