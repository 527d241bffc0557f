import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, test } from 'vitest'
import { DEV_TOTP_ENCRYPTION_KEY } from '~/auth/two-factor-key.server'
import { demoAccounts } from '~/seed/demo.server'
import { startServer } from './server-process'

const tmp = path.resolve('tests/.tmp')
let dbCounter = 0
/** A fresh database file name (the server creates and migrates it). */
function freshDb(): string {
  dbCounter += 1
  return path.join(tmp, `lifecycle-${process.pid}-${dbCounter}.db`)
}
function removeDb(file: string) {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true })
}

test('the server answers /healthz after a real query and shuts down cleanly on SIGTERM', async () => {
  const dbFile = freshDb()
  const server = await startServer({ NODE_ENV: 'development', DATABASE_PATH: dbFile, LOG_LEVEL: 'info' })
  try {
    await server.ready(30_000)
    const health = await fetch(`${server.base}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true })
    // The server migrated its new database on start.
    expect(fs.existsSync(dbFile)).toBe(true)
  } finally {
    await server.stop()
  }
  expect(await server.exited).toBe(0)
  expect(server.output()).toMatch(/shutting down/)
  expect(server.output()).toMatch(/"msg":"closed"/)
  // Closing the last connection checkpoints WAL and removes it.
  expect(fs.existsSync(`${dbFile}-wal`)).toBe(false)
  removeDb(dbFile)
}, 60_000)

// Issue 10 item 7 (and 4): NODE_ENV=production refuses unsafe configurations before listening.
describe('production refuses to start', () => {
  const dataDir = path.join(tmp, `lifecycle-data-${process.pid}`)
  const production = (dbFile: string) => ({
    NODE_ENV: 'production',
    APP_ORIGIN: 'https://weinuan.example.org',
    DATABASE_PATH: dbFile,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    STRIPE_SECRET_KEY: undefined,
    STRIPE_WEBHOOK_SECRET: undefined,
    TOTP_ENCRYPTION_KEY: 'a'.repeat(64),
    PAYMENTS_MOCK: undefined,
    DEMO_MODE: undefined,
  })

  async function expectRefusal(env: Record<string, string | undefined>, message: RegExp) {
    const server = await startServer(env)
    const code = await server.exited
    const output = server.output()
    expect(code, output).not.toBe(0)
    expect(output).toMatch(/Refusing to start with NODE_ENV=production/)
    expect(output).toMatch(message)
    expect(output).not.toMatch(/listening on/)
  }

  const cases: Array<[string, Record<string, string | undefined>, RegExp]> = [
    ['without APP_ORIGIN', { APP_ORIGIN: undefined }, /APP_ORIGIN is not set/],
    ['with the mock payment provider', { PAYMENTS_MOCK: 'true' }, /PAYMENTS_MOCK=true: the mock checkout lets anyone "pay"/],
    ['in demo mode', { DEMO_MODE: 'true' }, /DEMO_MODE=true is for local demos only/],
    [
      'with a Stripe key but no webhook secret',
      { STRIPE_SECRET_KEY: 'sk_test_weinuan_lifecycle' },
      /STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not/,
    ],
    [
      'with the public mock webhook secret',
      { STRIPE_SECRET_KEY: 'sk_test_weinuan_lifecycle', STRIPE_WEBHOOK_SECRET: 'whsec_weinuan_local_mock' },
      /STRIPE_WEBHOOK_SECRET is the public mock secret/,
    ],
    ['without TOTP_ENCRYPTION_KEY', { TOTP_ENCRYPTION_KEY: undefined }, /TOTP_ENCRYPTION_KEY is not set/],
    [
      'with the public development TOTP key',
      { TOTP_ENCRYPTION_KEY: DEV_TOTP_ENCRYPTION_KEY },
      /TOTP_ENCRYPTION_KEY is the public development key/,
    ],
  ]
  for (const [name, overrides, message] of cases) {
    test(
      name,
      async () => {
        const dbFile = freshDb()
        try {
          await expectRefusal({ ...production(dbFile), ...overrides }, message)
        } finally {
          removeDb(dbFile)
        }
      },
      60_000,
    )
  }

  test('with demo accounts in the database', async () => {
    const dbFile = freshDb()
    fs.copyFileSync(path.join(tmp, 'base.db'), dbFile)
    const sqlite = new Database(dbFile)
    const demo = demoAccounts.find((a) => a.isPlatformAdmin)!
    sqlite
      .prepare('INSERT INTO users (email, display_name, password_hash, is_platform_admin) VALUES (?, ?, ?, 1)')
      .run(demo.email, demo.displayName, '$argon2id$placeholder')
    sqlite.close()
    try {
      await expectRefusal(
        production(dbFile),
        new RegExp(`demo accounts with the public demo password \\(${demo.email.replace('.', '\\.')}\\)`),
      )
    } finally {
      removeDb(dbFile)
    }
  }, 60_000)

  test('a correct production configuration passes every check and serves the build', async () => {
    const dbFile = freshDb()
    const server = await startServer({
      ...production(dbFile),
      STRIPE_SECRET_KEY: 'sk_test_weinuan_lifecycle',
      STRIPE_WEBHOOK_SECRET: 'whsec_lifecycle_configured',
    })
    try {
      if (fs.existsSync('build/server/index.js')) {
        await server.ready(60_000)
        expect((await fetch(`${server.base}/healthz`)).status).toBe(200)
        // The origin is APP_ORIGIN whatever Host the request names.
        const page = await fetch(`${server.base}/`, { headers: { Host: 'evil.example' } })
        expect(page.status).toBe(200)
        expect(await page.text()).not.toContain('evil.example')
      } else {
        // Without `npx remix vite:build` the server gets past every check and stops at the build.
        expect(await server.exited).toBe(1)
        expect(server.output()).not.toMatch(/Refusing to start/)
        expect(server.output()).toMatch(/build\/server\/index\.js/)
      }
    } finally {
      await server.stop()
      removeDb(dbFile)
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }, 90_000)
})
