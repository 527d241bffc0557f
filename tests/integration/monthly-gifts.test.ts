import { and, eq } from 'drizzle-orm'
import { beforeEach, describe, expect, test } from 'vitest'
import { db, writeTransaction } from '~db/client.server'
import { deliverSigned } from './stripe-events'
import {
  campaigns,
  donations,
  ledgerLeaves,
  matchingPledges,
  monthlyGiftCharges,
  monthlyGifts,
  notifications,
  processedEvents,
  publicGeneration,
} from '~db/schema'
import { fromHex, leafHash, toHex, utf8Bytes, verifyInclusion } from '~/ledger/merkle'
import { proofForReceipt } from '~/ledger/tree.server'
import { completeMockMonthlyCheckout, renewDueMockMonthlyGifts, simulateMockRenewal } from '~/payments/monthly-mock.server'
import { changeMonthlyGift, monthlyTotals, sendMonthlyChargeNotices, startMonthlyGift } from '~/payments/monthly.server'
import { testClock } from '~/utils/clock.server'
import { STRIPE_TEST_SECRET_KEY } from '~tests/mocks/stripe'
import { addMember } from '~tests/factories'
import { applyForPartner, createPledge, decidePledge, reviewPartner } from '~/matching/matching.server'
import { addShanghaiDays, shanghaiDateString } from '~/utils/shanghai-date'
import {
  stripeSubscriptions,
  subscriptionCalls,
  subscriptionControl,
  subscriptionObject,
  subscriptionSessions,
} from '~tests/mocks/stripe-subscriptions'
import { action as giveMonthlyAction, loader as giveMonthlyLoader } from '~/routes/give_.monthly'
import { action as myMonthlyAction, loader as myMonthlyLoader } from '~/routes/me.monthly'
import {
  context,
  createPublishedWish,
  createTestInstitution,
  createUser,
  formRequest,
  getRequest,
  ORIGIN,
  run,
  signedInCookie,
  unique,
} from './helpers'

// 月捐 (issue 14): monthly gifts through Stripe subscriptions. Stripe's API is mocked with msw
// (tests/mocks/stripe-subscriptions.ts); every event is signed here as Stripe signs it and goes
// through the webhook route.

const WEBHOOK_SECRET = 'whsec_monthly_test_secret'
let counter = 0

beforeEach(() => {
  process.env.STRIPE_SECRET_KEY = STRIPE_TEST_SECRET_KEY
  process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
  subscriptionControl.fail = false
})

function event(type: string, object: Record<string, unknown>, id = `evt_m_${++counter}_${Date.now()}`) {
  return { id, object: 'event', created: Math.floor(Date.now() / 1000), livemode: false, type, data: { object } }
}

const deliver = (e: unknown) => deliverSigned(e, WEBHOOK_SECRET)

const DAY = 24 * 3600 * 1000

async function openMonthly(amountFen = 3_000, options: { campaign?: boolean; remind?: boolean } = {}) {
  const donor = await createUser({ displayName: '王月捐' })
  const home = createTestInstitution(unique('月捐测试福利院'))
  let targetId = home.id
  if (options.campaign) {
    targetId = db
      .insert(campaigns)
      .values({
        slug: unique('camp-'),
        name: '冬日暖阳',
        ownerInstitutionId: home.id,
        startsAt: new Date(Date.now() - DAY),
        endsAt: new Date(Date.now() + 60 * DAY),
      })
      .returning()
      .get().id
  }
  const started = await startMonthlyGift({
    userId: donor.id,
    target: options.campaign ? 'campaign' : 'institution',
    targetId,
    amountFen,
    publicDisplay: 'masked',
    remindBeforeCharge: options.remind ?? false,
    origin: ORIGIN,
  })
  if (!started.ok) throw new Error(started.message)
  const gift = () => db.select().from(monthlyGifts).where(eq(monthlyGifts.id, started.monthlyGiftId)).get()!
  const subscriptionId = `sub_test_${started.monthlyGiftId}_${++counter}`
  stripeSubscriptions.set(subscriptionId, {
    amountFen,
    status: 'active',
    paused: false,
    periodEnd: Math.floor((Date.now() + 30 * DAY) / 1000),
    metadata: { monthlyGiftId: String(started.monthlyGiftId) },
  })
  return { donor, home, campaignId: options.campaign ? targetId : null, started, gift, subscriptionId }
}

