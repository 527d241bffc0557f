import QRCode from 'qrcode'
import { and, eq } from 'drizzle-orm'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { db, queryLog, sqlite } from '~db/client.server'
import { bookings, institutions, notifications, slots, volunteerProfiles, volunteerQualifications } from '~db/schema'
import {
  acceptOffer,
  bookSlot,
  cancelBooking,
  declineOffer,
  lapseBookingOffers,
  leaveWaitlist,
  listMyBookings,
  sendBookingReminders,
  type BookSlotInput,
} from '~/bookings/bookings.server'
import { action as myBookingsAction, loader as myBookingsLoader } from '~/routes/me.bookings'
import { loader as icsLoader } from '~/routes/me.bookings_.$id[.ics]'
import { loader as slipLoader } from '~/routes/me.bookings_.$id.slip'
import { action as bookAction, loader as bookLoader } from '~/routes/volunteer.slots.$id.book'
import { testClock } from '~/utils/clock.server'
import {
  context,
  createTestInstitution,
  createUser,
  formRequest,
  getRequest,
  insertTestBooking,
  ORIGIN,
  run,
  signedInCookie,
} from './helpers'

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const T0 = new Date('2026-06-01T02:00:00Z')
// The open day: Saturday 13 June 2026, 9:30–11:30 in Shanghai.
const STARTS = new Date('2026-06-13T01:30:00Z')
const ENDS = new Date('2026-06-13T03:30:00Z')

type SlotFields = Partial<typeof slots.$inferInsert>

function homeWithPhone() {
  const home = createTestInstitution('滨州市儿童福利院')
  db.update(institutions)
    .set({ publicPhone: '0543-3000000', publicAddress: '山东省滨州市黄河五路 1 号' })
    .where(eq(institutions.id, home.id))
    .run()
  return home
}

function publishedSlot(fields: SlotFields = {}) {
  const institutionId = fields.institutionId ?? homeWithPhone().id
  return db
    .insert(slots)
    .values({
      institutionId,
      kind: 'open_day',
      title: '社会开放日',
      description: '参观开放区域，和孩子们一起做手工。',
      location: '福利院一楼活动室',
      startsAt: STARTS,
      endsAt: ENDS,
      capacity: 40,
      status: 'published',
      ...fields,
    })
    .returning()
    .get()
}

async function member(name = '李志愿') {
  return createUser({ displayName: name })
}

function book(userId: number, slotId: number, fields: Partial<BookSlotInput> = {}) {
  return bookSlot({ userId, slotId, kind: 'individual', partySize: 1, contactName: '李志愿', contactPhone: '13900001111', ...fields })
}

function bookGroup(userId: number, slotId: number, partySize: number, organisation = '滨州学院青年志愿者协会') {
  return book(userId, slotId, { kind: 'group', partySize, organisation })
}

function bookingRow(id: number) {
  return db.select().from(bookings).where(eq(bookings.id, id)).get()!
}

function confirmedPeople(slotId: number): number {
  return db
    .select({ partySize: bookings.partySize })
    .from(bookings)
    .where(and(eq(bookings.slotId, slotId), eq(bookings.status, 'confirmed')))
    .all()
    .reduce((sum, b) => sum + b.partySize, 0)
}

function noticesFor(userId: number, template: string) {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.template, template)))
    .all()
}

function bookingIdOf(result: ReturnType<typeof bookSlot>): number {
  if (!result.ok) throw new Error(`expected a booking, got: ${result.message}`)
  return result.bookingId
}

async function postBooking(slotId: number, userId: number, fields: Record<string, string>) {
  return run(() =>
    bookAction({
      request: formRequest(`/volunteer/slots/${slotId}/book`, fields, { cookie: signedInCookie(userId) }),
      params: { id: String(slotId) },
      context: context(),
    }),
  )
}

async function postMyBookings(userId: number, fields: Record<string, string>) {
  return run(() =>
    myBookingsAction({ request: formRequest('/me/bookings', fields, { cookie: signedInCookie(userId) }), params: {}, context: context() }),
  )
}

