import { afterEach, describe, expect, test, vi } from 'vitest'
import { db, queryLog, sqlite } from '~db/client.server'
import { families, pairingMembers, pairings, programmes, volunteerProfiles } from '~db/schema'
import { checkIn } from '~/checkin/checkin.server'
import { claimWish, markPurchased } from '~/claims/claims.server'
import { periodContaining, publishDisclosure, saveDraftDisclosure } from '~/disclosures/disclosures.server'
import { consoleTodos } from '~/console/console.server'
import { recordArrival } from '~/needs/intake.server'
import { createNeed } from '~/needs/needs.server'
import { pledgeToNeed } from '~/needs/pledges.server'
import { recordWalkInGift } from '~/needs/walk-in.server'
import { applyToProgramme, reviewApplication } from '~/programmes/applications.server'
import { loader as consoleLoader } from '~/routes/staff.$slug._index'
import { testClock } from '~/utils/clock.server'
import {
  addQualification,
  saveProfile,
  submitBackgroundCheck,
  verifyBackgroundCheck,
  verifyQualification,
} from '~/volunteers/profiles.server'
import { confirmVisit, logVisit } from '~/visits/visits.server'
import { markWishFulfilled, markWishReceived } from '~/wishes/delivery.server'
import {
  context,
  createPublishedWish,
  createUser,
  getRequest,
  homeWithStaff,
  insertTestBooking,
  insertTestSlot,
  run,
  unique,
} from './helpers'

// The staff console's to-dos (app/console/console.server.ts): each count moves when the
// thing it counts happens, another home's work never shows (docs/product.md rule 7), and no
// count reads a table's history (every query is a seek on an index).

// 2026-03-10 10:00 Asia/Shanghai, a Tuesday.
const T0 = new Date('2026-03-10T02:00:00Z')
const HOUR = 3600_000
const DAY = 24 * HOUR

afterEach(() => testClock.reset())

