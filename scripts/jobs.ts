// Run every background job once and print what it did. Usage: scripts/jobs
import { closeDatabase, sqlite } from '~db/client.server'
import { applyMigrations } from '~db/migrate.server'
import { runJobs } from '~/jobs/jobs.server'

applyMigrations(sqlite)
try {
  const report = await runJobs()
  console.log(`released claims:        ${report.releasedClaims}`)
  console.log(`reminders queued:       ${report.remindersQueued}`)
  console.log(`waitlist offers lapsed: ${report.lapsedOffers}`)
  console.log(`waitlist offers made:   ${report.newOffers}`)
  console.log(`campaign wishes expired: ${report.expiredWishes}`)
  const n = report.notifications
  console.log(`notifications:          ${n.sent} sent, ${n.written} written to the outbox directory, ${n.failed} failed`)
} catch (error) {
  console.error(`jobs failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  closeDatabase()
}