// Every test below leaves the places kept on each slot (migration 0023's triggers) equal to a
// recount of its bookings: booking, groups, waitlist offers, lapses, declines, cancellations,
// capacity changes and raw SQL all go through the triggers.
afterEach(() => {
  const drift = sqlite
    .prepare(
      `SELECT s.id, s.confirmed_places AS confirmed, s.held_places AS held,
        (SELECT coalesce(sum(party_size), 0) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'confirmed') AS recountConfirmed,
        (SELECT coalesce(sum(party_size), 0) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'offered') AS recountHeld
      FROM slots s WHERE s.confirmed_places <> recountConfirmed OR s.held_places <> recountHeld`,
    )
    .all()
  expect(drift).toEqual([])
})

describe('booking a slot', () => {
  test('members book an open day until it is full; the next one is put on the waitlist and told their place', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot({ capacity: 2 })
    const [a, b, c] = [await member('甲'), await member('乙'), await member('丙')]

    const first = await postBooking(slot.id, a.id, { kind: 'individual', contactName: '甲', contactPhone: '13900000001' })
    const second = book(b.id, slot.id)
    const third = book(c.id, slot.id)

    const firstBooking = db.select().from(bookings).where(eq(bookings.userId, a.id)).get()!
    expect(first.status).toBe(302)
    expect(first.headers.get('Location')).toBe(`/me/bookings#booking-${firstBooking.id}`)
    expect(firstBooking).toMatchObject({
      status: 'confirmed',
      partySize: 1,
      contactName: '甲',
      contactPhone: '13900000001',
      institutionId: slot.institutionId,
    })
    expect(firstBooking.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/)
    expect(second).toMatchObject({ ok: true, status: 'confirmed' })
    expect(third).toMatchObject({ ok: true, status: 'waitlisted', position: 1 })
    expect(confirmedPeople(slot.id)).toBe(2)

    const confirmation = noticesFor(a.id, 'booking.confirmed')
    expect(confirmation).toHaveLength(1)
    expect(confirmation[0]!.body).toContain(`/me/bookings/${firstBooking.id}/slip`)
    expect(confirmation[0]!.body).toContain(firstBooking.code)
    expect(noticesFor(c.id, 'booking.waitlisted')[0]!.body).toContain('候补第 1 位')

    const mine = await run(() =>
      myBookingsLoader({ request: getRequest('/me/bookings', signedInCookie(c.id)), params: {}, context: context() }),
    )
    const listed = (mine.body as { bookings: Array<{ status: string; position: number | null }> }).bookings
    expect(listed).toEqual([expect.objectContaining({ status: 'waitlisted', position: 1 })])
  })

  test("a group's party size counts against capacity; a group that does not fit waits while a single still gets in", async () => {
    testClock.freeze(T0)
    const slot = publishedSlot({ capacity: 10, groupMaxSize: 20 })
    const [lead1, lead2, single] = [await member(), await member(), await member()]

    expect(bookGroup(lead1.id, slot.id, 8)).toMatchObject({ ok: true, status: 'confirmed' })
    expect(bookGroup(lead2.id, slot.id, 3, '滨州实验中学')).toMatchObject({ ok: true, status: 'waitlisted', position: 1 })
    expect(book(single.id, slot.id)).toMatchObject({ ok: true, status: 'confirmed' })

    expect(confirmedPeople(slot.id)).toBe(9)
    const waiting = db.select().from(bookings).where(eq(bookings.userId, lead2.id)).get()!
    expect(waiting).toMatchObject({ kind: 'group', partySize: 3, organisation: '滨州实验中学', status: 'waitlisted' })

    const form = await run(() =>
      bookLoader({
        request: getRequest(`/volunteer/slots/${slot.id}/book`, signedInCookie(lead2.id)),
        params: { id: String(slot.id) },
        context: context(),
      }),
    )
    expect((form.body as { remaining: number }).remaining).toBe(1)
  })

  test('group rules: groups not accepted, too late for a group, a group larger than allowed', async () => {
    testClock.freeze(T0)
    const lead = await member()
    const noGroups = publishedSlot({ allowGroups: false })
    const twoWeeksAhead = publishedSlot({ groupMinDaysAhead: 14 })
    const smallGroups = publishedSlot({ groupMaxSize: 10 })

    expect(bookGroup(lead.id, noGroups.id, 5)).toMatchObject({
      ok: false,
      reason: 'group_rules',
      field: 'kind',
      message: '这个活动不接受团体预约，请以个人身份预约',
    })
    const tooLate = bookGroup(lead.id, twoWeeksAhead.id, 5)
    expect(tooLate).toMatchObject({ ok: false, reason: 'group_rules', field: 'kind' })
    expect(tooLate.ok ? '' : tooLate.message).toContain('团体须至少提前 14 天预约')

    const tooBig = await postBooking(smallGroups.id, lead.id, {
      kind: 'group',
      partySize: '12',
      organisation: '滨州学院',
      contactName: '王老师',
      contactPhone: '13900002222',
    })
    expect(tooBig.status).toBe(400)
    const reply = (tooBig.body as { result: { error: Record<string, string[]>; initialValue: Record<string, string> } }).result
    expect(reply.error.partySize).toEqual(['团体人数不能超过 10 人'])
    expect(reply.initialValue).toMatchObject({ organisation: '滨州学院', contactName: '王老师', partySize: '12' })

    const missingFields = await postBooking(smallGroups.id, lead.id, { kind: 'group', contactName: '', contactPhone: '12345' })
    const errors = (missingFields.body as { result: { error: Record<string, string[]> } }).result.error
    expect(missingFields.status).toBe(400)
    expect(errors.organisation).toEqual(['团体预约请填写单位或团体名称'])
    expect(errors.partySize).toEqual(['团体预约请填写人数'])
    expect(errors.contactName).toEqual(['请填写联系人姓名'])
    expect(errors.contactPhone).toEqual(['请填写 11 位手机号，便于机构联系'])

    // Individuals book those slots without trouble, and a group that follows the rules is welcome.
    expect(book(lead.id, noGroups.id)).toMatchObject({ ok: true, status: 'confirmed' })
    expect(bookGroup(lead.id, smallGroups.id, 10)).toMatchObject({ ok: true, status: 'confirmed' })
    expect(db.select().from(bookings).where(eq(bookings.slotId, twoWeeksAhead.id)).all()).toHaveLength(0)
  })

  test('the booking window: not yet open, already closed, already started, and drafts that do not exist in public', async () => {
    testClock.freeze(T0)
    const who = await member()
    const notYet = publishedSlot({ opensAt: new Date(T0.getTime() + DAY) })
    const closed = publishedSlot({ closesAt: new Date(T0.getTime() - HOUR) })
    const started = publishedSlot({ startsAt: new Date(T0.getTime() - HOUR), endsAt: new Date(T0.getTime() + HOUR) })
    const draft = publishedSlot({ status: 'draft' })

    expect(book(who.id, notYet.id)).toMatchObject({ ok: false, reason: 'not_open' })
    expect(book(who.id, closed.id)).toMatchObject({ ok: false, reason: 'closed' })
    expect(book(who.id, started.id)).toMatchObject({ ok: false, reason: 'started', message: '活动已开始，不能再预约' })
    expect(book(who.id, draft.id)).toMatchObject({ ok: false, reason: 'not_found' })
    const draftPage = await postBooking(draft.id, who.id, { kind: 'individual', contactName: '李', contactPhone: '13900001111' })
    expect(draftPage.status).toBe(404)

    testClock.freeze(new Date(T0.getTime() + DAY))
    expect(book(who.id, notYet.id)).toMatchObject({ ok: true, status: 'confirmed' })
  })

  test('one live booking per member per slot: a second attempt points to the first; after cancelling one may book again', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot()
    const who = await member()
    const firstId = bookingIdOf(book(who.id, slot.id))

    expect(book(who.id, slot.id)).toMatchObject({ ok: false, reason: 'already_booked', bookingId: firstId })
    const again = await postBooking(slot.id, who.id, { kind: 'individual', contactName: '李', contactPhone: '13900001111' })
    expect(again.status).toBe(409)
    expect(again.body).toMatchObject({ existingBookingId: firstId })

    expect(cancelBooking({ userId: who.id, bookingId: firstId })).toEqual({ ok: true })
    expect(book(who.id, slot.id)).toMatchObject({ ok: true, status: 'confirmed' })
    expect(db.select().from(bookings).where(eq(bookings.userId, who.id)).all()).toHaveLength(2)
  })

  test('a unique index, not only the code, refuses two live bookings of the same member', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot()
    const who = await member()
    bookingIdOf(book(who.id, slot.id))
    expect(() =>
      sqlite
        .prepare(
          "INSERT INTO bookings (slot_id, institution_id, user_id, kind, contact_name, contact_phone, status, code) VALUES (?, ?, ?, 'individual', 'x', '1', 'waitlisted', 'ZZZZZ2')",
        )
        .run(slot.id, slot.institutionId, who.id),
    ).toThrow('UNIQUE constraint failed: bookings.slot_id, bookings.user_id')
  })

  test('a booking reads the slot once and does not look up the member it was just made for (issue 12: statements per booking)', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot()
    const [first, second] = [await member('甲'), await member('乙')]
    bookingIdOf(book(first.id, slot.id)) // warm: nothing lazily prepared below
    const executed = vi.spyOn(queryLog, 'logQuery')
    const outcome = book(second.id, slot.id)
    const statements = executed.mock.calls.map(([text]) => String(text))
    executed.mockRestore()
    expect(outcome).toMatchObject({ ok: true, status: 'confirmed' })
    // The slot with its home (the widest read) once, not again for the waitlist check; the new
    // booking's member is known, not read back from the row just inserted.
    expect(statements.filter((text) => /from "slots" inner join "institutions"/.test(text))).toHaveLength(1)
    expect(statements.filter((text) => /^select "user_id" from "bookings" where "bookings"."id" = \?$/.test(text))).toHaveLength(0)
    // The places taken are the sums kept on the slot (migration 0023), never summed over bookings.
    expect(statements.filter((text) => /sum\(/i.test(text))).toEqual([])
    const triggers = sqlite
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('bookings', 'slots')")
      .all() as Array<{
      name: string
      sql: string
    }>
    expect(triggers.filter((t) => /sum\(/i.test(t.sql)).map((t) => t.name)).toEqual([])
    expect(noticesFor(second.id, 'booking.confirmed')).toHaveLength(1)
  })
})

