// The correctness checks of scripts/bench (README "Benchmarks"), read from a database file
// after a booking phase: places confirmed against capacity, members holding two live bookings of
// one slot, and acknowledged bookings missing from the database. Plain better-sqlite3, no app
// modules, so the bench and tests/integration/bench-checks.test.ts can open any file.
import type { Database } from 'better-sqlite3'

const LIVE = "('confirmed', 'waitlisted', 'offered')"

export type SlotReport = {
  slotId: number
  capacity: number
  /** People in confirmed bookings. */
  confirmed: number
  /** Live booking rows (confirmed, waitlisted, offered). */
  live: number
  waitlisted: number
  /** Confirmed people beyond capacity. */
  overbooked: number
  /** Members holding more than one live booking of this slot. */
  doubleBooked: number
}

export function slotReports(db: Database, slotIds: number[]): SlotReport[] {
  const totals = db.prepare(
    `SELECT s.capacity AS capacity,
            coalesce(sum(CASE WHEN b.status = 'confirmed' THEN b.party_size END), 0) AS confirmed,
            coalesce(sum(b.status IN ${LIVE}), 0) AS live,
            coalesce(sum(b.status = 'waitlisted'), 0) AS waitlisted
       FROM slots s LEFT JOIN bookings b ON b.slot_id = s.id WHERE s.id = ? GROUP BY s.id`,
  )
  const doubles = db.prepare(
    `SELECT count(*) AS n FROM (SELECT user_id FROM bookings WHERE slot_id = ? AND status IN ${LIVE} GROUP BY user_id HAVING count(*) > 1)`,
  )
  return slotIds.map((slotId) => {
    const row = totals.get(slotId) as { capacity: number; confirmed: number; live: number; waitlisted: number } | undefined
    if (!row) throw new Error(`bench: slot ${slotId} is not in the database`)
    const doubleBooked = (doubles.get(slotId) as { n: number }).n
    return { slotId, ...row, overbooked: Math.max(0, row.confirmed - row.capacity), doubleBooked }
  })
}

/** Acknowledged booking ids (from the success responses) with no live booking row. */
export function missingAcknowledgedBookings(db: Database, ackIds: number[]): number[] {
  const unique = [...new Set(ackIds)]
  const missing: number[] = []
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500)
    const rows = db
      .prepare(`SELECT id FROM bookings WHERE status IN ${LIVE} AND id IN (${chunk.map(() => '?').join(', ')})`)
      .all(...chunk) as Array<{ id: number }>
    const present = new Set(rows.map((r) => r.id))
    for (const id of chunk) if (!present.has(id)) missing.push(id)
  }
  return missing
}

export type BookingOutcome = {
  /** Booking ids read from the Location of every 2xx/3xx answer. */
  ackIds: number[]
  /** 2xx/3xx answers that named no booking (e.g. a redirect to the sign-in page). */
  successesWithoutId: number
}

/**
 * Everything that makes a booking phase incorrect, as sentences (empty when correct): an
 * overbooked slot, a member with two live bookings of one slot, a success that named no booking,
 * the same booking acknowledged twice, an acknowledged booking missing from the database, and —
 * when `exactlyFull` — a slot whose confirmed places are not min(capacity, live bookings), i.e.
 * places left empty while members waited.
 */
export function bookingProblems(
  db: Database,
  slotIds: number[],
  outcome: BookingOutcome,
  options: { exactlyFull?: boolean } = {},
): string[] {
  const problems: string[] = []
  for (const r of slotReports(db, slotIds)) {
    if (r.overbooked > 0)
      problems.push(`slot ${r.slotId}: ${r.confirmed} confirmed for ${r.capacity} places (overbooked by ${r.overbooked})`)
    if (r.doubleBooked > 0) problems.push(`slot ${r.slotId}: ${r.doubleBooked} member(s) with two live bookings`)
    if (options.exactlyFull && r.overbooked === 0 && r.confirmed !== Math.min(r.capacity, r.live)) {
      problems.push(
        `slot ${r.slotId}: ${r.confirmed} confirmed, expected exactly ${Math.min(r.capacity, r.live)} (${r.live} live bookings, ${r.capacity} places)`,
      )
    }
  }
  if (outcome.successesWithoutId > 0) problems.push(`${outcome.successesWithoutId} success response(s) named no booking`)
  const repeated = outcome.ackIds.length - new Set(outcome.ackIds).size
  if (repeated > 0) problems.push(`${repeated} booking id(s) acknowledged twice`)
  const missing = missingAcknowledgedBookings(db, outcome.ackIds)
  if (missing.length > 0)
    problems.push(`${missing.length} acknowledged booking(s) missing from the database (e.g. ${missing.slice(0, 5).join(', ')})`)
  return problems
}
