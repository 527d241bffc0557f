import { spawn } from 'node:child_process'
import net from 'node:net'

// Spawn the real server (server/index.ts) for tests over HTTP: a free port, the environment
// given, and helpers to wait for it, read its output and stop it.

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

export type ServerProcess = {
  base: string
  port: number
  output: () => string
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>
  /** Resolves once /healthz answers; rejects if the process exits first or after `ms`. */
  ready: (ms?: number) => Promise<void>
  stop: () => Promise<number | null>
  /** Send `signal` to the server, or to its whole process group (cluster workers too) if started with `group`. */
  kill: (signal: NodeJS.Signals) => void
}

/**
 * The server with `env` on top of this process's environment. Vitest's own variables are
 * dropped: with VITEST set, vite.config.ts leaves the Remix plugin out.
 */
export async function startServer(
  env: Record<string, string | undefined>,
  options: { port?: number; group?: boolean } = {},
): Promise<ServerProcess> {
  const port = options.port ?? (await freePort())
  const childEnv: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, PORT: String(port), LOG_LEVEL: 'info', ...env })) {
    if (v === undefined || k.startsWith('VITEST')) continue
    childEnv[k] = v
  }
  // `group`: a process group of its own, so that a signal can reach the primary and its workers at once.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.group ?? false,
  })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  let done = false
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      done = true
      resolve(code)
    }),
  )
  const base = `http://127.0.0.1:${port}`
  return {
    base,
    port,
    output: () => output,
    exited,
    async ready(ms = 90_000) {
      const until = Date.now() + ms
      for (;;) {
        if (done) throw new Error(`server exited before it was ready:\n${output}`)
        try {
          const res = await fetch(`${base}/healthz`)
          if (res.ok) return
        } catch {
          // not listening yet
        }
        if (Date.now() > until) throw new Error(`server not ready after ${ms} ms:\n${output}`)
        await new Promise((r) => setTimeout(r, 200))
      }
    },
    async stop() {
      if (!done) child.kill('SIGTERM')
      return exited
    },
    kill(signal) {
      if (options.group) process.kill(-(child.pid as number), signal)
      else child.kill(signal)
    },
  }
}

/** The development server on this test file's database, ready and with the app compiled by a first request. */
export async function startDevServer(): Promise<ServerProcess> {
  const server = await startServer({ NODE_ENV: 'development', LOG_LEVEL: 'warn' })
  await server.ready()
  await fetch(`${server.base}/login`)
  return server
}

export type CommandProcess = {
  /** Send one JSON command and resolve with the process's JSON answer. */
  send: <T = unknown>(command: unknown) => Promise<T>
  stop: () => Promise<void>
}

/**
 * A script from tests/integration/workers/ that answers one JSON line per JSON command, on its
 * own SQLite connection to `databasePath`. Resolves once it has said "ready".
 */
export async function startCommandProcess(script: string, databasePath: string): Promise<CommandProcess> {
  const childEnv: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, DATABASE_PATH: databasePath })) if (v !== undefined) childEnv[k] = v
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const waiting: Array<(line: string) => void> = []
  let buffered = ''
  child.stdout.on('data', (d) => {
    buffered += d
    let nl
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl)
      buffered = buffered.slice(nl + 1)
      waiting.shift()?.(line)
    }
  })
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve)
      void exited.then(() => reject(new Error(`${script} exited:\n${stderr}`)))
    })
  const ready = await nextLine()
  if (ready !== 'ready') throw new Error(`${script} said ${ready}:\n${stderr}`)
  return {
    async send<T>(command: unknown) {
      const answer = nextLine()
      child.stdin.write(`${JSON.stringify(command)}\n`)
      return JSON.parse(await answer) as T
    },
    async stop() {
      child.stdin.end()
      await exited
    },
  }
}