function sessionCompleted(g: ReturnType<typeof openMonthly> extends Promise<infer T> ? T : never, fields: Record<string, unknown> = {}) {
  const gift = g.gift()
  return event('checkout.session.completed', {
    id: gift.checkoutSessionId,
    object: 'checkout.session',
    mode: 'subscription',
    payment_status: 'paid',
    amount_total: gift.amountFen,
    currency: 'cny',
    metadata: { monthlyGiftId: String(gift.id) },
    subscription: g.subscriptionId,
    customer: 'cus_test_1',
    ...fields,
  })
}

function invoice(
  g: { gift: () => { id: number; amountFen: number }; subscriptionId: string },
  invoiceId: string,
  fields: Record<string, unknown> = {},
) {
  const gift = g.gift()
  return {
    id: invoiceId,
    object: 'invoice',
    currency: 'cny',
    amount_paid: gift.amountFen,
    amount_due: gift.amountFen,
    attempt_count: 1,
    next_payment_attempt: null,
    parent: {
      type: 'subscription_details',
      subscription_details: { subscription: g.subscriptionId, metadata: { monthlyGiftId: String(gift.id) } },
    },
    payments: { object: 'list', data: [{ payment: { type: 'payment_intent', payment_intent: `pi_${invoiceId}` } }] },
    lines: {
      object: 'list',
      data: [{ period: { start: Math.floor(Date.now() / 1000), end: Math.floor((Date.now() + 30 * DAY) / 1000) } }],
    },
    ...fields,
  }
}

function chargesOf(giftId: number) {
  return db.select().from(monthlyGiftCharges).where(eq(monthlyGiftCharges.monthlyGiftId, giftId)).orderBy(monthlyGiftCharges.id).all()
}

function entriesOf(userId: number) {
  return db.select().from(donations).where(eq(donations.donorUserId, userId)).orderBy(donations.id).all()
}

describe('starting a monthly gift', () => {
  test('a Checkout Session in subscription mode, CNY, monthly, with the row id in the session and subscription metadata', async () => {
    const g = await openMonthly(3_000)
    const gift = g.gift()
    expect(gift).toMatchObject({ status: 'open', provider: 'stripe', amountFen: 3_000, subscriptionId: null })
    const session = subscriptionSessions.find((s) => s.id === gift.checkoutSessionId)!
    expect(session.idempotencyKey).toBe(gift.idempotencyKey)
    expect(session.form.get('mode')).toBe('subscription')
    expect(session.form.get('line_items[0][price_data][currency]')).toBe('cny')
    expect(session.form.get('line_items[0][price_data][unit_amount]')).toBe('3000')
    expect(session.form.get('line_items[0][price_data][recurring][interval]')).toBe('month')
    expect(session.form.get('metadata[monthlyGiftId]')).toBe(String(gift.id))
    expect(session.form.get('subscription_data[metadata][monthlyGiftId]')).toBe(String(gift.id))
    expect(g.started.ok && g.started.url).toBe(session.url)
  })

  test('amounts outside ¥1–¥5,000 a month are refused before the provider is called', async () => {
    const donor = await createUser()
    const home = createTestInstitution(unique('院'))
    const before = subscriptionSessions.length
    for (const amountFen of [99, 500_001]) {
      const r = await startMonthlyGift({
        userId: donor.id,
        target: 'institution',
        targetId: home.id,
        amountFen,
        publicDisplay: 'name',
        remindBeforeCharge: false,
        origin: ORIGIN,
      })
      expect(r).toMatchObject({ ok: false, message: '每月捐款金额须在 ¥1 至 ¥5,000 之间' })
    }
    expect(subscriptionSessions.length).toBe(before)
  })
})