describe('cancelling', () => {
  test('a member cancels until the cutoff; after it they are told to contact the home at its public phone', async () => {
    const slot = publishedSlot({ cancelCutoffHours: 24 })
    const who = await member()
    testClock.freeze(T0)
    const early = bookingIdOf(book(who.id, slot.id))
    testClock.freeze(new Date(STARTS.getTime() - 25 * HOUR))
    const cancelled = await postMyBookings(who.id, { intent: 'cancel', bookingId: String(early) })
    expect(cancelled.status).toBe(302)
    expect(bookingRow(early)).toMatchObject({ status: 'cancelled', cancelReason: 'member_cancelled' })

    const late = bookingIdOf(book(who.id, slot.id))
    testClock.freeze(new Date(STARTS.getTime() - 23 * HOUR))
    const refused = await postMyBookings(who.id, { intent: 'cancel', bookingId: String(late) })
    expect(refused.status).toBe(409)
    expect(refused.body).toMatchObject({ bookingId: late, message: '已过取消截止时间，请直接联系机构：0543-3000000' })
    expect(bookingRow(late).status).toBe('confirmed')
  })

  test("nobody can cancel someone else's booking", async () => {
    testClock.freeze(T0)
    const slot = publishedSlot()
    const [owner, other] = [await member(), await member()]
    const id = bookingIdOf(book(owner.id, slot.id))
    const res = await postMyBookings(other.id, { intent: 'cancel', bookingId: String(id) })
    expect(res.status).toBe(404)
    expect(bookingRow(id).status).toBe('confirmed')
  })
})

