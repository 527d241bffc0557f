import { and, eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { claims, institutions, notifications, wishWaitlist, wishes } from '~db/schema'
import { claimWish, listMyClaims } from '~/claims/claims.server'
import { joinWaitlist } from '~/claims/waitlist.server'
import { action as myClaimsAction, loader as myClaimsLoader } from '~/routes/me.claims'
import { action as claimAction, loader as claimLoader } from '~/routes/wishes.$id.claim'
import { action as waitlistAction } from '~/routes/wishes.$id.waitlist'
import { testClock } from '~/utils/clock.server'
import { markWishFulfilled, markWishReceived } from '~/wishes/delivery.server'
import {
  addMember,
  context,
  createPublishedWish,
  createTestInstitution,
  createUser,
  formRequest,
  getRequest,
  run,
  signedInCookie,
} from './helpers'

const DAY = 24 * 60 * 60 * 1000
const T0 = new Date('2026-05-20T02:00:00Z')

function homeWithDeadlines(buyDays: number, deliverDays: number) {
  const home = createTestInstitution('滨州测试福利院')
  db.update(institutions)
    .set({ claimBuyDays: buyDays, claimDeliverDays: deliverDays, publicAddress: '山东省滨州市黄河五路 1 号' })
    .where(eq(institutions.id, home.id))
    .run()
  return home
}

async function postClaim(wishId: number, userId: number, publicDisplay = 'masked') {
  return run(() =>
    claimAction({
      request: formRequest(`/wishes/${wishId}/claim`, { publicDisplay }, { cookie: signedInCookie(userId) }),
      params: { id: String(wishId) },
      context: context(),
    }),
  )
}

async function postMyClaims(userId: number, fields: Record<string, string>) {
  return run(() =>
    myClaimsAction({ request: formRequest('/me/claims', fields, { cookie: signedInCookie(userId) }), params: {}, context: context() }),
  )
}

function claimOf(wishId: number) {
  return db.select().from(claims).where(eq(claims.wishId, wishId)).all()
}

describe('claiming a wish', () => {
  test("a donor claims a wish and gets the home's deadlines and a parcel reference code", async () => {
    testClock.freeze(T0)
    const home = homeWithDeadlines(3, 10)
    const wish = createPublishedWish(home.id)
    const donor = await createUser({ displayName: '王爱心' })

    const res = await postClaim(wish.id, donor.id, 'masked')

    const [claim] = claimOf(wish.id)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/me/claims?claimed=${claim!.id}#claim-${claim!.id}`)
    expect(claim).toMatchObject({ userId: donor.id, status: 'active', publicDisplay: 'masked', institutionId: home.id })
    expect(claim!.buyBy.getTime()).toBe(T0.getTime() + 3 * DAY)
    expect(claim!.deliverBy.getTime()).toBe(T0.getTime() + 10 * DAY)
    expect(claim!.referenceCode).toMatch(/^WX-[A-HJ-NP-Z2-9]{6}$/)
    expect(db.select().from(wishes).where(eq(wishes.id, wish.id)).get()!.status).toBe('claimed')
    const confirmation = db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `claim.confirmed:${claim!.id}`))
      .get()
    expect(confirmation?.body).toContain(claim!.referenceCode)
  })

  test('the claim form shows the deadlines that will apply, the delivery address and no private field of the child', async () => {
    testClock.freeze(T0)
    const home = homeWithDeadlines(5, 12)
    const wish = createPublishedWish(home.id, { pseudonym: '小凤' })
    const donor = await createUser()
    const res = await run(() =>
      claimLoader({
        request: getRequest(`/wishes/${wish.id}/claim`, signedInCookie(donor.id)),
        params: { id: String(wish.id) },
        context: context(),
      }),
    )
    expect(res.status).toBe(200)
    const body = res.body as {
      wish: { pseudonym: string; ageBand: string; deliveryAddress: string; deadlines: { buyBy: Date; deliverBy: Date } }
    }
    expect(body.wish.pseudonym).toBe('小凤')
    expect(body.wish.ageBand).toBe('9–11岁')
    expect(body.wish.deliveryAddress).toBe('山东省滨州市黄河五路 1 号')
    expect(body.wish.deadlines.buyBy.getTime()).toBe(T0.getTime() + 5 * DAY)
    expect(body.wish.deadlines.deliverBy.getTime()).toBe(T0.getTime() + 12 * DAY)
    const serialised = JSON.stringify(body)
    expect(serialised).not.toContain('测试儿童')
    expect(serialised).not.toContain('2016-03-01')
  })

  test('an anonymous visitor is sent to sign in (or register) and brought back to the claim form', async () => {
    const wish = createPublishedWish(homeWithDeadlines(7, 14).id)
    const res = await run(() =>
      claimLoader({ request: getRequest(`/wishes/${wish.id}/claim`), params: { id: String(wish.id) }, context: context() }),
    )
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(`/wishes/${wish.id}/claim`)}`)
  })

  test('a donor must choose how they appear in public; the refusal is shown next to the choice', async () => {
    const wish = createPublishedWish(homeWithDeadlines(7, 14).id)
    const donor = await createUser()
    const res = await postClaim(wish.id, donor.id, 'everything')
    expect(res.status).toBe(400)
    expect((res.body as { result: { error: Record<string, string[]> } }).result.error.publicDisplay).toEqual(['请选择您希望如何公开显示'])
    expect(claimOf(wish.id)).toHaveLength(0)
  })

  test('a second donor is told the wish was just taken, with similar open wishes and the 候补 queue', async () => {
    const home = homeWithDeadlines(7, 14)
    const wish = createPublishedWish(home.id, { category: 'study' })
    const other = createPublishedWish(home.id, { category: 'study', title: '一个新书包' })
    const first = await createUser()
    const second = await createUser()
    expect((await postClaim(wish.id, first.id)).status).toBe(302)

    const res = await postClaim(wish.id, second.id)
    expect(res.status).toBe(409)
    expect(res.body).toMatchObject({ reason: 'taken', result: { error: { '': ['这个心愿刚刚被其他爱心人士认领了'] } } })
    expect(
      claimOf(wish.id)
        .filter((c) => c.status === 'active')
        .map((c) => c.userId),
    ).toEqual([first.id])

    const page = await run(() =>
      claimLoader({
        request: getRequest(`/wishes/${wish.id}/claim`, signedInCookie(second.id)),
        params: { id: String(wish.id) },
        context: context(),
      }),
    )
    const body = page.body as { wish: { open: boolean; status: string }; similar: Array<{ id: number }> }
    expect(body.wish).toMatchObject({ open: false, status: 'claimed' })
    expect(body.similar.map((s) => s.id)).toContain(other.id)
  })

  test('the database itself refuses a second active claim on a wish', async () => {
    const home = homeWithDeadlines(7, 14)
    const wish = createPublishedWish(home.id)
    const [a, b] = [await createUser(), await createUser()]
    expect(claimWish({ userId: a.id, wishId: wish.id, publicDisplay: 'name' }).ok).toBe(true)
    // Bypass the status check: the partial unique index is the last guard.
    expect(() =>
      db
        .insert(claims)
        .values({
          wishId: wish.id,
          institutionId: home.id,
          userId: b.id,
          publicDisplay: 'name',
          referenceCode: 'WX-TEST22',
          buyBy: new Date(),
          deliverBy: new Date(),
        })
        .run(),
    ).toThrow(/UNIQUE/)
  })

  test('many donors pressing 认领 together: exactly one claim is active', async () => {
    const wish = createPublishedWish(homeWithDeadlines(7, 14).id)
    const donors = await Promise.all(Array.from({ length: 12 }, () => createUser()))
    const results = await Promise.all(donors.map((d) => postClaim(wish.id, d.id)))
    expect(results.filter((r) => r.status === 302)).toHaveLength(1)
    expect(results.filter((r) => r.status === 409)).toHaveLength(11)
    expect(claimOf(wish.id).filter((c) => c.status === 'active')).toHaveLength(1)
  })

  test('pressing 认领 again on your own claim takes you to it instead of saying it was taken', async () => {
    const wish = createPublishedWish(homeWithDeadlines(7, 14).id)
    const donor = await createUser()
    const first = await postClaim(wish.id, donor.id)
    const again = await postClaim(wish.id, donor.id)
    expect(again.status).toBe(302)
    // The same claim, without a second 认领成功: nothing new was claimed.
    const [claim] = claimOf(wish.id)
    expect(first.headers.get('Location')).toBe(`/me/claims?claimed=${claim!.id}#claim-${claim!.id}`)
    expect(again.headers.get('Location')).toBe(`/me/claims#claim-${claim!.id}`)
    expect(claimOf(wish.id)).toHaveLength(1)
  })
})

