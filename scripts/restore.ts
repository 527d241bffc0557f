// Restore DATABASE_PATH (default data/weinuan.db) from a backup file. Stop the server first.
// Usage: scripts/restore [--force] <backup.db>
import fs from 'node:fs'
import { checkDatabaseFile, restoreDatabase } from '~db/backup.server'

const target = process.env.DATABASE_PATH ?? 'data/weinuan.db'
const port = process.env.PORT ?? '3000'
const args = process.argv.slice(2)
const force = args.includes('--force')
const files = args.filter((a) => !a.startsWith('-'))

if (args.includes('-h') || args.includes('--help') || files.length !== 1) {
  console.log('usage: scripts/restore [--force] <backup.db>')
  process.exit(files.length === 1 ? 0 : 2)
}
const backup = files[0] as string
if (!fs.existsSync(backup)) {
  console.error(`backup file not found: ${backup}`)
  process.exit(1)
}

/** Any answer from /healthz, or a listener that does not answer in time, counts as running. */
async function serverAppearsRunning(): Promise<boolean> {
  try {
    await fetch(`http://localhost:${port}/healthz`, { signal: AbortSignal.timeout(1500) })
    return true
  } catch (error) {
    return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
  }
}

if (await serverAppearsRunning()) {
  if (!force) {
    console.error(`the server appears to be running on port ${port} (http://localhost:${port}/healthz answered).`)
    console.error('stop it first, or pass --force if it does not use this database.')
    process.exit(1)
  }
  console.warn(`warning: a server appears to be running on port ${port}; continuing because of --force`)
}

try {
  const integrity = checkDatabaseFile(backup)
  console.log(`integrity_check of ${backup}: ${integrity}`)
  if (integrity !== 'ok') process.exit(1)
  const result = await restoreDatabase(backup, target)
  for (const file of result.movedAside) console.log(`moved aside: ${file}`)
  console.log(`restored ${backup} to ${result.path} (${result.bytes} bytes, integrity_check: ${result.integrity})`)
} catch (error) {
  console.error(`restore failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
