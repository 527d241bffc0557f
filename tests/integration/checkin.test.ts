import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { and, eq, like } from 'drizzle-orm'
import { afterAll, describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { auditLog, bookings, notifications, serviceRecords, slots, volunteerProfiles } from '~db/schema'
import { checkIn, checkOut, closeEndedSlotsHours, closeSlotHours, listSlotBookingsForCheckin, markNoShows } from '~/checkin/checkin.server'
import { runJobs } from '~/jobs/jobs.server'
import { loader as checkinLoader, action as checkinAction } from '~/routes/staff.$slug.slots.$slotId.checkin'
import { loader as profileLoader } from '~/routes/me.volunteer'
import { testClock } from '~/utils/clock.server'
import { serviceSummary } from '~/volunteers/hours.server'
import { context, createUser, formRequest, getRequest, insertTestBooking, insertTestSlot, run, signedInCookie } from './helpers'
import * as helpers from './helpers'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
// The 2nd Saturday of May 2026, 9:30–11:30 in Shanghai.
const START = new Date('2026-05-09T01:30:00Z')
const END = new Date('2026-05-09T03:30:00Z')

const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weinuan-checkin-outbox-'))
afterAll(() => fs.rmSync(outboxDir, { recursive: true, force: true }))

type Reply = {
  intent: string
  bookingId: number | null
  ok: boolean
  message: string
  result?: { error?: Record<string, string[] | null> }
}

const homeWithStaff = (name = '测试福利院') => helpers.homeWithStaff({ name, ip: '127.0.0.1' })

async function openDay(homeId: number, title = '社会开放日') {
  return insertTestSlot(homeId, { title, startsAt: START, endsAt: END, capacity: 40 })
}

function booking(id: number) {
  return db.select().from(bookings).where(eq(bookings.id, id)).get()!
}

function recordsOf(bookingId: number) {
  return db
    .select()
    .from(serviceRecords)
    .where(and(eq(serviceRecords.source, 'slot_booking'), eq(serviceRecords.sourceId, bookingId)))
    .all()
}

function post(slug: string, slotId: number, cookie: string, fields: Record<string, string>) {
  return run(() =>
    checkinAction({
      request: formRequest(`/staff/${slug}/slots/${slotId}/checkin`, fields, { cookie }),
      params: { slug, slotId: String(slotId) },
      context: context(),
    }),
  )
}

function page(slug: string, slotId: number, cookie: string, query = '') {
  return run(() =>
    checkinLoader({
      request: getRequest(`/staff/${slug}/slots/${slotId}/checkin${query}`, cookie),
      params: { slug, slotId: String(slotId) },
      context: context(),
    }),
  )
}

describe('checking in at the door', () => {
  test('a group is checked in with the number present; pressing 签到 again changes nothing and says 已签到', async () => {
    testClock.freeze(new Date(START.getTime() - 10 * MINUTE))
    const a = await homeWithStaff()
    const slot = await openDay(a.home.id)
    const volunteer = await createUser()
    const b = insertTestBooking(slot, volunteer.id, { organisation: '滨州学院青年志愿者协会', contactName: '周联系', partySize: 5 })

    const first = await post(a.home.slug, slot.id, a.cookie, { intent: 'checkin', bookingId: String(b.id), presentCount: '4' })
    expect(first.status).toBe(200)
    expect((first.body as Reply).message).toBe('已签到 4 人')
    const checkedIn = booking(b.id)
    expect(checkedIn).toMatchObject({ status: 'confirmed', checkedInCount: 4 })
    expect(checkedIn.checkedInAt).toEqual(new Date(START.getTime() - 10 * MINUTE))

    testClock.advance(5 * MINUTE)
    const second = await post(a.home.slug, slot.id, a.cookie, { intent: 'checkin', bookingId: String(b.id), presentCount: '5' })
    expect(second.status).toBe(200)
    expect((second.body as Reply).message).toBe('已签到（4 人），无需重复签到')
    expect(booking(b.id)).toEqual(checkedIn)

    const actions = db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.institutionId, a.home.id))
      .all()
      .map((r) => r.action)
    expect(actions).toEqual(['booking.checkin', 'booking.checkin_repeat'])
  })

  test('the number present must be between 1 and the party size', async () => {
    testClock.freeze(START)
    const a = await homeWithStaff()
    const slot = await openDay(a.home.id)
    const b = insertTestBooking(slot, (await createUser()).id, { partySize: 3 })

    const none = await post(a.home.slug, slot.id, a.cookie, { intent: 'checkin', bookingId: String(b.id), presentCount: '0' })
    expect(none.status).toBe(400)
    expect((none.body as Reply).result?.error?.presentCount).toEqual(['请填写到场人数（至少 1 人）'])
    const tooMany = await post(a.home.slug, slot.id, a.cookie, { intent: 'checkin', bookingId: String(b.id), presentCount: '4' })
    expect(tooMany.status).toBe(409)
    expect((tooMany.body as Reply).result?.error?.presentCount).toEqual(['到场人数须在 1 到 3 之间'])
    expect(booking(b.id).checkedInAt).toBeNull()
    expect(checkIn(a.actor, a.home.id, b.id, 3)).toMatchObject({ ok: true, already: false })
  })

  test('only confirmed bookings can be checked in, and not days before the slot', async () => {
    const a = await homeWithStaff()
    const slot = await openDay(a.home.id)
    const waiting = insertTestBooking(slot, (await createUser()).id, { status: 'waitlisted' })
    const cancelled = insertTestBooking(slot, (await createUser()).id, { status: 'cancelled' })
    const early = insertTestBooking(slot, (await createUser()).id)
    testClock.freeze(new Date(START.getTime() - DAY))
    expect(checkIn(a.actor, a.home.id, early.id, 1)).toEqual({ ok: false, message: '活动开始前 3 小时起才能签到' })
    testClock.freeze(START)
    expect(checkIn(a.actor, a.home.id, waiting.id, 1)).toEqual({ ok: false, message: '只有已确认的预约可以签到' })
    expect(checkIn(a.actor, a.home.id, cancelled.id, 1)).toEqual({ ok: false, message: '只有已确认的预约可以签到' })
  })

  test('staff of another home get 404 for the page, and cannot check in its bookings', async () => {
    testClock.freeze(START)
    const a = await homeWithStaff('甲院')
    const b = await homeWithStaff('乙院')
    const slot = await openDay(a.home.id)
    const bk = insertTestBooking(slot, (await createUser()).id)

    expect((await page(a.home.slug, slot.id, a.cookie)).status).toBe(200)
    expect((await page(a.home.slug, slot.id, b.cookie)).status).toBe(404)
    expect((await page(b.home.slug, slot.id, b.cookie)).status).toBe(404)
    expect((await post(b.home.slug, slot.id, b.cookie, { intent: 'checkin', bookingId: String(bk.id), presentCount: '1' })).status).toBe(
      404,
    )
    // Even naming A's booking from B's own slot page does not reach it.
    const bSlot = await openDay(b.home.id)
    const cross = await post(b.home.slug, bSlot.id, b.cookie, { intent: 'checkin', bookingId: String(bk.id), presentCount: '1' })
    expect((cross.body as Reply).message).toBe('没有找到这条预约')
    expect(booking(bk.id).checkedInAt).toBeNull()
    // A's slip code is unknown on B's page.
    const scanned = await page(b.home.slug, bSlot.id, b.cookie, `?code=${bk.code}`)
    expect((scanned.body as { highlighted: unknown }).highlighted).toBeNull()
  })
})