describe('我的认领', () => {
  test('a donor marks the gift bought, then sent with a courier tracking number', async () => {
    testClock.freeze(T0)
    const wish = createPublishedWish(homeWithDeadlines(7, 14).id)
    const donor = await createUser()
    await postClaim(wish.id, donor.id)
    const claimId = claimOf(wish.id)[0]!.id

    testClock.advance(DAY)
    const bought = await postMyClaims(donor.id, { intent: 'purchased', claimId: String(claimId) })
    expect(bought.status).toBe(302)
    expect(bought.headers.get('Location')).toBe(`/me/claims#claim-${claimId}`)
    expect(claimOf(wish.id)[0]!.purchasedAt?.getTime()).toBe(T0.getTime() + DAY)

    testClock.advance(DAY)
    const sent = await postMyClaims(donor.id, { intent: 'shipped', claimId: String(claimId), trackingNumber: ' SF1234567890 ' })
    expect(sent.status).toBe(302)
    const claim = claimOf(wish.id)[0]!
    expect(claim.shippedAt?.getTime()).toBe(T0.getTime() + 2 * DAY)
    expect(claim.purchasedAt?.getTime()).toBe(T0.getTime() + DAY)
    expect(claim.trackingNumber).toBe('SF1234567890')
    expect(claim.status).toBe('active')
  })

  test('a malformed tracking number is refused next to the field and the typed value kept', async () => {
    const wish = createPublishedWish(homeWithDeadlines(7, 14).id)
    const donor = await createUser()
    await postClaim(wish.id, donor.id)
    const claimId = claimOf(wish.id)[0]!.id
    const res = await postMyClaims(donor.id, { intent: 'shipped', claimId: String(claimId), trackingNumber: '顺丰 123' })
    expect(res.status).toBe(400)
    const result = res.body as { claimId: number; result: { error: Record<string, string[]>; initialValue: Record<string, string> } }
    expect(result.claimId).toBe(claimId)
    expect(result.result.error.trackingNumber).toEqual(['快递单号只能包含字母、数字和连字符'])
    expect(result.result.initialValue.trackingNumber).toBe('顺丰 123')
    expect(claimOf(wish.id)[0]!.shippedAt).toBeNull()
  })

  test('a donor cancels their claim; it is released and another donor can claim the wish', async () => {
    const wish = createPublishedWish(homeWithDeadlines(7, 14).id)
    const [first, second] = [await createUser(), await createUser()]
    await postClaim(wish.id, first.id)
    const claimId = claimOf(wish.id)[0]!.id

    const res = await postMyClaims(first.id, { intent: 'cancel', claimId: String(claimId) })
    expect(res.status).toBe(302)
    expect(db.select().from(claims).where(eq(claims.id, claimId)).get()).toMatchObject({ status: 'released', releaseReason: 'cancelled' })
    expect(db.select().from(wishes).where(eq(wishes.id, wish.id)).get()!.status).toBe('published')

    expect((await postClaim(wish.id, second.id)).status).toBe(302)
    expect(claimOf(wish.id).find((c) => c.status === 'active')?.userId).toBe(second.id)
  })

  test('only the claimer may act on their claim', async () => {
    const wish = createPublishedWish(homeWithDeadlines(7, 14).id)
    const [donor, stranger] = [await createUser(), await createUser()]
    await postClaim(wish.id, donor.id)
    const claimId = String(claimOf(wish.id)[0]!.id)

    for (const intent of ['purchased', 'shipped', 'cancel']) {
      const res = await postMyClaims(stranger.id, { intent, claimId, trackingNumber: 'X1' })
      expect(res.status).toBe(404)
    }
    expect(claimOf(wish.id)[0]).toMatchObject({ status: 'active', purchasedAt: null, shippedAt: null, trackingNumber: null })
    const page = await run(() =>
      myClaimsLoader({ request: getRequest('/me/claims', signedInCookie(stranger.id)), params: {}, context: context() }),
    )
    expect((page.body as { claims: unknown[] }).claims).toHaveLength(0)
  })

  test('a released claim can no longer be marked sent', async () => {
    const wish = createPublishedWish(homeWithDeadlines(7, 14).id)
    const donor = await createUser()
    await postClaim(wish.id, donor.id)
    const claimId = String(claimOf(wish.id)[0]!.id)
    await postMyClaims(donor.id, { intent: 'cancel', claimId })
    const res = await postMyClaims(donor.id, { intent: 'shipped', claimId })
    expect(res.status).toBe(409)
    expect(res.body).toMatchObject({ result: { error: { '': ['这条认领已结束，无法再修改'] } } })
  })

  test('the page lists address, code and deadlines; once received the receipt, once fulfilled the thank-you for this donor only', async () => {
    testClock.freeze(T0)
    const home = homeWithDeadlines(7, 14)
    const staff = await createUser({ displayName: '社工' })
    addMember(staff.id, home.id, 'staff')
    const wish = createPublishedWish(home.id, { title: '一套《十万个为什么》', pseudonym: '小凤' })
    const [earlier, donor] = [await createUser(), await createUser()]
    await postClaim(wish.id, earlier.id)
    await postMyClaims(earlier.id, { intent: 'cancel', claimId: String(claimOf(wish.id)[0]!.id) })
    await postClaim(wish.id, donor.id)
    const claim = claimOf(wish.id).find((c) => c.status === 'active')!

    const [listed] = listMyClaims(donor.id)
    expect(listed).toMatchObject({
      title: '一套《十万个为什么》',
      pseudonym: '小凤',
      referenceCode: claim.referenceCode,
      deliveryAddress: '山东省滨州市黄河五路 1 号',
      receiptNo: null,
      thankYouMessage: null,
    })
    expect(listed!.buyBy.getTime()).toBe(T0.getTime() + 7 * DAY)

    const actor = { userId: staff.id, ip: null }
    const received = markWishReceived(actor, home.id, claim.id)
    expect(received.ok).toBe(true)
    const fulfilled = markWishFulfilled(actor, home.id, wish.id, { thankYou: '谢谢叔叔阿姨，我每天都在读！' })
    expect(fulfilled.ok).toBe(true)

    const [after] = listMyClaims(donor.id)
    expect(after!.receiptNo).toMatch(/^WN-\d{4}-\d{6}$/)
    expect(after!.receiptNo).toBe(received.ok ? received.receiptNo : null)
    expect(after!.thankYouMessage).toBe('谢谢叔叔阿姨，我每天都在读！')
    const [earlierView] = listMyClaims(earlier.id)
    expect(earlierView).toMatchObject({ status: 'released', thankYouMessage: null, receiptNo: null })
  })
})

