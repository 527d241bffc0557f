import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from '@playwright/test'

// End-to-end suite: real production build, real server, fresh SQLite database per run.
// Run with `npx playwright test -c tests/playwright.config.ts` after `npx remix vite:build`.
const root = fileURLToPath(new URL('..', import.meta.url))
// E2E_PORT lets several runs share a machine (each gets its own port and database).
const PORT = Number(process.env.E2E_PORT ?? 3100)
const baseURL = `http://localhost:${PORT}`
const suffix = process.env.E2E_PORT ? `-${PORT}` : ''
// This run's database: serve.sh creates and serves it, and the fixtures (tests/e2e/fixtures.ts)
// write into it from the test workers, which inherit this environment.
process.env.DATABASE_PATH = path.join(root, `tests/.tmp/e2e-${PORT}.db`)

// Debian's Chromium: `npx playwright install` cannot download on this machine, and without
// these flags Chromium waits on the (absent) network at start-up.
const launchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
}

export default defineConfig({
  testDir: 'e2e',
  outputDir: path.join(root, `tests/.tmp/test-results${suffix}`),
  fullyParallel: false,
  forbidOnly: true,
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  // Stories with several pages and axe runs each; the CI machine has 2 cores shared by two
  // browsers and two server workers. Not a speed check: speed is measured by scripts/bench.
  timeout: 60_000,
  expect: { timeout: 7_000 },
  reporter: [['list'], ['json', { outputFile: path.join(root, `tests/.tmp/playwright-results${suffix}.json`) }]],
  use: {
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    launchOptions,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'mobile',
      use: {
        browserName: 'chromium',
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 3,
        isMobile: true,
        hasTouch: true,
      },
    },
    {
      name: 'desktop',
      use: { browserName: 'chromium', viewport: { width: 1280, height: 800 } },
    },
  ],
  webServer: {
    command: 'bash tests/e2e/serve.sh',
    cwd: root,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { PORT: String(PORT), DATABASE_PATH: process.env.DATABASE_PATH },
  },
})