function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`)
  return result as Extract<T, { ok: true }>
}

/** Two homes, each with staff and a manager: A is the one whose console is read. */
async function twoHomes() {
  return { a: await homeWithStaff({ name: '甲福利院', manager: true }), b: await homeWithStaff({ name: '乙福利院', manager: true }) }
}

function needOf(actor: { userId: number; ip: null }, institutionId: number) {
  return ok(
    createNeed(actor, institutionId, {
      title: unique('冬季棉被'),
      category: 'material',
      itemDescription: '',
      specification: '',
      unit: '床',
      quantityNeeded: 20,
      perPledgeMax: null,
      urgency: 'normal',
      deadline: null,
      deliveryAddress: '',
      deliveryHours: '',
    }),
  ).need
}

function programmeOf(institutionId: number) {
  return db
    .insert(programmes)
    .values({ institutionId, slug: unique('hx-'), name: unique('焕新乐园'), kind: 'companionship' })
    .returning()
    .get()
}

describe('console to-dos', () => {
  test('a new home has nothing to do', async () => {
    testClock.freeze(T0)
    const { a } = await twoHomes()
    expect(consoleTodos(a.home.id)).toEqual({
      today: '2026-03-10',
      parcels: { active: 0, dueSoon: 0, overdue: 0 },
      toHandOver: 0,
      pledges: { today: 0, overdue: 0 },
      slotsToday: [],
      checks: { volunteers: 0, backgroundChecks: 0, qualifications: 0 },
      applications: [],
      visitsToConfirm: 0,
      disclosureDue: null,
    })
  })

  test('parcels: a claim is a parcel to receive, near its deadline it is due soon, past it overdue; received it waits to be handed over', async () => {
    testClock.freeze(T0)
    const { a, b } = await twoHomes()
    const donor = await createUser({ displayName: '爱心人士' })
    const wish = createPublishedWish(a.home.id)
    const claim = ok(claimWish({ userId: donor.id, wishId: wish.id, publicDisplay: 'masked' }))
    ok(claimWish({ userId: donor.id, wishId: createPublishedWish(b.home.id).id, publicDisplay: 'masked' }))
    expect(consoleTodos(a.home.id).parcels).toEqual({ active: 1, dueSoon: 0, overdue: 0 })
    expect(consoleTodos(b.home.id).parcels).toEqual({ active: 1, dueSoon: 0, overdue: 0 })

    // The home's defaults: buy within 7 days, deliver within 14.
    testClock.freeze(new Date(claim.buyBy.getTime() + HOUR))
    expect(consoleTodos(a.home.id).parcels).toEqual({ active: 1, dueSoon: 0, overdue: 1 })
    ok(markPurchased({ userId: donor.id, claimId: claim.claimId }))
    expect(consoleTodos(a.home.id).parcels).toEqual({ active: 1, dueSoon: 0, overdue: 0 })
    testClock.freeze(new Date(claim.deliverBy.getTime() - DAY))
    expect(consoleTodos(a.home.id).parcels).toEqual({ active: 1, dueSoon: 1, overdue: 0 })
    testClock.freeze(new Date(claim.deliverBy.getTime() + HOUR))
    expect(consoleTodos(a.home.id).parcels).toEqual({ active: 1, dueSoon: 0, overdue: 1 })

    testClock.freeze(T0)
    ok(markWishReceived(a.actor, a.home.id, claim.claimId))
    expect(consoleTodos(a.home.id).parcels.active).toBe(0)
    expect(consoleTodos(a.home.id).toHandOver).toBe(1)
    expect(consoleTodos(b.home.id).toHandOver).toBe(0)
    ok(markWishFulfilled(a.actor, a.home.id, wish.id))
    expect(consoleTodos(a.home.id).toHandOver).toBe(0)
  })

  test('pledges: one expected today counts, tomorrow’s does not until tomorrow; a day late it is overdue; arrival clears it', async () => {
    testClock.freeze(T0)
    const { a, b } = await twoHomes()
    const need = needOf(a.actor as { userId: number; ip: null }, a.home.id)
    const giver = await createUser({ displayName: '认捐人' })
    const later = await createUser({ displayName: '明天送' })
    const today = ok(
      pledgeToNeed({
        userId: giver.id,
        needId: need.id,
        quantity: 2,
        expectedAt: new Date('2026-03-10T07:00:00Z'),
        publicDisplay: 'masked',
      }),
    )
    ok(
      pledgeToNeed({
        userId: later.id,
        needId: need.id,
        quantity: 1,
        expectedAt: new Date('2026-03-10T16:30:00Z'),
        publicDisplay: 'masked',
      }),
    )
    ok(
      pledgeToNeed({
        userId: giver.id,
        needId: needOf(b.actor as { userId: number; ip: null }, b.home.id).id,
        quantity: 1,
        expectedAt: new Date('2026-03-10T07:00:00Z'),
        publicDisplay: 'masked',
      }),
    )
    expect(consoleTodos(a.home.id).pledges).toEqual({ today: 1, overdue: 0 })

    testClock.freeze(new Date(T0.getTime() + DAY))
    expect(consoleTodos(a.home.id).pledges).toEqual({ today: 1, overdue: 1 })
    ok(recordArrival(a.actor, a.home.id, today.pledgeId, { quantity: 2 }))
    expect(consoleTodos(a.home.id).pledges).toEqual({ today: 1, overdue: 0 })
    expect(consoleTodos(b.home.id).pledges).toEqual({ today: 0, overdue: 1 })
  })

  test('today’s slots with their bookings and check-ins; tomorrow’s slot and cancelled bookings do not count', async () => {
    testClock.freeze(T0)
    const { a, b } = await twoHomes()
    const slot = insertTestSlot(a.home.id, { title: '社会开放日', startsAt: new Date('2026-03-10T06:00:00Z') })
    insertTestSlot(a.home.id, { title: '明天的活动', startsAt: new Date('2026-03-10T16:00:00Z') })
    insertTestSlot(b.home.id, { title: '乙院活动', startsAt: new Date('2026-03-10T06:00:00Z') })
    const group = insertTestBooking(slot, (await createUser()).id, { partySize: 3, organisation: '某公司团委' })
    insertTestBooking(slot, (await createUser()).id)
    insertTestBooking(slot, (await createUser()).id, { status: 'cancelled' })
    expect(consoleTodos(a.home.id).slotsToday).toEqual([
      { id: slot.id, title: '社会开放日', startsAt: slot.startsAt, endsAt: slot.endsAt, bookings: 2, people: 4, checkedIn: 0, present: 0 },
    ])
    testClock.freeze(new Date('2026-03-10T05:50:00Z'))
    ok(checkIn(a.actor, a.home.id, group.id, 2))
    expect(consoleTodos(a.home.id).slotsToday[0]).toMatchObject({ bookings: 2, people: 4, checkedIn: 1, present: 2 })
    expect(consoleTodos(b.home.id).slotsToday.map((s) => s.title)).toEqual(['乙院活动'])
  })

  test('checks: a volunteer of this home with a background check or qualification pending; verified, they drop off; another home’s volunteer never shows', async () => {
    testClock.freeze(T0)
    const { a, b } = await twoHomes()
    const slotA = insertTestSlot(a.home.id)
    const slotB = insertTestSlot(b.home.id)
    const mine = await createUser({ displayName: '志愿者甲' })
    const theirs = await createUser({ displayName: '志愿者乙' })
    for (const [user, slot] of [
      [mine, slotA],
      [theirs, slotB],
    ] as const) {
      ok(saveProfile(user.id, { realName: `${user.displayName}实名`, phone: '13900000001', birthDate: '1995-01-01' }))
      insertTestBooking(slot, user.id)
    }
    expect(consoleTodos(a.home.id).checks).toEqual({ volunteers: 0, backgroundChecks: 0, qualifications: 0 })
    ok(submitBackgroundCheck(mine.id, '无犯罪记录证明'))
    ok(submitBackgroundCheck(theirs.id, '无犯罪记录证明'))
    expect(consoleTodos(a.home.id).checks).toEqual({ volunteers: 1, backgroundChecks: 1, qualifications: 0 })
    const qualification = ok(addQualification(mine.id, 'psychology', '心理咨询师证书'))
    expect(consoleTodos(a.home.id).checks).toEqual({ volunteers: 1, backgroundChecks: 1, qualifications: 1 })
    ok(verifyBackgroundCheck(a.actor, a.home.id, mine.id))
    expect(consoleTodos(a.home.id).checks).toEqual({ volunteers: 1, backgroundChecks: 0, qualifications: 1 })
    ok(verifyQualification(a.actor, a.home.id, mine.id, qualification.qualificationId))
    expect(consoleTodos(a.home.id).checks).toEqual({ volunteers: 0, backgroundChecks: 0, qualifications: 0 })
    expect(consoleTodos(b.home.id).checks).toEqual({ volunteers: 1, backgroundChecks: 1, qualifications: 0 })
  })

  test('applications: pending ones per programme; reviewed, they are gone; another home’s are not counted', async () => {
    testClock.freeze(T0)
    const { a, b } = await twoHomes()
    const programme = programmeOf(a.home.id)
    const other = programmeOf(b.home.id)
    const applicant = await createUser()
    const application = ok(applyToProgramme(applicant.id, programme.id, { motivation: '想陪孩子读书', availability: '周末' }))
    ok(applyToProgramme(applicant.id, other.id, { motivation: '想陪孩子读书', availability: '周末' }))
    expect(consoleTodos(a.home.id).applications).toEqual([{ programmeId: programme.id, name: programme.name, pending: 1 }])
    ok(reviewApplication(a.actor, a.home.id, application.applicationId, 'declined'))
    expect(consoleTodos(a.home.id).applications).toEqual([])
    expect(consoleTodos(b.home.id).applications).toEqual([{ programmeId: other.id, name: other.name, pending: 1 }])
  })

  test('visits: a logged visit waits for confirmation until staff confirm it; another home’s visits are not counted', async () => {
    testClock.freeze(T0)
    const { a, b } = await twoHomes()
    const setUp = async (homeId: number) => {
      const programme = programmeOf(homeId)
      const family = db.insert(families).values({ institutionId: homeId, alias: '小雨家' }).returning().get()
      const pairing = db
        .insert(pairings)
        .values({ programmeId: programme.id, institutionId: homeId, familyId: family.id, startDate: '2026-03-01', plannedVisits: 12 })
        .returning()
        .get()
      const lead = await createUser({ displayName: '阿青' })
      db.insert(volunteerProfiles)
        .values({
          userId: lead.id,
          realName: '阿青真名',
          phone: '13900000000',
          backgroundCheckStatus: 'verified',
          backgroundCheckVerifiedAt: T0,
        })
        .run()
      db.insert(pairingMembers).values({ pairingId: pairing.id, userId: lead.id, role: 'lead' }).run()
      return ok(
        logVisit(lead.id, pairing.id, {
          visitedOn: '2026-03-08',
          durationMinutes: 90,
          activities: ['reading'],
          note: '',
          followUp: '',
          attendeeIds: [lead.id],
        }),
      )
    }
    const visit = await setUp(a.home.id)
    await setUp(b.home.id)
    expect(consoleTodos(a.home.id).visitsToConfirm).toBe(1)
    ok(confirmVisit(a.actor, a.home.id, visit.visitId))
    expect(consoleTodos(a.home.id).visitsToConfirm).toBe(0)
    expect(consoleTodos(b.home.id).visitsToConfirm).toBe(1)
  })

  test('disclosures: a quarter with gifts is due 15 days after it ends, overdue after that, and done once published', async () => {
    const { a, b } = await twoHomes()
    testClock.freeze(new Date('2025-12-05T02:00:00Z'))
    ok(
      recordWalkInGift(a.actor, a.home.id, {
        kind: 'money',
        items: '现金捐款',
        amountFen: 50_000,
        channel: 'desk',
        donorName: '王先生',
        publicDisplay: 'masked',
      }),
    )
    testClock.freeze(new Date('2026-01-05T02:00:00Z'))
    expect(consoleTodos(a.home.id).disclosureDue).toEqual({ key: '2025-Q4', label: '2025年第4季度', dueBy: '2026-01-15', overdue: false })
    expect(consoleTodos(b.home.id).disclosureDue).toBeNull()
    testClock.freeze(T0)
    expect(consoleTodos(a.home.id).disclosureDue).toMatchObject({ key: '2025-Q4', overdue: true })
    const quarter = periodContaining('quarter', new Date('2025-11-01T00:00:00Z'))
    const draft = ok(saveDraftDisclosure(a.managerActor, a.home.id, 'quarter', quarter.start))
    expect(consoleTodos(a.home.id).disclosureDue).not.toBeNull()
    ok(publishDisclosure(a.managerActor, a.home.id, draft.disclosureId))
    expect(consoleTodos(a.home.id).disclosureDue).toBeNull()
  })

  test('every count is a seek on an index: no statement scans a table', async () => {
    testClock.freeze(T0)
    const { a } = await twoHomes()
    // Something in every branch, so that every statement runs.
    testClock.freeze(new Date('2025-12-05T02:00:00Z'))
    ok(
      recordWalkInGift(a.actor, a.home.id, {
        kind: 'money',
        items: '现金捐款',
        amountFen: 100,
        channel: 'desk',
        donorName: '王先生',
        publicDisplay: 'masked',
      }),
    )
    testClock.freeze(T0)
    // Every statement drizzle runs passes through queryLog (prepared and cached ones too).
    const executed = vi.spyOn(queryLog, 'logQuery')
    let statements: string[]
    try {
      consoleTodos(a.home.id)
      statements = executed.mock.calls.map(([text]) => String(text))
    } finally {
      executed.mockRestore()
    }
    // parcels, to hand over, two pledge counts, slots, checks, applications, visits, and the disclosure's three look-ups.
    expect(statements.length).toBe(11)
    const scans = statements.flatMap((sql) => {
      const params = (sql.match(/\?/g) ?? []).length
      return (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(params).fill(0)) as Array<{ detail: string }>)
        .map((r) => r.detail)
        .filter((detail) => /^SCAN /.test(detail))
    })
    // Only the co-routine over the pending checks (a CTE named p) may be read in full.
    expect(scans).toEqual(['SCAN p'])
  })
})

describe('the console page', () => {
  test('shows this home’s to-dos to its staff and nothing to staff of another home', async () => {
    testClock.freeze(T0)
    const { a, b } = await twoHomes()
    const donor = await createUser()
    ok(claimWish({ userId: donor.id, wishId: createPublishedWish(a.home.id).id, publicDisplay: 'masked' }))
    const page = await run(() =>
      consoleLoader({ request: getRequest(`/staff/${a.home.slug}`, a.cookie), params: { slug: a.home.slug }, context: context() }),
    )
    expect(page.status).toBe(200)
    expect(page.body).toMatchObject({ base: `/staff/${a.home.slug}`, todayLabel: '3月10日 周二', todos: { parcels: { active: 1 } } })
    const stranger = await run(() =>
      consoleLoader({ request: getRequest(`/staff/${a.home.slug}`, b.cookie), params: { slug: a.home.slug }, context: context() }),
    )
    expect(stranger.status).toBe(404)
  })
})
