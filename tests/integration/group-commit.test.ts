import Database from 'better-sqlite3'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { db, sqlite, WRITE_LOCK_TIMEOUT_MS } from '~db/client.server'
import { GROUP_COMMIT_MAX, groupCommit } from '~db/group-commit.server'
import { bookings } from '~db/schema'
import { action as bookAction } from '~/routes/volunteer.slots.$id.book'
import { context, createTestInstitution, createUser, formRequest, insertTestSlot, run, signedInCookie } from './helpers'

// docs/decisions/027-group-commit.md: calls of one turn of the event loop share a transaction,
// each in its own savepoint, and no call settles before the COMMIT.

/** A second connection to the same file: it sees committed rows only. */
let other: Database.Database
const committedRows = () => (other.prepare('SELECT count(*) AS n FROM gc_probe').get() as { n: number }).n
const insertProbe = (value: string, parent: number | null = null) =>
  sqlite.prepare('INSERT INTO gc_probe (value, parent) VALUES (?, ?)').run(value, parent)
const storedValues = () => (other.prepare('SELECT value FROM gc_probe ORDER BY id').all() as Array<{ value: string }>).map((r) => r.value)

beforeAll(() => {
  sqlite.exec('CREATE TABLE IF NOT EXISTS gc_probe (id INTEGER PRIMARY KEY, value TEXT NOT NULL, parent INTEGER REFERENCES gc_probe(id))')
  other = new Database(sqlite.name, { readonly: true })
})

afterAll(() => other.close())

beforeEach(() => {
  sqlite.exec('DELETE FROM gc_probe')
})