describe('charges from signed webhooks', () => {
  test('first charge and a renewal: one ledger entry each, exactly once, even when delivered twice', async () => {
    const g = await openMonthly(3_000)
    expect((await deliver(sessionCompleted(g))).body.outcome).toBe('updated')
    expect(g.gift()).toMatchObject({ status: 'active', subscriptionId: g.subscriptionId })
    const first = event('invoice.paid', invoice(g, `in_first_${g.gift().id}`))
    expect((await deliver(first)).body.outcome).toBe('recorded')
    expect((await deliver(first)).body.outcome).toBe('duplicate')
    // The same invoice in a new event (Stripe may send another event for one invoice): still once.
    expect((await deliver(event('invoice.paid', invoice(g, `in_first_${g.gift().id}`)))).body.outcome).toBe('ignored')
    const renewal = event('invoice.paid', invoice(g, `in_second_${g.gift().id}`))
    expect((await deliver(renewal)).body.outcome).toBe('recorded')

    const entries = entriesOf(g.donor.id)
    expect(entries).toHaveLength(2)
    expect(entries.map((e) => [e.amountFen, e.description, e.channel, e.designation, e.donorDisplay])).toEqual([
      [3_000, '月捐：支持机构', 'online', 'general', '王**'],
      [3_000, '月捐：支持机构', 'online', 'general', '王**'],
    ])
    expect(entries.map((e) => e.paymentReference)).toEqual([`in_first_${g.gift().id}`, `in_second_${g.gift().id}`])
    expect(chargesOf(g.gift().id).map((c) => [c.status, c.donationId])).toEqual([
      ['paid', entries[0]!.id],
      ['paid', entries[1]!.id],
    ])
    expect(g.gift().nextChargeAt).not.toBeNull()

    // Every charge is a leaf of the Merkle log with a valid inclusion proof.
    for (const entry of entries) {
      const leaf = db
        .select()
        .from(ledgerLeaves)
        .where(and(eq(ledgerLeaves.kind, 'donation'), eq(ledgerLeaves.refId, entry.id)))
        .get()!
      expect(leaf.leafHash).toBe(toHex(leafHash(utf8Bytes(leaf.canonical))))
      const proof = proofForReceipt(entry.receiptNo)
      if (!proof || proof === 'bad-size') throw new Error('no proof')
      expect(
        verifyInclusion(fromHex(proof.leafHash), proof.leafIndex, proof.treeSize, proof.proof.map(fromHex), fromHex(proof.rootHash)),
      ).toBe(true)
    }
  })

  test('out of order: invoice.paid before checkout.session.completed finds the gift through the subscription metadata', async () => {
    const g = await openMonthly(10_000, { campaign: true })
    expect((await deliver(event('invoice.paid', invoice(g, `in_ooo_${g.gift().id}`)))).body.outcome).toBe('recorded')
    expect(g.gift()).toMatchObject({ status: 'active', subscriptionId: g.subscriptionId })
    expect((await deliver(sessionCompleted(g))).body.outcome).toBe('updated')
    expect((await deliver(sessionCompleted(g))).body.outcome).toBe('ignored')
    expect(g.gift()).toMatchObject({ status: 'active', customerId: 'cus_test_1' })
    const started = db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, g.donor.id), eq(notifications.template, 'monthly.started')))
      .all()
    expect(started).toHaveLength(1)
    const entries = entriesOf(g.donor.id)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      amountFen: 10_000,
      description: '月捐：活动「冬日暖阳」',
      designation: 'campaign',
      campaignId: g.campaignId,
    })
  })

  test('an invoice naming a gift that cannot be found is answered with a retry (nothing stored)', async () => {
    const g = await openMonthly()
    const e = event(
      'invoice.paid',
      invoice(g, 'in_unknown', {
        parent: { subscription_details: { subscription: 'sub_nobody', metadata: { monthlyGiftId: '99999999' } } },
      }),
    )
    const r = await deliver(e)
    expect(r.status).toBe(500)
    expect(db.select().from(processedEvents).where(eq(processedEvents.eventId, e.id)).get()).toBeUndefined()
  })

  test('wrong currency or amount is refused and records nothing', async () => {
    const g = await openMonthly(3_000)
    await deliver(sessionCompleted(g))
    const wrongCurrency = event('invoice.paid', invoice(g, `in_usd_${g.gift().id}`, { currency: 'usd' }))
    expect((await deliver(wrongCurrency)).body.outcome).toBe('rejected')
    const wrongAmount = event('invoice.paid', invoice(g, `in_amt_${g.gift().id}`, { amount_paid: 1 }))
    expect((await deliver(wrongAmount)).body.outcome).toBe('rejected')
    expect(db.select().from(processedEvents).where(eq(processedEvents.eventId, wrongAmount.id)).get()?.error).toMatch(/amount_paid 1/)
    expect(entriesOf(g.donor.id)).toHaveLength(0)
    const badSession = sessionCompleted(g, { amount_total: 1 })
    expect((await deliver(badSession)).body.outcome).toBe('rejected')
  })

  test('a failed renewal: past_due, the donor is told honestly, then the retry succeeds and is recorded once', async () => {
    const g = await openMonthly(3_000)
    await deliver(sessionCompleted(g))
    await deliver(event('invoice.paid', invoice(g, `in_a_${g.gift().id}`)))
    const retryAt = Math.floor((Date.now() + 3 * DAY) / 1000)
    const failed = event(
      'invoice.payment_failed',
      invoice(g, `in_b_${g.gift().id}`, { amount_paid: 0, attempt_count: 1, next_payment_attempt: retryAt }),
    )
    expect((await deliver(failed)).body.outcome).toBe('failed')
    expect(g.gift()).toMatchObject({ status: 'past_due', failedAttempts: 1 })
    expect(g.gift().nextRetryAt?.getTime()).toBe(retryAt * 1000)
    const notice = db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, g.donor.id), eq(notifications.template, 'monthly.failed')))
      .get()!
    expect(notice.body).toContain('本月扣款失败，支付机构将自动重试')
    expect(notice.body).toContain('第 1 次尝试未成功')
    expect(monthlyTotals('institution', g.home.id)).toEqual({ donors: 1, monthlyFen: 3_000 })

    expect((await deliver(event('invoice.paid', invoice(g, `in_b_${g.gift().id}`, { attempt_count: 2 })))).body.outcome).toBe('recorded')
    // The first attempt's failure delivered late changes nothing.
    const late = await deliver(event('invoice.payment_failed', invoice(g, `in_b_${g.gift().id}`, { amount_paid: 0 })))
    expect(late.body.outcome).toBe('ignored')
    expect(g.gift()).toMatchObject({ status: 'active', failedAttempts: 0, nextRetryAt: null })
    expect(entriesOf(g.donor.id)).toHaveLength(2)
    expect(chargesOf(g.gift().id).map((c) => c.status)).toEqual(['paid', 'paid'])
  })

  test('a refund of a monthly charge is a correction entry', async () => {
    const g = await openMonthly(3_000)
    await deliver(sessionCompleted(g))
    const invoiceId = `in_r_${g.gift().id}`
    await deliver(event('invoice.paid', invoice(g, invoiceId)))
    const refund = event('charge.refunded', {
      id: 'ch_x',
      object: 'charge',
      payment_intent: `pi_${invoiceId}`,
      refunded: true,
      amount_refunded: 3_000,
      currency: 'cny',
    })
    expect((await deliver(refund)).body.outcome).toBe('refunded')
    expect((await deliver(event('charge.refunded', { ...refund.data.object }))).body.outcome).toBe('ignored')
    const entries = entriesOf(g.donor.id)
    expect(entries.map((e) => e.amountFen)).toEqual([3_000, -3_000])
    expect(entries[1]!.correctsId).toBe(entries[0]!.id)
  })
})

