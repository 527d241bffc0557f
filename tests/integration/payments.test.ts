import { and, eq } from 'drizzle-orm'
import Stripe from 'stripe'
import { beforeEach, describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { donations, needs, notifications, payments, processedEvents, wishes } from '~db/schema'
import { GIFT_AMOUNT } from '~/payments/amount'
import { startGift } from '~/payments/payments.server'
import { loader as doneLoader } from '~/routes/give_.done'
import { action as giveAction, loader as giveLoader } from '~/routes/give'
import { action as webhookAction } from '~/routes/webhooks.stripe'
import { parseYuan } from '~/utils/money'
import { STRIPE_TEST_SECRET_KEY, stripeSessions } from '~tests/mocks/stripe'
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
} from './helpers'

// Money gifts through Stripe Checkout (issue 6). Stripe's API is mocked with msw
// (tests/mocks/stripe.ts); webhooks are signed here exactly as Stripe signs them.

const WEBHOOK_SECRET = 'whsec_payments_test_secret'
process.env.STRIPE_SECRET_KEY = STRIPE_TEST_SECRET_KEY
process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET

const stripe = new Stripe(STRIPE_TEST_SECRET_KEY)
let eventCounter = 0

beforeEach(() => {
  process.env.STRIPE_SECRET_KEY = STRIPE_TEST_SECRET_KEY
  process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
})

function sessionEvent(
  type: string,
  payment: { id: number; checkoutSessionId: string | null; amountFen: number },
  fields: Record<string, unknown> = {},
  eventId?: string,
) {
  eventCounter += 1
  return {
    id: eventId ?? `evt_test_${Date.now()}_${eventCounter}`,
    object: 'event',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type,
    data: {
      object: {
        id: payment.checkoutSessionId,
        object: 'checkout.session',
        payment_status: 'paid',
        amount_total: payment.amountFen,
        currency: 'cny',
        metadata: { paymentId: String(payment.id) },
        payment_intent: `pi_test_${payment.id}`,
        ...fields,
      },
    },
  }
}

function refundEvent(paymentIntent: string, refunded = true, amountRefunded = 5000, currency = 'cny') {
  eventCounter += 1
  return {
    id: `evt_refund_${Date.now()}_${eventCounter}`,
    object: 'event',
    created: Math.floor(Date.now() / 1000),
    type: 'charge.refunded',
    data: {
      object: {
        id: `ch_test_${eventCounter}`,
        object: 'charge',
        payment_intent: paymentIntent,
        refunded,
        amount_refunded: amountRefunded,
        currency,
      },
    },
  }
}

function disputeClosedEvent(paymentIntent: string, status: 'lost' | 'won', amount: number, disputeId = `dp_test_${eventCounter + 1}`) {
  eventCounter += 1
  return {
    id: `evt_dispute_${Date.now()}_${eventCounter}`,
    object: 'event',
    created: Math.floor(Date.now() / 1000),
    type: 'charge.dispute.closed',
    data: {
      object: {
        id: disputeId,
        object: 'dispute',
        payment_intent: paymentIntent,
        charge: `ch_test_${eventCounter}`,
        amount,
        currency: 'cny',
        status,
      },
    },
  }
}

async function deliver(event: unknown, options: { secret?: string; timestamp?: number } = {}) {
  const payload = JSON.stringify(event)
  const signature = stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    timestamp: options.timestamp,
  })
  const request = new Request(`${ORIGIN}/webhooks/stripe`, {
    method: 'POST',
    body: payload,
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
  })
  const response = await webhookAction({ request, params: {}, context: context() })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function openGift(amountFen = 5_000, target: { target: 'institution' | 'wish' | 'need'; targetId: number } | null = null) {
  const donor = await createUser({ displayName: '王小明' })
  const home = createTestInstitution('滨州测试福利院')
  const started = await startGift({
    userId: donor.id,
    target: target?.target ?? 'institution',
    targetId: target?.targetId ?? home.id,
    amountFen,
    publicDisplay: 'masked',
    origin: ORIGIN,
  })
  if (!started.ok) throw new Error(started.message)
  const payment = db.select().from(payments).where(eq(payments.id, started.paymentId)).get()!
  return { donor, home, payment, started }
}

