import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { server } from '~tests/mocks'

// Each test file gets its own copy of the migrated base database, set before any app module
// opens the connection.
const tmp = path.resolve('tests/.tmp')
const file = path.join(tmp, `vitest-${process.pid}-${crypto.randomBytes(4).toString('hex')}.db`)
fs.copyFileSync(path.join(tmp, 'base.db'), file)
process.env.DATABASE_PATH = file
process.env.NODE_ENV = 'test'
process.env.LOG_LEVEL = 'silent'
// Images, the file outbox and the ledger signing key of tests stay out of the developer's data/.
process.env.DATA_DIR = path.join(tmp, `data-${process.pid}`)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(async () => {
  server.resetHandlers()
  const { testClock } = await import('~/utils/clock.server')
  testClock.reset()
})
afterAll(async () => {
  server.close()
  const { closeDatabase } = await import('~db/client.server')
  closeDatabase()
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true })
  fs.rmSync(process.env.DATA_DIR as string, { recursive: true, force: true })
})