describe('配捐 on monthly charges (docs/decisions/024)', () => {
  test("each paid monthly charge is matched by the home's live pledge in its own transaction, and a refund reverses the match", async () => {
    const g = await openMonthly(3_000)
    const partnerMember = await createUser({ displayName: '合作方联系人' })
    const admin = await createUser({ isPlatformAdmin: true })
    const manager = await createUser({ displayName: '院长' })
    addMember(manager.id, g.home.id, 'manager')
    const applied = applyForPartner(
      { userId: partnerMember.id, ip: null },
      {
        name: '暖阳科技有限公司',
        registrationNo: '91350100M000100Y43',
        contactName: '李经理',
        contactPhone: '0543-1234567',
        description: '本地企业',
      },
    )
    if (!applied.ok) throw new Error(applied.message)
    expect(reviewPartner({ userId: admin.id, ip: null }, applied.partner.id, 'verify')).toMatchObject({ ok: true })
    const today = shanghaiDateString(new Date())
    const pledge = createPledge(
      { userId: partnerMember.id, ip: null },
      {
        target: `home:${g.home.id}`,
        ratioPermille: 500,
        capFen: 100_000,
        perGiftCapFen: 50_000,
        startsOn: today,
        endsOn: addShanghaiDays(today, 30),
      },
    )
    if (!pledge.ok) throw new Error(pledge.message)
    expect(decidePledge({ userId: manager.id, ip: null }, g.home.id, pledge.pledge.id, true)).toMatchObject({ ok: true })

    await deliver(sessionCompleted(g))
    const invoiceId = `in_match_${g.gift().id}`
    await deliver(event('invoice.paid', invoice(g, invoiceId)))
    const charge = entriesOf(g.donor.id)[0]!
    const matched = () =>
      db
        .select({ amountFen: donations.amountFen, description: donations.description, correctsId: donations.correctsId })
        .from(donations)
        .where(eq(donations.institutionId, g.home.id))
        .all()
        .filter((d) => d.description.startsWith('配捐') || d.correctsId !== null)
    // 1:0.5 of ¥30 is ¥15, named after the charge's receipt.
    expect(matched()).toEqual([{ amountFen: 1_500, description: `配捐：匹配收据 ${charge.receiptNo}`, correctsId: null }])
    expect(db.select().from(matchingPledges).where(eq(matchingPledges.id, pledge.pledge.id)).get()!.matchedFen).toBe(1_500)

    await deliver(
      event('charge.refunded', {
        id: 'ch_m',
        object: 'charge',
        payment_intent: `pi_${invoiceId}`,
        refunded: true,
        amount_refunded: 3_000,
        currency: 'cny',
      }),
    )
    // The charge's correction, then the match's: nothing of the match stays, and the pledge has it back.
    expect(matched().map((d) => d.amountFen)).toEqual([1_500, -3_000, -1_500])
    expect(db.select().from(matchingPledges).where(eq(matchingPledges.id, pledge.pledge.id)).get()!.matchedFen).toBe(0)
  })
})

