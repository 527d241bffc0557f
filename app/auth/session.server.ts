import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { and, eq, inArray, lte, ne, sql } from 'drizzle-orm'
import { db, preparedOnce, writeTransaction } from '~db/client.server'
import { memberships, sessions, users } from '~db/schema'
import { now } from '~/utils/clock.server'
import { cookiesAreSecure } from '~/utils/env.server'
import { describeDevice } from './device'

// Sessions as in the Lucia guide (lucia-auth.com/sessions): a random token lives in the
// cookie and only its SHA-256 is stored, so a database leak does not leak sessions.
//
// Two limits end a session, whichever comes first: an idle timeout (no request for that long)
// and an absolute lifetime from signing in. Staff (anyone with an institution membership) and
// platform admins get short ones: their sessions open children's records and the console.
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
export const SESSION_LIMITS = {
  member: { idleMs: 30 * DAY, absoluteMs: 90 * DAY },
  staff: { idleMs: 12 * HOUR, absoluteMs: 7 * DAY },
} as const
/**
 * last_seen_at is written at most this often per session: the signed-in pages are a hot path
 * (issue 12) and most requests only read. The idle timeout is therefore exact to within this.
 */
export const LAST_SEEN_EVERY_MS = 5 * MINUTE

export type SessionUser = Pick<
  typeof users.$inferSelect,
  'id' | 'displayName' | 'email' | 'phone' | 'isPlatformAdmin' | 'phoneVerifiedAt' | 'emailVerifiedAt'
>
export type Session = { id: string; userId: number; expiresAt: Date; createdAt: Date; lastSeenAt: Date }
/** Whether the session's user has two-step sign-in, and whether this session passed it. */
export type TwoFactorState = { enabled: boolean; verified: boolean }
export type SessionValidation =
  | { session: Session; user: SessionUser; twoFactor: TwoFactorState; expiredId?: undefined }
  | { session: null; user: null; expiredId: string | null }

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20)
  crypto.getRandomValues(bytes)
  return encodeBase32LowerCaseNoPadding(bytes)
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}

/**
 * The name a session goes by in pages and forms (登录设备): derived from its id by another hash,
 * so the page never shows the id itself, and it means nothing outside its owner's list.
 */
export function publicSessionId(sessionId: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(`device:${sessionId}`))).slice(0, 16)
}

