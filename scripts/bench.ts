// Benchmark (not a test; README "Benchmarks"): the production site and a bare node:http +
// better-sqlite3 server side by side in one run, driven over loopback by wrk in its own process
// (autocannon in a child process when wrk is missing). Run with scripts/bench after
// `npx remix vite:build`; `scripts/bench --help` lists the options.
//
// Phases (bare first, then the site, for each): anonymous public pages, a booking POST per
// member, a signed-in page, the rush (200 places, 2,000 members, 100 connections) and, with
// --log-db, the public-log requests against a large database. One table at the end, with the
// goals of issue 12 beside the numbers. Correctness (no overbooking, no member booked twice,
// every acknowledged booking in the database, a rush slot filled exactly) decides the exit code;
// missed speed goals do not.
//
// Everything lives in a fresh directory under /tmp, only 127.0.0.1 is targeted, every phase is
// bounded in time and by count, the whole run by --time-limit, and the servers and load
// generators it starts are stopped (and the directory removed) whatever happens.
import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { bookingProblems, slotReports } from './bench-checks'

const HOST = '127.0.0.1'
const COOKIE = 'weinuan_session' // COOKIE_SECURE=false: no __Host- prefix
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SELF = fileURLToPath(import.meta.url)

// ---- Options --------------------------------------------------------------------------------

const HELP = `scripts/bench [options]   (run \`npx remix vite:build\` first)

  --duration 10s          length of each timed phase (wrk -d)
  --connections 50        connections for pages and bookings (wrk -c; one wrk thread)
  --members 20000         members who each book once in the booking phase (bounds it by count)
  --slots 100             slots those bookings are spread over (places never run out)
  --rush-members 2000     members in the rush, one POST each
  --rush-capacity 200     places of the rush slot
  --rush-connections 100  connections in the rush
  --log-db PATH           a large database (e.g. DATABASE_PATH=/tmp/big.db scripts/seed --volume 1000000)
                          for the public-log phase; copied first, the original is not changed
  --log-connections 1     connections in the public-log phase (latency of one request at a time)
  --log-requests 1000     requests per public-log URL (the count bound)
  --log-warmup 20         requests per public-log URL before those, not counted (the first is reported)
  --log-duration 30s      time bound per public-log URL (long enough for a few multi-second answers)
  --timeout 10s           a response slower than this counts as a timeout error (wrk --timeout)
  --only LIST             comma-separated subset of: pages,bookings,signed-in,rush,log
  --loader wrk|autocannon load generator (default wrk, autocannon when wrk is missing)
  --log-level info        the site's LOG_LEVEL (production default: a log line per request)
  --cpu-prof DIR          run the site with node --cpu-prof, writing .cpuprofile files into DIR
  --time-limit 20m        hard limit for the whole run
  --keep                  keep the temporary directory (databases, wrk output, server logs)
`

type Options = {
  durationS: number
  connections: number
  members: number
  slots: number
  rushMembers: number
  rushCapacity: number
  rushConnections: number
  logDb: string | null
  logConnections: number
  logRequests: number
  logWarmup: number
  logDurationS: number
  timeoutS: number
  only: Set<string>
  loader: 'wrk' | 'autocannon'
  logLevel: string
  cpuProf: string | null
  timeLimitS: number
  keep: boolean
}

function parseSeconds(name: string, value: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value ?? '')
  if (!m) throw new Error(`--${name} needs a time such as 10s, 2m or 500ms`)
  const n = Number(m[1])
  const s = m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n
  if (!(s > 0)) throw new Error(`--${name} must be positive`)
  return s
}

function parseOptions(argv: string[]): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`)
    return i < 0 ? undefined : argv[i + 1]
  }
  const int = (name: string, fallback: number) => {
    const v = get(name)
    if (v === undefined) return fallback
    const n = Number(v)
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} needs a positive integer`)
    return n
  }
  const phases = ['pages', 'bookings', 'signed-in', 'rush', 'log']
  const only = new Set((get('only') ?? phases.join(',')).split(',').map((s) => s.trim()))
  for (const p of only) if (!phases.includes(p)) throw new Error(`--only: unknown phase ${p} (phases: ${phases.join(', ')})`)
  const loader = get('loader') ?? 'wrk'
  if (loader !== 'wrk' && loader !== 'autocannon') throw new Error('--loader is wrk or autocannon')
  const known = new Set([
    'duration',
    'connections',
    'members',
    'slots',
    'rush-members',
    'rush-capacity',
    'rush-connections',
    'log-db',
    'log-connections',
    'log-requests',
    'log-warmup',
    'log-duration',
    'timeout',
    'only',
    'loader',
    'log-level',
    'cpu-prof',
    'time-limit',
    'keep',
    'help',
  ])
  for (const a of argv) if (a.startsWith('--') && !known.has(a.slice(2))) throw new Error(`unknown option ${a} (see --help)`)
  const members = int('members', 20_000)
  const rushMembers = int('rush-members', 2000)
  if (members + rushMembers > 99_999_999) throw new Error('too many members')
  return {
    durationS: parseSeconds('duration', get('duration') ?? '10s'),
    connections: int('connections', 50),
    members,
    slots: int('slots', 100),
    rushMembers,
    rushCapacity: int('rush-capacity', 200),
    rushConnections: int('rush-connections', 100),
    logDb: get('log-db') ?? null,
    logConnections: int('log-connections', 1),
    logRequests: int('log-requests', 1000),
    logWarmup: int('log-warmup', 20),
    logDurationS: parseSeconds('log-duration', get('log-duration') ?? '30s'),
    timeoutS: parseSeconds('timeout', get('timeout') ?? '10s'),
    only,
    loader,
    logLevel: get('log-level') ?? 'info',
    cpuProf: get('cpu-prof') ? path.resolve(get('cpu-prof') as string) : null,
    timeLimitS: parseSeconds('time-limit', get('time-limit') ?? '20m'),
    keep: argv.includes('--keep'),
  }
}

// ---- Shared helpers -------------------------------------------------------------------------

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
    value = ((value << 8) | byte) & 0xffff
    bits += 8
    while (bits >= 5) {
      token += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  return { token, id: crypto.createHash('sha256').update(token).digest('hex') }
}

const memberPhone = (i: number) => `186${String(i).padStart(8, '0')}`
const bookingForm = (i: number) => `kind=individual&contactName=${encodeURIComponent(`压测志愿者${i}`)}&contactPhone=${memberPhone(i)}`

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

// ---- Seeding (a child process: app modules open DATABASE_PATH when imported) ---------------

type Seeded = {
  tokens: string[] // member i's session token; booking members first, then the rush members
  bookingSlots: number[]
  rushSlot: number
  homeSlug: string // the demo home with the most log entries
  neutralised: number
  demoEmails: string[] // app/seed/demo.server.ts's demo accounts, which production refuses
}