describe('我的月捐 actions: provider first, then the row; the following webhook changes nothing', () => {
  async function running(amountFen = 3_000) {
    const g = await openMonthly(amountFen)
    await deliver(sessionCompleted(g))
    await deliver(event('invoice.paid', invoice(g, `in_run_${g.gift().id}`)))
    return g
  }

  test('amount change: subscriptions.update with new price_data; the next invoice is for the new amount', async () => {
    const g = await running(3_000)
    const r = await changeMonthlyGift({ userId: g.donor.id, giftId: g.gift().id, intent: 'amount', amountFen: 10_000 })
    expect(r).toEqual({ ok: true })
    const call = subscriptionCalls.filter((c) => c.id === g.subscriptionId).at(-1)!
    expect(call.form.get('items[0][price_data][unit_amount]')).toBe('10000')
    expect(call.form.get('items[0][price_data][currency]')).toBe('cny')
    expect(call.form.get('items[0][price_data][recurring][interval]')).toBe('month')
    expect(call.form.get('proration_behavior')).toBe('none')
    expect(g.gift()).toMatchObject({ amountFen: 10_000, previousAmountFen: 3_000 })
    expect(monthlyTotals('institution', g.home.id)).toEqual({ donors: 1, monthlyFen: 10_000 })
    const followUp = await deliver(event('customer.subscription.updated', subscriptionObject(g.subscriptionId)))
    expect(followUp.body.outcome).toBe('ignored')
    expect((await deliver(event('invoice.paid', invoice(g, `in_new_${g.gift().id}`)))).body.outcome).toBe('recorded')
    expect(entriesOf(g.donor.id).map((e) => e.amountFen)).toEqual([3_000, 10_000])
    // Someone else's gift: not found.
    const stranger = await createUser()
    expect(await changeMonthlyGift({ userId: stranger.id, giftId: g.gift().id, intent: 'cancel' })).toMatchObject({
      ok: false,
      reason: 'not_found',
    })
  })

  test('pause and resume: pause_collection void; paused gifts do not count publicly', async () => {
    const g = await running(3_000)
    const generation = () => db.select().from(publicGeneration).get()!.generation
    const before = generation()
    expect(await changeMonthlyGift({ userId: g.donor.id, giftId: g.gift().id, intent: 'pause' })).toEqual({ ok: true })
    expect(
      subscriptionCalls
        .filter((c) => c.id === g.subscriptionId)
        .at(-1)!
        .form.get('pause_collection[behavior]'),
    ).toBe('void')
    expect(g.gift().status).toBe('paused')
    expect(monthlyTotals('institution', g.home.id)).toEqual({ donors: 0, monthlyFen: 0 })
    expect(generation()).toBeGreaterThan(before)
    expect((await deliver(event('customer.subscription.updated', subscriptionObject(g.subscriptionId)))).body.outcome).toBe('ignored')
    expect(await changeMonthlyGift({ userId: g.donor.id, giftId: g.gift().id, intent: 'resume' })).toEqual({ ok: true })
    expect(g.gift().status).toBe('active')
    expect(monthlyTotals('institution', g.home.id)).toEqual({ donors: 1, monthlyFen: 3_000 })
  })

  test('cancel: effective immediately, stays cancelled whatever late event comes; a provider failure changes nothing', async () => {
    const g = await running(3_000)
    subscriptionControl.fail = true
    const down = await changeMonthlyGift({ userId: g.donor.id, giftId: g.gift().id, intent: 'cancel' })
    expect(down).toMatchObject({ ok: false, reason: 'refused' })
    expect(g.gift().status).toBe('active')
    subscriptionControl.fail = false
    expect(await changeMonthlyGift({ userId: g.donor.id, giftId: g.gift().id, intent: 'cancel' })).toEqual({ ok: true })
    expect(subscriptionCalls.filter((c) => c.id === g.subscriptionId).at(-1)!.method).toBe('cancel')
    expect(g.gift().status).toBe('cancelled')
    expect(g.gift().cancelledAt).not.toBeNull()
    expect(monthlyTotals('institution', g.home.id)).toEqual({ donors: 0, monthlyFen: 0 })
    expect((await deliver(event('customer.subscription.deleted', subscriptionObject(g.subscriptionId)))).body.outcome).toBe('ignored')
    // A stale "active" update delivered late does not bring it back.
    stripeSubscriptions.get(g.subscriptionId)!.status = 'active'
    expect((await deliver(event('customer.subscription.updated', subscriptionObject(g.subscriptionId)))).body.outcome).toBe('ignored')
    expect(g.gift().status).toBe('cancelled')
  })

  test('a cancellation made in Stripe reaches the row through customer.subscription.deleted', async () => {
    const g = await running(3_000)
    stripeSubscriptions.get(g.subscriptionId)!.status = 'canceled'
    expect((await deliver(event('customer.subscription.deleted', subscriptionObject(g.subscriptionId)))).body.outcome).toBe('updated')
    expect(g.gift().status).toBe('cancelled')
  })
})

