import { and, eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db, sqlite } from '~db/client.server'
import { auditLog, bookings, institutions, notifications, slots, type BookingStatus } from '~db/schema'
import { action as seriesAction, loader as seriesLoader } from '~/routes/staff.$slug.series.$seriesId'
import { action as slotAction, loader as slotLoader } from '~/routes/staff.$slug.slots.$slotId._index'
import { loader as staffSlotsLoader } from '~/routes/staff.$slug.slots._index'
import { action as newSlotAction } from '~/routes/staff.$slug.slots.new'
import { loader as volunteerLoader } from '~/routes/volunteer._index'
import { loader as publicSlotLoader } from '~/routes/volunteer.slots.$id._index'
import { listUpcomingSlots, monthCalendar } from '~/slots/public.server'
import { extendAllSeries, generateSeriesSlots } from '~/slots/series.server'
import { testClock } from '~/utils/clock.server'
import { addShanghaiDays, shanghaiDateString, shanghaiInstant, shanghaiParts } from '~/utils/shanghai-date'
import {
  addMember,
  context,
  createTestInstitution,
  createUser,
  formRequest,
  getRequest,
  insertTestSlot,
  run,
  signedInCookie,
  unique,
} from './helpers'

const DAY = 86_400_000

async function homeWithManager() {
  const home = createTestInstitution()
  // A city of its own, so public listings filtered by it see only this test's slots.
  const city = unique('城')
  db.update(institutions).set({ city }).where(eq(institutions.id, home.id)).run()
  const manager = await createUser({ displayName: '院长' })
  addMember(manager.id, home.id, 'manager')
  return { home: { ...home, city }, manager, cookie: signedInCookie(manager.id) }
}

/** A slot for listing and capacity tests: an activity with 10 places unless told. */
function insertSlot(institutionId: number, fields: Parameters<typeof insertTestSlot>[1] & { startsAt: Date }) {
  return insertTestSlot(institutionId, { kind: 'activity', capacity: 10, title: unique('活动'), ...fields })
}

async function book(slot: { id: number; institutionId: number }, status: BookingStatus, partySize = 1) {
  const user = await createUser({ displayName: '志愿者' })
  return db
    .insert(bookings)
    .values({
      slotId: slot.id,
      institutionId: slot.institutionId,
      userId: user.id,
      kind: partySize > 1 ? 'group' : 'individual',
      partySize,
      contactName: '张三',
      contactPhone: '13912345678',
      status,
      code: unique('B'),
    })
    .returning()
    .get()
}

function slotFields(date: string, overrides: Record<string, string> = {}) {
  return {
    type: 'once',
    intent: 'save',
    kind: 'open_day',
    title: '社会开放日',
    description: '欢迎来访',
    location: '一楼开放区域',
    date,
    startTime: '09:30',
    endTime: '11:30',
    capacity: '40',
    allowGroups: 'on',
    groupMinDaysAhead: '3',
    groupMaxSize: '15',
    cancelCutoffHours: '24',
    offerHoldHours: '12',
    ...overrides,
  }
}

const presetSeries = (firstDate: string, overrides: Record<string, string> = {}) => ({
  ...slotFields(firstDate),
  type: 'series',
  intent: 'publish',
  recurrence: 'monthly_2nd_saturday',
  weekday: '6',
  firstDate,
  ...overrides,
})

const inDays = (days: number) => shanghaiParts(new Date(Date.now() + days * DAY)).date

function auditActions(institutionId: number) {
  return db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.institutionId, institutionId))
    .all()
    .map((r) => r.action)
}

