import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { expect, test } from 'vitest'

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

async function waitFor(url: string, ms: number): Promise<Response> {
  const until = Date.now() + ms
  for (;;) {
    try {
      return await fetch(url)
    } catch (error) {
      if (Date.now() > until) throw error
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

test('the server answers /healthz after a real query and shuts down cleanly on SIGTERM', async () => {
  const port = await freePort()
  const dbFile = path.resolve(`tests/.tmp/lifecycle-${process.pid}.db`)
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { ...process.env, NODE_ENV: 'development', PORT: String(port), DATABASE_PATH: dbFile, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  try {
    const health = await waitFor(`http://127.0.0.1:${port}/healthz`, 30_000)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true })
    // The server migrated its new database on start.
    expect(fs.existsSync(dbFile)).toBe(true)
  } finally {
    child.kill('SIGTERM')
  }
  expect(await exited).toBe(0)
  expect(output).toMatch(/shutting down/)
  expect(output).toMatch(/"msg":"closed"/)
  // Closing the last connection checkpoints WAL and removes it.
  expect(fs.existsSync(`${dbFile}-wal`)).toBe(false)
  for (const suffix of ['', '-shm']) fs.rmSync(dbFile + suffix, { force: true })
}, 60_000)