describe('候补 queue', () => {
  test('donors may queue only for a wish someone else has claimed, in order', async () => {
    const wish = createPublishedWish(homeWithDeadlines(7, 14).id)
    const [claimer, b, c] = [await createUser(), await createUser(), await createUser()]
    expect(joinWaitlist({ userId: b.id, wishId: wish.id })).toMatchObject({ ok: false, reason: 'not_claimed' })
    await postClaim(wish.id, claimer.id)
    expect(joinWaitlist({ userId: claimer.id, wishId: wish.id })).toMatchObject({ ok: false, reason: 'own_claim' })

    const joined = await run(() =>
      waitlistAction({
        request: formRequest(`/wishes/${wish.id}/waitlist`, { intent: 'join' }, { cookie: signedInCookie(b.id) }),
        params: { id: String(wish.id) },
        context: context(),
      }),
    )
    expect(joined.status).toBe(302)
    expect(joined.headers.get('Location')).toBe(`/wishes/${wish.id}/claim?notice=joined`)
    expect(joinWaitlist({ userId: c.id, wishId: wish.id })).toEqual({ ok: true, position: 2 })
    expect(joinWaitlist({ userId: b.id, wishId: wish.id })).toEqual({ ok: true, position: 1 })

    const left = await run(() =>
      waitlistAction({
        request: formRequest(`/wishes/${wish.id}/waitlist`, { intent: 'leave' }, { cookie: signedInCookie(b.id) }),
        params: { id: String(wish.id) },
        context: context(),
      }),
    )
    expect(left.status).toBe(302)
    const open = db
      .select()
      .from(wishWaitlist)
      .where(and(eq(wishWaitlist.wishId, wish.id), eq(wishWaitlist.status, 'waiting')))
      .all()
    expect(open.map((e) => e.userId)).toEqual([c.id])
    expect(joinWaitlist({ userId: c.id, wishId: wish.id })).toEqual({ ok: true, position: 1 })
  })
})