describe('public counts and the notice before each charge', () => {
  test('「N 位月捐人 · 每月 ¥X」 per home (its campaigns included) and per campaign, from the summary row', async () => {
    const a = await openMonthly(3_000, { campaign: true })
    await deliver(sessionCompleted(a))
    expect(monthlyTotals('campaign', a.campaignId!)).toEqual({ donors: 1, monthlyFen: 3_000 })
    expect(monthlyTotals('institution', a.home.id)).toEqual({ donors: 1, monthlyFen: 3_000 })
    // An unfinished checkout does not count.
    const b = await openMonthly(10_000)
    expect(monthlyTotals('institution', b.home.id)).toEqual({ donors: 0, monthlyFen: 0 })
  })

  test('donors who asked get one notice three days before the next charge; others none', async () => {
    const asked = await openMonthly(3_000, { remind: true })
    const silent = await openMonthly(3_000)
    for (const g of [asked, silent]) await deliver(sessionCompleted(g))
    const at = Date.now()
    for (const g of [asked, silent])
      writeTransaction((tx) =>
        tx
          .update(monthlyGifts)
          .set({ nextChargeAt: new Date(at + 10 * DAY) })
          .where(eq(monthlyGifts.id, g.gift().id))
          .run(),
      )
    const notices = (userId: number) =>
      db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, userId), eq(notifications.template, 'monthly.notice')))
        .all()
    try {
      testClock.freeze(new Date(at + 6 * DAY))
      sendMonthlyChargeNotices()
      expect(notices(asked.donor.id)).toHaveLength(0)
      testClock.freeze(new Date(at + 7.5 * DAY))
      sendMonthlyChargeNotices()
      sendMonthlyChargeNotices()
      expect(notices(asked.donor.id)).toHaveLength(1)
      expect(notices(asked.donor.id)[0]!.body).toContain('每月 ¥30')
      expect(notices(silent.donor.id)).toHaveLength(0)
    } finally {
      testClock.reset()
    }
  })
})

