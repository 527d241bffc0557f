import { and, eq } from 'drizzle-orm'
import { afterEach, describe, expect, test } from 'vitest'
import { db, sqlite } from '~db/client.server'
import { auditLog, children, claims, donations, notifications, wishes } from '~db/schema'
import { getPublicEntry, listPublicLedger } from '~/donations/ledger.server'
import { loader as receiveLoader, action as receiveAction } from '~/routes/staff.$slug.receive'
import { testClock } from '~/utils/clock.server'
import { findClaimByReference, markWishReceived, thankYouForDonor } from '~/wishes/delivery.server'
import { addMember, context, createTestInstitution, createUser, formRequest, getRequest, run, signedInCookie } from './helpers'

const DAY = 86_400_000
let codeCounter = 0

/** A home with a staff member, and a donor's active claim on one of its wishes (rows written directly). */
async function claimedWish(options: { title?: string; quantity?: number; estimatedValueFen?: number | null } = {}) {
  const home = createTestInstitution('签收测试福利院')
  const staff = await createUser({ displayName: '签收社工' })
  addMember(staff.id, home.id, 'staff')
  const donor = await createUser({ displayName: '王爱心' })
  const child = db
    .insert(children)
    .values({ institutionId: home.id, realName: '诸葛真名', birthDate: '2016-08-20', gender: 'female', pseudonym: '小凤' })
    .returning()
    .get()
  const wish = db
    .insert(wishes)
    .values({
      institutionId: home.id,
      childId: child.id,
      category: 'study',
      title: options.title ?? '一套《十万个为什么》',
      quantity: options.quantity ?? 1,
      estimatedValueFen: options.estimatedValueFen === undefined ? 12_800 : options.estimatedValueFen,
      status: 'claimed',
      publishedAt: new Date(),
    })
    .returning()
    .get()
  codeCounter += 1
  const referenceCode = `WX-T${String(Date.now() % 100_000).padStart(5, '0')}${codeCounter}`
  const claim = db
    .insert(claims)
    .values({
      wishId: wish.id,
      institutionId: home.id,
      userId: donor.id,
      publicDisplay: 'masked',
      referenceCode,
      buyBy: new Date(Date.now() + 7 * DAY),
      deliverBy: new Date(Date.now() + 14 * DAY),
      trackingNumber: 'SF1234567890',
    })
    .returning()
    .get()
  return { home, staff, donor, child, wish, claim, cookie: signedInCookie(staff.id) }
}

function post(slug: string, cookie: string, fields: Record<string, string>, query = '') {
  const path = `/staff/${slug}/receive${query}`
  return run(() => receiveAction({ request: formRequest(path, fields, { cookie }), params: { slug }, context: context() }))
}

function open(slug: string, cookie: string | undefined, query = '') {
  return run(() => receiveLoader({ request: getRequest(`/staff/${slug}/receive${query}`, cookie), params: { slug }, context: context() }))
}

const entriesForWish = (wishId: number) => db.select().from(donations).where(eq(donations.wishId, wishId)).all()
const auditActions = (institutionId: number) =>
  db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.institutionId, institutionId))
    .all()
    .map((r) => r.action)

type Match = {
  referenceCode: string
  wishTitle: string
  pseudonym: string
  donorDisplay: string
  trackingNumber: string | null
  statusLabel: string
} | null