/**
 * The demo content (homes, wishes, needs, slots) through the app's own seed, a few hundred
 * public-log entries through recordDonation, a bench home with the booking slots and the rush
 * slot, and the members, each with a session. The demo sign-in accounts are then renamed and
 * given an unknown password: production refuses a database holding them (server/production.ts).
 */
async function seedChild(file: string, outFile: string, members: number, slotCount: number, rushMembers: number, rushCapacity: number) {
  const { db, sqlite, writeTransaction, closeDatabase } = await import('~db/client.server')
  const { applyMigrations } = await import('~db/migrate.server')
  const { demoAccounts, seedDemoData } = await import('~/seed/demo.server')
  const { recordDonation } = await import('~/donations/ledger.server')
  const { backfillLedgerLeaves } = await import('~/ledger/tree.server')
  const { hashPassword } = await import('~/auth/password.server')
  if (path.resolve(process.env.DATABASE_PATH ?? '') !== path.resolve(file)) throw new Error('seed: DATABASE_PATH mismatch')
  applyMigrations(sqlite)
  await seedDemoData(db)

  const homes = sqlite.prepare("SELECT id, slug FROM institutions WHERE kind = 'welfare_home' ORDER BY id").all() as Array<{
    id: number
    slug: string
  }>
  if (homes.length === 0) throw new Error('seed: the demo data has no welfare home')
  const goods = ['儿童羽绒服', '课外读物', '奶粉', '文具套装', '冬季棉被', '篮球', '绘本', '运动鞋']
  const names = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄']
  const day = 86_400_000
  const start = Date.now() - 90 * day
  writeTransaction((tx) => {
    for (let i = 0; i < 400; i++) {
      const home = homes[i % Math.min(homes.length, 3)]!
      const money = i % 3 === 0
      recordDonation(tx, {
        institutionId: home.id,
        kind: money ? 'money' : 'goods',
        description: money ? '爱心捐款' : goods[i % goods.length]!,
        quantity: money ? null : 1 + (i % 20),
        unit: money ? null : '件',
        estimatedValueFen: money ? null : 5000 + (i % 7) * 1000,
        amountFen: money ? 10_000 + (i % 50) * 1000 : null,
        donor: { displayName: `${names[i % names.length]}爱心${i}`, choice: i % 4 === 0 ? 'anonymous' : 'masked', userId: null },
        designation: 'general',
        channel: money ? 'bank_transfer' : 'desk',
        receivedAt: new Date(start + Math.floor((i / 400) * 89 * day)),
        recordedBy: null,
      })
    }
  })
  backfillLedgerLeaves()

  const home = sqlite
    .prepare(
      "INSERT INTO institutions (slug, name, kind, province, city) VALUES ('bench-home', '压测福利院', 'welfare_home', '山东省', '滨州市') RETURNING id",
    )
    .get() as { id: number }
  const insertSlot = sqlite.prepare(
    "INSERT INTO slots (institution_id, kind, title, location, starts_at, ends_at, capacity, status, allow_groups) VALUES (?, 'camp', ?, '福利院活动室', ?, ?, ?, 'published', 1) RETURNING id",
  )
  const startsAt = Date.now() + 7 * day
  const perSlot = Math.ceil(members / slotCount) + 1
  const bookingSlots: number[] = []
  for (let i = 0; i < slotCount; i++) {
    const at = startsAt + (i % 30) * day
    bookingSlots.push((insertSlot.get(home.id, `社会开放日（第 ${i + 1} 场）`, at, at + 3 * 3600_000, perSlot) as { id: number }).id)
  }
  const rushSlot = (insertSlot.get(home.id, '普特融合夏令营', startsAt, startsAt + 6 * 3600_000, rushCapacity) as { id: number }).id

  // One shared argon2 hash: the bench measures booking, not password hashing.
  const hash = await hashPassword(crypto.randomBytes(16).toString('hex'))
  // Verified phones: booking needs a verified contact (requireVerifiedContact).
  const insertUser = sqlite.prepare(
    'INSERT INTO users (phone, display_name, password_hash, phone_verified_at) VALUES (?, ?, ?, unixepoch() * 1000) RETURNING id',
  )
  const insertSession = sqlite.prepare('INSERT INTO sessions (id, user_id, expires_at) VALUES (?, ?, ?)')
  const tokens: string[] = []
  const expires = Date.now() + 30 * day // fresh: no sliding renewal during the run
  sqlite.transaction(() => {
    for (let i = 0; i < members + rushMembers; i++) {
      const user = insertUser.get(memberPhone(i), `压测志愿者${i}`, hash) as { id: number }
      const { token, id } = sessionToken()
      insertSession.run(id, user.id, expires)
      tokens.push(token)
    }
  })()
  const demoEmails = demoAccounts.map((a) => a.email)
  const neutralised = neutraliseDemoAccounts(sqlite, demoEmails, hash)
  const top = sqlite
    .prepare(
      'SELECT i.slug AS slug FROM donations d JOIN institutions i ON i.id = d.institution_id GROUP BY i.id ORDER BY count(*) DESC LIMIT 1',
    )
    .get() as { slug: string }
  sqlite.pragma('wal_checkpoint(TRUNCATE)')
  closeDatabase()
  const seeded: Seeded = { tokens, bookingSlots, rushSlot, homeSlug: top.slug, neutralised, demoEmails }
  fs.writeFileSync(outFile, JSON.stringify(seeded))
}

/** Rename the demo sign-in accounts (their rows and everything they did stay) and give them an unknown password. */
function neutraliseDemoAccounts(sqlite: Database.Database, emails: string[], passwordHash: string): number {
  return sqlite
    .prepare(
      `UPDATE users SET email = 'bench-renamed-' || id || '@bench.invalid', password_hash = ? WHERE email IN (${emails.map(() => '?').join(', ')})`,
    )
    .run(passwordHash, ...emails).changes
}

// ---- The bare server: node:http + better-sqlite3, no framework -----------------------------

