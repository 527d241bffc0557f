import type { Database } from 'better-sqlite3'
import { demoAccounts } from '~/seed/demo.server'
import { encryptionKeyProblem } from '~/auth/two-factor-key.server'
import { PUBLIC_MOCK_WEBHOOK_SECRET } from '~/payments/provider.server'
import type { Env } from '~/utils/env.server'

// What a production server (NODE_ENV=production) refuses to start with. Each problem is one
// sentence for the operator; server/index.ts prints them all and exits 1 before listening.
// docs/decisions/010-production-safety.md gives the reasons; README's Security section lists them.

/** Demo accounts (app/seed/demo.server.ts, the seed's own list) present in this database. */
export function demoAccountsPresent(sqlite: Database): string[] {
  const emails = demoAccounts.map((a) => a.email)
  const rows = sqlite
    .prepare(`SELECT email FROM users WHERE email IN (${emails.map(() => '?').join(', ')}) ORDER BY id`)
    .all(...emails) as Array<{ email: string }>
  return rows.map((r) => r.email)
}

export function productionProblems(env: Env, sqlite: Database): string[] {
  if (env.NODE_ENV !== 'production') return []
  const problems: string[] = []
  if (env.DEMO_MODE === 'true') {
    problems.push(
      'DEMO_MODE=true is for local demos only (scripts/start without NODE_ENV=production); it cannot run with NODE_ENV=production.',
    )
  }
  if (!env.APP_ORIGIN) {
    problems.push(
      'APP_ORIGIN is not set: production needs the public origin (e.g. APP_ORIGIN=https://weinuan.example.org) for links, QR codes, Stripe return URLs and the CSRF check; the Host header is never trusted.',
    )
  }
  if (env.PAYMENTS_MOCK === 'true') {
    problems.push(
      'PAYMENTS_MOCK=true: the mock checkout lets anyone "pay" and is refused in production. Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or leave both unset to take no online gifts.',
    )
  }
  if (env.STRIPE_WEBHOOK_SECRET === PUBLIC_MOCK_WEBHOOK_SECRET) {
    problems.push(
      `STRIPE_WEBHOOK_SECRET is the public mock secret (${PUBLIC_MOCK_WEBHOOK_SECRET}): anyone could forge payments. Set the signing secret of your Stripe webhook endpoint.`,
    )
  } else if (env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
    problems.push(
      'STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: set the signing secret of your Stripe webhook endpoint (whsec_…).',
    )
  }
  const totpKey = encryptionKeyProblem(env.TOTP_ENCRYPTION_KEY)
  if (totpKey) problems.push(totpKey)
  const demo = demoAccountsPresent(sqlite)
  if (demo.length > 0) {
    problems.push(
      `The database holds demo accounts with the public demo password (${demo.join(', ')}): it was seeded for a demo. Use a fresh database, or delete these accounts.`,
    )
  }
  return problems
}
