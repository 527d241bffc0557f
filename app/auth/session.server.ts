import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { and, eq, ne, sql } from 'drizzle-orm'
import { db, preparedOnce } from '~db/client.server'
import { sessions, users } from '~db/schema'
import { now } from '~/utils/clock.server'
import { cookiesAreSecure } from '~/utils/env.server'

// Sessions as in the Lucia guide (lucia-auth.com/sessions): a random token lives in the
// cookie and only its SHA-256 is stored, so a database leak does not leak sessions.
const DAY = 24 * 60 * 60 * 1000
export const SESSION_TTL_MS = 30 * DAY
const RENEW_WITHIN_MS = 15 * DAY

export type SessionUser = Pick<typeof users.$inferSelect, 'id' | 'displayName' | 'email' | 'phone' | 'isPlatformAdmin'>
export type Session = { id: string; userId: number; expiresAt: Date }

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20)
  crypto.getRandomValues(bytes)
  return encodeBase32LowerCaseNoPadding(bytes)
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}

export function createSession(token: string, userId: number): Session {
  const session: Session = {
    id: sessionIdFromToken(token),
    userId,
    expiresAt: new Date(now().getTime() + SESSION_TTL_MS),
  }
  db.insert(sessions).values(session).run()
  return session
}

// Every signed-in request asks this: prepared once (db/client.server.ts preparedOnce).
const sessionQuery = preparedOnce(() =>
  db
    .select({
      session: { id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt },
      user: {
        id: users.id,
        displayName: users.displayName,
        email: users.email,
        phone: users.phone,
        isPlatformAdmin: users.isPlatformAdmin,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder('sessionId')))
    .prepare(),
)

export function validateSessionToken(token: string): { session: Session; user: SessionUser } | { session: null; user: null } {
  const sessionId = sessionIdFromToken(token)
  const row = sessionQuery().get({ sessionId })
  if (!row) return { session: null, user: null }
  const { session, user } = row
  const t = now().getTime()
  if (t >= session.expiresAt.getTime()) {
    db.delete(sessions).where(eq(sessions.id, session.id)).run()
    return { session: null, user: null }
  }
  // Sliding expiry: renew once the session has used half its lifetime.
  if (t >= session.expiresAt.getTime() - RENEW_WITHIN_MS) {
    session.expiresAt = new Date(t + SESSION_TTL_MS)
    db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, session.id)).run()
  }
  return { session, user }
}

export function invalidateSession(sessionId: string): void {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run()
}

/** Sign out everywhere; keepSessionId lets the current device stay signed in if wanted. */
export function invalidateUserSessions(userId: number, keepSessionId?: string): void {
  db.delete(sessions)
    .where(keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId))
    .run()
}

export function sessionCookieName(): string {
  return cookiesAreSecure() ? '__Host-weinuan_session' : 'weinuan_session'
}

export function serializeSessionCookie(token: string, expiresAt: Date): string {
  const parts = [`${sessionCookieName()}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Expires=${expiresAt.toUTCString()}`]
  if (cookiesAreSecure()) parts.push('Secure')
  return parts.join('; ')
}

export function serializeBlankSessionCookie(): string {
  const parts = [`${sessionCookieName()}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0']
  if (cookiesAreSecure()) parts.push('Secure')
  return parts.join('; ')
}

export function readSessionToken(request: Request): string | null {
  const header = request.headers.get('Cookie')
  if (!header) return null
  const name = sessionCookieName()
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) {
      const value = v.join('=')
      return /^[a-z2-7]{32}$/.test(value) ? value : null
    }
  }
  return null
}
