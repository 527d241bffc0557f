// Seed demo data (idempotent; refuses NODE_ENV=production). --if-empty seeds only a new site.
// --volume N then tops the public log up to N donations for benchmarks (app/seed/volume.server.ts).
import { closeDatabase, db, sqlite } from '~db/client.server'
import { applyMigrations } from '~db/migrate.server'
import { DEMO_PASSWORD, demoAccounts, seedDemoData } from '~/seed/demo.server'
import { seedVolume } from '~/seed/volume.server'
import { backfillLedgerLeaves } from '~/ledger/tree.server'

const ifEmpty = process.argv.includes('--if-empty')
const volumeAt = process.argv.indexOf('--volume')
const volume = volumeAt >= 0 ? Number(process.argv[volumeAt + 1]) : null
if (volume !== null && !(Number.isSafeInteger(volume) && volume > 0)) {
  console.error('usage: scripts/seed [--if-empty] [--volume N]   (N = donations in the log, e.g. 1000000)')
  process.exit(2)
}
applyMigrations(sqlite)
const count = (sqlite.prepare('SELECT count(*) AS n FROM institutions').get() as { n: number }).n
if (ifEmpty && count > 0) {
  console.log('database already has data; demo seed skipped')
} else {
  const result = await seedDemoData(db)
  console.log(`demo data: ${result.institutions} institutions and ${result.accounts} accounts added`)
}
// Give every log entry its Merkle leaf (seeded entries may bypass recordDonation).
const leaves = backfillLedgerLeaves()
if (leaves > 0) console.log(`ledger: ${leaves} Merkle leaves appended`)
if (volume !== null) {
  const added = seedVolume(volume, (message) => console.log(message))
  console.log(
    `volume: ${added.donations} donations (${added.corrections} corrections), ${added.allocations} allocations, ${added.leaves} leaves, ${added.disclosures} disclosures`,
  )
}
if (process.argv.includes('--print-accounts')) {
  console.log(`\n演示账号（密码均为 ${DEMO_PASSWORD}）:`)
  for (const a of demoAccounts) console.log(`  ${a.email.padEnd(28)} ${a.role}`)
}
closeDatabase()