/** Staff (any institution membership) and platform admins have the short session limits. */
function isStaffUser(userId: number): boolean {
  const row = db
    .select({
      isPlatformAdmin: users.isPlatformAdmin,
      member: sql<number>`exists (select 1 from ${memberships} where ${memberships.userId} = ${users.id})`,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get()
  return Boolean(row && (row.isPlatformAdmin || row.member))
}

export function sessionLimitsFor(staff: boolean) {
  return staff ? SESSION_LIMITS.staff : SESSION_LIMITS.member
}

export function createSession(token: string, userId: number, origin: { userAgent?: string | null; ip?: string | null } = {}): Session {
  const createdAt = now()
  const session: Session = {
    id: sessionIdFromToken(token),
    userId,
    createdAt,
    lastSeenAt: createdAt,
    expiresAt: new Date(createdAt.getTime() + sessionLimitsFor(isStaffUser(userId)).absoluteMs),
  }
  // Writes here and below go through writeTransaction: its quick retry of a busy BEGIN, not
  // SQLite's busy handler, which sleeps up to 100 ms inside the event loop (issue 12).
  writeTransaction((tx) => {
    // The user's sessions that ended by themselves go now (their cookies are dead anyway).
    tx.delete(sessions)
      .where(and(eq(sessions.userId, userId), lte(sessions.expiresAt, createdAt)))
      .run()
    tx.insert(sessions)
      .values({
        id: session.id,
        userId,
        expiresAt: session.expiresAt,
        createdAt,
        device: describeDevice(origin.userAgent),
        ip: origin.ip ?? null,
      })
      .run()
  })
  return session
}

// Every signed-in request asks this: prepared once (db/client.server.ts preparedOnce).
const sessionQuery = preparedOnce(() =>
  db
    .select({
      session: {
        id: sessions.id,
        userId: sessions.userId,
        expiresAt: sessions.expiresAt,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
      },
      user: {
        id: users.id,
        displayName: users.displayName,
        email: users.email,
        phone: users.phone,
        isPlatformAdmin: users.isPlatformAdmin,
        phoneVerifiedAt: users.phoneVerifiedAt,
        emailVerifiedAt: users.emailVerifiedAt,
      },
      // The two-step state (app/auth/two-factor.server.ts) comes with the session: one query.
      twoFactorVerified: sessions.twoFactorVerified,
      twoFactorEnabled: sql<number>`${users.totpKey} IS NOT NULL`,
      // memberships_user_institution_unique starts with user_id: one index probe.
      isMember: sql<number>`exists (select 1 from ${memberships} where ${memberships.userId} = ${users.id})`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder('sessionId')))
    .prepare(),
)

// The throttled last-seen write, prepared once too.
const touchStatement = preparedOnce(() =>
  db
    .update(sessions)
    .set({ lastSeenAt: sql`${sql.placeholder('at')}` })
    .where(eq(sessions.id, sql.placeholder('sessionId')))
    .prepare(),
)

type SessionRow = { expiresAt: Date; createdAt: Date; lastSeenAt: Date | null }

/** Whether a session has ended by itself at `t`: past its absolute end or idle too long. */
export function sessionEnded(row: SessionRow, staff: boolean, t: number): boolean {
  const limits = sessionLimitsFor(staff)
  const lastSeen = (row.lastSeenAt ?? row.createdAt).getTime()
  return t >= row.expiresAt.getTime() || t >= row.createdAt.getTime() + limits.absoluteMs || t >= lastSeen + limits.idleMs
}

/**
 * The session and user of this token. An ended session is not deleted here (reading stays a
 * read): its id comes back as expiredId so that requireUser can say 登录已过期 and remove it.
 */
export function validateSessionToken(token: string): SessionValidation {
  const sessionId = sessionIdFromToken(token)
  const row = sessionQuery().get({ sessionId })
  if (!row) return { session: null, user: null, expiredId: null }
  const { user } = row
  const staff = user.isPlatformAdmin || Boolean(row.isMember)
  const t = now().getTime()
  if (sessionEnded(row.session, staff, t)) return { session: null, user: null, expiredId: row.session.id }
  const lastSeenAt = row.session.lastSeenAt ?? row.session.createdAt
  const session: Session = { ...row.session, lastSeenAt }
  if (t - lastSeenAt.getTime() >= LAST_SEEN_EVERY_MS) {
    session.lastSeenAt = new Date(t)
    writeTransaction(() => touchStatement().run({ at: t, sessionId }))
  }
  return { session, user, twoFactor: { enabled: Boolean(row.twoFactorEnabled), verified: Boolean(row.twoFactorVerified) } }
}

export function invalidateSession(sessionId: string): void {
  writeTransaction((tx) => tx.delete(sessions).where(eq(sessions.id, sessionId)).run())
}

/** Sign out everywhere; keepSessionId lets the current device stay signed in if wanted. */
export function invalidateUserSessions(userId: number, keepSessionId?: string): void {
  writeTransaction((tx) =>
    tx
      .delete(sessions)
      .where(keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId))
      .run(),
  )
}

export type DeviceSession = { publicId: string; device: string; ip: string | null; createdAt: Date; lastSeenAt: Date; current: boolean }

/**
 * The live sessions of this user (登录设备), newest activity first; the ended ones are removed on
 * the way. Sessions are named by publicSessionId, never by their id.
 */
export function listUserSessions(userId: number, currentSessionId: string | null): DeviceSession[] {
  const t = now().getTime()
  const staff = isStaffUser(userId)
  const rows = db.select().from(sessions).where(eq(sessions.userId, userId)).all()
  const ended = rows.filter((r) => sessionEnded(r, staff, t)).map((r) => r.id)
  if (ended.length)
    writeTransaction((tx) =>
      tx
        .delete(sessions)
        .where(and(eq(sessions.userId, userId), inArray(sessions.id, ended)))
        .run(),
    )
  return rows
    .filter((r) => !ended.includes(r.id))
    .map((r) => ({
      publicId: publicSessionId(r.id),
      device: r.device || '未知设备',
      ip: r.ip,
      createdAt: r.createdAt,
      lastSeenAt: r.lastSeenAt ?? r.createdAt,
      current: r.id === currentSessionId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.getTime() - a.lastSeenAt.getTime())
}

/**
 * Sign out one device of this user, named by its public id. Only the user's own sessions are
 * looked at, so another person's public id (or session id) ends nothing. Returns whether one ended.
 */
export function invalidateUserSessionByPublicId(userId: number, publicId: string): boolean {
  const own = db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId)).all()
  const match = own.find((s) => publicSessionId(s.id) === publicId)
  if (!match) return false
  return (
    db
      .delete(sessions)
      .where(and(eq(sessions.id, match.id), eq(sessions.userId, userId)))
      .run().changes > 0
  )
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
