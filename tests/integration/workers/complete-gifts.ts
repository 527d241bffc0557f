// A separate process that completes gifts through handleStripeEvent against the database in
// DATABASE_PATH, started by matching.test.ts so that several processes (each with its own SQLite
// connection) complete gifts at the same moment near a matching pledge's cap. Waits for one line
// (a JSON array of Stripe events), applies them all, prints the outcomes as one JSON line.
import readline from 'node:readline'
import type Stripe from 'stripe'
import { handleStripeEvent } from '~/payments/payments.server'

const rl = readline.createInterface({ input: process.stdin })
process.stdout.write('ready\n')
rl.on('line', (line) => {
  const events = JSON.parse(line) as Stripe.Event[]
  const outcomes = events.map((event) => handleStripeEvent(event))
  process.stdout.write(`${JSON.stringify(outcomes)}\n`)
})
