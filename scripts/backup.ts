// Online backup of DATABASE_PATH (default data/weinuan.db), safe while the server runs.
// Usage: scripts/backup [destination]   default: $DATA_DIR/backups/weinuan-YYYYMMDD-HHmmss.db (UTC)
import fs from 'node:fs'
import path from 'node:path'
import { backupDatabase, defaultBackupPath } from '~db/backup.server'

const source = process.env.DATABASE_PATH ?? 'data/weinuan.db'
const args = process.argv.slice(2)
if (args.includes('-h') || args.includes('--help')) {
  console.log('usage: scripts/backup [destination.db]')
  process.exit(0)
}
const destination = args[0] ?? defaultBackupPath()

try {
  const result = await backupDatabase(source, destination)
  console.log(`backup of ${source} written to ${result.path} (${result.bytes} bytes)`)
  console.log(`integrity_check: ${result.integrity}`)
  // The ledger's signing key belongs with the data: published disclosures are signed with it.
  const key = path.join(process.env.DATA_DIR ?? 'data', 'ledger-key.pem')
  if (fs.existsSync(key)) {
    const keyCopy = `${result.path}.ledger-key.pem`
    fs.copyFileSync(key, keyCopy)
    fs.chmodSync(keyCopy, 0o600)
    console.log(`ledger signing key copied to ${keyCopy} (keep it private)`)
  }
} catch (error) {
  console.error(`backup failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
