import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { children, needs, pledges, serviceRecords, wishes } from '~db/schema'
import { checkOut, checkIn } from '~/checkin/checkin.server'
import { recordArrival } from '~/needs/intake.server'
import { givenNameOf } from '~/privacy/names'
import { demoChildren, demoWishes } from '~/seed/demo.server'
import { checkWishPrivacy } from '~/wishes/privacy.server'
import { pledgeStatusWords } from '~/needs/labels'
import { listMyPledges } from '~/needs/pledges.server'
import { loader as childrenLoader } from '~/routes/staff.$slug.children._index'
import { loader as myBookingsLoader } from '~/routes/me.bookings'
import { action as checkinAction } from '~/routes/staff.$slug.slots.$slotId.checkin'
import { testClock } from '~/utils/clock.server'
import { context, createUser, formRequest, getRequest, insertTestBooking, insertTestSlot, run, signedInCookie, unique } from './helpers'
import * as helpers from './helpers'

// Issue 13, "Dead ends and bugs seen", items 5, 6, 7 and 11 (item 8 is in bookings.test.ts).

const MINUTE = 60_000
const START = new Date('2026-05-09T01:30:00Z')
const END = new Date('2026-05-09T03:30:00Z')

describe('item 5: after 签退', () => {
  test("the volunteer's 我的预约 shows 已签退 with the hours, under 已结束, not 已签到 under 即将参加", async () => {
    testClock.freeze(new Date(START.getTime() - 5 * MINUTE))
    const a = await helpers.homeWithStaff()
    const slot = insertTestSlot(a.home.id, { startsAt: START, endsAt: END })
    const volunteer = await createUser()
    const b = insertTestBooking(slot, volunteer.id)
    expect(checkIn(a.actor, a.home.id, b.id, 1).ok).toBe(true)
    testClock.advance(95 * MINUTE)
    const out = checkOut(a.actor, a.home.id, b.id)
    expect(out).toMatchObject({ ok: true, minutes: 95 })

    const res = await run(() =>
      myBookingsLoader({ request: getRequest('/me/bookings', signedInCookie(volunteer.id)), params: {}, context: context() }),
    )
    const mine = (
      res.body as { bookings: Array<{ id: number; upcoming: boolean; checkedOutAt: unknown; servedMinutes: number | null }> }
    ).bookings.find((x) => x.id === b.id)!
    expect(mine.upcoming).toBe(false)
    expect(mine.checkedOutAt).not.toBeNull()
    expect(mine.servedMinutes).toBe(95)
  })

  test('签退 a minute after 签到 is not recorded silently: staff are asked to confirm, and told what will be recorded', async () => {
    testClock.freeze(START)
    const a = await helpers.homeWithStaff({ ip: '127.0.0.1' })
    const slot = insertTestSlot(a.home.id, { startsAt: START, endsAt: END })
    const b = insertTestBooking(slot, (await createUser()).id)
    expect(checkIn(a.actor, a.home.id, b.id, 1).ok).toBe(true)
    testClock.advance(1 * MINUTE)

    const post = (fields: Record<string, string>) =>
      run(() =>
        checkinAction({
          request: formRequest(
            `/staff/${a.home.slug}/slots/${slot.id}/checkin`,
            { intent: 'checkout', bookingId: String(b.id), ...fields },
            { cookie: a.cookie },
          ),
          params: { slug: a.home.slug, slotId: String(slot.id) },
          context: context(),
        }),
      )
    const first = await post({})
    expect(first.status).toBe(409)
    const firstBody = first.body as { ok: boolean; message: string; confirmShort?: boolean }
    expect(firstBody.confirmShort).toBe(true)
    expect(firstBody.message).toContain('签到后仅 1 分钟')
    expect(
      db
        .select()
        .from(serviceRecords)
        .where(eq(serviceRecords.sourceId, b.id))
        .all()
        .filter((r) => r.source === 'slot_booking'),
    ).toHaveLength(0)

    const confirmed = await post({ confirmShort: 'on' })
    expect(confirmed.status).toBe(200)
    expect((confirmed.body as { message: string }).message).toBe('已签退，记录志愿时长 1 分钟')
    const records = db
      .select()
      .from(serviceRecords)
      .where(eq(serviceRecords.sourceId, b.id))
      .all()
      .filter((r) => r.source === 'slot_booking')
    expect(records.map((r) => r.minutes)).toEqual([1])
  })

  test('under a minute is said to be under a minute, and records 0 only after staff confirm', async () => {
    testClock.freeze(START)
    const a = await helpers.homeWithStaff()
    const slot = insertTestSlot(a.home.id, { startsAt: START, endsAt: END })
    const b = insertTestBooking(slot, (await createUser()).id)
    checkIn(a.actor, a.home.id, b.id, 1)
    testClock.advance(20_000)
    const first = checkOut(a.actor, a.home.id, b.id)
    expect(first).toMatchObject({ ok: false, confirmShort: true })
    expect(!first.ok && first.message).toContain('不到 1 分钟')
    expect(checkOut(a.actor, a.home.id, b.id, { confirmShort: true })).toMatchObject({ ok: true, minutes: 0 })
  })

  test('a normal length visit is checked out at once', async () => {
    testClock.freeze(START)
    const a = await helpers.homeWithStaff()
    const slot = insertTestSlot(a.home.id, { startsAt: START, endsAt: END })
    const b = insertTestBooking(slot, (await createUser()).id)
    checkIn(a.actor, a.home.id, b.id, 1)
    testClock.advance(30 * MINUTE)
    expect(checkOut(a.actor, a.home.id, b.id)).toMatchObject({ ok: true, minutes: 30 })
  })
})