function serveBare(file: string, port: number) {
  const db = openDb(file)
  const homes = db.prepare('SELECT slug, name, city FROM institutions ORDER BY id LIMIT 10')
  const entries = db.prepare(
    'SELECT receipt_no AS receiptNo, description, amount_fen AS amountFen, donor_display AS donor FROM donations ORDER BY id DESC LIMIT 10',
  )
  const session = db.prepare(
    'SELECT u.id AS userId, u.display_name AS name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.expires_at > ?',
  )
  const myBookings = db.prepare(
    'SELECT b.id, b.status, b.code, s.title, s.starts_at AS startsAt FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.user_id = ? ORDER BY b.id DESC LIMIT 20',
  )
  // Places taken: the sums the schema's triggers keep on the slot (migration 0023), as the site reads them.
  const slot = db.prepare(
    "SELECT id, institution_id AS institutionId, capacity, confirmed_places + held_places AS taken FROM slots WHERE id = ? AND status = 'published'",
  )
  const live = db.prepare("SELECT id FROM bookings WHERE slot_id = ? AND user_id = ? AND status IN ('confirmed', 'waitlisted', 'offered')")
  const insert = db.prepare(
    'INSERT INTO bookings (slot_id, institution_id, user_id, kind, party_size, contact_name, contact_phone, status, code, confirmed_at, created_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?) RETURNING id',
  )
  const notify = db.prepare(
    "INSERT INTO notifications (user_id, channel, recipient, template, subject, body) VALUES (?, 'sms', ?, 'booking.confirmed', '预约成功', ?)",
  )
  // The same capacity-checked insert as the site, in one BEGIN IMMEDIATE transaction.
  const book = db.transaction((userId: number, slotId: number, form: URLSearchParams): { status: number; id?: number } => {
    const s = slot.get(slotId) as { id: number; institutionId: number; capacity: number; taken: number } | undefined
    if (!s) return { status: 404 }
    if (live.get(s.id, userId)) return { status: 409 }
    const fits = s.taken + 1 <= s.capacity
    const code = crypto.randomBytes(6).toString('hex').toUpperCase()
    const now = Date.now()
    const phone = form.get('contactPhone') ?? ''
    const row = insert.get(
      s.id,
      s.institutionId,
      userId,
      'individual',
      form.get('contactName') ?? '',
      phone,
      fits ? 'confirmed' : 'waitlisted',
      code,
      fits ? now : null,
      now,
    ) as { id: number }
    notify.run(userId, phone, `booking ${row.id} ${code}`)
    return { status: 302, id: row.id }
  })
  const userOf = (req: http.IncomingMessage) => {
    const token = /(?:^|;\s*)weinuan_session=([a-z2-7]{32})/.exec(req.headers.cookie ?? '')?.[1]
    return token
      ? (session.get(crypto.createHash('sha256').update(token).digest('hex'), Date.now()) as { userId: number; name: string } | undefined)
      : undefined
  }
  const html = (res: http.ServerResponse, title: string, body: string) => {
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
      )
  }
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/'
    if (req.method === 'GET' && url === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}')
    } else if (req.method === 'GET' && url === '/page') {
      const h = homes.all() as Array<{ slug: string; name: string; city: string }>
      const e = entries.all() as Array<{ receiptNo: string; description: string; amountFen: number | null; donor: string }>
      html(
        res,
        '微暖',
        `<ul>${h.map((r) => `<li><a href="/institutions/${escapeHtml(r.slug)}">${escapeHtml(r.name)}</a> ${escapeHtml(r.city)}</li>`).join('')}</ul>` +
          `<ol>${e.map((r) => `<li>${escapeHtml(r.receiptNo)} ${escapeHtml(r.description)} ${r.amountFen ?? ''} ${escapeHtml(r.donor)}</li>`).join('')}</ol>`,
      )
    } else if (req.method === 'GET' && url === '/me/page') {
      const user = userOf(req)
      if (!user) {
        res.writeHead(302, { Location: '/login' }).end()
        return
      }
      const rows = myBookings.all(user.userId) as Array<{ id: number; status: string; code: string; title: string; startsAt: number }>
      html(
        res,
        `${user.name}的预约`,
        `<ul>${rows.map((r) => `<li id="booking-${r.id}">${escapeHtml(r.title)} ${new Date(r.startsAt).toISOString()} ${r.status} ${r.code}</li>`).join('')}</ul>`,
      )
    } else if (req.method === 'POST' && /^\/volunteer\/slots\/\d+\/book$/.test(url)) {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const user = userOf(req)
        if (!user) {
          res.writeHead(302, { Location: '/login' }).end()
          return
        }
        const slotId = Number(/\d+/.exec(url)![0])
        const outcome = book.immediate(user.userId, slotId, new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
        res.writeHead(outcome.status, outcome.id ? { Location: `/me/bookings#booking-${outcome.id}` } : {}).end()
      })
    } else {
      res.writeHead(404).end()
    }
  })
  server.listen(port, HOST)
  process.on('SIGTERM', () => {
    server.close(() => {
      db.close()
      process.exit(0)
    })
    server.closeIdleConnections()
  })
}

// ---- Load generation: wrk (or autocannon) in its own process --------------------------------

type Load = {
  label: string
  base: string
  /** One request per line: METHOD \t PATH \t COOKIE \t BODY. */
  lines: string[]
  /** Each line once (count-bounded), else cycled until the duration ends. */
  once: boolean
  /** Tally statuses and collect booking ids from the Location of successes. */
  tally: boolean
  connections: number
  durationS: number
  /** Answers slower than this count as timeouts (default --timeout). */
  timeoutS?: number
}

type LoadResult = {
  requests: number
  durationS: number
  rps: number
  p50Ms: number
  p99Ms: number
  /** Non-2xx/3xx answers. */
  statusErrors: number
  /** Connect, read and write errors, and answers slower than --timeout. */
  socketErrors: number
  statuses: Record<string, number>
  ackIds: number[]
  successesWithoutId: number
  /** CPU time the server's processes (all threads, the cluster's workers too) spent per answered request, when /proc is there. */
  cpuMsPerRequest: number | null
}

type RawResult = {
  requests: number
  durationUs: number
  connect: number
  read: number
  write: number
  status: number
  timeout: number
  p50Us: number
  p99Us: number
  statuses: Record<string, number>
  acks: number[]
  successesWithoutId: number
  idle: number
}

/**
 * CPU time (ms) used so far by a process, its threads and its descendants (the site's cluster
 * workers), from /proc/<pid>/task/<tid>/schedstat (nanoseconds on the CPU). A figure that
 * other work on the machine disturbs far less than requests per second. Null without /proc.
 */
function processTreeCpuMs(rootPid: number): number | null {
  if (!fs.existsSync('/proc/self/task')) return null
  const children = new Map<number, number[]>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const list = children.get(ppid) ?? []
      list.push(Number(entry))
      children.set(ppid, list)
    } catch {
      // the process ended meanwhile
    }
  }
  let ns = 0
  const pending = [rootPid]
  while (pending.length) {
    const pid = pending.pop()!
    pending.push(...(children.get(pid) ?? []))
    try {
      for (const tid of fs.readdirSync(`/proc/${pid}/task`))
        ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
    } catch {
      // the process or thread ended meanwhile
    }
  }
  return ns / 1e6
}

