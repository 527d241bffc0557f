import { redirect } from '@remix-run/node'
import { and, eq } from 'drizzle-orm'
import { db } from '~db/client.server'
import { institutions, memberships, users, type MembershipRole } from '~db/schema'
import type { Actor } from '~/audit/audit.server'
import { isUniqueViolation } from '~/utils/db-errors.server'
import { invariantFound, invariantResponse, notFound } from '~/utils/http.server'
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.server'
import { retryMinutes, signInSucceeded, spendRegistrationAttempt, spendSignInAttempt } from './rate-limit.server'
import {
  createSession,
  generateSessionToken,
  invalidateSession,
  readSessionToken,
  serializeBlankSessionCookie,
  serializeSessionCookie,
  sessionIdFromToken,
  validateSessionToken,
  type SessionUser,
  type SessionValidation,
  type TwoFactorState,
} from './session.server'
import { platformRequiresTwoFactor } from './two-factor.server'
import { parseIdentifier, safeRedirect, type Identifier } from './validation'

export type { SessionUser }

type SessionState = SessionValidation & { twoFactor: TwoFactorState }

// Per-request memo: loaders of nested routes all ask for the user of the same request.
const sessionCache = new WeakMap<Request, SessionState>()

/**
 * The request's session and user, signed in or halfway: `twoFactor` says whether the user has
 * two-step sign-in and whether this session passed it (app/auth/two-factor.server.ts);
 * `expiredId` names a session that ended by itself (idle or too old).
 */
export function getSession(request: Request): SessionState {
  const cached = sessionCache.get(request)
  if (cached) return cached
  const token = readSessionToken(request)
  const found: SessionValidation = token ? validateSessionToken(token) : { session: null, user: null, expiredId: null }
  const twoFactor = found.session ? found.twoFactor : { enabled: false, verified: false }
  const result = { ...found, twoFactor }
  sessionCache.set(request, result)
  return result
}

/** A session of a user with two-step sign-in that has not passed the second step yet. */
function awaitingSecondStep(state: SessionState): boolean {
  return state.session !== null && state.twoFactor.enabled && !state.twoFactor.verified
}

/** The signed-in user; a session still waiting for its two-step code counts as signed out. */
export function getUser(request: Request): SessionUser | null {
  const state = getSession(request)
  return awaitingSecondStep(state) ? null : state.user
}

/** The session and user of a sign-in that still needs its code (the two-step pages), or null. */
export function getHalfSignedIn(request: Request) {
  const state = getSession(request)
  return awaitingSecondStep(state) && state.session && state.user ? { session: state.session, user: state.user } : null
}

/** The two-step pages: who is halfway through signing in; anyone else is sent where they belong. */
export function requireHalfSignedIn(request: Request) {
  const half = getHalfSignedIn(request)
  if (half) return half
  const user = getUser(request)
  throw redirect(user ? signedInHome(user.id) : '/login')
}

function signInUrl(request: Request): string {
  return `/login?redirectTo=${backTo(request)}`
}

function backTo(request: Request): string {
  const url = new URL(request.url)
  return encodeURIComponent(url.pathname + url.search)
}

/**
 * The signed-in user, or off to sign in. A session that ended by itself (idle or too old) is
 * removed here, its cookie cleared, and the sign-in page says 登录已过期 (?expired=1).
 */
export function requireUser(request: Request): SessionUser {
  const user = getUser(request)
  if (user) return user
  if (getHalfSignedIn(request)) throw redirect(`/login/two-factor?redirectTo=${backTo(request)}`)
  const { expiredId } = getSession(request)
  if (expiredId) {
    invalidateSession(expiredId)
    throw redirect(`${signInUrl(request)}&expired=1`, { headers: { 'Set-Cookie': serializeBlankSessionCookie() } })
  }
  throw redirect(signInUrl(request))
}

