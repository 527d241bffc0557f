import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyMigrations } from '~db/migrate.server'
import { bookingProblems, missingAcknowledgedBookings, slotReports } from '../../scripts/bench-checks'

// The correctness checks of scripts/bench: they must catch what the database's own guards
// prevent (so those guards are dropped here to fake the failures the bench is there to notice).

let dir: string
let db: Database.Database
let slotId: number
let userIds: number[]

function book(userId: number, status: 'confirmed' | 'waitlisted' | 'cancelled', code: string): number {
  return (
    db
      .prepare(
        "INSERT INTO bookings (slot_id, institution_id, user_id, kind, party_size, contact_name, contact_phone, status, code, created_at) SELECT id, institution_id, ?, 'individual', 1, '测试', '18600000000', ?, ?, 0 FROM slots WHERE id = ? RETURNING id",
      )
      .get(userId, status, code, slotId) as { id: number }
  ).id
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-checks-'))
  db = new Database(path.join(dir, 'bench.db'))
  applyMigrations(db)
  const home = db
    .prepare(
      "INSERT INTO institutions (slug, name, kind, province, city) VALUES ('h', '测试福利院', 'welfare_home', '山东省', '滨州市') RETURNING id",
    )
    .get() as { id: number }
  slotId = (
    db
      .prepare(
        "INSERT INTO slots (institution_id, kind, title, starts_at, ends_at, capacity, status) VALUES (?, 'camp', '夏令营', 1, 2, 2, 'published') RETURNING id",
      )
      .get(home.id) as { id: number }
  ).id
  userIds = [1, 2, 3, 4].map(
    (i) =>
      (
        db
          .prepare("INSERT INTO users (phone, display_name, password_hash) VALUES (?, ?, 'x') RETURNING id")
          .get(`1860000000${i}`, `成员${i}`) as { id: number }
      ).id,
  )
})

afterEach(() => {
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('bench correctness checks', () => {
  it('finds nothing wrong with a slot filled exactly and every acknowledged booking present', () => {
    const ids = [book(userIds[0]!, 'confirmed', 'A1'), book(userIds[1]!, 'confirmed', 'A2'), book(userIds[2]!, 'waitlisted', 'A3')]
    expect(bookingProblems(db, [slotId], { ackIds: ids, successesWithoutId: 0 }, { exactlyFull: true })).toEqual([])
    expect(slotReports(db, [slotId])).toEqual([
      { slotId, capacity: 2, confirmed: 2, live: 3, waitlisted: 1, overbooked: 0, doubleBooked: 0 },
    ])
  })

  it('reports an overbooked slot', () => {
    db.exec('DROP TRIGGER bookings_capacity_insert')
    const ids = [book(userIds[0]!, 'confirmed', 'B1'), book(userIds[1]!, 'confirmed', 'B2'), book(userIds[2]!, 'confirmed', 'B3')]
    const problems = bookingProblems(db, [slotId], { ackIds: ids, successesWithoutId: 0 })
    expect(problems).toEqual([`slot ${slotId}: 3 confirmed for 2 places (overbooked by 1)`])
  })

  it('reports a member holding two live bookings of one slot', () => {
    db.exec('DROP INDEX bookings_one_live_per_member')
    const ids = [book(userIds[0]!, 'confirmed', 'C1'), book(userIds[0]!, 'waitlisted', 'C2')]
    expect(bookingProblems(db, [slotId], { ackIds: ids, successesWithoutId: 0 })).toEqual([
      `slot ${slotId}: 1 member(s) with two live bookings`,
    ])
  })

  it('reports an acknowledged booking that is not in the database, or no longer live', () => {
    const kept = book(userIds[0]!, 'confirmed', 'D1')
    const cancelled = book(userIds[1]!, 'cancelled', 'D2')
    expect(missingAcknowledgedBookings(db, [kept, cancelled, 9999])).toEqual([cancelled, 9999])
    const problems = bookingProblems(db, [slotId], { ackIds: [kept, 9999], successesWithoutId: 0 })
    expect(problems).toEqual(['1 acknowledged booking(s) missing from the database (e.g. 9999)'])
  })

  it('reports places left empty while members waited, when the slot must be filled exactly', () => {
    const ids = [book(userIds[0]!, 'confirmed', 'E1'), book(userIds[1]!, 'waitlisted', 'E2')]
    expect(bookingProblems(db, [slotId], { ackIds: ids, successesWithoutId: 0 })).toEqual([])
    expect(bookingProblems(db, [slotId], { ackIds: ids, successesWithoutId: 0 }, { exactlyFull: true })).toEqual([
      `slot ${slotId}: 1 confirmed, expected exactly 2 (2 live bookings, 2 places)`,
    ])
  })

  it('reports success answers that named no booking, and a booking acknowledged twice', () => {
    const id = book(userIds[0]!, 'confirmed', 'F1')
    expect(bookingProblems(db, [slotId], { ackIds: [id, id], successesWithoutId: 2 })).toEqual([
      '2 success response(s) named no booking',
      '1 booking id(s) acknowledged twice',
    ])
  })
})