class Bench {
  dir: string
  children = new Set<ChildProcess>()
  /** The server process behind each base URL, for CPU time per request. */
  serverPids = new Map<string, number>()
  stopping = false
  constructor(
    readonly options: Options,
    readonly wrkPath: string | null,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weinuan-bench-'))
  }

  track(child: ChildProcess): ChildProcess {
    this.children.add(child)
    child.once('exit', () => this.children.delete(child))
    return child
  }

  async runLoad(load: Load): Promise<LoadResult> {
    const id = crypto.randomBytes(4).toString('hex')
    const requestsFile = path.join(this.dir, `requests-${id}.tsv`)
    const outFile = path.join(this.dir, `result-${id}.json`)
    fs.writeFileSync(requestsFile, load.lines.join('\n') + '\n')
    const serverPid = this.serverPids.get(load.base)
    const cpuBefore = serverPid ? processTreeCpuMs(serverPid) : null
    const durationS = Math.max(1, Math.ceil(load.durationS))
    const origin = load.base
    let child: ChildProcess
    if (this.options.loader === 'wrk' && this.wrkPath) {
      child = spawn(
        this.wrkPath,
        [
          '-t1',
          `-c${load.connections}`,
          `-d${durationS}s`,
          `--timeout`,
          `${Math.ceil(load.timeoutS ?? this.options.timeoutS)}s`,
          '-s',
          path.join(ROOT, 'scripts/bench.lua'),
          `${load.base}/`,
        ],
        {
          env: {
            ...process.env,
            BENCH_REQUESTS: requestsFile,
            BENCH_ONCE: load.once ? '1' : '0',
            BENCH_TALLY: load.tally ? '1' : '0',
            BENCH_ORIGIN: origin,
            BENCH_OUT: outFile,
          },
          stdio: ['ignore', fs.openSync(path.join(this.dir, `wrk-${id}.log`), 'w'), 'inherit'],
        },
      )
    } else {
      const spec = path.join(this.dir, `spec-${id}.json`)
      fs.writeFileSync(
        spec,
        JSON.stringify({
          base: load.base,
          requestsFile,
          once: load.once,
          connections: load.connections,
          durationS,
          timeoutS: load.timeoutS ?? this.options.timeoutS,
          outFile,
        }),
      )
      child = spawn(process.execPath, ['--import', 'tsx', SELF, '--drive', spec], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
    }
    this.track(child)
    // Bounded even if the load generator hangs: SIGINT (wrk then reports), then SIGKILL.
    const guard = setTimeout(() => child.kill('SIGINT'), (durationS + 30) * 1000)
    const kill = setTimeout(() => child.kill('SIGKILL'), (durationS + 45) * 1000)
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
    clearTimeout(guard)
    clearTimeout(kill)
    const cpuAfter = serverPid ? processTreeCpuMs(serverPid) : null
    if (!fs.existsSync(outFile)) throw new Error(`${load.label}: the load generator exited (${code}) without a result`)
    const raw = JSON.parse(fs.readFileSync(outFile, 'utf8')) as RawResult
    // Requests sent after a socket error left no line for them (once mode) went to /healthz.
    const statuses = { ...raw.statuses }
    if (raw.idle > 0 && statuses['200']) statuses['200'] = Math.max(0, statuses['200'] - raw.idle)
    const requests = raw.requests - raw.idle
    const seconds = raw.durationUs / 1e6
    const tallied = Object.entries(statuses).reduce((n, [s, c]) => n + (Number(s) >= 200 && Number(s) < 400 ? 0 : c), 0)
    return {
      requests,
      durationS: seconds,
      rps: requests / seconds,
      p50Ms: raw.p50Us / 1000,
      p99Ms: raw.p99Us / 1000,
      statusErrors: load.tally ? tallied : raw.status,
      socketErrors: raw.connect + raw.read + raw.write + raw.timeout,
      statuses,
      ackIds: raw.acks,
      successesWithoutId: Math.max(0, raw.successesWithoutId - raw.idle),
      // Includes the few /healthz requests of once mode and the server's idle housekeeping.
      cpuMsPerRequest: cpuBefore !== null && cpuAfter !== null && raw.requests > 0 ? (cpuAfter - cpuBefore) / raw.requests : null,
    }
  }

  async freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const srv = net.createServer()
      srv.listen(0, HOST, () => {
        const { port } = srv.address() as net.AddressInfo
        srv.close(() => resolve(port))
      })
      srv.on('error', reject)
    })
  }

  async waitForHealth(base: string, child: ChildProcess, logFile: string, timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-3000) : ''
        throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before answering ${base}/healthz\n${log}`)
      }
      try {
        const res = await fetch(`${base}/healthz`)
        if (res.ok) return
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new Error(`server did not answer ${base}/healthz within ${timeoutMs / 1000}s`)
  }

  /** After a phase that left slow requests running in the server: wait until it answers promptly again. */
  async waitResponsive(base: string, limitMs = 180_000) {
    const deadline = Date.now() + limitMs
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) })
        if (res.ok) return
      } catch {
        // still busy
      }
    }
    throw new Error(`server at ${base} still busy after ${limitMs / 1000} s`)
  }

  async startBare(dbFile: string): Promise<{ base: string; child: ChildProcess }> {
    const port = await this.freePort()
    const logFile = path.join(this.dir, 'bare.log')
    const child = this.track(
      spawn(process.execPath, ['--import', 'tsx', SELF, '--serve-bare', dbFile, String(port)], {
        cwd: ROOT,
        stdio: ['ignore', fs.openSync(logFile, 'a'), fs.openSync(logFile, 'a')],
      }),
    )
    const base = `http://${HOST}:${port}`
    if (child.pid) this.serverPids.set(base, child.pid)
    await this.waitForHealth(base, child, logFile)
    return { base, child }
  }

  /** The site as in production: NODE_ENV=production, a valid production configuration, the build. */
  async startSite(dbFile: string, name: string): Promise<{ base: string; child: ChildProcess }> {
    const port = await this.freePort()
    const base = `http://${HOST}:${port}`
    const logFile = path.join(this.dir, `${name}.log`)
    const env: NodeJS.ProcessEnv = { ...process.env }
    // Nothing from the caller's environment may send real messages or switch on demo/mock modes.
    for (const k of [
      'DEMO_MODE',
      'PAYMENTS_MOCK',
      'STRIPE_SECRET_KEY',
      'STRIPE_API_BASE',
      'SMS_API_URL',
      'SMS_API_KEY',
      'SMTP_URL',
      'TRUST_PROXY',
    ])
      delete env[k]
    Object.assign(env, {
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_PATH: dbFile,
      DATA_DIR: path.join(this.dir, `${name}-data`),
      APP_ORIGIN: base,
      STRIPE_WEBHOOK_SECRET: `whsec_bench_${crypto.randomBytes(24).toString('hex')}`,
      TOTP_ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex'),
      COOKIE_SECURE: 'false',
      LOG_LEVEL: this.options.logLevel,
    })
    const args = ['--import', 'tsx']
    // Default file names (CPU.<date>.<pid>.<thread>.cpuprofile): tsx's loader thread writes its own profile.
    if (this.options.cpuProf) args.push('--cpu-prof', `--cpu-prof-dir=${this.options.cpuProf}`)
    args.push('server/index.ts')
    const child = this.track(
      spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', fs.openSync(logFile, 'a'), fs.openSync(logFile, 'a')] }),
    )
    if (child.pid) this.serverPids.set(base, child.pid)
    await this.waitForHealth(base, child, logFile)
    return { base, child }
  }

  async stop(child: ChildProcess | null | undefined): Promise<void> {
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000)
      child.once('exit', () => {
        clearTimeout(force)
        resolve()
      })
      child.kill('SIGTERM')
    })
  }

  async cleanup() {
    this.stopping = true
    await Promise.all([...this.children].map((c) => this.stop(c)))
    if (this.options.keep) console.log(`\nbench: kept ${this.dir}`)
    else fs.rmSync(this.dir, { recursive: true, force: true })
  }
}