describe('finding a parcel', () => {
  test('staff find a parcel by its reference code, typed in lower case with stray spaces', async () => {
    const s = await claimedWish()
    expect(findClaimByReference(s.home.id, `  ${s.claim.referenceCode.toLowerCase()} `)?.claimId).toBe(s.claim.id)
    const res = await open(s.home.slug, s.cookie, `?code=${encodeURIComponent(s.claim.referenceCode.toLowerCase())}`)
    expect(res.status).toBe(200)
    const match = (res.body as { match: Match }).match
    expect(match).toMatchObject({
      referenceCode: s.claim.referenceCode,
      wishTitle: '一套《十万个为什么》',
      pseudonym: '小凤',
      donorDisplay: '王**',
      trackingNumber: 'SF1234567890',
      statusLabel: '进行中',
    })
    expect(JSON.stringify(res.body)).not.toContain('诸葛真名')
  })

  test('a scanned label link works too, and an unknown code says nothing was found', async () => {
    const s = await claimedWish()
    expect(
      findClaimByReference(s.home.id, `https://weinuan.example/staff/${s.home.slug}/receive?code=${s.claim.referenceCode}`)?.claimId,
    ).toBe(s.claim.id)
    const res = await open(s.home.slug, s.cookie, '?code=WX-NOPE00')
    expect(res.body as { match: Match; code: string }).toMatchObject({ match: null, code: 'WX-NOPE00' })
  })

  test('scanning the label QR while signed out leads through sign-in back to the parcel', async () => {
    const s = await claimedWish()
    const res = await open(s.home.slug, undefined, `?code=${s.claim.referenceCode}`)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(
      `/login?redirectTo=${encodeURIComponent(`/staff/${s.home.slug}/receive?code=${s.claim.referenceCode}`)}`,
    )
  })

  test('staff of another home can neither find nor receive the parcel', async () => {
    const s = await claimedWish()
    const other = await claimedWish()
    expect(findClaimByReference(other.home.id, s.claim.referenceCode)).toBeNull()
    const found = await open(other.home.slug, other.cookie, `?code=${s.claim.referenceCode}`)
    expect((found.body as { match: Match }).match).toBeNull()
    const intoTheirConsole = await open(s.home.slug, other.cookie, `?code=${s.claim.referenceCode}`)
    expect(intoTheirConsole.status).toBe(404)

    const receive = await post(other.home.slug, other.cookie, { intent: 'receive', claimId: String(s.claim.id) })
    expect(receive.status).toBe(409)
    const fulfil = await post(other.home.slug, other.cookie, { intent: 'fulfil', wishId: String(s.wish.id) })
    expect(fulfil.status).toBe(409)
    const partial = await post(other.home.slug, other.cookie, { intent: 'partial', claimId: String(s.claim.id), note: '冒充' })
    expect(partial.status).toBe(409)
    expect(db.select().from(claims).where(eq(claims.id, s.claim.id)).get()).toMatchObject({ status: 'active', partialArrivalNote: null })
    expect(entriesForWish(s.wish.id)).toHaveLength(0)
  })
})