describe('finding a booking', () => {
  test('staff search by slip code, contact name or phone; a scanned QR puts the booking on top', async () => {
    testClock.freeze(START)
    const a = await homeWithStaff()
    const slot = await openDay(a.home.id)
    const zhang = insertTestBooking(slot, (await createUser()).id, { contactName: '张小燕', contactPhone: '13911112222', code: 'ZX7K2P' })
    const wang = insertTestBooking(slot, (await createUser()).id, { contactName: '王大海', contactPhone: '13633334444', code: 'WD9M3Q' })
    insertTestBooking(slot, (await createUser()).id, { contactName: '取消者', status: 'cancelled' })

    const ids = (q: string) => listSlotBookingsForCheckin(a.home.id, slot.id, q)!.bookings.map((b) => b.id)
    expect(ids('zx7k2p')).toEqual([zhang.id])
    expect(ids('王大')).toEqual([wang.id])
    expect(ids('139 1111')).toEqual([zhang.id])
    expect(ids('4444')).toEqual([wang.id])
    expect(ids('%')).toEqual([])
    expect(ids('').sort()).toEqual([zhang.id, wang.id].sort())

    const scanned = await page(a.home.slug, slot.id, a.cookie, '?code=wd9m3q')
    const body = scanned.body as { highlighted: { id: number } | null; bookings: Array<{ id: number }> }
    expect(body.highlighted?.id).toBe(wang.id)
    expect(body.bookings.map((b) => b.id)).toEqual([zhang.id])
  })

  test("a slip scanned on another slot's page opens the page of its own slot", async () => {
    testClock.freeze(START)
    const a = await homeWithStaff()
    const today = await openDay(a.home.id)
    const nextMonth = insertTestSlot(a.home.id, { startsAt: new Date(START.getTime() + 28 * DAY) })
    const bk = insertTestBooking(nextMonth, (await createUser()).id, { code: 'NX4T8R' })
    const res = await page(a.home.slug, today.id, a.cookie, '?code=NX4T8R')
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/staff/${a.home.slug}/slots/${nextMonth.id}/checkin?code=NX4T8R`)
    expect(bk.slotId).toBe(nextMonth.id)
  })
})

describe('service hours', () => {
  test("check-out records the hours from check-in to check-out on the volunteer's profile", async () => {
    testClock.freeze(new Date(START.getTime() - 5 * MINUTE))
    const a = await homeWithStaff('滨州市福利院')
    const slot = await openDay(a.home.id, '五月社会开放日')
    const volunteer = await createUser()
    const bk = insertTestBooking(slot, volunteer.id)
    checkIn(a.actor, a.home.id, bk.id, 1)
    testClock.advance(95 * MINUTE)
    const out = await post(a.home.slug, slot.id, a.cookie, { intent: 'checkout', bookingId: String(bk.id) })
    expect((out.body as Reply).message).toBe('已签退，记录志愿时长 1 小时 35 分钟')

    const [record] = recordsOf(bk.id)
    expect(record).toMatchObject({ userId: volunteer.id, institutionId: a.home.id, minutes: 95, description: '五月社会开放日' })
    expect(record!.startedAt).toEqual(new Date(START.getTime() - 5 * MINUTE))
    expect(record!.endedAt).toEqual(new Date(START.getTime() + 90 * MINUTE))

    // Checking out twice changes nothing.
    testClock.advance(HOUR)
    expect(checkOut(a.actor, a.home.id, bk.id)).toMatchObject({ ok: true, already: true, minutes: 95 })
    expect(recordsOf(bk.id)).toEqual([record])

    const profile = await run(() =>
      profileLoader({ request: getRequest('/me/volunteer', signedInCookie(volunteer.id)), params: {}, context: context() }),
    )
    const hours = (profile.body as { hours: { totalHours: number; items: Array<{ description: string; hours: number }> } }).hours
    expect(hours.totalHours).toBe(1.6)
    expect(hours.items).toMatchObject([{ description: '五月社会开放日', hours: 1.6 }])
  })

  test('a check-out forgotten overnight counts at most 12 hours', async () => {
    testClock.freeze(START)
    const a = await homeWithStaff()
    const slot = await openDay(a.home.id)
    const bk = insertTestBooking(slot, (await createUser()).id)
    checkIn(a.actor, a.home.id, bk.id, 1)
    testClock.advance(20 * HOUR)
    expect(checkOut(a.actor, a.home.id, bk.id)).toMatchObject({ ok: true, minutes: 12 * 60 })
  })

  test("checked in but never checked out: two hours after the slot the job records the slot's length, once", async () => {
    testClock.freeze(START)
    const a = await homeWithStaff()
    const slot = await openDay(a.home.id)
    const volunteer = await createUser()
    const bk = insertTestBooking(slot, volunteer.id)
    const absent = insertTestBooking(slot, (await createUser()).id)
    checkIn(a.actor, a.home.id, bk.id, 1)

    testClock.freeze(new Date(END.getTime() + HOUR))
    expect(closeEndedSlotsHours()).toEqual({ slots: 0, recorded: 0 })
    expect(recordsOf(bk.id)).toEqual([])
    testClock.freeze(new Date(END.getTime() + 2 * HOUR + MINUTE))
    // Other stories in this file share the database (and START): the job closes theirs too.
    const report = await runJobs({ delivery: { sms: null, smtpUrl: null, mailFrom: '微暖 <no-reply@weinuan.example>', outboxDir } })
    expect(report.closedServiceRecords).toBeGreaterThanOrEqual(1)
    expect(recordsOf(bk.id)).toMatchObject([{ userId: volunteer.id, minutes: 120, startedAt: START, endedAt: END }])
    expect(recordsOf(absent.id)).toEqual([])

    expect(closeEndedSlotsHours()).toEqual({ slots: 0, recorded: 0 })
    expect(closeSlotHours(slot.id)).toEqual({ recorded: 0 })
    expect(recordsOf(bk.id)).toHaveLength(1)
  })

  test('the summary totals per year and per home match the records', async () => {
    const a = await homeWithStaff('甲院')
    const b = await homeWithStaff('乙院')
    const volunteer = await createUser()
    // Shanghai years: 2025-12-31 23:00 local is still 2025.
    const visits = [
      { home: a, startsAt: new Date('2025-12-31T15:00:00Z'), minutes: 60 },
      { home: a, startsAt: new Date('2026-05-09T01:30:00Z'), minutes: 90 },
      { home: b, startsAt: new Date('2026-06-13T01:30:00Z'), minutes: 45 },
    ]
    for (const visit of visits) {
      const slot = insertTestSlot(visit.home.home.id, { startsAt: visit.startsAt, endsAt: new Date(visit.startsAt.getTime() + 3 * HOUR) })
      const bk = insertTestBooking(slot, volunteer.id)
      testClock.freeze(visit.startsAt)
      expect(checkIn(visit.home.actor, visit.home.home.id, bk.id, 1).ok).toBe(true)
      testClock.advance(visit.minutes * MINUTE)
      expect(checkOut(visit.home.actor, visit.home.home.id, bk.id).ok).toBe(true)
    }
    const summary = serviceSummary(volunteer.id)
    expect(summary.items).toHaveLength(3)
    expect(summary.totalMinutes).toBe(195)
    expect(summary.totalHours).toBe(3.3)
    expect(summary.perYear).toEqual([
      { year: 2026, minutes: 135, hours: 2.3 },
      { year: 2025, minutes: 60, hours: 1 },
    ])
    expect(summary.perHome).toEqual([
      { institutionId: a.home.id, home: '甲院', minutes: 150, hours: 2.5 },
      { institutionId: b.home.id, home: '乙院', minutes: 45, hours: 0.8 },
    ])
    expect(summary.perHome.reduce((sum, h) => sum + h.minutes, 0)).toBe(summary.items.reduce((sum, i) => sum + i.minutes, 0))
  })
})

describe('no-shows', () => {
  test('after the slot, confirmed bookings that never checked in are marked 未到场; not before', async () => {
    testClock.freeze(START)
    const a = await homeWithStaff()
    const slot = await openDay(a.home.id)
    const came = insertTestBooking(slot, (await createUser()).id)
    const stayedHome = insertTestBooking(slot, (await createUser()).id)
    const cancelled = insertTestBooking(slot, (await createUser()).id, { status: 'cancelled' })
    checkIn(a.actor, a.home.id, came.id, 1)

    expect(markNoShows(a.actor, a.home.id, slot.id)).toEqual({ ok: false, message: '活动结束后才能标记未到场' })
    testClock.freeze(END)
    const res = await post(a.home.slug, slot.id, a.cookie, { intent: 'no-shows' })
    expect((res.body as Reply).message).toBe('已将 1 条未签到的预约标记为未到场')
    expect(booking(stayedHome.id).status).toBe('no_show')
    expect(booking(came.id).status).toBe('confirmed')
    expect(booking(cancelled.id).status).toBe('cancelled')
    expect(markNoShows(a.actor, a.home.id, slot.id)).toEqual({ ok: true, count: 0 })
    expect(checkIn(a.actor, a.home.id, stayedHome.id, 1)).toEqual({ ok: false, message: '这条预约已标记为未到场' })
  })
})

describe('eligibility at the door (rule 5)', () => {
  function lapseNotices(userId: number) {
    return db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), like(notifications.template, 'eligibility.lapsed%')))
      .all()
  }

  test('a volunteer whose background check expired after booking is not checked in; staff see what lapsed and both are told once', async () => {
    testClock.freeze(new Date(START.getTime() - 10 * MINUTE))
    const a = await homeWithStaff()
    const slot = await openDay(a.home.id, '学业辅导')
    db.update(slots).set({ requiresBackgroundCheck: true }).where(eq(slots.id, slot.id)).run()
    const volunteer = await createUser({ displayName: '小林' })
    db.insert(volunteerProfiles)
      .values({
        userId: volunteer.id,
        realName: '林真名',
        phone: '13900007777',
        backgroundCheckStatus: 'verified',
        backgroundCheckExpiresAt: new Date('2026-05-01T15:59:59.999Z'),
      })
      .run()
    const b = insertTestBooking(slot, volunteer.id, { contactName: '林真名' })

    const refused = await post(a.home.slug, slot.id, a.cookie, { intent: 'checkin', bookingId: String(b.id), presentCount: '1' })
    expect((refused.body as Reply).ok).toBe(false)
    expect((refused.body as Reply).message).toBe(
      '志愿者资格已失效，不能签到：背景核验已于 2026/05/01 过期。志愿者本人和本机构工作人员已收到通知。',
    )
    expect(booking(b.id).checkedInAt).toBeNull()
    expect(lapseNotices(volunteer.id)).toHaveLength(1)
    expect(lapseNotices(a.staff.id)).toHaveLength(1)
    expect(lapseNotices(a.staff.id)[0]!.body).toContain('林真名')

    await post(a.home.slug, slot.id, a.cookie, { intent: 'checkin', bookingId: String(b.id), presentCount: '1' })
    expect(lapseNotices(volunteer.id)).toHaveLength(1)
    expect(lapseNotices(a.staff.id)).toHaveLength(1)

    // Renewed: checked in.
    db.update(volunteerProfiles)
      .set({ backgroundCheckExpiresAt: new Date('2027-05-01T15:59:59.999Z') })
      .where(eq(volunteerProfiles.userId, volunteer.id))
      .run()
    expect(
      (await post(a.home.slug, slot.id, a.cookie, { intent: 'checkin', bookingId: String(b.id), presentCount: '1' })).body,
    ).toMatchObject({ ok: true, message: '已签到 1 人' })
  })

  test('a group booking on a slot with requirements is not checked in', async () => {
    testClock.freeze(new Date(START.getTime() - 10 * MINUTE))
    const a = await homeWithStaff()
    const slot = await openDay(a.home.id)
    db.update(slots).set({ minAge: 16 }).where(eq(slots.id, slot.id)).run()
    const b = insertTestBooking(slot, (await createUser()).id, { organisation: '某中学', partySize: 4 })
    const refused = await post(a.home.slug, slot.id, a.cookie, { intent: 'checkin', bookingId: String(b.id), presentCount: '4' })
    expect(refused.body as Reply).toMatchObject({ ok: false, message: expect.stringContaining('团体预约不能签到') })
    expect(booking(b.id).checkedInAt).toBeNull()
  })
})
