import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { REGISTER_LIMITS, SIGN_IN_LIMITS, type LimitResult } from '~/auth/rate-limit.server'
import { startCommandProcess, type CommandProcess } from './server-process'

// Issue 12: with one server process per core, sign-in and registration limits must hold across
// processes; otherwise an attacker spreading guesses over N workers gets N times the attempts.
// Two separate processes, each with its own SQLite connection to this test's database, take
// turns at spending attempts.

let one: CommandProcess
let two: CommandProcess
beforeAll(async () => {
  const file = process.env.DATABASE_PATH as string
  ;[one, two] = await Promise.all([
    startCommandProcess('tests/integration/workers/limits-and-lease.ts', file),
    startCommandProcess('tests/integration/workers/limits-and-lease.ts', file),
  ])
}, 30_000)
afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()])
})

type Answer = LimitResult & { scope?: 'account' | 'ip' }
const alternate = (i: number) => (i % 2 === 0 ? one : two)

describe('limits shared by every server process', () => {
  test("an account's failures are counted across processes: guesses spread over two processes are blocked after the free ones", async () => {
    const account = `email:shared-${Date.now()}@test.example`
    const answers: Answer[] = []
    for (let i = 0; i < SIGN_IN_LIMITS.freeFailures + 2; i++) {
      answers.push(await alternate(i).send<Answer>({ op: 'signIn', account, ip: `10.9.0.${i}` }))
    }
    expect(answers.slice(0, SIGN_IN_LIMITS.freeFailures).every((a) => a.ok)).toBe(true)
    expect(answers.slice(SIGN_IN_LIMITS.freeFailures)).toEqual([
      { ok: false, retryAfterSeconds: 60, scope: 'account' },
      { ok: false, retryAfterSeconds: 60, scope: 'account' },
    ])
  })

  test("one address's sign-in attempts are counted across processes, and a success in one process gives one back in the other", async () => {
    const ip = '10.9.1.1'
    for (let i = 0; i < SIGN_IN_LIMITS.perIp; i++) {
      const answer = await alternate(i).send<Answer>({ op: 'signIn', account: `email:ip-${i}-${Date.now()}@test.example`, ip })
      expect(answer.ok, `attempt ${i + 1}`).toBe(true)
    }
    await one.send({ op: 'signInSucceeded', account: 'email:someone@test.example', ip })
    expect((await two.send<Answer>({ op: 'signIn', account: 'email:one-more@test.example', ip })).ok).toBe(true)
    const refused = await one.send<Answer>({ op: 'signIn', account: 'email:too-many@test.example', ip })
    expect(refused).toMatchObject({ ok: false, scope: 'ip' })
  })

  test("one address's registrations are counted across processes", async () => {
    const ip = '10.9.2.1'
    for (let i = 0; i < REGISTER_LIMITS.perIp; i++) expect((await alternate(i).send<Answer>({ op: 'register', ip })).ok).toBe(true)
    expect(await two.send<Answer>({ op: 'register', ip })).toMatchObject({ ok: false })
    expect(await one.send<Answer>({ op: 'register', ip })).toMatchObject({ ok: false })
  })
})