describe('group commit', () => {
  test('the calls of one turn share one transaction and settle only after its COMMIT', async () => {
    const seen: Array<{ inside: number; committed: number }> = []
    const call = (value: string) =>
      groupCommit(() => {
        insertProbe(value)
        seen.push({
          inside: (sqlite.prepare('SELECT count(*) AS n FROM gc_probe').get() as { n: number }).n,
          committed: committedRows(),
        })
        return value
      })
    const first = call('a').then((value) => ({ value, committedWhenSettled: committedRows() }))
    const rest = Promise.all([call('b'), call('c')])
    // The second and third call see the first one's row, which nobody else sees yet: one open transaction.
    expect(await first).toEqual({ value: 'a', committedWhenSettled: 3 })
    expect(await rest).toEqual(['b', 'c'])
    expect(seen).toEqual([
      { inside: 1, committed: 0 },
      { inside: 2, committed: 0 },
      { inside: 3, committed: 0 },
    ])
    expect(storedValues()).toEqual(['a', 'b', 'c'])
  })

  test('a call that throws undoes its own writes only and rejects alone', async () => {
    const refusal = new Error('refused')
    const results = await Promise.allSettled([
      groupCommit(() => insertProbe('kept-1')),
      groupCommit(() => {
        insertProbe('undone')
        throw refusal
      }),
      groupCommit(() => insertProbe('kept-2')),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((results[1] as PromiseRejectedResult).reason).toBe(refusal)
    expect(storedValues()).toEqual(['kept-1', 'kept-2'])
  })

  test('a failed COMMIT rejects every call of the group and stores nothing', async () => {
    const results = await Promise.allSettled([
      groupCommit(() => insertProbe('innocent')),
      groupCommit(() => {
        // A foreign key checked only at COMMIT: the statement succeeds, the COMMIT fails.
        sqlite.pragma('defer_foreign_keys = ON')
        insertProbe('orphan', 999_999)
      }),
    ])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    for (const r of results) expect(String((r as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/)
    expect(storedValues()).toEqual([])
    expect(sqlite.inTransaction).toBe(false)
  })

  test('when SQLite rolls the whole transaction back, the group is lost and the calls after it do not run', async () => {
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
    let laterRan = false
    const results = await Promise.allSettled([
      groupCommit(() => insertProbe('before')),
      groupCommit(() => {
        insertProbe('failing')
        sqlite.exec('ROLLBACK') // what SQLite itself does on SQLITE_FULL or SQLITE_IOERR
        throw full
      }),
      groupCommit(() => {
        laterRan = true
        insertProbe('after')
      }),
    ])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
    for (const r of results) expect((r as PromiseRejectedResult).reason).toBe(full)
    expect(laterRan).toBe(false)
    expect(storedValues()).toEqual([])
    expect(sqlite.inTransaction).toBe(false)
  })

  test(`at most ${GROUP_COMMIT_MAX} calls share a transaction; the rest follow in the next ones`, async () => {
    const n = 2 * GROUP_COMMIT_MAX + 1
    // Each call reports how many rows were committed when it ran: the same figure within a group.
    const committedBefore = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        groupCommit(() => {
          insertProbe(`row-${i}`)
          return committedRows()
        }),
      ),
    )
    const groups = new Map<number, number>()
    for (const c of committedBefore) groups.set(c, (groups.get(c) ?? 0) + 1)
    expect([...groups.entries()]).toEqual([
      [0, GROUP_COMMIT_MAX],
      [GROUP_COMMIT_MAX, GROUP_COMMIT_MAX],
      [2 * GROUP_COMMIT_MAX, 1],
    ])
    expect(committedRows()).toBe(n)
  })

  test('while another process holds the write lock it waits without blocking the event loop, and later calls join it', async () => {
    const locker = new Database(sqlite.name)
    try {
      locker.exec('BEGIN IMMEDIATE')
      let settled = false
      const first = groupCommit(() => {
        insertProbe('first')
        return committedRows()
      }).finally(() => (settled = true))
      // Timers still fire: the process is not asleep in a busy loop.
      await new Promise((resolve) => setTimeout(resolve, 30))
      expect(settled).toBe(false)
      expect(committedRows()).toBe(0)
      const second = groupCommit(() => {
        insertProbe('second')
        return committedRows()
      })
      locker.exec('COMMIT')
      // Both ran in the one transaction taken once the lock was free: neither saw a commit before.
      expect(await Promise.all([first, second])).toEqual([0, 0])
      expect(storedValues()).toEqual(['first', 'second'])
    } finally {
      if (locker.inTransaction) locker.exec('ROLLBACK')
      locker.close()
    }
  })

  test(`gives up with SQLITE_BUSY when the lock stays taken for ${WRITE_LOCK_TIMEOUT_MS / 1000} s, and stores nothing`, async () => {
    const locker = new Database(sqlite.name)
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] })
    try {
      locker.exec('BEGIN IMMEDIATE')
      let ran = false
      const waiting = groupCommit(() => {
        ran = true
        insertProbe('never')
      })
      const outcome = waiting.then(
        () => 'stored',
        (error: { code?: string }) => error.code,
      )
      await new Promise((resolve) => setImmediate(resolve)) // the first try, at the end of this turn
      await vi.advanceTimersByTimeAsync(WRITE_LOCK_TIMEOUT_MS - 100)
      expect(ran).toBe(false)
      await vi.advanceTimersByTimeAsync(200)
      expect(await outcome).toBe('SQLITE_BUSY')
      expect(ran).toBe(false)
    } finally {
      vi.useRealTimers()
      if (locker.inTransaction) locker.exec('ROLLBACK')
      locker.close()
    }
    expect(storedValues()).toEqual([])
    // The queue is empty again: the next call commits at once.
    await groupCommit(() => insertProbe('next'))
    expect(storedValues()).toEqual(['next'])
  })

  test('inside an open transaction a call runs at once, as part of it', async () => {
    let pending: Promise<unknown> | null = null
    sqlite.transaction(() => {
      pending = groupCommit(() => insertProbe('nested'))
      expect((sqlite.prepare('SELECT count(*) AS n FROM gc_probe').get() as { n: number }).n).toBe(1)
    })()
    await pending
    expect(storedValues()).toEqual(['nested'])
  })
})

describe('booking requests posted together', () => {
  test('share a group commit and still never overbook: 3 places, 6 members at once', async () => {
    const home = createTestInstitution()
    const slot = insertTestSlot(home.id, { capacity: 3 })
    const members = await Promise.all(Array.from({ length: 6 }, (_, i) => createUser({ displayName: `志愿者${i}` })))
    const answers = await Promise.all(
      members.map((m) =>
        run(() =>
          bookAction({
            request: formRequest(
              `/volunteer/slots/${slot.id}/book`,
              { kind: 'individual', contactName: '李志愿', contactPhone: '13900001111' },
              { cookie: signedInCookie(m.id) },
            ),
            params: { id: String(slot.id) },
            context: context(),
          }),
        ),
      ),
    )
    // Every member is answered with their own booking, each of them stored.
    const ids = answers.map((a) => {
      expect(a.status).toBe(302)
      return Number(/#booking-(\d+)$/.exec(a.headers.get('Location') ?? '')?.[1])
    })
    expect(new Set(ids).size).toBe(6)
    const rows = db
      .select({ id: bookings.id, userId: bookings.userId, status: bookings.status })
      .from(bookings)
      .where(and(eq(bookings.slotId, slot.id)))
      .all()
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort())
    expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(3)
    expect(rows.filter((r) => r.status === 'waitlisted')).toHaveLength(3)
  })
})