describe('receiving', () => {
  test('a partial arrival is noted and the claim stays open', async () => {
    testClock.freeze('2026-06-01T02:00:00Z')
    const s = await claimedWish({ quantity: 3 })
    const empty = await post(s.home.slug, s.cookie, { intent: 'partial', claimId: String(s.claim.id), note: '' })
    expect(empty.status).toBe(400)
    expect((empty.body as { result: { error: Record<string, string[]> } }).result.error.note).toEqual([
      '请填写到达情况，例如“到了 2 本，还差 1 本”',
    ])

    const res = await post(s.home.slug, s.cookie, { intent: 'partial', claimId: String(s.claim.id), note: '到了 2 本，还差 1 本' })
    expect(res.status).toBe(200)
    const claim = db.select().from(claims).where(eq(claims.id, s.claim.id)).get()
    expect(claim?.status).toBe('active')
    expect(claim?.partialArrivalNote).toContain('到了 2 本，还差 1 本')
    expect(claim?.partialArrivalAt?.toISOString()).toBe('2026-06-01T02:00:00.000Z')
    expect(entriesForWish(s.wish.id)).toHaveLength(0)
    expect(auditActions(s.home.id)).toContain('claim.partial_arrival')
  })

  test("confirming receipt records exactly one public log entry under the donor's chosen name, and tells the donor", async () => {
    testClock.freeze('2026-06-01T02:00:00Z')
    const s = await claimedWish({ quantity: 2, estimatedValueFen: 25_600 })
    const res = await post(s.home.slug, s.cookie, { intent: 'receive', claimId: String(s.claim.id) }, `?code=${s.claim.referenceCode}`)
    expect(res.status).toBe(200)
    const receiptNo = (res.body as { receiptNo: string }).receiptNo
    expect(receiptNo).toMatch(/^WN-2026-\d{6}$/)

    expect(db.select().from(claims).where(eq(claims.id, s.claim.id)).get()).toMatchObject({
      status: 'delivered',
      receivedAt: new Date('2026-06-01T02:00:00Z'),
    })
    expect(db.select().from(wishes).where(eq(wishes.id, s.wish.id)).get()).toMatchObject({
      status: 'received',
      receivedAt: new Date('2026-06-01T02:00:00Z'),
    })
    const entries = entriesForWish(s.wish.id)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      receiptNo,
      institutionId: s.home.id,
      kind: 'goods',
      description: '一套《十万个为什么》 ×2',
      quantity: 2,
      unit: '件',
      estimatedValueFen: 25_600,
      donorDisplay: '王**',
      donorUserId: s.donor.id,
      designation: 'wish',
      channel: 'wish_claim',
      recordedBy: s.staff.id,
      correctsId: null,
    })
    expect(listPublicLedger({ institutionSlug: s.home.slug }).items.map((e) => e.receiptNo)).toEqual([receiptNo])

    const notices = db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, s.donor.id), eq(notifications.template, 'wish.received')))
      .all()
    expect(notices).toHaveLength(1)
    expect(notices[0]!.body).toContain(receiptNo)
    expect(auditActions(s.home.id)).toContain('wish.receive')

    const page = await open(s.home.slug, s.cookie, `?code=${s.claim.referenceCode}`)
    expect((page.body as { match: { receiptNo: string; statusLabel: string } }).match).toMatchObject({ receiptNo, statusLabel: '已签收' })
  })

  test('pressing 确认收到 twice writes one entry, and the second press is told it is done', async () => {
    const s = await claimedWish()
    const fields = { intent: 'receive', claimId: String(s.claim.id) }
    const [first, second] = await Promise.all([post(s.home.slug, s.cookie, fields), post(s.home.slug, s.cookie, fields)])
    expect([first.status, second.status].sort()).toEqual([200, 409])
    const late = await post(s.home.slug, s.cookie, fields)
    expect(late.status).toBe(409)
    expect((late.body as { message: string }).message).toBe('该包裹已确认收到，无需重复签收')
    expect(entriesForWish(s.wish.id)).toHaveLength(1)
    expect(
      db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, s.donor.id), eq(notifications.template, 'wish.received')))
        .all(),
    ).toHaveLength(1)
    expect(auditActions(s.home.id).filter((a) => a === 'wish.receive')).toHaveLength(1)
    expect(auditActions(s.home.id)).toContain('wish.receive_refused')
  })

  describe('when part of the receipt fails', () => {
    afterEach(() => {
      sqlite.exec('DROP TRIGGER IF EXISTS temp.outbox_down')
    })

    test('no ledger entry, status change or audit row is left behind', async () => {
      const s = await claimedWish()
      // The outbox write comes after the ledger insert in the same transaction.
      sqlite.exec("CREATE TEMP TRIGGER outbox_down BEFORE INSERT ON notifications BEGIN SELECT RAISE(ABORT, 'outbox down'); END")
      expect(() => markWishReceived({ userId: s.staff.id, ip: null }, s.home.id, s.claim.id)).toThrow(/outbox down/)
      expect(entriesForWish(s.wish.id)).toHaveLength(0)
      expect(db.select().from(claims).where(eq(claims.id, s.claim.id)).get()?.status).toBe('active')
      expect(db.select().from(wishes).where(eq(wishes.id, s.wish.id)).get()?.status).toBe('claimed')
      expect(auditActions(s.home.id)).toEqual([])
    })
  })
})

