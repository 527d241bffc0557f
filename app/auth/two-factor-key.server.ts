import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

// The TOTP keys of two-step sign-in are encrypted at rest (AES-256-GCM) with a key from the
// environment, so a copy of the database (a backup, a stolen disk) does not give away the
// second factor of every staff member. docs/decisions/020-two-factor.md.

/**
 * The public development key: used when TOTP_ENCRYPTION_KEY is unset outside production, and
 * refused in production (server/production.ts), like the public mock webhook secret.
 */
export const DEV_TOTP_ENCRYPTION_KEY = '7765696e75616e2d6465762d746f74702d6b65792d6e6f742d7365637265742e'

/** 32 bytes from 64 hex digits or base64, or null when the value is neither. */
export function parseEncryptionKey(value: string): Buffer | null {
  const trimmed = value.trim()
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex')
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64')
    if (bytes.length === 32) return bytes
  }
  return null
}

/** What is wrong with TOTP_ENCRYPTION_KEY for production, or null. */
export function encryptionKeyProblem(value: string | undefined): string | null {
  if (!value) {
    return 'TOTP_ENCRYPTION_KEY is not set: production needs its own key to encrypt the two-step sign-in keys (32 random bytes, e.g. `openssl rand -hex 32`).'
  }
  if (parseEncryptionKey(value)?.equals(Buffer.from(DEV_TOTP_ENCRYPTION_KEY, 'hex'))) {
    return 'TOTP_ENCRYPTION_KEY is the public development key: anyone could decrypt the two-step sign-in keys. Set a key of your own (`openssl rand -hex 32`).'
  }
  if (!parseEncryptionKey(value)) {
    return 'TOTP_ENCRYPTION_KEY must be 32 bytes written as 64 hex digits or base64 (e.g. `openssl rand -hex 32`).'
  }
  return null
}

// Read when used (not at import), like the payment settings, so a test can set it.
function encryptionKey(): Buffer {
  const configured = process.env.TOTP_ENCRYPTION_KEY || undefined
  if (!configured) {
    if (process.env.NODE_ENV === 'production') throw new Error('TOTP_ENCRYPTION_KEY is required in production')
    return Buffer.from(DEV_TOTP_ENCRYPTION_KEY, 'hex')
  }
  const key = parseEncryptionKey(configured)
  if (!key) throw new Error('TOTP_ENCRYPTION_KEY must be 32 bytes (64 hex digits or base64)')
  return key
}

/** "v1:" + base64(iv ‖ ciphertext ‖ tag). */
export function encryptSecret(plain: Uint8Array): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(), iv)
  const body = Buffer.concat([cipher.update(plain), cipher.final()])
  return `v1:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64')}`
}

/** The plain bytes, or null when the value was not encrypted with this key (or was altered). */
export function decryptSecret(stored: string): Uint8Array | null {
  if (!stored.startsWith('v1:')) return null
  const raw = Buffer.from(stored.slice(3), 'base64')
  if (raw.length < 12 + 16 + 1) return null
  const decipher = createDecipheriv('aes-256-gcm', encryptionKey(), raw.subarray(0, 12))
  decipher.setAuthTag(raw.subarray(raw.length - 16))
  try {
    return new Uint8Array(Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]))
  } catch {
    return null
  }
}
