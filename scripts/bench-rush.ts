// Benchmark (not a test): a booking rush on one slot through the production server, over
// loopback, plus a bare node:http + better-sqlite3 handler doing the same capacity-checked
// insert for comparison. See README "Benchmarks". Run with scripts/bench-rush after
// `npx remix vite:build`.
//
//   scripts/bench-rush [--members 2000] [--capacity 200] [--connections 100]
//
// Everything lives in a fresh temporary directory under /tmp (databases, outbox), only
// 127.0.0.1 is targeted, every phase is bounded by a request count and a time limit, and the
// servers it starts are stopped (and the directory removed) whatever happens.
import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { applyMigrations } from '../db/migrate.server'

// autocannon ships no type declarations; this is the part of its API used here.
type AutocannonResult = { requests: { total: number }; latency: { p50: number; p99: number }; errors: number; timeouts: number }
type AutocannonOptions = { url: string; connections: number; amount: number; timeout: number; requests: unknown[] }
type Autocannon = (options: AutocannonOptions, done: (error: Error | null, result: AutocannonResult) => void) => { stop: () => void }
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

const HOST = '127.0.0.1'
const COOKIE = 'weinuan_session' // COOKIE_SECURE=false: no __Host- prefix
const PHASE_TIMEOUT_S = 180
const HARD_LIMIT_MS = 15 * 60_000

