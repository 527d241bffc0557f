import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { expect, test } from 'vitest'
import { startServer, type ServerProcess } from './server-process'

// Issue 12: the built app runs one server process per core (server/cluster.ts). The primary
// forks WEB_CONCURRENCY workers, replaces one that dies, replaces them one at a time on SIGHUP
// without failing a request, and stops them all on SIGTERM. Needs `npx remix vite:build`;
// without a build the primary refuses once, before forking.

const tmp = path.resolve('tests/.tmp')
const built = fs.existsSync('build/server/index.js')

/** GET on a fresh connection each time (like curl), so no request rides on a closing keep-alive socket. */
function get(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 10_000 }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (error) => resolve(error.message))
  })
}

/** Pids of the workers that logged "listening", in order. */
function listeningWorkers(server: ServerProcess): number[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.includes('listening on'))
    .map((line) => (JSON.parse(line) as { pid: number }).pid)
}

async function until(condition: () => boolean, what: string, ms = 30_000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

test('production runs WEB_CONCURRENCY workers, replaces a dead one, restarts gracefully on SIGHUP and stops on SIGTERM', async () => {
  const dbFile = path.join(tmp, `cluster-${process.pid}.db`)
  const dataDir = path.join(tmp, `cluster-data-${process.pid}`)
  const server = await startServer({
    NODE_ENV: 'production',
    APP_ORIGIN: 'https://weinuan.example.org',
    DATABASE_PATH: dbFile,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    WEB_CONCURRENCY: '2',
    STRIPE_SECRET_KEY: undefined,
    STRIPE_WEBHOOK_SECRET: undefined,
    TOTP_ENCRYPTION_KEY: 'a'.repeat(64),
    PAYMENTS_MOCK: undefined,
    DEMO_MODE: undefined,
  })
  try {
    if (!built) {
      expect(await server.exited).toBe(1)
      expect(server.output()).toMatch(/no production build at build\/server\/index\.js/)
      expect(server.output()).not.toMatch(/starting \d+ worker/)
      return
    }
    await server.ready(60_000)
    await until(() => /all workers listening/.test(server.output()), 'both workers')
    const first = listeningWorkers(server)
    expect(first).toHaveLength(2)
    expect(new Set(first).size).toBe(2)

    // A worker that dies is replaced; the site keeps answering meanwhile.
    process.kill(first[0]!, 'SIGKILL')
    await until(() => listeningWorkers(server).length === 3, 'a replacement worker')
    expect(server.output()).toMatch(/worker died; starting a new one/)
    expect(await get(`${server.base}/healthz`)).toBe(200)

    // SIGHUP: every worker is replaced, one at a time, while requests keep coming; none fails.
    const before = listeningWorkers(server)
    const statuses: Array<number | string> = []
    let restarting = true
    const load = (async () => {
      while (restarting) statuses.push(await get(`${server.base}/`))
    })()
    server.kill('SIGHUP')
    await until(() => /graceful restart done/.test(server.output()), 'the graceful restart')
    restarting = false
    await load
    const after = listeningWorkers(server)
    expect(after).toHaveLength(before.length + 2)
    expect(statuses.length).toBeGreaterThan(0)
    expect(statuses.filter((s) => s !== 200)).toEqual([])
  } finally {
    await server.stop()
    // SIGTERM: the workers close their servers and SQLite, then the primary exits cleanly.
    if (built) {
      expect(await server.exited).toBe(0)
      expect(fs.existsSync(`${dbFile}-wal`)).toBe(false)
    }
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true })
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}, 120_000)
