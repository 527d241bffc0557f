import { z } from 'zod'

// Every environment variable the server reads, with its default. README's configuration
// table mirrors this schema.
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().positive().default(3000),
  DATABASE_PATH: z.string().min(1).default('data/weinuan.db'),
  DATA_DIR: z.string().min(1).default('data'),
  APP_ORIGIN: z.string().url().optional(),
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
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
  // Required with STRIPE_SECRET_KEY; the default is the mock checkout's public local secret.
  STRIPE_WEBHOOK_SECRET: z.string().min(1).default('whsec_weinuan_local_mock'),
  STRIPE_API_BASE: z.string().url().optional(),
  // Without STRIPE_SECRET_KEY: 'true' turns on the mock checkout (local runs; anyone can "pay").
  // Unset: on outside production only. A production site without a key takes no online gifts.
  PAYMENTS_MOCK: z.enum(['true', 'false']).optional(),
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