// ---- Arguments ------------------------------------------------------------------------------

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0) return fallback
  const value = Number(process.argv[i + 1])
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} needs a positive integer`)
  return value
}

// ---- Shared: a migrated database with one slot and N members who each hold a session ------

function openDb(file: string) {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  return db
}

/** Same shape as app/auth/session.server.ts: base32 token in the cookie, its SHA-256 stored. */
function sessionToken(): { token: string; id: string } {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  const bytes = crypto.randomBytes(20)
  let bits = 0
  let value = 0
  let token = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      token += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  return { token, id: crypto.createHash('sha256').update(token).digest('hex') }
}

type Seeded = { slotIds: number[]; tokens: string[] }

async function seedDatabase(file: string, members: number, capacity: number, slotCount: number): Promise<Seeded> {
  const db = openDb(file)
  applyMigrations(db)
  // One shared argon2 hash: the benchmark measures booking, not password hashing.
  const { hashPassword } = await import('../app/auth/password.server')
  const hash = await hashPassword('bench-rush-password')
  const home = db
    .prepare("INSERT INTO institutions (slug, name, kind, province, city) VALUES ('bench-home', '压测福利院', 'welfare_home', '山东省', '滨州市') RETURNING id")
    .get() as { id: number }
  const startsAt = Date.now() + 7 * 86_400_000
  const slotIds: number[] = []
  for (let i = 0; i < slotCount; i++) {
    const row = db
      .prepare(
        "INSERT INTO slots (institution_id, kind, title, location, starts_at, ends_at, capacity, status, allow_groups) VALUES (?, 'camp', ?, '福利院活动室', ?, ?, ?, 'published', 1) RETURNING id",
      )
      .get(home.id, `普特融合夏令营（第 ${i + 1} 期）`, startsAt + i * 86_400_000, startsAt + i * 86_400_000 + 6 * 3600_000, capacity) as { id: number }
    slotIds.push(row.id)
  }
  const insertUser = db.prepare('INSERT INTO users (phone, display_name, password_hash) VALUES (?, ?, ?) RETURNING id')
  const insertSession = db.prepare('INSERT INTO sessions (id, user_id, expires_at) VALUES (?, ?, ?)')
  const tokens: string[] = []
  const expires = Date.now() + 30 * 86_400_000
  db.transaction(() => {
    for (let i = 0; i < members; i++) {
      const user = insertUser.get(`186${String(i).padStart(8, '0')}`, `压测志愿者${i}`, hash) as { id: number }
      const { token, id } = sessionToken()
      insertSession.run(id, user.id, expires)
      tokens.push(token)
    }
  })()
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return { slotIds, tokens }
}

function slotCounts(file: string, slotId: number) {
  const db = openDb(file)
  try {
    const row = db
      .prepare(
        `SELECT s.capacity AS capacity,
                coalesce(sum(CASE WHEN b.status = 'confirmed' THEN b.party_size END), 0) AS confirmed,
                coalesce(sum(b.status = 'waitlisted'), 0) AS waitlisted,
                count(b.id) AS rows
           FROM slots s LEFT JOIN bookings b ON b.slot_id = s.id WHERE s.id = ? GROUP BY s.id`,
      )
      .get(slotId) as { capacity: number; confirmed: number; waitlisted: number; rows: number }
    const duplicates = db
      .prepare("SELECT count(*) AS n FROM (SELECT user_id FROM bookings WHERE slot_id = ? AND status IN ('confirmed', 'waitlisted', 'offered') GROUP BY user_id HAVING count(*) > 1)")
      .get(slotId) as { n: number }
    return { ...row, overbooked: Math.max(0, row.confirmed - row.capacity), duplicateMembers: duplicates.n }
  } finally {
    db.close()
  }
}

// ---- The bare handler: node:http + better-sqlite3, same session lookup and insert ----------

function serveBare(file: string, port: number) {
  const db = openDb(file)
  const session = db.prepare('SELECT user_id AS userId FROM sessions WHERE id = ? AND expires_at > ?')
  const slot = db.prepare("SELECT id, institution_id AS institutionId, capacity FROM slots WHERE id = ? AND status = 'published'")
  const live = db.prepare("SELECT id FROM bookings WHERE slot_id = ? AND user_id = ? AND status IN ('confirmed', 'waitlisted', 'offered')")
  const taken = db.prepare("SELECT coalesce(sum(party_size), 0) AS n FROM bookings WHERE slot_id = ? AND status IN ('confirmed', 'offered')")
  const insert = db.prepare(
    'INSERT INTO bookings (slot_id, institution_id, user_id, kind, party_size, contact_name, contact_phone, status, code, confirmed_at, created_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?) RETURNING id',
  )
  const notify = db.prepare("INSERT INTO notifications (user_id, channel, recipient, template, subject, body) VALUES (?, 'sms', ?, 'booking.confirmed', '预约成功', ?)")
  const book = db.transaction((userId: number, slotId: number, form: URLSearchParams) => {
    const s = slot.get(slotId) as { id: number; institutionId: number; capacity: number } | undefined
    if (!s) return 404
    if (live.get(s.id, userId)) return 409
    const fits = (taken.get(s.id) as { n: number }).n + 1 <= s.capacity
    const code = crypto.randomBytes(4).toString('hex').toUpperCase()
    const now = Date.now()
    const row = insert.get(s.id, s.institutionId, userId, 'individual', form.get('contactName') ?? '', form.get('contactPhone') ?? '', fits ? 'confirmed' : 'waitlisted', code, fits ? now : null, now) as { id: number }
    notify.run(userId, form.get('contactPhone') ?? '', `booking ${row.id} ${code}`)
    return 302
  })
  const server = http.createServer((req, res) => {
    const match = /^\/volunteer\/slots\/(\d+)\/book$/.exec(req.url ?? '')
    if (req.method !== 'POST' || !match) {
      res.writeHead(404).end()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const token = /(?:^|;\s*)weinuan_session=([a-z2-7]{32})/.exec(req.headers.cookie ?? '')?.[1]
      const user = token ? (session.get(crypto.createHash('sha256').update(token).digest('hex'), Date.now()) as { userId: number } | undefined) : undefined
      if (!user) {
        res.writeHead(302, { Location: '/login' }).end()
        return
      }
      const status = book.immediate(user.userId, Number(match[1]), new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
      res.writeHead(status, status === 302 ? { Location: '/me/bookings' } : {}).end()
    })
  })
  server.listen(port, HOST, () => process.send?.('ready'))
  process.on('SIGTERM', () => server.close(() => process.exit(0)))
}

// ---- Driving the load -----------------------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, HOST, () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`)
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs / 1000}s`)
}

type StatusTally = Record<string, number>
type PhaseResult = { title: string; requests: number; rps: number; p50: number; p99: number; durationS: number; byStep: Record<string, StatusTally>; errors: number; timeouts: number }

/**
 * One member per sequence: each connection takes the next member, sends their requests with
 * their own session cookie, then moves on to the next member.
 */
async function rush(options: { title: string; base: string; connections: number; tokens: string[]; steps: Array<{ name: string; method: 'GET' | 'POST'; path: string; body?: (i: number) => string }> }): Promise<PhaseResult> {
  const { tokens, steps } = options
  let nextMember = 0
  const byStep: Record<string, StatusTally> = Object.fromEntries(steps.map((s) => [s.name, {}]))
  const origin = options.base
  const requests = steps.map((step, index) => ({
    method: step.method,
    path: step.path,
    setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
      if (index === 0) context.member = nextMember++ % tokens.length
      const member = context.member as number
      const headers: Record<string, string> = { cookie: `${COOKIE}=${tokens[member]}`, 'user-agent': 'bench-rush' }
      if (step.method === 'POST') {
        headers.origin = origin
        headers['content-type'] = 'application/x-www-form-urlencoded'
      }
      return { ...req, headers, body: step.body ? step.body(member) : undefined }
    },
    onResponse: (status: number) => {
      const tally = byStep[step.name]!
      tally[status] = (tally[status] ?? 0) + 1
    },
  }))
  const started = Date.now()
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.base,
        connections: options.connections,
        amount: tokens.length * steps.length,
        timeout: 30,
        requests,
      },
      (error, done) => {
        clearTimeout(limit)
        if (error) reject(error)
        else resolve(done)
      },
    )
    // Bounded in time as well as in requests.
    const limit = setTimeout(() => instance.stop(), PHASE_TIMEOUT_S * 1000)
  })
  return {
    title: options.title,
    requests: result.requests.total,
    rps: result.requests.total / ((Date.now() - started) / 1000),
    p50: result.latency.p50,
    p99: result.latency.p99,
    durationS: (Date.now() - started) / 1000,
    byStep,
    errors: result.errors,
    timeouts: result.timeouts,
  }
}

function classes(tally: StatusTally) {
  let ok = 0
  let bad = 0
  for (const [status, n] of Object.entries(tally)) {
    if (Number(status) >= 200 && Number(status) < 400) ok += n
    else bad += n
  }
  return { ok, bad }
}

function printPhase(p: PhaseResult) {
  console.log(`\n## ${p.title}`)
  console.log(`  ${p.requests} requests in ${p.durationS.toFixed(1)} s: ${p.rps.toFixed(0)} requests/s, latency p50 ${p.p50} ms, p99 ${p.p99} ms`)
  for (const [step, tally] of Object.entries(p.byStep)) {
    const { ok, bad } = classes(tally)
    console.log(`  ${step.padEnd(14)} 2xx/3xx ${ok}, non-2xx/3xx ${bad}   ${JSON.stringify(tally)}`)
  }
  if (p.errors || p.timeouts) console.log(`  connection errors ${p.errors}, timeouts ${p.timeouts}`)
}

