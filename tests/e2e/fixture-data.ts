// What the Playwright fixtures (./fixtures.ts) create, through the app's own domain functions
// and the factories the integration tests use, in this run's database (DATABASE_PATH, set by
// tests/playwright.config.ts for serve.sh and the test workers alike). Loaded only when a test
// first asks for data, so that collecting the specs never opens the database. Each write is
// one short transaction: the server's two cluster workers write to the same WAL file.
import { and, asc, eq, sql } from 'drizzle-orm'
import { db } from '~db/client.server'
import { bookings, claims, needs, pledges, type NeedCategory, type PublicDisplay, type SlotKind } from '~db/schema'
import type { Actor } from '~/audit/audit.server'
import { bookSlot } from '~/bookings/bookings.server'
import { createCampaign } from '~/campaigns/campaigns.server'
import { checkIn, checkOut } from '~/checkin/checkin.server'
import { createChild } from '~/children/children.server'
import { claimWish } from '~/claims/claims.server'
import { cancelNeed, createNeed } from '~/needs/needs.server'
import { pledgeToNeed } from '~/needs/pledges.server'
import { applyToProgramme, reviewApplication } from '~/programmes/applications.server'
import { createFamily } from '~/programmes/families.server'
import { createPairing } from '~/programmes/pairings.server'
import { createProgramme } from '~/programmes/programmes.server'
import { cancelSlot, createSlot } from '~/slots/slots.server'
import { testClock } from '~/utils/clock.server'
import { addShanghaiDays, shanghaiDateString } from '~/utils/shanghai-date'
import { saveProfile, submitBackgroundCheck, verifyBackgroundCheck } from '~/volunteers/profiles.server'
import { createWish, publishWishes, withdrawWish } from '~/wishes/wishes.server'
import { createUser, homeWithStaff, TEST_PASSWORD, unique } from '../factories'

/** Undo steps of one test, run after it (newest first); refusals are ignored. */
export type Cleanup = Array<() => unknown>

const DAY = 86_400_000

/** The value of a domain result, or a thrown error naming what was refused. */
function ok<T extends { ok: boolean }>(result: T, what: string): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`fixture: ${what} refused: ${JSON.stringify(result)}`)
  return result as Extract<T, { ok: true }>
}

/** Run domain code as if it were `at` (a slot posted and booked before it started, hours served in the past). */
function asOf<T>(at: Date | undefined, fn: () => T): T {
  if (!at) return fn()
  testClock.freeze(at)
  try {
    return fn()
  } finally {
    testClock.reset()
  }
}