describe('staff create, publish and cancel slots', () => {
  test('a manager creates an open day as a draft, publishes it, and both steps are in the audit log', async () => {
    const { home, cookie } = await homeWithManager()
    const params = { slug: home.slug }
    const created = await run(() =>
      newSlotAction({
        request: formRequest(`/staff/${home.slug}/slots/new`, slotFields(inDays(10)), { cookie }),
        params,
        context: context(),
      }),
    )
    expect(created.status).toBe(302)
    const slotId = Number(/\/slots\/(\d+)/.exec(created.headers.get('Location') ?? '')?.[1])
    const draft = db.select().from(slots).where(eq(slots.id, slotId)).get()
    expect(draft?.status).toBe('draft')
    expect(draft?.institutionId).toBe(home.id)
    expect(shanghaiParts(draft!.startsAt).time).toBe('09:30')

    // A draft is not public yet.
    const hidden = await run(() =>
      publicSlotLoader({ request: getRequest(`/volunteer/slots/${slotId}`), params: { id: String(slotId) }, context: context() }),
    )
    expect(hidden.status).toBe(404)

    const published = await run(() =>
      slotAction({
        request: formRequest(`/staff/${home.slug}/slots/${slotId}`, { intent: 'publish' }, { cookie }),
        params: { ...params, slotId: String(slotId) },
        context: context(),
      }),
    )
    expect(published.status).toBe(200)
    expect(db.select().from(slots).where(eq(slots.id, slotId)).get()?.status).toBe('published')
    expect(auditActions(home.id)).toEqual(['slot.create', 'slot.publish'])

    const list = await run(() => staffSlotsLoader({ request: getRequest(`/staff/${home.slug}/slots`, cookie), params, context: context() }))
    expect((list.body as { slots: Array<{ id: number; status: string }> }).slots).toEqual([
      expect.objectContaining({ id: slotId, status: 'published' }),
    ])
  })

  test('an end time before the start is refused next to the field, and nothing is saved', async () => {
    const { home, cookie } = await homeWithManager()
    const res = await run(() =>
      newSlotAction({
        request: formRequest(`/staff/${home.slug}/slots/new`, slotFields(inDays(5), { endTime: '08:00' }), { cookie }),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(400)
    expect((res.body as { result: { error: Record<string, string[]> } }).result.error.endTime).toEqual(['结束时间须晚于开始时间'])
    expect(db.select().from(slots).where(eq(slots.institutionId, home.id)).all()).toHaveLength(0)
  })

  test('cancelling a slot cancels every live booking, tells each booker, and says so on the public page', async () => {
    const { home, cookie } = await homeWithManager()
    const slot = insertSlot(home.id, { startsAt: new Date(Date.now() + 5 * DAY), capacity: 3 })
    const confirmed = await book(slot, 'confirmed', 2)
    const waitlisted = await book(slot, 'waitlisted')
    const offered = await book(slot, 'offered')
    const alreadyCancelled = await book(slot, 'cancelled')
    const params = { slug: home.slug, slotId: String(slot.id) }
    const res = await run(() =>
      slotAction({
        request: formRequest(`/staff/${home.slug}/slots/${slot.id}`, { intent: 'cancel', reason: '天气原因' }, { cookie }),
        params,
        context: context(),
      }),
    )
    expect(res.status).toBe(200)
    expect((res.body as { message: string }).message).toBe('活动已取消，3 个预约已取消并通知预约者')
    expect(db.select().from(slots).where(eq(slots.id, slot.id)).get()?.status).toBe('cancelled')

    const rows = db.select().from(bookings).where(eq(bookings.slotId, slot.id)).all()
    for (const b of [confirmed, waitlisted, offered]) {
      const row = rows.find((r) => r.id === b.id)
      expect(row?.status).toBe('cancelled')
      expect(row?.cancelReason).toBe('slot_cancelled')
    }
    expect(rows.find((r) => r.id === alreadyCancelled.id)?.cancelReason).toBeNull()

    for (const b of [confirmed, waitlisted, offered]) {
      const sent = db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, b.userId), eq(notifications.template, 'slot.cancelled')))
        .all()
      expect(sent).toHaveLength(1)
      expect(sent[0]?.body).toContain('天气原因')
    }
    expect(db.select().from(notifications).where(eq(notifications.userId, alreadyCancelled.userId)).all()).toHaveLength(0)
    expect(auditActions(home.id)).toContain('slot.cancel')

    const page = await run(() =>
      publicSlotLoader({ request: getRequest(`/volunteer/slots/${slot.id}`), params: { id: String(slot.id) }, context: context() }),
    )
    expect((page.body as { slot: { booking: string } }).slot.booking).toBe('cancelled')

    const again = await run(() =>
      slotAction({
        request: formRequest(`/staff/${home.slug}/slots/${slot.id}`, { intent: 'cancel' }, { cookie }),
        params,
        context: context(),
      }),
    )
    expect(again.status).toBe(400)
    expect((again.body as { message: string }).message).toBe('该活动已经取消')
  })

  test("staff of another home can neither see nor cancel a home's slot (404)", async () => {
    const a = await homeWithManager()
    const b = await homeWithManager()
    const slot = insertSlot(a.home.id, { startsAt: new Date(Date.now() + 5 * DAY) })
    // Through their own console, the other home's slot id does not exist…
    const own = await run(() =>
      slotLoader({
        request: getRequest(`/staff/${b.home.slug}/slots/${slot.id}`, b.cookie),
        params: { slug: b.home.slug, slotId: String(slot.id) },
        context: context(),
      }),
    )
    expect(own.status).toBe(404)
    const cancel = await run(() =>
      slotAction({
        request: formRequest(`/staff/${b.home.slug}/slots/${slot.id}`, { intent: 'cancel' }, { cookie: b.cookie }),
        params: { slug: b.home.slug, slotId: String(slot.id) },
        context: context(),
      }),
    )
    expect(cancel.status).toBe(404)
    // …and the other home's console is not theirs.
    const foreign = await run(() =>
      slotLoader({
        request: getRequest(`/staff/${a.home.slug}/slots/${slot.id}`, b.cookie),
        params: { slug: a.home.slug, slotId: String(slot.id) },
        context: context(),
      }),
    )
    expect(foreign.status).toBe(404)
    expect(db.select().from(slots).where(eq(slots.id, slot.id)).get()?.status).toBe('published')
  })

  test('capacity cannot be lowered below the people already confirmed', async () => {
    const { home, cookie } = await homeWithManager()
    // 10:00 Beijing time in eight days: a slot started at "now + 8 days" crossed midnight when the
    // suite ran after 22:00 Beijing time, and the one-day edit form refused its end time.
    const slot = insertSlot(home.id, {
      startsAt: shanghaiInstant(addShanghaiDays(shanghaiDateString(new Date()), 8), '10:00'),
      capacity: 10,
    })
    await book(slot, 'confirmed', 4)
    await book(slot, 'confirmed', 3)
    await book(slot, 'waitlisted', 5) // waiting people do not hold places
    const date = shanghaiParts(slot.startsAt).date
    const start = shanghaiParts(slot.startsAt).time
    const end = shanghaiParts(slot.endsAt).time
    const params = { slug: home.slug, slotId: String(slot.id) }
    const save = (capacity: string) =>
      run(() =>
        slotAction({
          request: formRequest(
            `/staff/${home.slug}/slots/${slot.id}`,
            slotFields(date, { startTime: start, endTime: end, kind: 'activity', title: slot.title, capacity, groupMaxSize: '4' }),
            { cookie },
          ),
          params,
          context: context(),
        }),
      )
    const page = await run(() =>
      slotLoader({ request: getRequest(`/staff/${home.slug}/slots/${slot.id}`, cookie), params, context: context() }),
    )
    expect(page.body).toMatchObject({ confirmedPeople: 7, confirmedBookings: 2, waitlist: 1 })
    const refused = await save('6')
    expect(refused.status).toBe(400)
    expect((refused.body as { result: { error: Record<string, string[]> } }).result.error.capacity).toEqual(['名额不能少于已确认的 7 人'])
    expect(db.select().from(slots).where(eq(slots.id, slot.id)).get()?.capacity).toBe(10)

    // The database refuses it too, whatever the application does.
    expect(() => sqlite.prepare('UPDATE slots SET capacity = 6 WHERE id = ?').run(slot.id)).toThrow(
      'slot capacity below confirmed bookings',
    )

    const lowered = await save('7')
    expect(lowered.status).toBe(200)
    expect(db.select().from(slots).where(eq(slots.id, slot.id)).get()?.capacity).toBe(7)

    // Raising it again offers the new places to the 候补 queue first (the group of 5 fits).
    expect((await save('12')).status).toBe(200)
    const waiting = db
      .select()
      .from(bookings)
      .where(and(eq(bookings.slotId, slot.id), eq(bookings.partySize, 5)))
      .get()
    expect(waiting?.status).toBe('offered')
    expect(waiting?.offerExpiresAt).not.toBeNull()
  })
})