describe('eligibility (rule 5)', () => {
  test('a close-contact tutoring slot lists exactly what the volunteer lacks and books once staff have verified it', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot({
      kind: 'tutoring',
      title: '学业辅导',
      requiresBackgroundCheck: true,
      requiredQualifications: ['special_education'],
      minAge: 18,
    })
    const who = await member()

    const noProfile = book(who.id, slot.id)
    expect(noProfile).toMatchObject({ ok: false, reason: 'requirements' })
    expect(noProfile.ok === false && noProfile.reason === 'requirements' ? noProfile.missing.map((m) => m.key) : []).toEqual(['profile'])

    // Turns 18 the day after the slot; background check waiting for review; qualification unverified.
    db.insert(volunteerProfiles)
      .values({ userId: who.id, realName: '李真名', phone: '13900003333', birthDate: '2008-06-14', backgroundCheckStatus: 'pending' })
      .run()
    db.insert(volunteerQualifications)
      .values({ userId: who.id, kind: 'special_education', evidence: '特殊教育教师资格证', status: 'pending' })
      .run()

    const page = await run(() =>
      bookLoader({
        request: getRequest(`/volunteer/slots/${slot.id}/book`, signedInCookie(who.id)),
        params: { id: String(slot.id) },
        context: context(),
      }),
    )
    const body = page.body as {
      missing: Array<{ key: string; message: string }>
      profilePath: string
      prefill: { contactName: string; contactPhone: string }
    }
    expect(body.profilePath).toBe('/me/volunteer')
    expect(body.missing.map((m) => m.message)).toEqual([
      '此活动要求活动当天年满 18 岁',
      '此活动需与儿童密切接触，须通过背景核验：您的背景核验正在等待机构审核',
      '此活动需要已核验的「特殊教育」资质（已提交，等待机构核验）',
    ])
    expect(body.prefill).toEqual({ contactName: '李真名', contactPhone: '13900003333' })

    const posted = await postBooking(slot.id, who.id, { kind: 'individual', contactName: '李真名', contactPhone: '13900003333' })
    expect(posted.status).toBe(409)
    expect((posted.body as { missing: unknown[] }).missing).toHaveLength(3)
    expect(db.select().from(bookings).where(eq(bookings.userId, who.id)).all()).toHaveLength(0)

    db.update(volunteerProfiles)
      .set({ birthDate: '2000-01-01', backgroundCheckStatus: 'verified' })
      .where(eq(volunteerProfiles.userId, who.id))
      .run()
    db.update(volunteerQualifications).set({ status: 'verified' }).where(eq(volunteerQualifications.userId, who.id)).run()
    expect(book(who.id, slot.id)).toMatchObject({ ok: true, status: 'confirmed' })
  })
})