const tag = () => Math.random().toString(36).slice(2, 7)
const phone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`

// ---- People and homes --------------------------------------------------------------------------

export type E2eUser = { id: number; email: string; password: string; displayName: string }

export async function insertUser(options: { displayName?: string } = {}): Promise<E2eUser> {
  const user = await createUser({ displayName: options.displayName ?? `志愿者${tag()}` })
  return { id: user.id, email: user.email!, password: TEST_PASSWORD, displayName: user.displayName }
}

export type E2eHome = { id: number; slug: string; name: string; publicAddress: string; staff: E2eUser; manager: E2eUser; actor: Actor }

/** A new home with a staff member and a manager who sign in with their e-mail and TEST_PASSWORD. */
export async function insertHome(options: { name?: string; publicAddress?: string } = {}): Promise<E2eHome> {
  const made = await homeWithStaff({ name: options.name ?? `测试福利院${tag()}`, publicAddress: options.publicAddress, manager: true })
  const person = (u: typeof made.staff): E2eUser => ({ id: u.id, email: u.email!, password: TEST_PASSWORD, displayName: u.displayName })
  return { ...made.home, staff: person(made.staff), manager: person(made.manager), actor: made.actor }
}

/** The volunteer's real-name profile (志愿者资料), as they fill it in on /me/volunteer. */
export function insertProfile(user: E2eUser, profile: { realName: string; birthDate?: string }) {
  const mobile = phone()
  ok(saveProfile(user.id, { realName: profile.realName, phone: mobile, birthDate: profile.birthDate ?? '1996-04-01' }), 'volunteer profile')
  return { phone: mobile }
}

/**
 * A volunteer with a real-name profile whose background check a home has verified: they book a
 * place at a new home, submit the evidence, and that home's staff verify it.
 */
export async function verifyVolunteer(cleanup: Cleanup, user: E2eUser, profile: { realName: string; birthDate?: string }) {
  const { phone: mobile } = insertProfile(user, profile)
  const home = await insertHome()
  const slot = insertSlot(cleanup, home, { title: `志愿者见面会 ${tag()}`, startsAt: new Date(Date.now() + 30 * DAY) })
  insertBooking(slot, user, { contactName: profile.realName, contactPhone: mobile })
  ok(submitBackgroundCheck(user.id, '无犯罪记录证明（e2e）'), 'background check evidence')
  ok(verifyBackgroundCheck(home.actor, home.id, user.id), 'background check review')
}

// ---- Wishes and claims -------------------------------------------------------------------------

export type WishFields = {
  title: string
  category?: NeedCategory
  story?: string
  itemDetails?: string
  estimatedValueFen?: number | null
  campaignId?: number | null
  child: { realName: string; pseudonym: string; birthDate?: string; gender?: 'female' | 'male'; privateNotes?: string }
}

/** A published wish of a new child of the home; withdrawn after the test if still open. */
export function insertWish(cleanup: Cleanup, home: E2eHome, fields: WishFields) {
  const { child: c } = fields
  const child = ok(
    createChild(home.actor, home.id, {
      realName: c.realName,
      pseudonym: c.pseudonym,
      birthDate: c.birthDate ?? '2016-09-01',
      gender: c.gender ?? 'female',
      privateNotes: c.privateNotes,
    }),
    'child',
  ).child
  const wish = ok(
    createWish(home.actor, home.id, {
      childId: child.id,
      category: fields.category ?? 'study',
      title: fields.title,
      story: fields.story ?? '',
      itemDetails: fields.itemDetails,
      quantity: 1,
      estimatedValueFen: fields.estimatedValueFen ?? null,
      campaignId: fields.campaignId ?? null,
    }),
    'wish',
  ).wish
  const published = publishWishes(home.actor, home.id, [wish.id])
  if (!published.published.includes(wish.id)) throw new Error(`fixture: publishing refused: ${JSON.stringify(published.refused)}`)
  cleanup.push(() => withdrawWish(home.actor, home.id, wish.id))
  return { id: wish.id, title: wish.title }
}

export function insertCampaign(home: E2eHome, fields: { name: string; description?: string }) {
  const day = (offset: number) => addShanghaiDays(shanghaiDateString(new Date()), offset)
  return ok(
    createCampaign(home.actor, home.id, { name: fields.name, description: fields.description, startsOn: day(-1), endsOn: day(30) }),
    'campaign',
  ).campaign
}

export function insertClaim(wish: { id: number }, user: E2eUser, publicDisplay: PublicDisplay = 'masked') {
  const claim = ok(claimWish({ userId: user.id, wishId: wish.id, publicDisplay }), 'claim')
  return { id: claim.claimId, referenceCode: claim.referenceCode }
}

// ---- Needs and pledges -------------------------------------------------------------------------

/** An open need of the home; cancelled after the test (with any pledge still open). */
export function insertNeed(
  cleanup: Cleanup,
  home: E2eHome,
  fields: { title: string; unit: string; quantityNeeded: number; urgency?: 'normal' | 'urgent' },
) {
  const need = ok(
    createNeed(home.actor, home.id, {
      title: fields.title,
      category: 'material',
      itemDescription: '',
      specification: '',
      unit: fields.unit,
      quantityNeeded: fields.quantityNeeded,
      perPledgeMax: null,
      urgency: fields.urgency ?? 'normal',
      deadline: null,
      deliveryAddress: '',
      deliveryHours: '',
    }),
    'need',
  ).need
  cleanup.push(() => cancelNeed(home.actor, home.id, need.id))
  return need
}

/** The user's pledge, due in three days. */
export function insertPledge(need: { id: number }, user: E2eUser, quantity: number, publicDisplay: PublicDisplay = 'masked') {
  const pledge = ok(
    pledgeToNeed({ userId: user.id, needId: need.id, quantity, expectedAt: new Date(Date.now() + 3 * DAY), publicDisplay }),
    'pledge',
  )
  return { id: pledge.pledgeId, code: pledge.code }
}

// ---- Slots and bookings ------------------------------------------------------------------------

export type SlotFields = {
  title: string
  startsAt: Date
  minutes?: number
  kind?: SlotKind
  description?: string
  location?: string
  capacity?: number
  /** Group bookings (of up to 20 people), as the slot form defaults to. */
  allowGroups?: boolean
  /** When staff posted it (the fixture's clock is set there): for a slot that has already started. */
  postedAt?: Date
}

/** A published slot of the home; cancelled after the test if it has not ended. */
export function insertSlot(cleanup: Cleanup, home: E2eHome, fields: SlotFields) {
  const input = {
    kind: fields.kind ?? 'open_day',
    title: fields.title,
    description: fields.description ?? '',
    location: fields.location ?? '',
    startsAt: fields.startsAt,
    endsAt: new Date(fields.startsAt.getTime() + (fields.minutes ?? 120) * 60_000),
    capacity: fields.capacity ?? 40,
    opensAt: null,
    closesAt: null,
    allowGroups: fields.allowGroups ?? true,
    groupMinDaysAhead: 0,
    groupMaxSize: 20,
    cancelCutoffHours: 24,
    offerHoldHours: 12,
    minAge: null,
    requiredQualifications: [],
    requiresBackgroundCheck: false,
  }
  const slot = ok(
    asOf(fields.postedAt, () => createSlot(home.actor, home.id, input, { publish: true })),
    'slot',
  ).slot
  cleanup.push(() => cancelSlot(home.actor, home.id, slot.id))
  return slot
}

export function insertBooking(
  slot: { id: number },
  user: E2eUser,
  fields: { partySize?: number; organisation?: string; contactName?: string; contactPhone?: string; bookedAt?: Date } = {},
) {
  const group = fields.organisation !== undefined
  const booking = ok(
    asOf(fields.bookedAt, () =>
      bookSlot({
        userId: user.id,
        slotId: slot.id,
        kind: group ? 'group' : 'individual',
        partySize: group ? (fields.partySize ?? 2) : 1,
        organisation: fields.organisation ?? null,
        contactName: fields.contactName ?? user.displayName,
        contactPhone: fields.contactPhone ?? phone(),
      }),
    ),
    'booking',
  )
  return { id: booking.bookingId, code: booking.code, status: booking.status }
}

/** Hours served in the past: a slot of the home the volunteer booked, was checked in at and out of. */
export function insertServiceHours(
  cleanup: Cleanup,
  home: E2eHome,
  user: E2eUser,
  fields: { title: string; startsAt: Date; minutes: number },
) {
  const slot = insertSlot(cleanup, home, { ...fields, postedAt: new Date(fields.startsAt.getTime() - 7 * DAY) })
  const booking = insertBooking(slot, user, { bookedAt: new Date(fields.startsAt.getTime() - 7 * DAY) })
  ok(
    asOf(fields.startsAt, () => checkIn(home.actor, home.id, booking.id, 1)),
    'check-in',
  )
  return ok(
    asOf(new Date(fields.startsAt.getTime() + fields.minutes * 60_000), () => checkOut(home.actor, home.id, booking.id)),
    'check-out',
  ).minutes
}

/** The checked-in group stayed longer: the server's clock cannot be moved from a test. */
export function backdateCheckIn(bookingId: number, minutes: number) {
  db.update(bookings)
    .set({ checkedInAt: sql`${bookings.checkedInAt} - ${minutes * 60_000}` })
    .where(eq(bookings.id, bookingId))
    .run()
}

// ---- 焕新乐园 -------------------------------------------------------------------------------------

/** A 12-visit monthly companionship programme of the home that takes applications and asks for a background check. */
export function insertProgramme(home: E2eHome, fields: { name: string }) {
  return ok(
    createProgramme(home.actor, home.id, {
      name: fields.name,
      slug: unique('hx-e2e-'),
      kind: 'companionship',
      description: '',
      asksOfVolunteers: '',
      plannedVisits: 12,
      cadence: 'monthly',
      durationMonths: 12,
      requiredQualifications: [],
      requiresBackgroundCheck: true,
      acceptingApplications: true,
    }),
    'programme',
  ).programme
}

export function insertFamily(home: E2eHome, fields: { alias: string }) {
  return ok(
    createFamily(home.actor, home.id, {
      alias: fields.alias,
      householdDescription: '',
      address: '东昌府区测试路 1 号',
      contacts: '测试联系人',
      childIds: [],
    }),
    'family',
  ).family
}

/** A new programme of the home, with `lead` (verified, applied, accepted) leading the pairing of a new family. */
export async function insertPairing(
  cleanup: Cleanup,
  home: E2eHome,
  lead: E2eUser,
  fields: { programmeName: string; alias: string; startDate: string; realName: string },
) {
  await verifyVolunteer(cleanup, lead, { realName: fields.realName })
  const programme = insertProgramme(home, { name: fields.programmeName })
  const family = insertFamily(home, { alias: fields.alias })
  const application = ok(applyToProgramme(lead.id, programme.id, { motivation: '想每月陪孩子读书', availability: '周末' }), 'application')
  ok(reviewApplication(home.actor, home.id, application.applicationId, 'accepted'), 'application review')
  const pairing = ok(
    createPairing(home.actor, home.id, {
      programmeId: programme.id,
      familyId: family.id,
      startDate: fields.startDate,
      plannedVisits: 12,
      leadUserId: lead.id,
      memberUserIds: [],
    }),
    'pairing',
  ).pairing
  return { id: pairing.id, programme }
}

// ---- What the race specs read back -------------------------------------------------------------

export function bookingsOfSlot(slotId: number) {
  return db
    .select({
      id: bookings.id,
      userId: bookings.userId,
      status: bookings.status,
      partySize: bookings.partySize,
      contactName: bookings.contactName,
    })
    .from(bookings)
    .where(eq(bookings.slotId, slotId))
    .orderBy(asc(bookings.id))
    .all()
}

export function activeClaimsOfWish(wishId: number) {
  return db
    .select({ userId: claims.userId })
    .from(claims)
    .where(and(eq(claims.wishId, wishId), eq(claims.status, 'active')))
    .all()
}

export function pledgesOfNeed(needId: number) {
  const rows = db
    .select({ userId: pledges.userId, quantity: pledges.quantity, status: pledges.status })
    .from(pledges)
    .where(eq(pledges.needId, needId))
    .all()
  const need = db.select({ status: needs.status }).from(needs).where(eq(needs.id, needId)).get()!
  return { rows, needStatus: need.status }
}
