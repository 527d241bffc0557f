// In-process timing of a booking's parts (issue 12): the domain calls and the Remix handler of
// the production build, on a fresh temporary database, one process, no HTTP. CPU time per call,
// so what it shows is the code's cost, not fsync or the other processes on the machine.
//
//   npx remix vite:build && npx tsx scripts/bench-inprocess.ts [--n 2000] [--sync full|off]
//
// Not a test: nothing here asserts a time.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const argv = process.argv.slice(2)
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 && argv[i + 1] ? (argv[i + 1] as string) : fallback
}
const N = Number(arg('n', '2000'))
const sync = arg('sync', 'off')
// domain: bookSlot, the session lookup, listMyBookings; post: the booking POST; get: /me/bookings;
// anon: an anonymous GET of the home page (the Remix handler, not the page cache in server/);
// http-get, http-post: the same two requests through the whole server of server/app.ts (Express,
// its middleware, the request log line at LOG_LEVEL=info into a file, node:http), sent over
// loopback by a client in a child process (its CPU is not counted), --concurrency at a time
const only = new Set(arg('only', 'domain,post,get,anon,http-get,http-post').split(','))
const concurrency = Number(arg('concurrency', '8'))

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weinuan-inproc-'))
process.env.DATABASE_PATH = path.join(dir, 'bench.db')
process.env.NODE_ENV = 'production'
process.env.APP_ORIGIN = 'http://127.0.0.1:3999'
process.env.COOKIE_SECURE = 'false'
process.env.STRIPE_WEBHOOK_SECRET = crypto.randomBytes(24).toString('hex')
process.env.TOTP_ENCRYPTION_KEY = crypto.randomBytes(32).toString('hex')
process.env.LOG_LEVEL = 'warn'

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage()
  fn()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