function stop(child: ChildProcess | null): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve()
    const force = setTimeout(() => child.kill('SIGKILL'), 12_000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

async function main() {
  const members = arg('members', 2000)
  const capacity = arg('capacity', 200)
  const connections = arg('connections', 100)
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
  if (!fs.existsSync(path.join(root, 'build/server/index.js'))) {
    console.error('bench-rush: no production build; run `npx remix vite:build` first')
    process.exit(1)
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weinuan-bench-'))
  const siteDb = path.join(dir, 'site.db')
  const bareDb = path.join(dir, 'bare.db')
  let site: ChildProcess | null = null
  let bare: ChildProcess | null = null
  const cleanup = async () => {
    await Promise.all([stop(site), stop(bare)])
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const hardLimit = setTimeout(() => {
    console.error('bench-rush: hard time limit reached, stopping')
    void cleanup().finally(() => process.exit(2))
  }, HARD_LIMIT_MS)
  hardLimit.unref()
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)))

  try {
    console.log(`# bench-rush: ${members} members, ${capacity} places, ${connections} concurrent connections, ${os.cpus().length} CPU(s), node ${process.version}`)
    const seeded = await seedDatabase(siteDb, members, capacity, 2)
    const bareSeed = await seedDatabase(bareDb, members, capacity, 1)
    const [rushSlot, bookOnlySlot] = seeded.slotIds as [number, number]

    const port = await freePort()
    const base = `http://${HOST}:${port}`
    site = spawn(path.join(root, 'node_modules/.bin/tsx'), ['server/index.ts'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port), DATABASE_PATH: siteDb, DATA_DIR: path.join(dir, 'data'), COOKIE_SECURE: 'false', LOG_LEVEL: 'warn', APP_ORIGIN: base },
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    await waitForHealth(`${base}/healthz`, site)

    const form = (i: number) => `kind=individual&partySize=1&contactName=${encodeURIComponent(`压测志愿者${i}`)}&contactPhone=186${String(i).padStart(8, '0')}`
    // Warm up the route modules and the SQLite page cache with a few page loads.
    for (let i = 0; i < 5; i++) await fetch(`${base}/volunteer/slots/${rushSlot}`, { headers: { cookie: `${COOKIE}=${seeded.tokens[0]}` } })

    const rushResult = await rush({
      title: `Rush through the site: every member loads the slot page, books, refreshes (slot ${rushSlot})`,
      base,
      connections,
      tokens: seeded.tokens,
      steps: [
        { name: 'slot page', method: 'GET', path: `/volunteer/slots/${rushSlot}` },
        { name: 'book', method: 'POST', path: `/volunteer/slots/${rushSlot}/book`, body: form },
        { name: 'refresh', method: 'GET', path: `/volunteer/slots/${rushSlot}` },
      ],
    })
    printPhase(rushResult)
    const rushCounts = slotCounts(siteDb, rushSlot)

    const siteBooking = await rush({
      title: `Bookings only through the site (slot ${bookOnlySlot})`,
      base,
      connections,
      tokens: seeded.tokens,
      steps: [{ name: 'book', method: 'POST', path: `/volunteer/slots/${bookOnlySlot}/book`, body: form }],
    })
    printPhase(siteBooking)
    const bookOnlyCounts = slotCounts(siteDb, bookOnlySlot)
    await stop(site)
    site = null

    const barePort = await freePort()
    bare = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/bench-rush.ts'), '--serve-bare', bareDb, String(barePort)], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    await new Promise<void>((resolve, reject) => {
      bare!.once('message', () => resolve())
      bare!.once('exit', (code) => reject(new Error(`bare handler exited with code ${code}`)))
    })
    const bareBase = `http://${HOST}:${barePort}`
    const bareSlot = bareSeed.slotIds[0]!
    const bareResult = await rush({
      title: 'Bare node:http + better-sqlite3 handler: the same capacity-checked insert in BEGIN IMMEDIATE',
      base: bareBase,
      connections,
      tokens: bareSeed.tokens,
      steps: [{ name: 'book', method: 'POST', path: `/volunteer/slots/${bareSlot}/book`, body: form }],
    })
    printPhase(bareResult)
    await stop(bare)
    bare = null
    const bareCounts = slotCounts(bareDb, bareSlot)

    console.log('\n## Final counts (from the databases)')
    for (const [label, c] of [
      ['site, rush slot', rushCounts],
      ['site, bookings-only slot', bookOnlyCounts],
      ['bare handler', bareCounts],
    ] as const) {
      console.log(
        `  ${label.padEnd(26)} confirmed places ${c.confirmed} / ${c.capacity}${c.confirmed === c.capacity ? ' (exactly)' : ''}, waitlist ${c.waitlisted}, overbookings ${c.overbooked}, members with two live bookings ${c.duplicateMembers}`,
      )
    }
    const ratio = siteBooking.rps / bareResult.rps
    console.log(`\n## Booking throughput: site ${siteBooking.rps.toFixed(0)} req/s vs bare ${bareResult.rps.toFixed(0)} req/s = ${(ratio * 100).toFixed(1)} % (ratio ${ratio.toFixed(3)})`)
    const failed = [rushCounts, bookOnlyCounts, bareCounts].some((c) => c.overbooked > 0 || c.duplicateMembers > 0 || (members >= capacity && c.confirmed !== c.capacity))
    if (failed) {
      console.error('\nbench-rush: CORRECTNESS FAILURE (overbooked, double-booked or places left unfilled)')
      process.exitCode = 1
    }
  } finally {
    clearTimeout(hardLimit)
    await cleanup()
  }
}

const bareIndex = process.argv.indexOf('--serve-bare')
if (bareIndex >= 0) {
  serveBare(process.argv[bareIndex + 1]!, Number(process.argv[bareIndex + 2]))
} else {
  main().catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
