import { afterAll, describe, expect, test } from 'vitest'
import { JOBS_LEASE, JOBS_LEASE_MS, leaseHolder, releaseLease, runIfLeaseHeld, takeLease } from '~/jobs/lease.server'
import { testClock } from '~/utils/clock.server'
import { startCommandProcess, type CommandProcess } from './server-process'

// Issue 12: background jobs run in exactly one process, whatever number of server processes
// share the database; when the holder dies another takes over once its lease lapses.

function tick(holder: string, ran: string[]) {
  return runIfLeaseHeld(holder, async () => {
    ran.push(holder)
    return 'done'
  })
}

describe('the jobs lease', () => {
  test('two processes compete: exactly one runs the jobs, and the other takes over once the holder stops renewing', async () => {
    testClock.freeze('2026-06-01T00:00:00Z')
    const ran: string[] = []
    // Both ask on every tick, as every server process does each minute.
    for (let minute = 0; minute < 3; minute++) {
      await tick('process-a', ran)
      await tick('process-b', ran)
      testClock.advance(60_000)
    }
    expect(ran).toEqual(['process-a', 'process-a', 'process-a'])
    expect(leaseHolder(JOBS_LEASE)).toBe('process-a')

    // Process A dies (no more renewals). Until its lease lapses nobody else runs the jobs…
    await tick('process-b', ran)
    expect(ran).toHaveLength(3)
    testClock.advance(JOBS_LEASE_MS)
    // …then B takes over, and A, were it to come back, waits its turn.
    await tick('process-b', ran)
    await tick('process-a', ran)
    expect(ran).toEqual(['process-a', 'process-a', 'process-a', 'process-b'])
    expect(leaseHolder(JOBS_LEASE)).toBe('process-b')
  })

  test('a holder that shuts down gives the lease up at once', async () => {
    testClock.freeze('2026-06-02T00:00:00Z')
    const ran: string[] = []
    await tick('process-c', ran)
    await tick('process-d', ran)
    releaseLease(JOBS_LEASE, 'process-c')
    // Releasing someone else's lease does nothing.
    releaseLease(JOBS_LEASE, 'process-c')
    await tick('process-d', ran)
    expect(ran).toEqual(['process-c', 'process-d'])
  })

  describe('across processes', () => {
    const workers: CommandProcess[] = []
    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop()))
    })

    test('two processes asking at the same moment: exactly one gets it, every time', async () => {
      const file = process.env.DATABASE_PATH as string
      workers.push(
        await startCommandProcess('tests/integration/workers/limits-and-lease.ts', file),
        await startCommandProcess('tests/integration/workers/limits-and-lease.ts', file),
      )
      const [one, two] = workers as [CommandProcess, CommandProcess]
      for (let round = 0; round < 10; round++) {
        releaseLease(JOBS_LEASE, leaseHolder(JOBS_LEASE) ?? '')
        const [a, b] = await Promise.all([
          one.send<{ held: boolean }>({ op: 'lease', holder: `one-${round}`, ttlMs: 60_000 }),
          two.send<{ held: boolean }>({ op: 'lease', holder: `two-${round}`, ttlMs: 60_000 }),
        ])
        expect([a.held, b.held].filter(Boolean), `round ${round}`).toHaveLength(1)
        expect(leaseHolder(JOBS_LEASE)).toBe(a.held ? `one-${round}` : `two-${round}`)
      }
      expect(takeLease(JOBS_LEASE, 'this-process', 60_000)).toBe(false)
    })
  })
})
