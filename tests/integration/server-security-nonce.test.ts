import { describe, expect, test } from 'vitest'
import { newNonce } from '../../server/security'

// server/security.ts draws the random bytes of 256 CSP nonces at once (issue 12): every nonce is
// still 128 random bits, used once.
describe('CSP nonces', () => {
  test('each is 16 bytes of base64 and none repeats, across several draws', () => {
    const nonces = Array.from({ length: 1000 }, () => newNonce())
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/)
      expect(Buffer.from(nonce, 'base64')).toHaveLength(16)
    }
    expect(new Set(nonces).size).toBe(nonces.length)
  })
})