/** Whether the account has proven its phone number or e-mail address with a code. */
export function hasVerifiedContact(user: Pick<SessionUser, 'phone' | 'email' | 'phoneVerifiedAt' | 'emailVerifiedAt'>): boolean {
  return Boolean((user.phone && user.phoneVerifiedAt) || (user.email && user.emailVerifiedAt))
}

/** Where an unverified account is sent to verify, coming back to this page afterwards. */
export function verifyContactUrl(request: Request): string {
  return `/account/verify?redirectTo=${backTo(request)}`
}

/**
 * Claiming a wish, giving with a receipt in one's name and booking volunteer slots need a
 * verified contact (the service record and the receipts hang on it): an unverified account is
 * sent to /account/verify, which explains why and comes back here once the code is typed.
 */
export function requireVerifiedContact(request: Request): SessionUser {
  const user = requireUser(request)
  if (!hasVerifiedContact(user)) throw redirect(verifyContactUrl(request))
  return user
}

/**
 * The one two-step check of the consoles (requireStaff, requirePlatformAdmin): when the
 * platform (REQUIRE_STAFF_2FA=1) or this home requires two-step sign-in and the user has not set
 * it up, they are sent to set it up first. (A user who has it always passed it: requireUser.)
 */
function requireTwoFactorWhenRequired(request: Request, requiredHere: boolean): void {
  if (!requiredHere || getSession(request).twoFactor.enabled) return
  throw redirect(`/account/two-factor?redirectTo=${backTo(request)}`)
}

export function requireAnonymous(request: Request): void {
  if (getUser(request)) throw redirect('/')
}

export function requirePlatformAdmin(request: Request): SessionUser {
  const user = requireUser(request)
  if (!user.isPlatformAdmin) throw new Response('Forbidden', { status: 403 })
  requireTwoFactorWhenRequired(request, platformRequiresTwoFactor())
  return user
}

export type StaffContext = {
  user: SessionUser
  institution: typeof institutions.$inferSelect
  role: MembershipRole
}

/**
 * The signed-in user must be a member of the institution with this slug (and a manager when
 * asked). Anyone else gets 404, so staff cannot even learn which consoles exist.
 */
export function requireStaff(request: Request, institutionSlug: string | undefined, options: { role?: MembershipRole } = {}): StaffContext {
  const user = requireUser(request)
  if (!institutionSlug) notFound()
  const row = invariantFound(
    db
      .select({ institution: institutions, role: memberships.role })
      .from(institutions)
      .innerJoin(memberships, and(eq(memberships.institutionId, institutions.id), eq(memberships.userId, user.id)))
      .where(eq(institutions.slug, institutionSlug))
      .get(),
  )
  invariantResponse(options.role !== 'manager' || row.role === 'manager', 'Forbidden', { status: 403 })
  requireTwoFactorWhenRequired(request, platformRequiresTwoFactor() || row.institution.requireTwoFactor)
  return { user, institution: row.institution, role: row.role }
}

export function actorFrom(user: { id: number }, context: { ip: string | null } | undefined): Actor {
  return { userId: user.id, ip: context?.ip ?? null }
}

export function findUserByIdentifier(identifier: Identifier) {
  return db
    .select()
    .from(users)
    .where(identifier.kind === 'phone' ? eq(users.phone, identifier.value) : eq(users.email, identifier.value))
    .get()
}

export type SignInResult =
  { ok: true; userId: number } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'rate_limited'; message: string }

export async function verifySignIn(input: { identifier: string; password: string; ip: string | null }): Promise<SignInResult> {
  const identifier = parseIdentifier(input.identifier)
  const accountKey = identifier ? `${identifier.kind}:${identifier.value}` : `raw:${input.identifier.trim()}`
  const ip = input.ip ?? 'unknown'
  const allowed = await spendSignInAttempt(accountKey, ip)
  if (!allowed.ok) {
    const minutes = retryMinutes(allowed.retryAfterSeconds)
    const message =
      allowed.scope === 'account'
        ? `登录尝试次数过多，为保护账号已暂停登录，请 ${minutes} 分钟后再试`
        : `登录尝试次数过多，请 ${minutes} 分钟后再试`
    return { ok: false, reason: 'rate_limited', message }
  }

  const user = identifier ? findUserByIdentifier(identifier) : undefined
  const valid = user
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await dummyPasswordHash(), input.password), false)
  if (valid) await signInSucceeded(accountKey, ip)
  return valid && user ? { ok: true, userId: user.id } : { ok: false, reason: 'invalid' }
}