describe('group bookings and requirements (rule 5)', () => {
  /** Meets every requirement the slots below ask: verified check, adult, verified psychology. */
  async function verifiedMember(name = '王核验') {
    const who = await member(name)
    db.insert(volunteerProfiles)
      .values({ userId: who.id, realName: name, phone: '13900005555', birthDate: '1990-01-01', backgroundCheckStatus: 'verified' })
      .run()
    db.insert(volunteerQualifications).values({ userId: who.id, kind: 'psychology', evidence: '心理咨询师证书', status: 'verified' }).run()
    return who
  }

  test('a slot with any requirement refuses a group booking — even by a verified leader — and the booking page offers individual booking only', async () => {
    testClock.freeze(T0)
    const leader = await verifiedMember()
    const requirementsOf: SlotFields[] = [{ requiresBackgroundCheck: true }, { minAge: 18 }, { requiredQualifications: ['psychology'] }]
    for (const fields of requirementsOf) {
      const slot = publishedSlot({ kind: 'activity', allowGroups: true, ...fields })
      const refused = bookGroup(leader.id, slot.id, 3)
      expect(refused).toMatchObject({ ok: false, reason: 'group_rules', field: 'kind' })
      expect(refused.ok ? '' : refused.message).toContain('只接受个人预约')
      const posted = await postBooking(slot.id, leader.id, {
        kind: 'group',
        organisation: '某公司志愿队',
        partySize: '3',
        contactName: '王核验',
        contactPhone: '13900005555',
      })
      expect(posted.status).toBe(400)
      expect(JSON.stringify(posted.body)).toContain('只接受个人预约')
      const page = await run(() =>
        bookLoader({
          request: getRequest(`/volunteer/slots/${slot.id}/book`, signedInCookie(leader.id)),
          params: { id: String(slot.id) },
          context: context(),
        }),
      )
      expect((page.body as { slot: { allowGroups: boolean; groupsNeedIndividualBookings: boolean } }).slot).toMatchObject({
        allowGroups: false,
        groupsNeedIndividualBookings: true,
      })
      expect(db.select().from(bookings).where(eq(bookings.slotId, slot.id)).all()).toHaveLength(0)
      // Each attendee books for themselves instead.
      expect(book(leader.id, slot.id)).toMatchObject({ ok: true, status: 'confirmed' })
    }
    // A slot that asks nothing still takes groups.
    const openDay = publishedSlot({ allowGroups: true })
    expect(bookGroup(leader.id, openDay.id, 3)).toMatchObject({ ok: true, status: 'confirmed' })
  })

  test('on a slot with requirements a freed place skips a waitlisted group and a lapsed volunteer, and a group cannot accept an offer', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot({ kind: 'tutoring', capacity: 2, requiresBackgroundCheck: true })
    const [a, b, c] = [await verifiedMember('甲'), await verifiedMember('乙'), await verifiedMember('丙')]
    const aId = bookingIdOf(book(a.id, slot.id))
    const bId = bookingIdOf(book(b.id, slot.id))
    // Waiting before the rule existed: a group of 2, then a volunteer whose check has since been rejected.
    const group = insertTestBooking(slot, (await member('团体领队')).id, { organisation: '旧团体', partySize: 2, status: 'waitlisted' })
    const lapsed = await verifiedMember('丁')
    const lapsedEntry = insertTestBooking(slot, lapsed.id, { status: 'waitlisted' })
    db.update(volunteerProfiles).set({ backgroundCheckStatus: 'rejected' }).where(eq(volunteerProfiles.userId, lapsed.id)).run()
    const cId = bookingIdOf(book(c.id, slot.id))

    expect(cancelBooking({ userId: a.id, bookingId: aId })).toEqual({ ok: true })
    expect(cancelBooking({ userId: b.id, bookingId: bId })).toEqual({ ok: true })
    expect(bookingRow(group.id).status).toBe('waitlisted')
    expect(bookingRow(lapsedEntry.id).status).toBe('waitlisted')
    expect(bookingRow(cId).status).toBe('offered')

    // A group offered a place before the slot asked anything cannot take it.
    db.update(bookings)
      .set({ status: 'offered', offerExpiresAt: new Date(T0.getTime() + HOUR) })
      .where(eq(bookings.id, group.id))
      .run()
    expect(acceptOffer({ userId: group.userId, bookingId: group.id })).toMatchObject({ ok: false, reason: 'requirements' })
    expect(bookingRow(group.id)).toMatchObject({ status: 'cancelled', cancelReason: 'group_not_allowed' })
    expect(acceptOffer({ userId: c.id, bookingId: cId })).toEqual({ ok: true })
  })
})