describe('recurring series', () => {
  test('the open-day preset gives the second Saturday of each month, 9:30 Beijing time stored as 01:30Z, six months ahead', async () => {
    testClock.freeze('2026-11-22T04:00:00Z')
    const { home, cookie } = await homeWithManager()
    const res = await run(() =>
      newSlotAction({
        request: formRequest(`/staff/${home.slug}/slots/new`, presetSeries('2026-11-22'), { cookie }),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(302)
    const location = res.headers.get('Location') ?? ''
    expect(location).toMatch(/\/series\/\d+\?created=6$/)
    const rows = db.select().from(slots).where(eq(slots.institutionId, home.id)).orderBy(slots.startsAt).all()
    expect(rows.map((s) => s.startsAt.toISOString())).toEqual([
      '2026-12-12T01:30:00.000Z',
      '2027-01-09T01:30:00.000Z',
      '2027-02-13T01:30:00.000Z',
      '2027-03-13T01:30:00.000Z',
      '2027-04-10T01:30:00.000Z',
      '2027-05-08T01:30:00.000Z',
    ])
    expect(
      rows.every((s) => s.endsAt.getTime() - s.startsAt.getTime() === 2 * 3_600_000 && s.status === 'published' && s.capacity === 40),
    ).toBe(true)
    expect(auditActions(home.id)).toEqual(['series.create'])

    // Generating again adds nothing; a month later the jobs add the next second Saturday.
    const seriesId = rows[0]!.seriesId!
    const { slotSeries } = await import('~db/schema')
    const series = db.select().from(slotSeries).where(eq(slotSeries.id, seriesId)).get()!
    expect(db.transaction((tx) => generateSeriesSlots(tx, series))).toBe(0)
    testClock.advance(31 * DAY)
    extendAllSeries()
    const later = db.select().from(slots).where(eq(slots.seriesId, seriesId)).orderBy(slots.startsAt).all()
    expect(later.at(-1)?.startsAt.toISOString()).toBe('2027-06-12T01:30:00.000Z')
    expect(later).toHaveLength(7)
  })

  test('editing a series updates only the future slots nobody has booked, and tells staff how many were kept', async () => {
    testClock.freeze('2026-11-22T04:00:00Z')
    const { home, cookie } = await homeWithManager()
    const weekly = {
      recurrence: 'weekly',
      weekday: '6',
      kind: 'tutoring',
      title: '周六学业辅导',
      startTime: '14:00',
      endTime: '16:00',
      capacity: '6',
      groupMaxSize: '4',
    }
    const created = await run(() =>
      newSlotAction({
        request: formRequest(`/staff/${home.slug}/slots/new`, presetSeries('2026-11-22', weekly), { cookie }),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    const seriesId = /\/series\/(\d+)/.exec(created.headers.get('Location') ?? '')?.[1] as string
    const before = db
      .select()
      .from(slots)
      .where(eq(slots.seriesId, Number(seriesId)))
      .orderBy(slots.startsAt)
      .all()
    expect(before[0]?.startsAt.toISOString()).toBe('2026-11-28T06:00:00.000Z')
    const booked = before[1]!
    await book(booked, 'confirmed')

    const params = { slug: home.slug, seriesId }
    const res = await run(() =>
      seriesAction({
        request: formRequest(
          `/staff/${home.slug}/series/${seriesId}`,
          { ...presetSeries('2026-11-22', { ...weekly, startTime: '15:00', endTime: '17:00', capacity: '8' }), intent: 'save' },
          { cookie },
        ),
        params,
        context: context(),
      }),
    )
    expect(res.status).toBe(200)
    expect((res.body as { message: string }).message).toBe(
      `已更新 ${before.length - 1} 场，1 场已有人预约，保持不变（如需调整请单独编辑该场）。`,
    )

    const after = db
      .select()
      .from(slots)
      .where(eq(slots.seriesId, Number(seriesId)))
      .orderBy(slots.startsAt)
      .all()
    const keptRow = after.find((s) => s.id === booked.id)
    expect(keptRow?.startsAt.toISOString()).toBe(booked.startsAt.toISOString())
    expect(keptRow?.capacity).toBe(6)
    const moved = after.filter((s) => s.id !== booked.id)
    expect(moved).toHaveLength(before.length - 1)
    expect(moved.every((s) => shanghaiParts(s.startsAt).time === '15:00' && s.capacity === 8)).toBe(true)
    // Same dates as before: nothing duplicated on the booked Saturday.
    expect(new Set(after.map((s) => shanghaiParts(s.startsAt).date)).size).toBe(after.length)

    // Moving the series to Sundays removes the unbooked Saturdays and keeps the booked one.
    const sunday = await run(() =>
      seriesAction({
        request: formRequest(
          `/staff/${home.slug}/series/${seriesId}`,
          { ...presetSeries('2026-11-22', { ...weekly, weekday: '0' }), intent: 'save' },
          { cookie },
        ),
        params,
        context: context(),
      }),
    )
    expect((sunday.body as { message: string }).message).toContain('1 场已有人预约，保持不变')
    const sundays = db
      .select()
      .from(slots)
      .where(eq(slots.seriesId, Number(seriesId)))
      .all()
    const saturdays = sundays.filter((s) => shanghaiParts(s.startsAt).weekday === 6)
    expect(saturdays.map((s) => s.id)).toEqual([booked.id])
    expect(sundays.filter((s) => shanghaiParts(s.startsAt).weekday === 0).length).toBeGreaterThan(20)

    const page = await run(() =>
      seriesLoader({ request: getRequest(`/staff/${home.slug}/series/${seriesId}`, cookie), params, context: context() }),
    )
    expect((page.body as { rule: string }).rule).toBe('每周周日 14:00–16:00，6 人')
  })
})

describe('public volunteering pages', () => {
  test('only published slots that have not ended are listed, with places left counting confirmed party sizes', async () => {
    const { home } = await homeWithManager()
    const soon = insertSlot(home.id, { startsAt: new Date(Date.now() + 2 * DAY), capacity: 40, title: '开放日' })
    insertSlot(home.id, { startsAt: new Date(Date.now() + 3 * DAY), status: 'draft' })
    insertSlot(home.id, { startsAt: new Date(Date.now() + 4 * DAY), status: 'cancelled' })
    insertSlot(home.id, { startsAt: new Date(Date.now() - 3 * 3_600_000), hours: 2 }) // ended an hour ago
    const running = insertSlot(home.id, { startsAt: new Date(Date.now() - 3_600_000), hours: 3, capacity: 5 }) // under way: still listed
    await book(soon, 'confirmed', 15)
    await book(soon, 'confirmed', 1)
    await book(soon, 'waitlisted', 3)
    await book(soon, 'cancelled', 5)
    await book(running, 'confirmed', 5)

    const res = await run(() =>
      volunteerLoader({ request: getRequest(`/volunteer?city=${encodeURIComponent(home.city)}`), params: {}, context: context() }),
    )
    const items = (res.body as { page: { items: Array<{ id: number; remaining: number; capacity: number }> } }).page.items
    expect(items.map((i) => i.id)).toEqual([running.id, soon.id])
    expect(items.find((i) => i.id === soon.id)).toMatchObject({ remaining: 24, capacity: 40 })
    expect(items.find((i) => i.id === running.id)).toMatchObject({ remaining: 0 })
    // The public listing carries no booker or contact data.
    expect(JSON.stringify(res.body)).not.toContain('13912345678')
  })

  test('filters by kind, home and date; pages follow (starts_at, id) without repeats', async () => {
    const { home } = await homeWithManager()
    const base = Date.now() + 20 * DAY
    const made = [0, 1, 2, 3, 4].map((i) =>
      insertSlot(home.id, { startsAt: new Date(base + i * DAY), kind: i === 2 ? 'camp' : 'open_day' }),
    )
    const filters = { city: home.city }

    const camp = listUpcomingSlots({ filters: { ...filters, kind: 'camp' } })
    expect(camp.items.map((s) => s.id)).toEqual([made[2]!.id])
    expect(listUpcomingSlots({ filters: { home: home.slug, kind: 'tutoring' } }).items).toEqual([])
    const day = shanghaiParts(made[3]!.startsAt).date
    expect(listUpcomingSlots({ filters: { ...filters, from: day, to: day } }).items.map((s) => s.id)).toEqual([made[3]!.id])

    const first = listUpcomingSlots({ filters, limit: 2 })
    expect(first.items.map((s) => s.id)).toEqual([made[0]!.id, made[1]!.id])
    // A slot added earlier than the page boundary does not shift what comes next.
    insertSlot(home.id, { startsAt: new Date(base - DAY) })
    const second = listUpcomingSlots({ filters, limit: 2, cursor: first.next })
    expect(second.items.map((s) => s.id)).toEqual([made[2]!.id, made[3]!.id])
    const third = listUpcomingSlots({ filters, limit: 2, cursor: second.next })
    expect(third.items.map((s) => s.id)).toEqual([made[4]!.id])
    expect(third.next).toBeNull()
  })

  test('the month calendar puts each slot on its Beijing-time day', async () => {
    testClock.freeze('2026-11-22T04:00:00Z')
    const { home } = await homeWithManager()
    // 00:30 on 12 December in Beijing is still 11 December in UTC.
    const early = insertSlot(home.id, { startsAt: new Date('2026-12-11T16:30:00Z'), title: '早场' })
    const openDay = insertSlot(home.id, { startsAt: new Date('2026-12-12T01:30:00Z'), title: '开放日' })
    insertSlot(home.id, { startsAt: new Date('2027-01-09T01:30:00Z') })
    const calendar = monthCalendar(2026, 12, { home: home.slug })
    expect(calendar.label).toBe('2026年12月')
    expect(calendar.days).toHaveLength(31)
    expect(calendar.days[0]).toMatchObject({ date: '2026-12-01', weekday: 2 })
    expect(calendar.days[11]?.slots.map((s) => s.id)).toEqual([early.id, openDay.id])
    expect(calendar.days.filter((d) => d.slots.length).map((d) => d.day)).toEqual([12])
    expect([calendar.prev, calendar.next]).toEqual(['2026-11', '2027-01'])

    const res = await run(() =>
      volunteerLoader({ request: getRequest(`/volunteer?view=calendar&month=2026-12&home=${home.slug}`), params: {}, context: context() }),
    )
    expect((res.body as { view: string; calendar: { label: string } }).calendar.label).toBe('2026年12月')
  })

  test('a slot page shows requirements and group rules in words, and a full slot offers the waitlist', async () => {
    const { home } = await homeWithManager()
    const slot = db
      .insert(slots)
      .values({
        institutionId: home.id,
        kind: 'tutoring',
        title: '周六学业辅导',
        startsAt: new Date(Date.now() + 6 * DAY),
        endsAt: new Date(Date.now() + 6 * DAY + 2 * 3_600_000),
        capacity: 1,
        allowGroups: false,
        minAge: 18,
        requiredQualifications: ['teacher_certificate'],
        requiresBackgroundCheck: true,
        status: 'published',
      })
      .returning()
      .get()
    await book(slot, 'confirmed')
    const res = await run(() =>
      publicSlotLoader({ request: getRequest(`/volunteer/slots/${slot.id}`), params: { id: String(slot.id) }, context: context() }),
    )
    const view = (
      res.body as { slot: { remaining: number; booking: string; requirements: string[]; groupRules: string; cancelCutoff: string } }
    ).slot
    expect(view.remaining).toBe(0)
    expect(view.booking).toBe('open')
    expect(view.requirements).toEqual([
      '活动当天须年满 18 岁',
      '需与儿童密切接触：须提交无犯罪记录等背景核验材料，并经机构核验通过',
      '须具备经机构核验的「教师资格」资质',
    ])
    expect(view.groupRules).toBe('仅接受个人预约，不接受团体预约')
    expect(view.cancelCutoff).toBe('活动开始前 1 天（24 小时）以前可自行取消；之后请直接联系机构')
    expect(JSON.stringify(res.body)).not.toContain('13912345678')
  })
})
