import { z } from 'zod'

// Every environment variable the server reads, with its default. README's configuration
// table mirrors this schema.
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().positive().default(3000),
  // Server processes sharing the port and the database (server/cluster.ts). Unset: one per core
  // (os.availableParallelism()). Development (Vite) always runs one.
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  DATABASE_PATH: z.string().min(1).default('data/weinuan.db'),
  DATA_DIR: z.string().min(1).default('data'),
  // The site's public origin (scheme, host, port; any path is dropped). Required in production.
  APP_ORIGIN: z
    .string()
    .url()
    .refine((v) => /^https?:$/.test(new URL(v).protocol), 'must be an http(s) URL')
    .transform((v) => new URL(v).origin)
    .optional(),
  // Local demo (scripts/start, the e2e server): the built app outside production, with the
  // seeded demo accounts and the mock checkout. Refused together with NODE_ENV=production.
  DEMO_MODE: z.enum(['true', 'false']).optional(),
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  // Registrations one address may attempt per hour (app/auth/rate-limit.server.ts). A school or
  // company behind one NAT address registering a whole group at once may need more.
  REGISTRATIONS_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(30),
  // One-time codes (registration, 忘记密码) one address may have sent per hour: every
  // registration sends one, so it must grow with the registrations allowed above.
  CODE_SENDS_PER_IP_PER_HOUR: z.coerce.number().int().positive().default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Express "trust proxy": a hop count, true/false, or names/addresses such as "loopback".
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((v): string | number | boolean => (/^\d+$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v)),
  // Notification delivery (app/notifications/delivery.server.ts). Unset: messages are written
  // to $DATA_DIR/outbox/ as text files instead of being sent.
  SMS_API_URL: z.string().url().optional(),
  SMS_API_KEY: z.string().min(1).optional(),
  SMTP_URL: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(1).default('微暖 <no-reply@weinuan.example>'),
  // Money gifts (app/payments/). STRIPE_SECRET_KEY unset: the local MockProvider and its mock
  // checkout page at /dev/mock-checkout/:id stand in for Stripe. STRIPE_API_BASE points the SDK
  // at another API base (e.g. a stripe-mock server, http://localhost:12111).
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  // Required with STRIPE_SECRET_KEY. Unset without a key: the mock checkout signs with a random
  // secret kept in $DATA_DIR/mock-webhook-secret (app/payments/provider.server.ts).
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_API_BASE: z.string().url().optional(),
  // Without STRIPE_SECRET_KEY: 'false' turns the mock checkout (anyone can "pay") off outside
  // production; unset or 'true' leaves it on there. Never on in production: 'true' is refused.
  PAYMENTS_MOCK: z.enum(['true', 'false']).optional(),
  // Two-step sign-in (app/auth/two-factor.server.ts). The key that encrypts every TOTP key at
  // rest: 32 bytes as 64 hex digits or base64. Required in production; elsewhere unset means the
  // public development key. REQUIRE_STAFF_2FA=1 requires two-step sign-in of every staff member
  // and platform admin, whatever each home's own setting.
  TOTP_ENCRYPTION_KEY: z.string().min(1).optional(),
  REQUIRE_STAFF_2FA: z.enum(['0', '1']).optional(),
  // The in-process cache of anonymous public pages (server/page-cache.ts). Unset: on when the
  // built app is served (production, demo), off under the Vite dev server.
  PAGE_CACHE: z.enum(['on', 'off']).optional(),
})

export type Env = z.infer<typeof envSchema>

let cached: Env | undefined

export function getEnv(): Env {
  if (cached) return cached
  const parsed = envSchema.safeParse(process.env)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid environment: ${issues}`)
  }
  cached = parsed.data
  return cached
}

/** Secure cookies in production unless explicitly turned off (e.g. plain-HTTP LAN testing). */
export function cookiesAreSecure(): boolean {
  const env = getEnv()
  if (env.COOKIE_SECURE) return env.COOKIE_SECURE === 'true'
  return env.NODE_ENV === 'production'
}