describe('the waitlist', () => {
  test('a cancellation offers the freed places to the first entry that fits: a group of 5 is skipped for 2 places in favour of a later single, who accepts', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot({ capacity: 6, offerHoldHours: 12 })
    const [pair, four, five, single] = [await member(), await member(), await member(), await member()]
    const pairId = bookingIdOf(bookGroup(pair.id, slot.id, 2))
    bookingIdOf(bookGroup(four.id, slot.id, 4))
    const fiveId = bookingIdOf(bookGroup(five.id, slot.id, 5))
    const singleId = bookingIdOf(book(single.id, slot.id))
    expect(bookingRow(fiveId).status).toBe('waitlisted')
    expect(bookingRow(singleId).status).toBe('waitlisted')

    expect(cancelBooking({ userId: pair.id, bookingId: pairId })).toEqual({ ok: true })

    expect(bookingRow(fiveId).status).toBe('waitlisted')
    const offered = bookingRow(singleId)
    expect(offered.status).toBe('offered')
    expect(offered.offerExpiresAt!.getTime()).toBe(T0.getTime() + 12 * HOUR)
    expect(noticesFor(single.id, 'booking.offer')[0]!.body).toContain('保留到')

    // The held place is not up for grabs by a newcomer: one place remains for them.
    const newcomer = await member()
    expect(book(newcomer.id, slot.id)).toMatchObject({ ok: true, status: 'confirmed' })
    const late = await member()
    expect(book(late.id, slot.id)).toMatchObject({ ok: true, status: 'waitlisted' })

    const accepted = await postMyBookings(single.id, { intent: 'accept', bookingId: String(singleId) })
    expect(accepted.status).toBe(302)
    expect(bookingRow(singleId)).toMatchObject({ status: 'confirmed', offerExpiresAt: null })
    expect(noticesFor(single.id, 'booking.confirmed')[0]!.body).toContain(`/me/bookings/${singleId}/slip`)
    expect(confirmedPeople(slot.id)).toBe(6)
  })

  test('an offer not taken up in time lapses and the place goes to the next in line', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot({ capacity: 1, offerHoldHours: 12 })
    const [holder, second, third] = [await member(), await member(), await member()]
    const holderId = bookingIdOf(book(holder.id, slot.id))
    const secondId = bookingIdOf(book(second.id, slot.id))
    const thirdId = bookingIdOf(book(third.id, slot.id))
    cancelBooking({ userId: holder.id, bookingId: holderId })
    expect(bookingRow(secondId).status).toBe('offered')

    testClock.advance(12 * HOUR - 1000)
    expect(lapseBookingOffers()).toEqual({ lapsed: 0, offered: 0 })

    testClock.advance(2000)
    expect(lapseBookingOffers()).toEqual({ lapsed: 1, offered: 1 })
    expect(bookingRow(secondId)).toMatchObject({ status: 'cancelled', cancelReason: 'offer_lapsed' })
    expect(bookingRow(thirdId).status).toBe('offered')
    expect(noticesFor(second.id, 'booking.offer_lapsed')).toHaveLength(1)
    expect(acceptOffer({ userId: second.id, bookingId: secondId })).toMatchObject({ ok: false, reason: 'not_live' })
    expect(lapseBookingOffers()).toEqual({ lapsed: 0, offered: 0 })

    expect(acceptOffer({ userId: third.id, bookingId: thirdId })).toEqual({ ok: true })
    expect(confirmedPeople(slot.id)).toBe(1)
  })

  test('places that appear without a cancellation (capacity raised) go to the waitlist before a newcomer', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot({ capacity: 1 })
    const [first, waiting, newcomer] = [await member(), await member(), await member()]
    bookingIdOf(book(first.id, slot.id))
    const waitingId = bookingIdOf(book(waiting.id, slot.id))
    db.update(slots).set({ capacity: 2 }).where(eq(slots.id, slot.id)).run()

    expect(book(newcomer.id, slot.id)).toMatchObject({ ok: true, status: 'waitlisted', position: 1 })
    expect(bookingRow(waitingId).status).toBe('offered')
  })

  test('declining an offer passes it on; leaving the waitlist moves the others up', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot({ capacity: 1 })
    const [holder, a, b, c] = [await member(), await member(), await member(), await member()]
    const holderId = bookingIdOf(book(holder.id, slot.id))
    const aId = bookingIdOf(book(a.id, slot.id))
    const bId = bookingIdOf(book(b.id, slot.id))
    const cId = bookingIdOf(book(c.id, slot.id))
    expect(listMyBookings(c.id)[0]!.position).toBe(3)

    expect(leaveWaitlist({ userId: b.id, bookingId: bId })).toEqual({ ok: true })
    expect(bookingRow(bId)).toMatchObject({ status: 'cancelled', cancelReason: 'left_waitlist' })
    expect(listMyBookings(c.id)[0]!.position).toBe(2)

    cancelBooking({ userId: holder.id, bookingId: holderId })
    expect(bookingRow(aId).status).toBe('offered')
    expect(declineOffer({ userId: a.id, bookingId: aId })).toEqual({ ok: true })
    expect(bookingRow(aId)).toMatchObject({ status: 'cancelled', cancelReason: 'offer_declined' })
    expect(bookingRow(cId).status).toBe('offered')
  })
})