describe('an unfinished checkout', () => {
  test('checkout.session.expired closes the gift; it never counts', async () => {
    const g = await openMonthly(3_000)
    const gift = g.gift()
    const expired = event('checkout.session.expired', {
      id: gift.checkoutSessionId,
      object: 'checkout.session',
      mode: 'subscription',
      metadata: { monthlyGiftId: String(gift.id) },
    })
    expect((await deliver(expired)).body.outcome).toBe('expired')
    expect(g.gift().status).toBe('expired')
    expect(monthlyTotals('institution', g.home.id)).toEqual({ donors: 0, monthlyFen: 0 })
  })
})

describe('the mock provider (no Stripe key, not production)', () => {
  test('checkout, renewals by button and by the job, a failed renewal: all signed events through the handler', async () => {
    delete process.env.STRIPE_SECRET_KEY
    delete process.env.STRIPE_WEBHOOK_SECRET
    const donor = await createUser({ displayName: '模拟月捐' })
    const home = createTestInstitution(unique('模拟院'))
    const started = await startMonthlyGift({
      userId: donor.id,
      target: 'institution',
      targetId: home.id,
      amountFen: 1_000,
      publicDisplay: 'anonymous',
      remindBeforeCharge: false,
      origin: ORIGIN,
    })
    if (!started.ok) throw new Error(started.message)
    expect(started.url).toMatch(/\/dev\/mock-checkout\/cs_mock_[0-9a-f]+$/)
    const gift = () => db.select().from(monthlyGifts).where(eq(monthlyGifts.id, started.monthlyGiftId)).get()!
    expect(completeMockMonthlyCheckout(gift(), true)).toBe(true)
    expect(gift()).toMatchObject({ status: 'active', provider: 'mock' })
    expect(gift().subscriptionId).toMatch(/^sub_mock_/)
    expect(entriesOf(donor.id)).toHaveLength(1)
    // Every mock event went through processed_events, like a delivery from Stripe.
    expect(
      db
        .select()
        .from(processedEvents)
        .all()
        .filter((e) => e.eventId.startsWith('evt_mock_')).length,
    ).toBeGreaterThanOrEqual(2)

    expect(simulateMockRenewal(gift().id, donor.id, false)).toEqual({ ok: true })
    expect(gift()).toMatchObject({ status: 'past_due', failedAttempts: 1 })
    expect(simulateMockRenewal(gift().id, donor.id, true)).toEqual({ ok: true })
    expect(gift()).toMatchObject({ status: 'active', failedAttempts: 0 })
    // The failed invoice was retried and paid: one charge row for it, not two.
    expect(chargesOf(gift().id).map((c) => c.status)).toEqual(['paid', 'paid'])
    expect(entriesOf(donor.id)).toHaveLength(2)
    // Someone else cannot simulate on this gift.
    const stranger = await createUser()
    expect(simulateMockRenewal(gift().id, stranger.id, true).ok).toBe(false)

    try {
      expect(renewDueMockMonthlyGifts().renewed).toBe(0) // not due yet
      testClock.freeze(new Date(gift().nextChargeAt!.getTime() + 1000))
      expect(renewDueMockMonthlyGifts().renewed).toBeGreaterThanOrEqual(1)
      expect(entriesOf(donor.id)).toHaveLength(3)
      renewDueMockMonthlyGifts()
      expect(entriesOf(donor.id)).toHaveLength(3) // the next date moved on a month
      const previous = process.env.NODE_ENV
      process.env.NODE_ENV = 'production'
      try {
        testClock.freeze(new Date(gift().nextChargeAt!.getTime() + 1000))
        expect(renewDueMockMonthlyGifts()).toEqual({ renewed: 0 })
        expect(simulateMockRenewal(gift().id, donor.id, true).ok).toBe(false)
      } finally {
        process.env.NODE_ENV = previous
      }
    } finally {
      testClock.reset()
    }
    expect(entriesOf(donor.id)).toHaveLength(3)
  })
})