async function cpuMsAsync(fn: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage()
  await fn()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

const line = (what: string, ms: number, n: number) =>
  console.log(`${what.padEnd(46)} ${((ms / n) * 1000).toFixed(0).padStart(6)} µs CPU per call (${n} calls)`)

async function main() {
  const { db, sqlite } = await import('~db/client.server')
  const { applyMigrations } = await import('~db/migrate.server')
  const { institutions, slots, users, sessions } = await import('~db/schema')
  applyMigrations(sqlite)
  sqlite.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'OFF'}`)
  const { bookSlot, listMyBookings } = await import('~/bookings/bookings.server')
  const { validateSessionToken, generateSessionToken, createSession } = await import('~/auth/session.server')

  const home = db
    .insert(institutions)
    .values({ slug: 'bench-home', name: '压测福利院', kind: 'welfare_home', province: '山东省', city: '滨州市' })
    .returning()
    .get()
  const startsAt = new Date(Date.now() + 7 * 86_400_000)
  const mkSlot = (capacity: number) =>
    db
      .insert(slots)
      .values({
        institutionId: home.id,
        kind: 'camp',
        title: '社会开放日',
        location: '活动室',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3 * 3600_000),
        capacity,
        status: 'published',
        allowGroups: true,
      })
      .returning()
      .get()
  const slotA = mkSlot(100_000)
  const slotB = mkSlot(100_000)
  const slotC = mkSlot(100_000)
  const members: Array<{ id: number; token: string }> = []
  sqlite.transaction(() => {
    for (let i = 0; i < 3 * N; i++) {
      const u = db
        .insert(users)
        .values({
          phone: `186${String(i).padStart(8, '0')}`,
          displayName: `压测志愿者${i}`,
          passwordHash: 'x',
          phoneVerifiedAt: new Date(),
        })
        .returning({ id: users.id })
        .get()
      const token = generateSessionToken()
      createSession(token, u.id)
      members.push({ id: u.id, token })
    }
  })()
  void sessions

  const input = (userId: number, slotId: number) => ({
    userId,
    slotId,
    kind: 'individual' as const,
    partySize: 1,
    contactName: '压测志愿者',
    contactPhone: '18600000000',
  })

  // Warm up, then time.
  for (let i = 0; i < 50; i++) bookSlot(input(members[i]!.id, slotC.id))
  if (only.has('domain')) domain()
  function domain() {
    line(
      'bookSlot (individual, confirmed)',
      cpuMs(() => {
        for (let i = 0; i < N; i++) {
          const r = bookSlot(input(members[i]!.id, slotA.id))
          if (!r.ok) throw new Error(JSON.stringify(r))
        }
      }),
      N,
    )
    line(
      'validateSessionToken',
      cpuMs(() => {
        for (let i = 0; i < N; i++) if (!validateSessionToken(members[i]!.token).user) throw new Error('no session')
      }),
      N,
    )
    line(
      'listMyBookings (one booking)',
      cpuMs(() => {
        for (let i = 0; i < N; i++) listMyBookings(members[i]!.id)
      }),
      N,
    )
  }

  // The Remix handler of the production build: what the route costs without Express and HTTP.
  const build = await import(pathToFileURL(path.resolve('build/server/index.js')).href)
  const { createRequestHandler } = await import('@remix-run/node')
  const handle = createRequestHandler(build)
  const ctx = { ip: '127.0.0.1', cspNonce: 'bench' }
  const post = (m: { token: string }, slotId: number, i: number) =>
    new Request(`http://127.0.0.1:3999/volunteer/slots/${slotId}/book`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: `weinuan_session=${m.token}`,
        Origin: 'http://127.0.0.1:3999',
        Host: '127.0.0.1:3999',
      },
      body: `kind=individual&contactName=${encodeURIComponent(`压测志愿者${i}`)}&contactPhone=186${String(i).padStart(8, '0')}`,
    })
  for (let i = 50; i < 100; i++) {
    const res = await handle(post(members[i]!, slotC.id, i), ctx)
    if (res.status !== 302) throw new Error(`warm-up booking answered ${res.status}: ${await res.text()}`)
  }
  const posting = async () => {
    for (let i = N; i < 2 * N; i++) {
      const res = await handle(post(members[i]!, slotB.id, i), ctx)
      if (res.status !== 302) throw new Error(`booking answered ${res.status}`)
    }
  }
  if (only.has('post')) line('Remix handler: POST booking', await cpuMsAsync(posting), N)
  else for (let i = N; i < 2 * N; i++) bookSlot(input(members[i]!.id, slotB.id)) // each signed-in member holds a booking
  if (only.has('get'))
    line(
      'Remix handler: GET /me/bookings',
      await cpuMsAsync(async () => {
        for (let i = N; i < 2 * N; i++) {
          const res = await handle(
            new Request('http://127.0.0.1:3999/me/bookings', {
              headers: { Cookie: `weinuan_session=${members[i]!.token}`, Host: '127.0.0.1:3999' },
            }),
            ctx,
          )
          if (res.status !== 200) throw new Error(`/me/bookings answered ${res.status}`)
          await res.text()
        }
      }),
      N,
    )
  if (only.has('anon'))
    line(
      'Remix handler: GET / (anonymous)',
      await cpuMsAsync(async () => {
        for (let i = 0; i < N; i++) {
          const res = await handle(new Request('http://127.0.0.1:3999/', { headers: { Host: '127.0.0.1:3999' } }), ctx)
          if (res.status !== 200) throw new Error(`/ answered ${res.status}`)
          await res.text()
        }
      }),
      N,
    )
  if (only.has('http-get') || only.has('http-post')) {
    const { createApp } = await import('../server/app')
    const { pino, destination } = await import('pino')
    const logFile = path.join(dir, 'requests.log')
    const logger = pino({ level: 'info' }, destination({ dest: logFile, sync: true }))
    const app = createApp({ logger, build, appOrigin: 'http://127.0.0.1:3999', trustProxy: false, healthCheck: () => true })
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    const port = (server.address() as { port: number }).port
    const drive = async (
      label: string,
      requests: Array<{ method: string; path: string; cookie: string; body?: string }>,
      expect: number,
    ) => {
      const spec = path.join(dir, `http-${label.replace(/\W+/g, '-')}.json`)
      fs.writeFileSync(spec, JSON.stringify({ port, concurrency, requests }))
      const start = process.cpuUsage()
      const { spawn } = await import('node:child_process')
      const child = spawn(process.execPath, ['--input-type=module', '-e', HTTP_CLIENT, spec], { stdio: ['ignore', 'pipe', 'inherit'] })
      let out = ''
      child.stdout.on('data', (c: Buffer) => (out += c.toString()))
      await new Promise((resolve) => child.once('exit', resolve))
      const used = process.cpuUsage(start)
      const statuses = JSON.parse(out) as Record<string, number>
      if (statuses[String(expect)] !== requests.length) throw new Error(`${label}: answers ${JSON.stringify(statuses)}`)
      line(label, (used.user + used.system) / 1000, requests.length)
    }
    const origin = 'http://127.0.0.1:3999'
    const getReq = (i: number) => ({ method: 'GET', path: '/me/bookings', cookie: `weinuan_session=${members[i]!.token}` })
    if (only.has('http-get')) {
      await drive(
        'HTTP warm-up',
        Array.from({ length: 200 }, (_, i) => getReq(N + i)),
        200,
      )
      await drive(
        'HTTP: GET /me/bookings (whole server)',
        Array.from({ length: N }, (_, i) => getReq(N + i)),
        200,
      )
    }
    if (only.has('http-post')) {
      const body = (i: number) =>
        `kind=individual&contactName=${encodeURIComponent(`压测志愿者${i}`)}&contactPhone=186${String(i).padStart(8, '0')}`
      const postReq = (i: number, slotId: number) => ({
        method: 'POST',
        path: `/volunteer/slots/${slotId}/book`,
        cookie: `weinuan_session=${members[i]!.token}`,
        body: body(i),
        origin,
      })
      // Members 2N..3N have booked nothing yet: each books once.
      await drive(
        'HTTP warm-up',
        Array.from({ length: Math.min(200, N / 2) }, (_, i) => postReq(2 * N + i, slotC.id)),
        302,
      )
      const from = 2 * N + Math.min(200, N / 2)
      await drive(
        'HTTP: POST booking (whole server)',
        Array.from({ length: 3 * N - from }, (_, i) => postReq(from + i, slotB.id)),
        302,
      )
    }
    await new Promise((resolve) => server.close(resolve))
  }
  sqlite.close()
  fs.rmSync(dir, { recursive: true, force: true })
}

/** The load of the http-* modes: keep-alive connections in a child process, statuses on stdout. */
const HTTP_CLIENT = `
import fs from 'node:fs'
import http from 'node:http'
const { port, concurrency, requests } = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'))
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
const statuses = {}
let next = 0
const one = (r) => new Promise((resolve, reject) => {
  const headers = { cookie: r.cookie }
  if (r.origin) headers.origin = r.origin
  if (r.body) { headers['content-type'] = 'application/x-www-form-urlencoded'; headers['content-length'] = Buffer.byteLength(r.body) }
  const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent }, (res) => {
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
    res.resume()
    res.on('end', resolve)
  })
  req.on('error', reject)
  req.end(r.body)
})
await Promise.all(Array.from({ length: concurrency }, async () => { while (next < requests.length) await one(requests[next++]) }))
agent.destroy()
process.stdout.write(JSON.stringify(statuses))
`

main().catch((error) => {
  console.error(error)
  fs.rmSync(dir, { recursive: true, force: true })
  process.exit(1)
})