describe('reminders', () => {
  test('one reminder a day before the slot, sent once however often the job runs', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot()
    const who = await member()
    const id = bookingIdOf(book(who.id, slot.id))
    const waiting = publishedSlot({ capacity: 1 })
    bookingIdOf(book((await member()).id, waiting.id))
    const waiter = await member()
    bookingIdOf(book(waiter.id, waiting.id))

    testClock.freeze(new Date(STARTS.getTime() - 25 * HOUR))
    sendBookingReminders()
    expect(noticesFor(who.id, 'booking.reminder')).toHaveLength(0)

    testClock.freeze(new Date(STARTS.getTime() - 23 * HOUR))
    sendBookingReminders()
    testClock.advance(HOUR)
    sendBookingReminders()
    const reminders = noticesFor(who.id, 'booking.reminder')
    expect(reminders).toHaveLength(1)
    expect(reminders[0]!.dedupeKey).toBe(`reminder:booking:${id}`)
    expect(reminders[0]!.body).toContain(bookingRow(id).code)
    expect(noticesFor(waiter.id, 'booking.reminder')).toHaveLength(0)
  })
})

describe('the database guard', () => {
  test('the capacity trigger refuses an over-capacity confirmed booking even through raw SQL', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot({ capacity: 3 })
    const [a, b] = [await member(), await member()]
    bookingIdOf(bookGroup(a.id, slot.id, 3))
    const waitingId = bookingIdOf(book(b.id, slot.id))
    expect(bookingRow(waitingId).status).toBe('waitlisted')

    const intruder = await member()
    expect(() =>
      sqlite
        .prepare(
          "INSERT INTO bookings (slot_id, institution_id, user_id, kind, contact_name, contact_phone, status, code) VALUES (?, ?, ?, 'individual', 'x', '1', 'confirmed', 'QQQQQ2')",
        )
        .run(slot.id, slot.institutionId, intruder.id),
    ).toThrow('slot capacity exceeded')
    expect(() => sqlite.prepare("UPDATE bookings SET status = 'confirmed' WHERE id = ?").run(waitingId)).toThrow('slot capacity exceeded')
    expect(confirmedPeople(slot.id)).toBe(3)
  })
})