describe('item 6: 儿童档案 counts open wishes per child', () => {
  test('each child shows their own number of open wishes', async () => {
    const a = await helpers.homeWithStaff()
    const child = (pseudonym: string) =>
      db
        .insert(children)
        .values({ institutionId: a.home.id, realName: unique('张'), birthDate: '2016-03-01', gender: 'female', pseudonym })
        .returning()
        .get()
    const [one, two, none] = [child('小甲'), child('小乙'), child('小丙')]
    const wish = (childId: number, status: 'draft' | 'published' | 'claimed' | 'fulfilled') =>
      db
        .insert(wishes)
        .values({ institutionId: a.home.id, childId, category: 'study', title: unique('书包'), status })
        .run()
    wish(one.id, 'published')
    wish(two.id, 'draft')
    wish(two.id, 'claimed')
    wish(two.id, 'published')
    wish(none.id, 'fulfilled')

    const res = await run(() =>
      childrenLoader({
        request: getRequest(`/staff/${a.home.slug}/children`, a.cookie),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    const list = (res.body as { children: Array<{ pseudonym: string; openWishes: number }> }).children
    expect(Object.fromEntries(list.map((c) => [c.pseudonym, c.openWishes]))).toEqual({ 小甲: 1, 小乙: 3, 小丙: 0 })
  })
})

describe('item 7: a partly arrived pledge says so', () => {
  test('after a partial arrival the pledge reads 部分送达 with what arrived against what was promised', async () => {
    const a = await helpers.homeWithStaff()
    const donor = await createUser()
    const need = db
      .insert(needs)
      .values({ institutionId: a.home.id, title: unique('大米'), category: 'material', unit: '袋', quantityNeeded: 10 })
      .returning()
      .get()
    const pledge = db
      .insert(pledges)
      .values({
        needId: need.id,
        institutionId: a.home.id,
        userId: donor.id,
        quantity: 5,
        expectedAt: new Date(Date.now() + 86_400_000),
        publicDisplay: 'masked',
        code: `PL${unique('').slice(-8).toUpperCase()}`,
      })
      .returning()
      .get()
    expect(recordArrival(a.actor, a.home.id, pledge.id, { quantity: 2 }).ok).toBe(true)

    const mine = listMyPledges(donor.id).find((p) => p.id === pledge.id)!
    expect(mine.status).toBe('active')
    expect(pledgeStatusWords(mine)).toBe('部分送达：已到 2 / 认捐 5 袋')
    expect(pledgeStatusWords({ ...mine, received: 0 })).toBe('待送达')
  })
})

describe('item 11: demo children have real-looking names, so the privacy check fires on demo data', () => {
  test("a demo child's real or given name in a wish story is flagged; the seeded wishes themselves are clean", () => {
    expect(demoChildren.length).toBeGreaterThan(0)
    for (const child of demoChildren) {
      // What a tester types: the name as a person would write it, without any （…） marker.
      const name = child.realName.replace(/（[^）]*）/g, '')
      expect(name, child.realName).toMatch(/^\p{Script=Han}{2,4}$/u)
      const given = givenNameOf(name)
      const named = checkWishPrivacy({ title: '一个书包', story: `${name}想要一个新书包。`, itemDetails: '' }, child)
      expect(
        named.map((f) => f.kind),
        child.realName,
      ).toContain('real_name')
      const byGivenName = checkWishPrivacy({ title: '一个书包', story: `${given}想要一个新书包。`, itemDetails: '' }, child)
      expect(
        byGivenName.map((f) => f.kind),
        child.realName,
      ).toContain('given_name')
    }
    for (const wish of demoWishes) {
      const child = demoChildren.find((c) => c.realName === wish.child)
      expect(child, wish.title).toBeDefined()
      expect(checkWishPrivacy(wish, child!), wish.title).toEqual([])
    }
  })
})
