// Factories shared by the integration tests (tests/integration/helpers.ts re-exports them) and
// the Playwright fixtures (tests/e2e/fixtures.ts): rows a test needs, written into whatever
// database DATABASE_PATH names in this process.
import { eq } from 'drizzle-orm'
import { db } from '~db/client.server'
import { bookings, children, institutions, memberships, slots, users, wishes, type MembershipRole, type NeedCategory } from '~db/schema'
import { hashPassword } from '~/auth/password.server'
import { createSession, generateSessionToken, sessionCookieName } from '~/auth/session.server'

// A random start keeps two processes writing into one database (Playwright's workers) apart.
let counter = Math.floor(Math.random() * 1000)
export function unique(prefix = 'u'): string {
  counter += 1
  return `${prefix}${Date.now().toString(36)}${counter}`
}

export const TEST_PASSWORD = 'correct-horse-9'
let passwordHash: Promise<string> | undefined

/**
 * A user who signs in with their e-mail address and TEST_PASSWORD; the address counts as
 * verified unless `verified: false` (as right after registering).
 */
export async function createUser(options: { displayName?: string; isPlatformAdmin?: boolean; verified?: boolean } = {}) {
  passwordHash ??= hashPassword(TEST_PASSWORD)
  const email = `${unique()}@test.example`
  const row = db
    .insert(users)
    .values({
      email,
      displayName: options.displayName ?? '测试用户',
      passwordHash: await passwordHash,
      isPlatformAdmin: options.isPlatformAdmin ?? false,
      emailVerifiedAt: options.verified === false ? null : new Date(),
    })
    .returning()
    .get()
  return row
}

/** A signed-in user's Cookie header value. */
export function signedInCookie(userId: number): string {
  const token = generateSessionToken()
  createSession(token, userId)
  return `${sessionCookieName()}=${token}`
}

export function createTestInstitution(name = '测试福利院', fields: { publicAddress?: string } = {}) {
  return db
    .insert(institutions)
    .values({ slug: unique('home-'), name, kind: 'welfare_home', province: '山东省', city: '滨州市', ...fields })
    .returning()
    .get()
}

export function addMember(userId: number, institutionId: number, role: MembershipRole) {
  db.insert(memberships).values({ userId, institutionId, role }).run()
}

/**
 * A new home with a staff member (and, with `manager: true`, a manager too), their sign-in
 * cookies and audit actors: the one factory the integration tests build a home with.
 */
export async function homeWithStaff(options: { name?: string; publicAddress?: string; manager?: boolean; ip?: string | null } = {}) {
  const home = createTestInstitution(options.name, { publicAddress: options.publicAddress })
  const manager = options.manager ? await createUser({ displayName: '院长' }) : undefined
  const staff = await createUser({ displayName: '社工' })
  if (manager) addMember(manager.id, home.id, 'manager')
  addMember(staff.id, home.id, 'staff')
  const ip = options.ip ?? null
  return {
    home,
    staff,
    cookie: signedInCookie(staff.id),
    actor: { userId: staff.id, ip },
    manager: manager as NonNullable<typeof manager>,
    managerCookie: manager ? signedInCookie(manager.id) : '',
    managerActor: { userId: manager?.id ?? 0, ip },
  }
}

export function findUserByEmail(email: string) {
  return db.select().from(users).where(eq(users.email, email)).get()
}

/** A published wish of a new child of this home, written straight into the tables (claims tests). */
export function createPublishedWish(
  institutionId: number,
  fields: {
    title?: string
    category?: NeedCategory
    campaignId?: number
    pseudonym?: string
    /** The child's private record, for tests that look for leaks. */
    child?: { realName?: string; birthDate?: string; privateNotes?: string }
    story?: string
    imageKey?: string
  } = {},
) {
  const child = db
    .insert(children)
    .values({
      institutionId,
      realName: fields.child?.realName ?? '测试儿童',
      birthDate: fields.child?.birthDate ?? '2016-03-01',
      privateNotes: fields.child?.privateNotes ?? '',
      gender: 'male',
      pseudonym: fields.pseudonym ?? '小明',
    })
    .returning()
    .get()
  return db
    .insert(wishes)
    .values({
      institutionId,
      childId: child.id,
      category: fields.category ?? 'study',
      title: fields.title ?? unique('一套课外书'),
      story: fields.story ?? '',
      imageKey: fields.imageKey ?? null,
      status: 'published',
      campaignId: fields.campaignId ?? null,
      publishedAt: new Date(),
    })
    .returning()
    .get()
}

/** A slot (published unless told) written straight into the table: `endsAt`, or `hours` after the start (2 by default). */
export function insertTestSlot(
  institutionId: number,
  fields: {
    title?: string
    startsAt?: Date
    endsAt?: Date
    hours?: number
    capacity?: number
    kind?: 'open_day' | 'tutoring' | 'camp' | 'activity'
    status?: 'draft' | 'published' | 'cancelled'
  } = {},
) {
  const startsAt = fields.startsAt ?? new Date(Date.now() + 86_400_000)
  return db
    .insert(slots)
    .values({
      institutionId,
      kind: fields.kind ?? 'open_day',
      title: fields.title ?? unique('社会开放日 '),
      startsAt,
      endsAt: fields.endsAt ?? new Date(startsAt.getTime() + (fields.hours ?? 2) * 3600_000),
      capacity: fields.capacity ?? 40,
      status: fields.status ?? 'published',
    })
    .returning()
    .get()
}

let bookingCodeCounter = 0
/** A booking (confirmed unless told) written straight into the table, with a unique slip code. */
export function insertTestBooking(
  slot: { id: number; institutionId: number },
  userId: number,
  fields: {
    partySize?: number
    contactName?: string
    contactPhone?: string
    organisation?: string
    status?: 'confirmed' | 'waitlisted' | 'cancelled'
    code?: string
  } = {},
) {
  bookingCodeCounter += 1
  const code =
    fields.code ??
    `T${process.pid.toString(36).toUpperCase()}${bookingCodeCounter.toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 5).toUpperCase()}`
  return db
    .insert(bookings)
    .values({
      slotId: slot.id,
      institutionId: slot.institutionId,
      userId,
      kind: fields.organisation ? 'group' : 'individual',
      partySize: fields.partySize ?? 1,
      organisation: fields.organisation ?? null,
      contactName: fields.contactName ?? '测试志愿者',
      contactPhone: fields.contactPhone ?? '13800000000',
      status: fields.status ?? 'confirmed',
      code,
      confirmedAt: (fields.status ?? 'confirmed') === 'confirmed' ? new Date() : null,
    })
    .returning()
    .get()
}

/**
 * Ids that name no row: not a number, zero, negative, a fraction, an exponent, a leading zero,
 * beyond 2^53, and a well-formed id of no row. Every id route answers these with 404, never 500.
 */
export const NOT_AN_ID = ['abc', '0', '-1', '1.5', '1e3', '0012', '99999999999999999999', '999999999'] as const
