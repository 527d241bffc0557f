// Online backup of DATABASE_PATH (default data/weinuan.db), safe while the server runs.
// Usage: scripts/backup [destination]   default: $DATA_DIR/backups/weinuan-YYYYMMDD-HHmmss.db (UTC)
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
} catch (error) {
  console.error(`backup failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
