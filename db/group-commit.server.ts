import { sqlite, tryWriteTransaction, WRITE_LOCK_TIMEOUT_MS } from './client.server'

// Group commit (docs/decisions/027-group-commit.md, issue 12): write transactions that reach
// the database in the same turn of the event loop share one BEGIN IMMEDIATE … COMMIT, so a rush
// of bookings pays for one lock, one WAL fsync and — with several server processes — one reload
// of the pages the other process changed, per group instead of per booking.
//
// Each call still behaves as its own transaction: it runs in a SAVEPOINT, so an exception undoes
// its writes only and rejects its own promise. No promise settles before the COMMIT has returned
// (with synchronous=FULL: the WAL is on disk), so an answer built after `await groupCommit(…)`
// acknowledges only durable writes. If the group's COMMIT fails, or SQLite rolls the whole
// transaction back (SQLITE_FULL, SQLITE_IOERR …), every call of the group rejects: none was stored.
//
// While another process holds the write lock, the group waits in the event loop (a retry every
// millisecond), not in the thread as writeTransaction does: the process goes on reading and
// answering other requests, and the calls that arrive meanwhile join the waiting group.

/** At most this many calls share one transaction (bounds how long the write lock is held). */
export const GROUP_COMMIT_MAX = 64

/** Between two tries for a write lock that another process holds (Node's timers: 1 ms at least). */
const RETRY_MS = 1

type Queued = {
  fn: () => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
  queuedAt: number
}

const queue: Queued[] = []
let scheduled = false

/**
 * Run `fn` (synchronous, writing through this process's connection like the body of
 * writeTransaction) in a write transaction shared with the other calls of this turn of the event
 * loop. Resolves with what `fn` returned once the shared transaction has committed; rejects with
 * what `fn` threw (its writes undone, the others unaffected), with the COMMIT's error, or with
 * SQLITE_BUSY when the write lock stayed taken for WRITE_LOCK_TIMEOUT_MS.
 * Inside a transaction already (e.g. a test's), it runs there at once: there is nothing to group.
 */
export function groupCommit<T>(fn: () => T): Promise<T> {
  if (sqlite.inTransaction) {
    try {
      return Promise.resolve(sqlite.transaction(fn)())
    } catch (error) {
      return Promise.reject(error)
    }
  }
  return new Promise<T>((resolve, reject) => {
    queue.push({ fn, resolve: resolve as (value: unknown) => void, reject, queuedAt: Date.now() })
    // After the poll phase: every request whose data arrived in this turn has queued by then.
    schedule(null)
  })
}

function schedule(delayMs: number | null) {
  if (scheduled || queue.length === 0) return
  scheduled = true
  if (delayMs === null) setImmediate(flush)
  else setTimeout(flush, delayMs)
}

class TransactionLost extends Error {
  constructor(readonly cause: unknown) {
    super('the group commit transaction was rolled back by SQLite')
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

function flush() {
  scheduled = false
  // The oldest calls first; they leave the queue only once their transaction has ended.
  const group = queue.slice(0, GROUP_COMMIT_MAX)
  if (group.length === 0) return
  const outcomes: Outcome[] = []
  let attempt: ReturnType<typeof tryWriteTransaction<void>>
  try {
    attempt = tryWriteTransaction(() => {
      for (const item of group) {
        try {
          // better-sqlite3 nests this as SAVEPOINT … RELEASE, rolled back to on an exception.
          outcomes.push({ ok: true, value: sqlite.transaction(item.fn)() })
        } catch (error) {
          // Some errors make SQLite roll back the whole transaction: then nothing of the group
          // before this call is stored either, and the calls after it must not run outside it.
          if (!sqlite.inTransaction) throw new TransactionLost(error)
          outcomes.push({ ok: false, error })
        }
      }
    })
  } catch (error) {
    const cause = error instanceof TransactionLost ? error.cause : error
    return settle(group, () => ({ ok: false, error: cause }))
  }
  if (attempt.busy) {
    // Another process holds the write lock: try again shortly, unless the oldest call has
    // waited as long as a writer may.
    if (Date.now() - group[0]!.queuedAt < WRITE_LOCK_TIMEOUT_MS) return schedule(RETRY_MS)
    const { error } = attempt
    return settle(group, () => ({ ok: false, error }))
  }
  settle(group, (i) => outcomes[i]!)
}

/**
 * The group's transaction has ended: take its calls off the queue, settle each with its own
 * outcome (committed) or all with one error (nothing stored), and start on the next group.
 */
function settle(group: Queued[], outcomeOf: (index: number) => Outcome) {
  queue.splice(0, group.length)
  group.forEach((item, i) => {
    const outcome = outcomeOf(i)
    if (outcome.ok) item.resolve(outcome.value)
    else item.reject(outcome.error)
  })
  schedule(null)
}