describe('fulfilling and thanking', () => {
  test('the thank-you reaches the donor only; the public sees just that the wish came true', async () => {
    const s = await claimedWish()
    const early = await post(s.home.slug, s.cookie, { intent: 'fulfil', wishId: String(s.wish.id), thankYou: '谢谢' })
    expect(early.status).toBe(409)
    expect((early.body as { message: string }).message).toBe('只有已确认收到的心愿才能标记为已交给孩子')

    const received = await post(s.home.slug, s.cookie, { intent: 'receive', claimId: String(s.claim.id) })
    const receiptNo = (received.body as { receiptNo: string }).receiptNo
    const awaiting = await open(s.home.slug, s.cookie)
    expect((awaiting.body as { awaiting: Array<{ claimId: number }> }).awaiting.map((c) => c.claimId)).toEqual([s.claim.id])

    const thankYou = '小凤收到书非常开心，每天睡前都要读一篇！'
    const res = await post(s.home.slug, s.cookie, { intent: 'fulfil', wishId: String(s.wish.id), thankYou })
    expect(res.status).toBe(200)
    const wish = db.select().from(wishes).where(eq(wishes.id, s.wish.id)).get()
    expect(wish).toMatchObject({ status: 'fulfilled', thankYouMessage: thankYou })
    expect(wish?.fulfilledAt).toBeInstanceOf(Date)

    expect(thankYouForDonor(s.donor.id, s.wish.id)).toBe(thankYou)
    const stranger = await createUser()
    expect(thankYouForDonor(stranger.id, s.wish.id)).toBeNull()
    expect(JSON.stringify(getPublicEntry(receiptNo))).not.toContain(thankYou)
    expect(JSON.stringify(listPublicLedger({ institutionSlug: s.home.slug }))).not.toContain(thankYou)

    const notice = db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, s.donor.id), eq(notifications.template, 'wish.fulfilled')))
      .get()
    expect(notice?.body).toContain(thankYou)
    expect(notice?.body).not.toContain('诸葛真名')
    expect(auditActions(s.home.id)).toEqual(expect.arrayContaining(['wish.receive', 'wish.fulfil']))

    const again = await post(s.home.slug, s.cookie, { intent: 'fulfil', wishId: String(s.wish.id) })
    expect(again.status).toBe(409)
    const after = await open(s.home.slug, s.cookie)
    expect((after.body as { awaiting: unknown[] }).awaiting).toEqual([])
  })

  test('a thank-you longer than 300 characters is refused next to the field', async () => {
    const s = await claimedWish()
    await post(s.home.slug, s.cookie, { intent: 'receive', claimId: String(s.claim.id) })
    const res = await post(s.home.slug, s.cookie, { intent: 'fulfil', wishId: String(s.wish.id), thankYou: '谢'.repeat(301) })
    expect(res.status).toBe(400)
    expect((res.body as { result: { error: Record<string, string[]> } }).result.error.thankYou).toEqual(['感谢留言最多 300 字'])
    expect(db.select().from(wishes).where(eq(wishes.id, s.wish.id)).get()?.status).toBe('received')
  })
})

describe('the receive page', () => {
  test("lists only this home's parcels on their way", async () => {
    const s = await claimedWish()
    const other = await claimedWish()
    const res = await open(s.home.slug, s.cookie)
    const active = (res.body as { active: Array<{ claimId: number; referenceCode: string; donorDisplay: string }> }).active
    expect(active.map((c) => c.claimId)).toEqual([s.claim.id])
    expect(active[0]).toMatchObject({ referenceCode: s.claim.referenceCode, donorDisplay: '王**' })
    expect(active.map((c) => c.claimId)).not.toContain(other.claim.id)
  })
})
