import fs from 'node:fs'
import Database from 'better-sqlite3'
import { afterAll, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { slots } from '~db/schema'
import { verifyLedger } from '~/ledger/verifier'
import { addMember, createTestInstitution, createUser, signedInCookie } from './helpers'
import { freePort, startServer, type ServerProcess } from './server-process'

// Issue 12, "Also": kill -9 of the server in the middle of a booking rush, then a restart on the
// same file. Every booking (and every walk-in gift, which appends to the Merkle log) that got a
// success response must be there, the file must pass integrity_check, no slot may be over
// capacity, and the public log must verify. Loopback only; bounded by counts and time limits.
//
// With a production build (npx remix vite:build) the server runs as in production: a cluster of
// two workers, and SIGKILL goes to the whole process group. Without one it runs the Vite dev
// server in one process, which needs no build.

const built = fs.existsSync('build/server/index.js')
const MEMBERS = 120
const CAPACITY = 40
/** SIGKILL once this many bookings and gifts have been acknowledged: the rush is in full flow. */
const KILL_AFTER_ACKS = 30
const KILL_AFTER_GIFTS = 3
const BOOKING_LANES = 12
const GIFT_LANES = 2

const file = process.env.DATABASE_PATH as string
let server: ServerProcess | undefined
afterAll(async () => {
  if (server) {
    try {
      server.kill('SIGKILL')
    } catch {
      // already gone
    }
    await server.exited
  }
})

async function start(port: number): Promise<ServerProcess> {
  const base = `http://127.0.0.1:${port}`
  const env = built
    ? {
        NODE_ENV: 'production',
        WEB_CONCURRENCY: '2',
        APP_ORIGIN: base,
        COOKIE_SECURE: 'false',
        STRIPE_SECRET_KEY: undefined,
        STRIPE_WEBHOOK_SECRET: undefined,
        TOTP_ENCRYPTION_KEY: 'a'.repeat(64),
        PAYMENTS_MOCK: undefined,
        DEMO_MODE: undefined,
      }
    : { NODE_ENV: 'development', APP_ORIGIN: base, DEMO_MODE: undefined }
  const started = await startServer({ ...env, DATABASE_PATH: file, LOG_LEVEL: 'warn' }, { port, group: true })
  await started.ready(built ? 30_000 : 60_000)
  return started
}

test('kill -9 during a booking rush loses no acknowledged booking or gift, and the file, the capacity and the log stay sound', async () => {
  // A slot, members who each hold a session, and a staff member recording walk-in gifts.
  const home = createTestInstitution('压测福利院')
  const staff = await createUser({ displayName: '值班社工' })
  addMember(staff.id, home.id, 'staff')
  const staffCookie = signedInCookie(staff.id)
  const startsAt = new Date(Date.now() + 7 * 86_400_000)
  const slot = db
    .insert(slots)
    .values({
      institutionId: home.id,
      kind: 'camp',
      title: '普特融合夏令营',
      location: '活动室',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 6 * 3600_000),
      capacity: CAPACITY,
      status: 'published',
      allowGroups: true,
    })
    .returning()
    .get()
  const members: Array<{ id: number; cookie: string }> = []
  for (let i = 0; i < MEMBERS; i++) {
    const user = await createUser({ displayName: `志愿者${i}` })
    members.push({ id: user.id, cookie: signedInCookie(user.id) })
  }

  const port = await freePort()
  server = await start(port)
  const base = server.base
  const post = (path: string, cookie: string, fields: Record<string, string>) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: cookie, Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
      signal: AbortSignal.timeout(15_000),
    })

  const acknowledged: Array<{ userId: number; bookingId: number }> = []
  const receipts: string[] = []
  const book = (member: { cookie: string }) =>
    post(`/volunteer/slots/${slot.id}/book`, member.cookie, { kind: 'individual', contactName: '志愿者', contactPhone: '13800138000' })
  const give = () =>
    post(`/staff/${home.slug}/gifts/new`, staffCookie, {
      kind: 'money',
      items: '现金捐款',
      amount: '100',
      channel: 'desk',
      donorName: '爱心人士',
      publicDisplay: 'anonymous',
    })
  // Warm up each worker on both routes, so that the rush is not spent loading code.
  for (let i = 0; i < 2; i++) {
    const member = members.pop()!
    const booked = await book(member)
    expect(booked.status).toBe(302)
    acknowledged.push({ userId: member.id, bookingId: Number(/#booking-(\d+)$/.exec(booked.headers.get('Location') ?? '')?.[1]) })
    const gift = await give()
    expect(gift.status).toBe(302)
    receipts.push(/receipt=(WN-\d{4}-\d{6})/.exec(gift.headers.get('Location') ?? '')?.[1] as string)
  }
  const warm = { bookings: acknowledged.length, gifts: receipts.length }

  // The rush: lanes of bookings (each member once) and of gifts, until the server dies.
  const unexpected: string[] = []
  let failures = 0
  let killed = false
  let nextMember = 0
  const victim = server
  const kill = () => {
    if (killed) return
    killed = true
    victim.kill('SIGKILL')
  }
  const killWhenDue = () => {
    if (acknowledged.length - warm.bookings >= KILL_AFTER_ACKS && receipts.length - warm.gifts >= KILL_AFTER_GIFTS) kill()
  }
  const bookingLane = async () => {
    while (!killed && nextMember < members.length) {
      const member = members[nextMember++]!
      let res: Response
      try {
        res = await book(member)
      } catch (error) {
        if (!killed) throw error
        failures++
        continue
      }
      const id = /#booking-(\d+)$/.exec(res.headers.get('Location') ?? '')?.[1]
      if (res.status === 302 && id) {
        acknowledged.push({ userId: member.id, bookingId: Number(id) })
        killWhenDue()
      } else {
        unexpected.push(`booking: ${res.status}`)
      }
    }
  }
  const giftLane = async () => {
    while (!killed) {
      let res: Response
      try {
        res = await give()
      } catch (error) {
        if (!killed) throw error
        failures++
        continue
      }
      const receipt = /receipt=(WN-\d{4}-\d{6})/.exec(res.headers.get('Location') ?? '')?.[1]
      if (res.status === 302 && receipt) {
        receipts.push(receipt)
        killWhenDue()
      } else unexpected.push(`gift: ${res.status}`)
    }
  }
  await Promise.all([...Array.from({ length: BOOKING_LANES }, bookingLane), ...Array.from({ length: GIFT_LANES }, giftLane)])
  await victim.exited
  // Every answer the server gave was a success; the kill came in the middle: requests were cut off, members were left waiting.
  expect(unexpected).toEqual([])
  expect(killed).toBe(true)
  expect(failures).toBeGreaterThan(0)
  expect(nextMember).toBeLessThan(members.length)

  // Restart on the same file (recovery of the WAL happens on open).
  server = await start(port)

  const check = new Database(file, { readonly: true })
  try {
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(check.pragma('foreign_key_check')).toEqual([])
    // Every acknowledged booking is there, for its member, on this slot.
    const booking = check.prepare('SELECT user_id AS userId, slot_id AS slotId, status FROM bookings WHERE id = ?')
    for (const ack of acknowledged) {
      expect(booking.get(ack.bookingId), `booking ${ack.bookingId}`).toMatchObject({ userId: ack.userId, slotId: slot.id })
    }
    // No slot over capacity, no member booked twice.
    const over = check
      .prepare(
        `SELECT s.id, s.capacity, sum(b.party_size) AS taken FROM slots s JOIN bookings b ON b.slot_id = s.id
          WHERE b.status IN ('confirmed', 'offered') GROUP BY s.id HAVING taken > s.capacity`,
      )
      .all()
    expect(over).toEqual([])
    const twice = check
      .prepare(
        "SELECT user_id FROM bookings WHERE slot_id = ? AND status IN ('confirmed', 'waitlisted', 'offered') GROUP BY user_id HAVING count(*) > 1",
      )
      .all(slot.id)
    expect(twice).toEqual([])
    // Every acknowledged gift is in the public log, as a leaf of the Merkle tree.
    const leaf = check.prepare(
      "SELECT l.leaf_index AS leafIndex FROM donations d JOIN ledger_leaves l ON l.kind = 'donation' AND l.ref_id = d.id WHERE d.receipt_no = ?",
    )
    for (const receipt of receipts) expect(leaf.get(receipt), receipt).toBeDefined()
    const counts = check
      .prepare(
        "SELECT (SELECT count(*) FROM donations) AS donations, (SELECT count(*) FROM ledger_leaves WHERE kind = 'donation') AS leaves",
      )
      .get()
    expect(counts).toEqual({ donations: expect.any(Number), leaves: (counts as { donations: number }).donations })
  } finally {
    check.close()
  }

  // The restarted site's log verifies end to end (the independent verifier of scripts/verify-ledger),
  // including the inclusion proof of the last acknowledged gift.
  const report = await verifyLedger(server.base, { receipt: receipts.at(-1) })
  expect(report.errors).toEqual([])
  expect(report.ok).toBe(true)

  // And it takes bookings again.
  expect((await book(members.at(-1)!)).status).toBe(302)

  await server.stop()
  server = undefined
}, 60_000)