// ---- The run --------------------------------------------------------------------------------

type Row = {
  phase: string
  server: 'bare' | 'site'
  what: string
  result: LoadResult | null
  note?: string
  /** Ratio to this bare row's requests/s. */
  bare?: LoadResult | null
  goal?: string
  met?: boolean | null
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const ms = (n: number) => (n >= 100 ? `${fmt(n)} ms` : `${fmt(n, 1)} ms`)

function printRow(row: Row) {
  const r = row.result
  if (!r) return
  console.log(
    `  ${row.server.padEnd(4)} ${row.what.padEnd(34)} ${fmt(r.requests).padStart(7)} req in ${fmt(r.durationS, 1)} s: ${fmt(r.rps).padStart(6)} req/s, p50 ${ms(r.p50Ms)}, p99 ${ms(r.p99Ms)}, errors ${r.statusErrors + r.socketErrors}` +
      (r.cpuMsPerRequest !== null ? `, server CPU ${fmt(r.cpuMsPerRequest, 2)} ms/req` : '') +
      (Object.keys(r.statuses).length ? `  ${JSON.stringify(r.statuses)}` : ''),
  )
}

function table(rows: Row[]): string {
  const out = [
    '| phase | server | requests | req/s | p50 | p99 | errors | server CPU per request | vs bare | goal |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ]
  for (const row of rows) {
    const r = row.result
    const ratio = r && row.bare ? `${fmt((r.rps / row.bare.rps) * 100, r.rps / row.bare.rps < 0.1 ? 2 : 1)} %` : '—'
    const goal = row.goal ? `${row.goal}${row.met === true ? ' ✓' : row.met === false ? ' ✗' : ''}` : ''
    if (!r) {
      out.push(`| ${row.phase} | ${row.server} ${row.what} | — | — | — | — | — | — | — | ${row.note ?? ''} |`)
      continue
    }
    if (r.requests === 0) {
      out.push(
        `| ${row.phase} | ${row.server} ${row.what} | 0 | — | > ${fmt(r.durationS)} s | > ${fmt(r.durationS)} s | ${r.socketErrors ? fmt(r.socketErrors) : '0'} | — | — | ${row.goal ?? ''}${row.goal ? ' ✗' : ''} (no answer within the phase) |`,
      )
      continue
    }
    const errors = r.statusErrors + r.socketErrors
    const cpu = r.cpuMsPerRequest !== null ? `${fmt(r.cpuMsPerRequest, 2)} ms` : '—'
    const errorText = errors === 0 ? '0' : `${fmt(errors)}${r.socketErrors ? ` (${fmt(r.socketErrors)} socket)` : ''}`
    out.push(
      `| ${row.phase} | ${row.server} ${row.what} | ${fmt(r.requests)} | ${fmt(r.rps)} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${errorText} | ${cpu} | ${ratio} | ${goal} |`,
    )
  }
  return out.join('\n')
}

async function precheck(url: string, cookie: string | null, expect: (status: number, text: string) => string | null) {
  const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' })
  const text = await res.text()
  const problem = expect(res.status, text)
  if (problem) throw new Error(`bench: ${url} is not measurable: ${problem}`)
}

async function main(options: Options) {
  if (!fs.existsSync(path.join(ROOT, 'build/server/index.js'))) {
    console.error('bench: no production build in build/; run `npx remix vite:build` first')
    process.exit(1)
  }
  let wrkPath: string | null = null
  for (const p of ['/usr/bin/wrk', '/usr/local/bin/wrk']) if (fs.existsSync(p)) wrkPath = p
  if (options.loader === 'wrk' && !wrkPath) {
    console.log('bench: wrk not found, using autocannon in a child process instead (install wrk: apt-get install wrk)')
    options.loader = 'autocannon'
  }
  const bench = new Bench(options, wrkPath)
  const failures: string[] = []
  let timedOut = false
  let interrupted = false
  const hardLimit = setTimeout(() => {
    if (bench.stopping) return
    timedOut = true
    console.error(`\nbench: hard time limit (${options.timeLimitS} s) reached, stopping`)
    void bench.cleanup().finally(() => process.exit(2))
  }, options.timeLimitS * 1000)
  hardLimit.unref()
  // `timeout` in scripts/bench passes a signal both to this process and to its whole group, so
  // the same signal can arrive twice: handle it once and ignore the rest (a second default
  // SIGINT would kill the process before the servers are stopped and the directory removed).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted || bench.stopping) return
      interrupted = true
      console.error(`\nbench: ${signal}, stopping`)
      void bench.cleanup().finally(() => process.exit(130))
    })
  }
  const rows: Row[] = []
  const cpus = os.cpus()
  const load = os.loadavg()
  try {
    console.log(
      `# bench: ${cpus.length} CPU(s) (${cpus[0]?.model ?? '?'}), node ${process.version}, load average ${load.map((l) => l.toFixed(1)).join(' ')}, ` +
        `load generator ${options.loader === 'wrk' ? `${wrkPath} -t1` : 'autocannon (child process)'}, site LOG_LEVEL=${options.logLevel}` +
        (process.env.WEB_CONCURRENCY ? `, WEB_CONCURRENCY=${process.env.WEB_CONCURRENCY}` : ''),
    )
    console.log(`# temporary directory ${bench.dir}`)
    const siteDb = path.join(bench.dir, 'site.db')
    const bareDb = path.join(bench.dir, 'bare.db')
    const seedOut = path.join(bench.dir, 'seed.json')
    const seeding = Date.now()
    const seedChildProcess = bench.track(
      spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          SELF,
          '--seed',
          siteDb,
          seedOut,
          String(options.members),
          String(options.slots),
          String(options.rushMembers),
          String(options.rushCapacity),
        ],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            NODE_ENV: 'development',
            DATABASE_PATH: siteDb,
            DATA_DIR: path.join(bench.dir, 'seed-data'),
            LOG_LEVEL: 'warn',
          },
          stdio: ['ignore', 'inherit', 'inherit'],
        },
      ),
    )
    const seedCode = await new Promise<number | null>((resolve) => seedChildProcess.once('exit', resolve))
    if (seedCode !== 0) throw new Error(`seeding failed (exit ${seedCode})`)
    const seeded = JSON.parse(fs.readFileSync(seedOut, 'utf8')) as Seeded
    fs.copyFileSync(siteDb, bareDb) // checkpointed and closed: the main file is the whole database
    console.log(
      `# seeded in ${((Date.now() - seeding) / 1000).toFixed(1)} s: demo homes and wishes, 400 log entries, ${fmt(options.members)} + ${fmt(options.rushMembers)} members with sessions, ` +
        `${options.slots} slots + the rush slot; ${seeded.neutralised} demo sign-in accounts renamed with an unknown password (production refuses them); bare server on an identical copy`,
    )

    const bare = await bench.startBare(bareDb)
    const site = await bench.startSite(siteDb, 'site')
    const c = options.connections
    const d = options.durationS
    const member = (i: number) => `${COOKIE}=${seeded.tokens[i]}`

    // ---- anonymous pages
    if (options.only.has('pages')) {
      console.log('\n## Anonymous public pages')
      const pages = ['/', '/wishes', '/ledger', `/institutions/${seeded.homeSlug}`]
      await precheck(`${bare.base}/page`, null, (s) => (s === 200 ? null : `status ${s}`))
      for (const p of pages) {
        await precheck(`${site.base}${p}`, null, (s) => (s === 200 ? null : `status ${s}`))
        for (let i = 0; i < 3; i++) await fetch(`${site.base}${p}`).then((r) => r.arrayBuffer()) // warm up
      }
      const bareRow: Row = {
        phase: 'anonymous page',
        server: 'bare',
        what: '`/page`',
        result: await bench.runLoad({
          label: 'bare page',
          base: bare.base,
          lines: ['GET\t/page\t\t'],
          once: false,
          tally: false,
          connections: c,
          durationS: d,
        }),
      }
      printRow(bareRow)
      rows.push(bareRow)
      for (const p of pages) {
        const result = await bench.runLoad({
          label: `site ${p}`,
          base: site.base,
          lines: [`GET\t${p}\t\t`],
          once: false,
          tally: false,
          connections: c,
          durationS: d,
        })
        const row: Row = { phase: 'anonymous page', server: 'site', what: `\`${p}\``, result, bare: bareRow.result, goal: '≥ 10 % of bare' }
        row.met = result.rps / bareRow.result!.rps >= 0.1
        printRow(row)
        rows.push(row)
      }
    }

    // ---- bookings: each member books once, spread over many slots
    let booked = false
    if (options.only.has('bookings')) {
      console.log(`\n## Booking POST: ${fmt(options.members)} members, one booking each, over ${options.slots} slots (bounded by ${d} s)`)
      const lines = (slotOf: (i: number) => number) =>
        Array.from({ length: options.members }, (_, i) => `POST\t/volunteer/slots/${slotOf(i)}/book\t${member(i)}\t${bookingForm(i)}`)
      const bookingLines = lines((i) => seeded.bookingSlots[i % seeded.bookingSlots.length]!)
      // Warm the booking route up without booking: its form, for a few members.
      for (let i = 0; i < 5; i++)
        await fetch(`${site.base}/volunteer/slots/${seeded.bookingSlots[0]}/book`, { headers: { cookie: member(i) } }).then((r) =>
          r.arrayBuffer(),
        )
      // Warm-up (not counted): the rush members, who have not booked these slots, book once each
      // for a few seconds, so that the counted run measures the steady state and not each
      // server's first second (JIT, statement caches), as the log phase does with --log-warmup.
      const warmLines = Array.from({ length: Math.min(options.rushMembers, 1000) }, (_, k) => {
        const i = options.members + k
        return `POST\t/volunteer/slots/${seeded.bookingSlots[k % seeded.bookingSlots.length]}/book\t${member(i)}\t${bookingForm(i)}`
      })
      const phase = async (server: 'bare' | 'site', base: string, dbFile: string, bareResult?: LoadResult | null) => {
        const warm = await bench.runLoad({
          label: `${server} booking warm-up`,
          base,
          lines: warmLines,
          once: true,
          tally: false,
          connections: c,
          durationS: 3,
        })
        console.log(`  ${server}: warmed up with ${fmt(warm.requests)} bookings by other members (not counted)`)
        const result = await bench.runLoad({
          label: `${server} bookings`,
          base,
          lines: bookingLines,
          once: true,
          tally: true,
          connections: c,
          durationS: d,
        })
        const db = openDb(dbFile)
        try {
          const problems = bookingProblems(db, seeded.bookingSlots, {
            ackIds: result.ackIds,
            successesWithoutId: result.successesWithoutId,
          })
          for (const p of problems) failures.push(`${server} booking phase: ${p}`)
          console.log(
            `  ${server}: ${fmt(result.ackIds.length)} bookings acknowledged, all present in the database: ${problems.some((p) => p.includes('missing')) ? 'NO' : 'yes'}; correctness: ${problems.length ? problems.join('; ') : 'ok'}`,
          )
        } finally {
          db.close()
        }
        const row: Row = { phase: 'booking POST', server, what: '`/volunteer/slots/:id/book`', result, bare: bareResult }
        if (bareResult) {
          row.goal = '≥ 60 % of bare, p99 < 150 ms, 0 errors'
          row.met = result.rps / bareResult.rps >= 0.6 && result.p99Ms < 150 && result.statusErrors + result.socketErrors === 0
        }
        printRow(row)
        rows.push(row)
        return result
      }
      const bareResult = await phase('bare', bare.base, bareDb)
      await phase('site', site.base, siteDb, bareResult)
      booked = true
    }

    // ---- signed-in page (after the bookings: each member then has a booking to list)
    if (options.only.has('signed-in')) {
      const n = Math.min(1000, options.members)
      console.log(`\n## Signed-in page: ${fmt(n)} members' sessions in turn${booked ? ' (each holds a booking)' : ''}`)
      await precheck(`${bare.base}/me/page`, member(0), (s, t) =>
        s === 200 && t.includes('压测志愿者0') ? null : `status ${s}, not the member's page`,
      )
      await precheck(`${site.base}/me/bookings`, member(0), (s, t) =>
        s === 200 && t.includes('压测志愿者0') ? null : `status ${s}, not the member's page`,
      )
      const sessionLines = (p: string) => Array.from({ length: n }, (_, i) => `GET\t${p}\t${member(i)}\t`)
      const bareRow: Row = {
        phase: 'signed-in page',
        server: 'bare',
        what: '`/me/page`',
        result: await bench.runLoad({
          label: 'bare signed-in',
          base: bare.base,
          lines: sessionLines('/me/page'),
          once: false,
          tally: false,
          connections: c,
          durationS: d,
        }),
      }
      printRow(bareRow)
      rows.push(bareRow)
      const result = await bench.runLoad({
        label: 'site signed-in',
        base: site.base,
        lines: sessionLines('/me/bookings'),
        once: false,
        tally: false,
        connections: c,
        durationS: d,
      })
      const row: Row = {
        phase: 'signed-in page',
        server: 'site',
        what: '`/me/bookings`',
        result,
        bare: bareRow.result,
        goal: '≥ 3 % of bare',
        met: result.rps / bareRow.result!.rps >= 0.03,
      }
      printRow(row)
      rows.push(row)
    }

    // ---- the rush: one slot, few places, many members at once
    if (options.only.has('rush')) {
      const rc = options.rushConnections
      console.log(`\n## Rush: ${fmt(options.rushMembers)} members, ${options.rushCapacity} places, ${rc} connections, one POST each`)
      const rushLines = Array.from({ length: options.rushMembers }, (_, k) => {
        const i = options.members + k
        return `POST\t/volunteer/slots/${seeded.rushSlot}/book\t${member(i)}\t${bookingForm(i)}`
      })
      let bareResult: LoadResult | null = null
      for (const [server, base, dbFile] of [
        ['bare', bare.base, bareDb],
        ['site', site.base, siteDb],
      ] as const) {
        const result = await bench.runLoad({
          label: `${server} rush`,
          base,
          lines: rushLines,
          once: true,
          tally: true,
          connections: rc,
          durationS: Math.max(d, 60),
        })
        const db = openDb(dbFile)
        let summary = ''
        try {
          const problems = bookingProblems(
            db,
            [seeded.rushSlot],
            { ackIds: result.ackIds, successesWithoutId: result.successesWithoutId },
            { exactlyFull: true },
          )
          for (const p of problems) failures.push(`${server} rush: ${p}`)
          const [r] = slotReports(db, [seeded.rushSlot])
          summary = `${r!.confirmed} confirmed of ${r!.capacity}, ${r!.waitlisted} waitlisted, ${r!.overbooked} overbooked, ${r!.doubleBooked} double-booked`
          console.log(
            `  ${server}: ${summary}; ${fmt(result.ackIds.length)} acknowledged, all present: ${problems.some((p) => p.includes('missing')) ? 'NO' : 'yes'}; correctness: ${problems.length ? problems.join('; ') : 'ok'}`,
          )
          const row: Row = {
            phase: `rush (${options.rushCapacity} places, ${fmt(options.rushMembers)} members, ${rc} conn.)`,
            server,
            what: '`/volunteer/slots/:id/book`',
            result,
            bare: server === 'site' ? bareResult : undefined,
          }
          row.goal = `${summary}`
          row.met = problems.length === 0
          printRow(row)
          rows.push(row)
        } finally {
          db.close()
        }
        if (server === 'bare') bareResult = result
      }
    }
    await bench.stop(site.child)
    await bench.stop(bare.child)

    // ---- the public log at scale
    if (options.only.has('log')) {
      if (!options.logDb) {
        console.log(
          '\n## Public log with a large database: skipped (no --log-db PATH; build one with `DATABASE_PATH=/tmp/big.db scripts/seed --volume 1000000`)',
        )
        rows.push({ phase: 'log requests', server: 'site', what: '(skipped)', result: null, note: 'skipped: no `--log-db`' })
      } else {
        rows.push(...(await logPhase(bench, options, seeded.demoEmails)))
      }
    }
  } catch (error) {
    if (timedOut || interrupted) return
    console.error(error instanceof Error ? (error.stack ?? error.message) : error)
    failures.push(`the bench itself failed: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    clearTimeout(hardLimit)
    if (!timedOut && !interrupted) await bench.cleanup()
  }
  if (timedOut || interrupted) return
  console.log('\n## Results\n')
  console.log(table(rows))
  console.log(
    `\n${cpus.length} CPU(s), node ${process.version}, loopback, ${options.loader === 'wrk' ? `wrk -t1 -c${options.connections} (rush -c${options.rushConnections}, log -c${options.logConnections}, ≤ ${options.logRequests} requests after ${options.logWarmup} uncounted, or ${options.logDurationS} s per URL)` : 'autocannon'}, ${options.durationS} s phases; load average at the start ${load.map((l) => l.toFixed(1)).join(' ')}, at the end ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}. ` +
      'Errors: non-2xx/3xx answers plus socket errors (connect, read, write, answers slower than --timeout). Goals: issue 12; a missed speed goal does not fail the run.',
  )
  if (failures.length) {
    console.error(`\nbench: CORRECTNESS FAILURE\n${failures.map((f) => `  - ${f}`).join('\n')}`)
    process.exitCode = 1
  } else {
    console.log(
      '\nCorrectness: ok (no overbooking, no member booked twice, every acknowledged booking in the database, rush slots filled exactly).',
    )
  }
}

// ---- The public log against a large database ------------------------------------------------

async function logPhase(bench: Bench, options: Options, demoEmails: string[]): Promise<Row[]> {
  const source = path.resolve(options.logDb!)
  if (!fs.existsSync(source)) throw new Error(`--log-db ${source} does not exist`)
  const copy = path.join(bench.dir, 'log.db')
  const started = Date.now()
  // SQLite's online backup: a consistent copy even if the source has a WAL; the source is not changed.
  const src = new Database(source, { readonly: true, fileMustExist: true })
  try {
    await src.backup(copy, { progress: () => 50_000 }) // pages per step
  } finally {
    src.close()
  }
  const db = openDb(copy)
  let size = 0
  let receipt = ''
  let homeSlug = ''
  let neutralised = 0
  try {
    neutralised = neutraliseDemoAccounts(db, demoEmails, 'bench-no-password')
    size = (db.prepare('SELECT count(*) AS n FROM ledger_leaves').get() as { n: number }).n
    const mid = db
      .prepare(
        "SELECT d.receipt_no AS receipt FROM ledger_leaves l JOIN donations d ON d.id = l.ref_id WHERE l.kind = 'donation' AND l.leaf_index >= ? ORDER BY l.leaf_index LIMIT 1",
      )
      .get(Math.floor(size / 2)) as { receipt: string } | undefined
    receipt = mid?.receipt ?? ''
    const top = db
      .prepare('SELECT i.slug AS slug FROM institutions i WHERE i.id = (SELECT institution_id FROM donations ORDER BY id DESC LIMIT 1)')
      .get() as { slug: string } | undefined
    homeSlug = top?.slug ?? ''
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
  console.log(
    `\n## Public log with a large database: ${fmt(size)} log entries (${fmt(fs.statSync(copy).size / 1e6)} MB copy of ${source} made in ${((Date.now() - started) / 1000).toFixed(1)} s); ` +
      `${neutralised} demo sign-in accounts renamed on the copy so that NODE_ENV=production accepts it`,
  )
  const site = await bench.startSite(copy, 'log-site')
  const rows: Row[] = []
  try {
    const urls = [
      '/ledger',
      '/api/ledger/tree-head',
      receipt ? `/api/ledger/proof/${encodeURIComponent(receipt)}` : null,
      `/api/ledger/consistency?from=${Math.floor(size / 2)}`,
      `/api/ledger?after=${Math.floor(size / 2)}`,
      homeSlug ? `/institutions/${homeSlug}` : null,
      '/disclosures',
    ].filter((u): u is string => u !== null)
    for (const u of urls) {
      // Bounded by count (--log-requests) and time (--log-duration); a request still running when
      // the time is up keeps the server busy, so the next URL waits until it answers promptly.
      await bench.waitResponsive(site.base)
      // The first answer of a URL (cold: nothing compiled for it yet, its pages not in SQLite's
      // cache) is reported on its own; then --log-warmup requests that are not counted, so the
      // p99 describes the steady state rather than the one-off warm-up of each worker. Each on
      // a new connection: the cluster hands connections to its workers in turn, so every worker
      // gets its share (over one kept-alive connection, one worker got them all and wrk's
      // connection could land on the other, cold one).
      const firstStarted = performance.now()
      await getOnNewConnection(`${site.base}${u}`)
      const firstMs = performance.now() - firstStarted
      for (let i = 0; i < options.logWarmup; i++) await getOnNewConnection(`${site.base}${u}`)
      const result = await bench.runLoad({
        label: `log ${u}`,
        base: site.base,
        lines: Array.from({ length: options.logRequests }, () => `GET\t${u}\t\t`),
        once: true,
        tally: false,
        connections: options.logConnections,
        durationS: options.logDurationS,
        timeoutS: Math.max(options.timeoutS, options.logDurationS),
      })
      const row: Row = {
        phase: `log, ${fmt(size)} entries`,
        server: 'site',
        what: `\`${u}\` (first answer ${firstMs.toFixed(1)} ms)`,
        result,
        goal: 'p99 < 20 ms',
        met: result.requests > 0 && result.p99Ms < 20,
      }
      printRow(row)
      rows.push(row)
    }
  } finally {
    await bench.stop(site.child)
  }
  return rows
}