describe('the pages', () => {
  test('每月捐: sign-in first; homes and campaigns only; a bad amount is refused next to its field with what was typed', async () => {
    const home = createTestInstitution(unique('页面院'))
    const donor = await createUser({ displayName: '页面月捐' })
    const url = `/give/monthly?home=${home.slug}`
    const anonymous = await run(() => giveMonthlyLoader({ request: getRequest(url), params: {}, context: context() }))
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
    const wish = createPublishedWish(home.id)
    const forWish = await run(() =>
      giveMonthlyLoader({ request: getRequest(`/give/monthly?wish=${wish.id}`, signedInCookie(donor.id)), params: {}, context: context() }),
    )
    expect(forWish.status).toBe(302) // no home or campaign named: back to /give
    const tooMuch = await run(() =>
      giveMonthlyAction({
        request: formRequest(
          url,
          { amount: 'custom', customAmount: '5000.01', publicDisplay: 'masked' },
          { cookie: signedInCookie(donor.id) },
        ),
        params: {},
        context: context(),
      }),
    )
    expect(tooMuch.status).toBe(400)
    const result = (tooMuch.body as { result: { error: Record<string, string[]>; initialValue: Record<string, string> } }).result
    expect(result.error.customAmount).toEqual(['每月最多 ¥5,000'])
    expect(result.initialValue.customAmount).toBe('5000.01')
    const ok = await run(() =>
      giveMonthlyAction({
        request: formRequest(url, { amount: '30000', publicDisplay: 'name', remind: 'on' }, { cookie: signedInCookie(donor.id) }),
        params: {},
        context: context(),
      }),
    )
    expect(ok.status).toBe(302)
    expect(ok.headers.get('Location')).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_sub_/)
    expect(db.select().from(monthlyGifts).where(eq(monthlyGifts.userId, donor.id)).get()).toMatchObject({
      amountFen: 30_000,
      publicDisplay: 'name',
      remindBeforeCharge: true,
      status: 'open',
    })
  })

  test('我的月捐 is the donor’s own: another member cannot act on someone else’s gift', async () => {
    const g = await openMonthly(3_000)
    await deliver(sessionCompleted(g))
    const mine = await run(() =>
      myMonthlyLoader({ request: getRequest('/me/monthly', signedInCookie(g.donor.id)), params: {}, context: context() }),
    )
    expect((mine.body as { gifts: Array<{ id: number; status: string }> }).gifts.map((x) => [x.id, x.status])).toEqual([
      [g.gift().id, 'active'],
    ])
    const stranger = await createUser()
    const theirs = await run(() =>
      myMonthlyLoader({ request: getRequest('/me/monthly', signedInCookie(stranger.id)), params: {}, context: context() }),
    )
    expect((theirs.body as { gifts: unknown[] }).gifts).toEqual([])
    const attempt = await run(() =>
      myMonthlyAction({
        request: formRequest('/me/monthly', { intent: 'cancel', giftId: String(g.gift().id) }, { cookie: signedInCookie(stranger.id) }),
        params: {},
        context: context(),
      }),
    )
    expect(attempt.status).toBe(404)
    expect(g.gift().status).toBe('active')
    const below = await run(() =>
      myMonthlyAction({
        request: formRequest(
          '/me/monthly',
          { intent: 'amount', giftId: String(g.gift().id), newAmount: '0.5' },
          { cookie: signedInCookie(g.donor.id) },
        ),
        params: {},
        context: context(),
      }),
    )
    expect(below.status).toBe(400)
    expect((below.body as { result: { error: Record<string, string[]> } }).result.error.newAmount).toEqual(['每月至少 ¥1'])
  })
})