export type RegisterResult =
  | { ok: true; userId: number }
  | { ok: false; field: 'identifier'; message: string; status: 400 }
  | { ok: false; field: ''; message: string; status: 429 }

/**
 * Register an account. Each attempt from an address is counted first (per-IP limit), then an
 * existing account is refused before any password is hashed: argon2 is spent on new accounts only.
 */
export async function registerUser(input: {
  identifier: string
  displayName: string
  password: string
  ip: string | null
}): Promise<RegisterResult> {
  const identifier = parseIdentifier(input.identifier)
  if (!identifier) return { ok: false, field: 'identifier', message: '请输入有效的中国大陆手机号（11 位）或邮箱地址', status: 400 }
  const allowed = await spendRegistrationAttempt(input.ip ?? 'unknown')
  if (!allowed.ok)
    return { ok: false, field: '', message: `注册尝试次数过多，请 ${retryMinutes(allowed.retryAfterSeconds)} 分钟后再试`, status: 429 }
  // The unique indexes are the authority; the lookup gives the nicer message and saves the hash.
  if (findUserByIdentifier(identifier)) {
    return {
      ok: false,
      field: 'identifier',
      message: identifier.kind === 'phone' ? '该手机号已注册，请直接登录' : '该邮箱已注册，请直接登录',
      status: 400,
    }
  }
  const passwordHash = await hashPassword(input.password)
  try {
    const row = db
      .insert(users)
      .values({
        displayName: input.displayName.trim(),
        passwordHash,
        phone: identifier.kind === 'phone' ? identifier.value : null,
        email: identifier.kind === 'email' ? identifier.value : null,
      })
      .returning({ id: users.id })
      .get()
    return { ok: true, userId: row.id }
  } catch (error) {
    if (isUniqueViolation(error)) {
      return { ok: false, field: 'identifier', message: '该账号已注册，请直接登录', status: 400 }
    }
    throw error
  }
}

/**
 * Where a user lands after signing in when they came without a (safe) redirectTo: platform
 * admins on /admin, staff of one home on its console, staff of several homes on the chooser
 * (/staff), everyone else on the home page.
 */
export function signedInHome(userId: number): string {
  const user = db.select({ isPlatformAdmin: users.isPlatformAdmin }).from(users).where(eq(users.id, userId)).get()
  if (user?.isPlatformAdmin) return '/admin'
  const homes = db
    .select({ slug: institutions.slug })
    .from(memberships)
    .innerJoin(institutions, eq(institutions.id, memberships.institutionId))
    .where(eq(memberships.userId, userId))
    .limit(2)
    .all()
  if (homes.length === 1 && homes[0]) return `/staff/${encodeURIComponent(homes[0].slug)}`
  return homes.length > 1 ? '/staff' : '/'
}

/**
 * Start a fresh session (rotating away any session the request carried) and redirect: to
 * redirectTo when it is a path on this site (safeRedirect), otherwise to signedInHome().
 */
export function startSessionAndRedirect(
  request: Request,
  userId: number,
  redirectTo: string | undefined,
  options: { ip: string | null; location?: string },
): Response {
  // Where to go is settled first: nothing after the session is created may fail.
  const location = options.location ?? (safeRedirect(redirectTo, '') || signedInHome(userId))
  const previous = readSessionToken(request)
  if (previous) invalidateSession(sessionIdFromToken(previous))
  const token = generateSessionToken()
  const session = createSession(token, userId, { userAgent: request.headers.get('User-Agent'), ip: options.ip })
  return redirect(location, {
    headers: { 'Set-Cookie': serializeSessionCookie(token, session.expiresAt) },
  })
}