/** GET a URL over a connection of its own (no keep-alive pool), reading the whole answer. */
function getOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

// ---- autocannon fallback driver (its own process, same contract as scripts/bench.lua) -------

type AutocannonResult = {
  requests: { total: number }
  latency: { p50: number; p99: number }
  errors: number
  timeouts: number
  duration: number
}
type Autocannon = (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => { stop: () => void }

async function drive(specFile: string) {
  const spec = JSON.parse(fs.readFileSync(specFile, 'utf8')) as {
    base: string
    requestsFile: string
    once: boolean
    connections: number
    durationS: number
    timeoutS: number
    outFile: string
  }
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon
  const lines = fs
    .readFileSync(spec.requestsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t') as [string, string, string, string])
  let next = 0
  const statuses: Record<string, number> = {}
  const acks: number[] = []
  let successesWithoutId = 0
  const started = Date.now()
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.base,
        connections: spec.connections,
        timeout: spec.timeoutS,
        ...(spec.once ? { amount: lines.length } : { duration: spec.durationS }),
        requests: [
          {
            setupRequest: (req: Record<string, unknown>) => {
              const [method, p, cookie, body] = lines[spec.once ? next++ : next++ % lines.length] ?? lines[0]!
              const headers: Record<string, string> = {}
              if (cookie) headers.cookie = cookie
              if (method === 'POST') {
                headers.origin = spec.base
                headers['content-type'] = 'application/x-www-form-urlencoded'
              }
              return { ...req, method, path: p, headers, body: body || undefined }
            },
            onResponse: (status: number, _body: unknown, _context: unknown, headers: Record<string, string> | string[] | undefined) => {
              statuses[status] = (statuses[status] ?? 0) + 1
              if (status >= 200 && status < 400) {
                let location = ''
                if (Array.isArray(headers)) {
                  for (let i = 0; i < headers.length; i += 2)
                    if (String(headers[i]).toLowerCase() === 'location') location = String(headers[i + 1])
                } else if (headers) location = headers.location ?? headers.Location ?? ''
                const id = /#booking-(\d+)/.exec(location)?.[1]
                if (id) acks.push(Number(id))
                else successesWithoutId++
              }
            },
          },
        ],
      },
      (error, done) => {
        clearTimeout(limit)
        if (error) reject(error)
        else resolve(done)
      },
    )
    const limit = setTimeout(() => instance.stop(), (spec.durationS + 5) * 1000)
  })
  const bad = Object.entries(statuses).reduce((n, [s, c]) => n + (Number(s) >= 200 && Number(s) < 400 ? 0 : c), 0)
  const raw: RawResult = {
    requests: result.requests.total,
    durationUs: (Date.now() - started) * 1000,
    connect: result.errors - result.timeouts,
    read: 0,
    write: 0,
    status: bad,
    timeout: result.timeouts,
    p50Us: result.latency.p50 * 1000,
    p99Us: result.latency.p99 * 1000,
    statuses: spec.once ? statuses : {},
    acks,
    successesWithoutId: spec.once ? successesWithoutId : 0,
    idle: 0,
  }
  fs.writeFileSync(spec.outFile, JSON.stringify(raw))
}

// ---- Entry ----------------------------------------------------------------------------------

const argv = process.argv.slice(2)
const mode = argv[0]
if (mode === '--serve-bare') {
  serveBare(argv[1]!, Number(argv[2]))
} else if (mode === '--seed') {
  seedChild(argv[1]!, argv[2]!, Number(argv[3]), Number(argv[4]), Number(argv[5]), Number(argv[6])).catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
} else if (mode === '--drive') {
  drive(argv[1]!).catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
} else if (argv.includes('--help') || argv.includes('-h')) {
  console.log(HELP)
} else {
  let options: Options
  try {
    options = parseOptions(argv)
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`)
    process.exit(1)
  }
  main(options).catch((error: unknown) => {
    console.error(error)
    process.exit(1)
  })
}