function entriesOf(userId: number) {
  return db.select().from(donations).where(eq(donations.donorUserId, userId)).orderBy(donations.id).all()
}

describe('starting a gift', () => {
  test('a donor starts a ¥50 gift: a Stripe Checkout Session is created with the payment row’s idempotency key', async () => {
    const { payment, started } = await openGift(5_000)
    const session = stripeSessions.find((s) => s.id === payment.checkoutSessionId)
    expect(session).toBeDefined()
    expect(session!.idempotencyKey).toBe(payment.idempotencyKey)
    expect(session!.form.get('line_items[0][price_data][currency]')).toBe('cny')
    expect(session!.form.get('line_items[0][price_data][unit_amount]')).toBe('5000')
    expect(session!.form.get('metadata[paymentId]')).toBe(String(payment.id))
    expect(
      session!.form
        .getAll('allowed_payment_method_types[0]')
        .concat(session!.form.getAll('allowed_payment_method_types[1]'), session!.form.getAll('allowed_payment_method_types[2]')),
    ).toEqual(['card', 'alipay', 'wechat_pay'])
    expect(session!.form.get('payment_method_options[wechat_pay][client]')).toBe('web')
    expect(started.ok && started.url).toBe(session!.url)
    expect(payment).toMatchObject({ status: 'open', provider: 'stripe', amountFen: 5_000, donationId: null })
  })

  test('each attempt gets its own idempotency key', async () => {
    const a = await openGift(5_000)
    const b = await openGift(5_000)
    expect(a.payment.idempotencyKey).not.toBe(b.payment.idempotencyKey)
  })

  test('the 捐款 form sends a signed-in donor to the checkout, and an anonymous visitor to sign in', async () => {
    const home = createTestInstitution('滨州测试福利院')
    const donor = await createUser({ displayName: '李四' })
    const anonymous = await run(() => giveLoader({ request: getRequest(`/give?home=${home.slug}`), params: {}, context: context() }))
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(`/give?home=${home.slug}`)}`)

    const page = await run(() =>
      giveLoader({ request: getRequest(`/give?home=${home.slug}`, signedInCookie(donor.id)), params: {}, context: context() }),
    )
    expect(page.status).toBe(200)

    const res = await run(() =>
      giveAction({
        request: formRequest(
          `/give?home=${home.slug}`,
          { amount: 'custom', customAmount: '88.50', publicDisplay: 'name' },
          { cookie: signedInCookie(donor.id) },
        ),
        params: {},
        context: context(),
      }),
    )
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/)
    const payment = db.select().from(payments).where(eq(payments.userId, donor.id)).get()
    expect(payment).toMatchObject({ amountFen: 8_850, publicDisplay: 'name', target: 'institution', institutionId: home.id })
  })

  test('amounts are parsed from yuan exactly and kept between ¥1 and ¥50,000, with Chinese errors next to the field', async () => {
    const parseGift = (text: string) => parseYuan(text, GIFT_AMOUNT)
    expect(parseGift('50')).toEqual({ ok: true, fen: 5_000 })
    expect(parseGift('0.1')).toMatchObject({ ok: false, message: '每笔捐款至少 ¥1' })
    expect(parseGift('1')).toEqual({ ok: true, fen: 100 })
    expect(parseGift('19.99')).toEqual({ ok: true, fen: 1_999 })
    expect(parseGift('¥1,000.5')).toEqual({ ok: true, fen: 100_050 })
    expect(parseGift('50000')).toEqual({ ok: true, fen: 5_000_000 })
    expect(parseGift('50000.01')).toMatchObject({ ok: false, message: '每笔捐款最多 ¥50,000' })
    expect(parseGift('1.234').ok).toBe(false)
    expect(parseGift('-5').ok).toBe(false)
    expect(parseGift('abc').ok).toBe(false)
    expect(parseGift('')).toMatchObject({ ok: false, message: '请输入捐款金额' })

    const home = createTestInstitution()
    const donor = await createUser()
    const res = await run(() =>
      giveAction({
        request: formRequest(
          `/give?home=${home.slug}`,
          { amount: 'custom', customAmount: '0.5', publicDisplay: 'masked' },
          { cookie: signedInCookie(donor.id) },
        ),
        params: {},
        context: context(),
      }),
    )
    expect(res.status).toBe(400)
    const { result } = res.body as { result: { error?: Record<string, string[]>; initialValue?: Record<string, unknown> } }
    expect(result.error?.customAmount).toEqual(['每笔捐款至少 ¥1'])
    expect(result.initialValue?.customAmount).toBe('0.5')
    expect(db.select().from(payments).where(eq(payments.userId, donor.id)).all()).toHaveLength(0)
    expect(
      (
        await startGift({
          userId: donor.id,
          target: 'institution',
          targetId: home.id,
          amountFen: 5_000_001,
          publicDisplay: 'masked',
          origin: ORIGIN,
        })
      ).ok,
    ).toBe(false)
  })

  test('a wish’s 捐款 form suggests its estimated value', async () => {
    const home = createTestInstitution()
    const wish = createPublishedWish(home.id)
    const { wishes } = await import('~db/schema')
    db.update(wishes).set({ estimatedValueFen: 12_900 }).where(eq(wishes.id, wish.id)).run()
    const donor = await createUser()
    const page = await run(() =>
      giveLoader({ request: getRequest(`/give?wish=${wish.id}`, signedInCookie(donor.id)), params: {}, context: context() }),
    )
    expect((page.body as { target: { defaultAmountFen: number; target: string } }).target).toMatchObject({
      defaultAmountFen: 12_900,
      target: 'wish',
    })
  })
})

describe('/give without a target, and for a wish that no longer takes gifts (issue 13, item 4)', () => {
  test('/give alone lists the homes to choose from, without signing in', async () => {
    const home = createTestInstitution('可选择的福利院')
    const page = await run(() => giveLoader({ request: getRequest('/give'), params: {}, context: context() }))
    expect(page.status).toBe(200)
    expect(page.body).toMatchObject({ kind: 'choose' })
    expect((page.body as { homes: { slug: string; name: string }[] }).homes).toContainEqual(
      expect.objectContaining({ slug: home.slug, name: '可选择的福利院' }),
    )
  })

  test('a fulfilled wish says it no longer takes gifts and offers its home instead; an unknown one is 404', async () => {
    const home = createTestInstitution('心愿已实现福利院')
    const wish = createPublishedWish(home.id, { title: '一个篮球' })
    db.update(wishes).set({ status: 'fulfilled' }).where(eq(wishes.id, wish.id)).run()
    const donor = await createUser()
    const page = await run(() =>
      giveLoader({ request: getRequest(`/give?wish=${wish.id}`, signedInCookie(donor.id)), params: {}, context: context() }),
    )
    expect(page.status).toBe(410)
    expect(page.body).toMatchObject({ kind: 'closed', closed: { title: '一个篮球', institutionSlug: home.slug } })
    expect((page.body as { closed: { message: string } }).closed.message).toContain('不再接受捐款')

    // Nor can the form be posted for it.
    const posted = await run(() =>
      giveAction({
        request: formRequest(`/give?wish=${wish.id}`, { amount: '5000', publicDisplay: 'masked' }, { cookie: signedInCookie(donor.id) }),
        params: {},
        context: context(),
      }),
    )
    expect(posted.status).toBe(404)

    db.update(wishes).set({ status: 'draft' }).where(eq(wishes.id, wish.id)).run()
    expect((await run(() => giveLoader({ request: getRequest(`/give?wish=${wish.id}`), params: {}, context: context() }))).status).toBe(404)
    expect((await run(() => giveLoader({ request: getRequest('/give?wish=999999'), params: {}, context: context() }))).status).toBe(404)
  })
})

describe('the Stripe webhook', () => {
  test('a correctly signed checkout.session.completed records one money entry in the public log', async () => {
    const { donor, home, payment } = await openGift(5_000)
    const res = await deliver(sessionEvent('checkout.session.completed', payment))
    expect(res).toEqual({ status: 200, body: { received: true, outcome: 'recorded' } })
    const entries = entriesOf(donor.id)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({
      kind: 'money',
      amountFen: 5_000,
      designation: 'general',
      channel: 'online',
      institutionId: home.id,
      donorDisplay: '王**',
    })
    const after = db.select().from(payments).where(eq(payments.id, payment.id)).get()!
    expect(after).toMatchObject({ status: 'completed', donationId: entries[0]!.id, paymentIntentId: `pi_test_${payment.id}` })
    const notice = db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, donor.id), eq(notifications.template, 'payment.completed')))
      .get()
    expect(notice?.body).toContain(entries[0]!.receiptNo)
  })

  test('a webhook signed with the wrong secret is refused with 400 and records nothing', async () => {
    const { donor, payment } = await openGift()
    const res = await deliver(sessionEvent('checkout.session.completed', payment), { secret: 'whsec_someone_else' })
    expect(res.status).toBe(400)
    expect(entriesOf(donor.id)).toHaveLength(0)
  })

  test('a webhook with a stale timestamp (older than 5 minutes) is refused with 400', async () => {
    const { donor, payment } = await openGift()
    const res = await deliver(sessionEvent('checkout.session.completed', payment), { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 })
    expect(res.status).toBe(400)
    expect(entriesOf(donor.id)).toHaveLength(0)
  })

  test('a webhook without a signature header is refused', async () => {
    const request = new Request(`${ORIGIN}/webhooks/stripe`, {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    })
    const response = await webhookAction({ request, params: {}, context: context() })
    expect(response.status).toBe(400)
  })

  test('the same event delivered twice gives exactly one entry', async () => {
    const { donor, payment } = await openGift()
    const event = sessionEvent('checkout.session.completed', payment)
    expect((await deliver(event)).body.outcome).toBe('recorded')
    expect((await deliver(event)).body.outcome).toBe('duplicate')
    expect(entriesOf(donor.id)).toHaveLength(1)
  })

  test('out of order: async_payment_succeeded before completed gives exactly one entry', async () => {
    const { donor, payment } = await openGift()
    expect((await deliver(sessionEvent('checkout.session.async_payment_succeeded', payment))).body.outcome).toBe('recorded')
    expect((await deliver(sessionEvent('checkout.session.completed', payment))).body.outcome).toBe('ignored')
    expect(entriesOf(donor.id)).toHaveLength(1)
  })

  test('an async method: completed while unpaid records nothing until async_payment_succeeded', async () => {
    const { donor, payment } = await openGift()
    expect((await deliver(sessionEvent('checkout.session.completed', payment, { payment_status: 'unpaid' }))).body.outcome).toBe('pending')
    expect(entriesOf(donor.id)).toHaveLength(0)
    expect((await deliver(sessionEvent('checkout.session.async_payment_succeeded', payment))).body.outcome).toBe('recorded')
    expect(entriesOf(donor.id)).toHaveLength(1)
  })

  test('async_payment_failed marks the payment failed and records nothing', async () => {
    const { donor, payment } = await openGift()
    await deliver(sessionEvent('checkout.session.async_payment_failed', payment, { payment_status: 'unpaid' }))
    expect(db.select().from(payments).where(eq(payments.id, payment.id)).get()!.status).toBe('failed')
    expect(entriesOf(donor.id)).toHaveLength(0)
  })

  test('an expired session marks the payment expired; an expiry arriving after completion changes nothing', async () => {
    const first = await openGift()
    await deliver(sessionEvent('checkout.session.expired', first.payment, { payment_status: 'unpaid', status: 'expired' }))
    expect(db.select().from(payments).where(eq(payments.id, first.payment.id)).get()!.status).toBe('expired')
    expect(entriesOf(first.donor.id)).toHaveLength(0)

    const second = await openGift()
    await deliver(sessionEvent('checkout.session.completed', second.payment))
    expect((await deliver(sessionEvent('checkout.session.expired', second.payment, { status: 'expired' }))).body.outcome).toBe('ignored')
    expect(db.select().from(payments).where(eq(payments.id, second.payment.id)).get()!.status).toBe('completed')
    expect(entriesOf(second.donor.id)).toHaveLength(1)
  })

  test('a full refund becomes one correction entry reversing the original, with reason 退款', async () => {
    const { donor, payment } = await openGift(20_000)
    await deliver(sessionEvent('checkout.session.completed', payment))
    const [original] = entriesOf(donor.id)
    expect((await deliver(refundEvent(`pi_test_${payment.id}`))).body.outcome).toBe('refunded')
    expect((await deliver(refundEvent(`pi_test_${payment.id}`))).body.outcome).toBe('ignored')
    const entries = entriesOf(donor.id)
    expect(entries).toHaveLength(2)
    expect(entries[1]).toMatchObject({ correctsId: original!.id, correctionReason: '退款', amountFen: -20_000, kind: 'money' })
  })

  test('a refund arriving before its payment is completed is not consumed: it answers 500 so Stripe retries', async () => {
    const { donor, payment } = await openGift()
    const refund = refundEvent(`pi_test_${payment.id}`)
    expect((await deliver(refund)).status).toBe(500)
    await deliver(sessionEvent('checkout.session.completed', payment))
    expect((await deliver(refund)).body.outcome).toBe('refunded')
    expect(entriesOf(donor.id)).toHaveLength(2)
  })

  test('a gift to a need is designated to that need', async () => {
    const home = createTestInstitution()
    const need = db
      .insert(needs)
      .values({ institutionId: home.id, title: '冬季棉被', category: 'material', unit: '床', quantityNeeded: 20 })
      .returning()
      .get()
    const { donor, payment } = await openGift(10_000, { target: 'need', targetId: need.id })
    await deliver(sessionEvent('checkout.session.completed', payment))
    expect(entriesOf(donor.id)[0]).toMatchObject({
      designation: 'need',
      designationRef: need.id,
      institutionId: home.id,
      amountFen: 10_000,
    })
  })
})

describe('what the webhook checks before recording a gift', () => {
  const processed = (eventId: string) => db.select().from(processedEvents).where(eq(processedEvents.eventId, eventId)).get()

  test('a session id that is not the payment’s own is refused: no entry, the event is kept with its error', async () => {
    const { donor, payment } = await openGift(5_000)
    // Signed correctly, names our payment in its metadata, but is another checkout session.
    const forged = sessionEvent('checkout.session.completed', { ...payment, checkoutSessionId: 'cs_test_someone_else' })
    expect(await deliver(forged)).toEqual({ status: 200, body: { received: true, outcome: 'rejected' } })
    expect(entriesOf(donor.id)).toHaveLength(0)
    expect(processed(forged.id)?.error).toMatch(/session/)
    expect(db.select().from(payments).where(eq(payments.id, payment.id)).get()!.status).toBe('open')
    expect((await deliver(forged)).body.outcome).toBe('duplicate')
  })

  test('an amount_total or currency other than the stored payment’s is refused', async () => {
    const { donor, payment } = await openGift(5_000)
    const cheap = sessionEvent('checkout.session.completed', payment, { amount_total: 100 })
    expect((await deliver(cheap)).body.outcome).toBe('rejected')
    expect(processed(cheap.id)?.error).toMatch(/amount/)
    const dollars = sessionEvent('checkout.session.async_payment_succeeded', payment, { currency: 'usd' })
    expect((await deliver(dollars)).body.outcome).toBe('rejected')
    expect(processed(dollars.id)?.error).toMatch(/currency/)
    expect(entriesOf(donor.id)).toHaveLength(0)
    // The real event still records the gift.
    expect((await deliver(sessionEvent('checkout.session.completed', payment))).body.outcome).toBe('recorded')
    expect(entriesOf(donor.id)).toHaveLength(1)
  })

  test('partial refunds become corrections of the newly refunded part only, whatever the order or repetition', async () => {
    const { donor, payment } = await openGift(20_000)
    await deliver(sessionEvent('checkout.session.completed', payment))
    const intent = `pi_test_${payment.id}`
    const first = refundEvent(intent, false, 2_000)
    expect((await deliver(first)).body.outcome).toBe('refunded')
    expect((await deliver(first)).body.outcome).toBe('duplicate')
    expect((await deliver(refundEvent(intent, false, 2_000))).body.outcome).toBe('ignored') // same total again
    expect((await deliver(refundEvent(intent, false, 5_000))).body.outcome).toBe('refunded')
    expect((await deliver(refundEvent(intent, false, 3_000))).body.outcome).toBe('ignored') // an older event arriving late
    expect((await deliver(refundEvent(intent, true, 20_000))).body.outcome).toBe('refunded') // then the rest
    expect((await deliver(refundEvent(intent, true, 20_000))).body.outcome).toBe('ignored')
    const [original, ...corrections] = entriesOf(donor.id)
    expect(corrections.map((c) => [c.amountFen, c.correctionReason, c.correctsId])).toEqual([
      [-2_000, '部分退款 ¥20', original!.id],
      [-3_000, '部分退款 ¥30', original!.id],
      [-15_000, '退款（余下 ¥150）', original!.id],
    ])
    expect(corrections.reduce((sum, c) => sum + c.amountFen!, 0)).toBe(-20_000)
    expect(db.select().from(payments).where(eq(payments.id, payment.id)).get()!.refundedFen).toBe(20_000)
    const notices = db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, donor.id), eq(notifications.template, 'payment.refunded')))
      .all()
    expect(notices).toHaveLength(3)
  })

  test('a lost dispute is corrected (bounded by what is left); a won dispute changes nothing', async () => {
    const won = await openGift(10_000)
    await deliver(sessionEvent('checkout.session.completed', won.payment))
    expect((await deliver(disputeClosedEvent(`pi_test_${won.payment.id}`, 'won', 10_000))).body.outcome).toBe('ignored')
    expect(entriesOf(won.donor.id)).toHaveLength(1)

    const lost = await openGift(10_000)
    await deliver(sessionEvent('checkout.session.completed', lost.payment))
    const intent = `pi_test_${lost.payment.id}`
    expect((await deliver(refundEvent(intent, false, 3_000))).body.outcome).toBe('refunded')
    const closed = disputeClosedEvent(intent, 'lost', 10_000, 'dp_test_lost')
    expect((await deliver(closed)).body.outcome).toBe('disputed')
    expect((await deliver(disputeClosedEvent(intent, 'lost', 10_000, 'dp_test_lost'))).body.outcome).toBe('ignored')
    const [original, ...corrections] = entriesOf(lost.donor.id)
    expect(corrections.map((c) => [c.amountFen, c.correctionReason])).toEqual([
      [-3_000, '部分退款 ¥30'],
      [-7_000, '争议败诉（余下 ¥70）'],
    ])
    expect(original!.amountFen! + corrections.reduce((sum, c) => sum + c.amountFen!, 0)).toBe(0)
    // Nothing is left to refund afterwards.
    expect((await deliver(refundEvent(intent, true, 10_000))).body.outcome).toBe('ignored')
    expect(entriesOf(lost.donor.id)).toHaveLength(3)
  })

  test('a partial lost dispute corrects the disputed amount', async () => {
    const { donor, payment } = await openGift(10_000)
    await deliver(sessionEvent('checkout.session.completed', payment))
    expect((await deliver(disputeClosedEvent(`pi_test_${payment.id}`, 'lost', 4_000))).body.outcome).toBe('disputed')
    expect(
      entriesOf(donor.id)
        .slice(1)
        .map((c) => [c.amountFen, c.correctionReason]),
    ).toEqual([[-4_000, '争议败诉 ¥40']])
  })
})

describe('the return page', () => {
  test('coming back from checkout records nothing: the page shows the confirmation is on its way', async () => {
    const { donor, payment } = await openGift()
    const page = await run(() =>
      doneLoader({ request: getRequest(`/give/done?payment=${payment.id}`, signedInCookie(donor.id)), params: {}, context: context() }),
    )
    expect(page.body).toMatchObject({ status: 'open', receiptNo: null })
    expect(entriesOf(donor.id)).toHaveLength(0)
    expect(db.select().from(payments).where(eq(payments.id, payment.id)).get()!.status).toBe('open')

    await deliver(sessionEvent('checkout.session.completed', payment))
    const after = await run(() =>
      doneLoader({ request: getRequest(`/give/done?payment=${payment.id}`, signedInCookie(donor.id)), params: {}, context: context() }),
    )
    expect(after.body).toMatchObject({ status: 'completed', receiptNo: entriesOf(donor.id)[0]!.receiptNo })
  })

  test('a failed, expired or cancelled payment is not headed 感谢您的捐款 (issue 13, item 4)', async () => {
    const failed = await openGift()
    await deliver(sessionEvent('checkout.session.async_payment_failed', failed.payment, { payment_status: 'unpaid' }))
    const failedPage = await run(() =>
      doneLoader({
        request: getRequest(`/give/done?payment=${failed.payment.id}`, signedInCookie(failed.donor.id)),
        params: {},
        context: context(),
      }),
    )
    expect(failedPage.body).toMatchObject({ status: 'failed', heading: '支付未成功' })

    const expired = await openGift()
    await deliver(sessionEvent('checkout.session.expired', expired.payment, { payment_status: 'unpaid', status: 'expired' }))
    const expiredPage = await run(() =>
      doneLoader({
        request: getRequest(`/give/done?payment=${expired.payment.id}`, signedInCookie(expired.donor.id)),
        params: {},
        context: context(),
      }),
    )
    expect(expiredPage.body).toMatchObject({ status: 'expired', heading: '支付已过期' })

    const cancelled = await openGift()
    const cancelledPage = await run(() =>
      doneLoader({
        request: getRequest(`/give/done?payment=${cancelled.payment.id}&cancelled=1`, signedInCookie(cancelled.donor.id)),
        params: {},
        context: context(),
      }),
    )
    expect((cancelledPage.body as { heading: string }).heading).toBe('支付未完成')
  })

  test('another user cannot see someone’s payment', async () => {
    const { payment } = await openGift()
    const other = await createUser()
    const page = await run(() =>
      doneLoader({ request: getRequest(`/give/done?payment=${payment.id}`, signedInCookie(other.id)), params: {}, context: context() }),
    )
    expect(page.status).toBe(404)
  })
})

describe('configuration', () => {
  test('with a real Stripe key but no webhook secret configured, webhooks are refused (the local mock secret is public)', async () => {
    const { donor, payment } = await openGift()
    delete process.env.STRIPE_WEBHOOK_SECRET
    const res = await deliver(sessionEvent('checkout.session.completed', payment), { secret: 'whsec_weinuan_local_mock' })
    expect(res.status).toBe(503)
    expect(entriesOf(donor.id)).toHaveLength(0)
  })
})

describe('a production site without a Stripe key', () => {
  test('takes no online gifts, serves no mock checkout even with PAYMENTS_MOCK=true, and accepts no webhook', async () => {
    const saved = {
      key: process.env.STRIPE_SECRET_KEY,
      env: process.env.NODE_ENV,
      flag: process.env.PAYMENTS_MOCK,
      secret: process.env.STRIPE_WEBHOOK_SECRET,
    }
    try {
      delete process.env.STRIPE_SECRET_KEY
      delete process.env.STRIPE_WEBHOOK_SECRET
      process.env.NODE_ENV = 'production'
      delete process.env.PAYMENTS_MOCK
      const { onlineGiftsAvailable, isMockProvider, webhookSecret } = await import('~/payments/provider.server')
      expect(onlineGiftsAvailable()).toBe(false)
      expect(isMockProvider()).toBe(false)
      expect(webhookSecret()).toBeNull()
      process.env.PAYMENTS_MOCK = 'true'
      expect(onlineGiftsAvailable()).toBe(false)
      expect(isMockProvider()).toBe(false)
      // A webhook secret without a Stripe key does not open the endpoint either.
      process.env.STRIPE_WEBHOOK_SECRET = 'whsec_configured_without_a_key'
      expect(webhookSecret()).toBeNull()
    } finally {
      if (saved.key === undefined) delete process.env.STRIPE_SECRET_KEY
      else process.env.STRIPE_SECRET_KEY = saved.key
      process.env.NODE_ENV = saved.env
      if (saved.flag === undefined) delete process.env.PAYMENTS_MOCK
      else process.env.PAYMENTS_MOCK = saved.flag
      if (saved.secret === undefined) delete process.env.STRIPE_WEBHOOK_SECRET
      else process.env.STRIPE_WEBHOOK_SECRET = saved.secret
    }
  })
})

describe('the local mock checkout', () => {
  test('signs with a random secret kept under DATA_DIR; the old public mock secret is refused', async () => {
    const saved = { key: process.env.STRIPE_SECRET_KEY, secret: process.env.STRIPE_WEBHOOK_SECRET, flag: process.env.PAYMENTS_MOCK }
    try {
      delete process.env.STRIPE_SECRET_KEY
      delete process.env.STRIPE_WEBHOOK_SECRET
      delete process.env.PAYMENTS_MOCK
      const { isMockProvider, webhookSecret, PUBLIC_MOCK_WEBHOOK_SECRET } = await import('~/payments/provider.server')
      expect(isMockProvider()).toBe(true)
      const secret = webhookSecret()
      expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/)
      expect(secret).not.toBe(PUBLIC_MOCK_WEBHOOK_SECRET)
      const fs = await import('node:fs')
      const path = await import('node:path')
      const file = path.join(process.env.DATA_DIR as string, 'mock-webhook-secret')
      expect(fs.readFileSync(file, 'utf8').trim()).toBe(secret)
      expect(fs.statSync(file).mode & 0o077).toBe(0)

      const { donor, payment } = await openGift()
      const forged = await deliver(sessionEvent('checkout.session.completed', payment), { secret: PUBLIC_MOCK_WEBHOOK_SECRET })
      expect(forged.status).toBe(400)
      expect(entriesOf(donor.id)).toHaveLength(0)
      process.env.STRIPE_WEBHOOK_SECRET = PUBLIC_MOCK_WEBHOOK_SECRET
      expect(webhookSecret()).toBe(secret)
    } finally {
      if (saved.key === undefined) delete process.env.STRIPE_SECRET_KEY
      else process.env.STRIPE_SECRET_KEY = saved.key
      if (saved.secret === undefined) delete process.env.STRIPE_WEBHOOK_SECRET
      else process.env.STRIPE_WEBHOOK_SECRET = saved.secret
      if (saved.flag === undefined) delete process.env.PAYMENTS_MOCK
      else process.env.PAYMENTS_MOCK = saved.flag
    }
  })
})