describe('calendar and 来访接待单', () => {
  test('the owner downloads an .ics with the time in UTC, the place and the code; others get 404', async () => {
    testClock.freeze(T0)
    const slot = publishedSlot()
    const [owner, other] = [await member(), await member()]
    const id = bookingIdOf(book(owner.id, slot.id))
    const code = bookingRow(id).code

    const res = await run(() =>
      icsLoader({
        request: getRequest(`/me/bookings/${id}.ics`, signedInCookie(owner.id)),
        params: { id: String(id) },
        context: context(),
      }),
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/calendar; charset=utf-8')
    const ics = String(res.body).replace(/\r\n[ \t]/g, '')
    expect(ics).toContain('BEGIN:VEVENT')
    expect(ics).toContain('DTSTART:20260613T013000Z')
    expect(ics).toContain('DTEND:20260613T033000Z')
    expect(ics).toContain('SUMMARY:社会开放日（滨州市儿童福利院）')
    expect(ics).toContain('LOCATION:福利院一楼活动室')
    expect(ics).toContain(`预约码：${code}`)
    // Issue 13 item 8: calendar apps open no relative links.
    expect(ics).toContain(`入场请出示来访接待单：${ORIGIN}/me/bookings/${id}/slip`)

    const stranger = await run(() =>
      icsLoader({
        request: getRequest(`/me/bookings/${id}.ics`, signedInCookie(other.id)),
        params: { id: String(id) },
        context: context(),
      }),
    )
    expect(stranger.status).toBe(404)
  })

  test("the slip shows the home, time, party and code, with a QR of the staff check-in URL; only for the owner's confirmed booking", async () => {
    testClock.freeze(T0)
    const home = homeWithPhone()
    const slot = publishedSlot({ institutionId: home.id, capacity: 1 })
    const [owner, other, waiter] = [await member(), await member(), await member()]
    const id = bookingIdOf(book(owner.id, slot.id, { contactName: '李志愿' }))
    const waitingId = bookingIdOf(book(waiter.id, slot.id))
    const code = bookingRow(id).code

    const res = await run(() =>
      slipLoader({
        request: getRequest(`/me/bookings/${id}/slip`, signedInCookie(owner.id)),
        params: { id: String(id) },
        context: context(),
      }),
    )
    expect(res.status).toBe(200)
    const body = res.body as { slip: Record<string, unknown>; qrSvg: string }
    expect(body.slip).toMatchObject({
      home: '滨州市儿童福利院',
      title: '社会开放日',
      partySize: 1,
      contactName: '李志愿',
      code,
      startsAt: STARTS,
    })
    const expectedQr = await QRCode.toString(`${ORIGIN}/staff/${home.slug}/slots/${slot.id}/checkin?code=${code}`, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 1,
    })
    expect(body.qrSvg).toBe(expectedQr)
    expect(body.qrSvg).toContain('<svg')

    for (const [who, bookingId] of [
      [other.id, id],
      [waiter.id, waitingId],
    ] as const) {
      const refused = await run(() =>
        slipLoader({
          request: getRequest(`/me/bookings/${bookingId}/slip`, signedInCookie(who)),
          params: { id: String(bookingId) },
          context: context(),
        }),
      )
      expect(refused.status).toBe(404)
    }
    const anonymous = await run(() =>
      slipLoader({ request: getRequest(`/me/bookings/${id}/slip`), params: { id: String(id) }, context: context() }),
    )
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(`/me/bookings/${id}/slip`)}`)
  })

  test('an anonymous visitor opening the booking form is sent to sign in and brought back', async () => {
    const slot = publishedSlot()
    const res = await run(() =>
      bookLoader({ request: getRequest(`/volunteer/slots/${slot.id}/book`), params: { id: String(slot.id) }, context: context() }),
    )
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(`/volunteer/slots/${slot.id}/book`)}`)
  })
})
