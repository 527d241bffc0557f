// A separate process with its own SQLite connection to the database in DATABASE_PATH, started by
// job-lease.test.ts and rate-limit-processes.test.ts so that limits and leases are exercised by
// two processes at once. Reads one JSON command per line on stdin and answers each with one JSON
// line: {"op":"lease","holder":…,"ttlMs":…} | {"op":"signIn","account":…,"ip":…} |
// {"op":"signInSucceeded","account":…,"ip":…} | {"op":"register","ip":…}.
import readline from 'node:readline'
import { signInSucceeded, spendRegistrationAttempt, spendSignInAttempt } from '~/auth/rate-limit.server'
import { takeLease } from '~/jobs/lease.server'

type Command =
  | { op: 'lease'; holder: string; ttlMs: number }
  | { op: 'signIn'; account: string; ip: string }
  | { op: 'signInSucceeded'; account: string; ip: string }
  | { op: 'register'; ip: string }

async function run(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'lease':
      return { held: takeLease('background-jobs', command.holder, command.ttlMs) }
    case 'signIn':
      return spendSignInAttempt(command.account, command.ip)
    case 'signInSucceeded':
      await signInSucceeded(command.account, command.ip)
      return { ok: true }
    case 'register':
      return spendRegistrationAttempt(command.ip)
  }
}

const rl = readline.createInterface({ input: process.stdin })
let queue = Promise.resolve()
rl.on('line', (line) => {
  queue = queue.then(async () => {
    try {
      process.stdout.write(`${JSON.stringify(await run(JSON.parse(line) as Command))}\n`)
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`)
    }
  })
})
rl.on('close', () => void queue.then(() => process.exit(0)))
process.stdout.write('ready\n')
