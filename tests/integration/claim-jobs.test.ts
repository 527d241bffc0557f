import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { and, eq, like } from 'drizzle-orm'
import { http, HttpResponse } from 'msw'
import { afterAll, describe, expect, test } from 'vitest'
import { db, writeTransaction } from '~db/client.server'
import { campaigns, claims, notifications, users, wishWaitlist, wishes } from '~db/schema'
import { cancelClaim, claimWish, markPurchased } from '~/claims/claims.server'
import { joinWaitlist, lapseWaitlistOffers } from '~/claims/waitlist.server'
import { expireCampaignWishes, releaseExpiredClaims, runJobs, sendClaimReminders } from '~/jobs/jobs.server'
import { deliverPendingNotifications, type DeliveryConfig } from '~/notifications/delivery.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { testClock } from '~/utils/clock.server'
import { server } from '~tests/mocks'
import { SMS_API_KEY, SMS_API_URL, sentSms } from '~tests/mocks/sms'
import { createPublishedWish, createTestInstitution, createUser, unique } from './helpers'

const DAY = 24 * 60 * 60 * 1000
const HOUR = 60 * 60 * 1000
const T0 = new Date('2026-05-20T02:00:00Z')

const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weinuan-outbox-'))
afterAll(() => fs.rmSync(outboxDir, { recursive: true, force: true }))

// Local runs: nothing configured, messages land in files. SMS tests add the msw-mocked API.
const fileOnly: DeliveryConfig = { sms: null, smtpUrl: null, mailFrom: '微暖 <no-reply@weinuan.example>', outboxDir }
const withSms: DeliveryConfig = { ...fileOnly, sms: { url: SMS_API_URL, apiKey: SMS_API_KEY } }

function notificationsFor(userId: number, template: string) {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.template, template)))
    .all()
}

function claimRow(id: number) {
  return db.select().from(claims).where(eq(claims.id, id)).get()!
}

function wishStatus(id: number) {
  return db.select({ status: wishes.status }).from(wishes).where(eq(wishes.id, id)).get()!.status
}

async function claimed() {
  testClock.freeze(T0)
  const home = createTestInstitution()
  const wish = createPublishedWish(home.id)
  const donor = await createUser({ displayName: '王爱心' })
  const result = claimWish({ userId: donor.id, wishId: wish.id, publicDisplay: 'masked' })
  if (!result.ok) throw new Error(result.message)
  return { home, wish, donor, claimId: result.claimId }
}

describe('reminders before the deadlines', () => {
  test('a donor is reminded two days before each deadline, exactly once each', async () => {
    const { donor, claimId } = await claimed() // default home: 7 days to buy, 14 to deliver

    testClock.freeze(new Date(T0.getTime() + 5 * DAY - HOUR))
    sendClaimReminders()
    expect(notificationsFor(donor.id, 'claim.reminder.buy')).toHaveLength(0)

    testClock.freeze(new Date(T0.getTime() + 5 * DAY + HOUR))
    expect(sendClaimReminders().sent).toBeGreaterThanOrEqual(1)
    expect(sendClaimReminders().sent).toBe(0)
    const buy = notificationsFor(donor.id, 'claim.reminder.buy')
    expect(buy).toHaveLength(1)
    expect(buy[0]!.dedupeKey).toBe(`reminder:buy:claim:${claimId}`)

    markPurchased({ userId: donor.id, claimId })
    testClock.freeze(new Date(T0.getTime() + 12 * DAY + HOUR))
    expect(sendClaimReminders().sent).toBeGreaterThanOrEqual(1)
    testClock.advance(HOUR)
    expect(sendClaimReminders().sent).toBe(0)
    expect(notificationsFor(donor.id, 'claim.reminder.deliver')).toHaveLength(1)
    expect(notificationsFor(donor.id, 'claim.reminder.buy')).toHaveLength(1)
  })

  test('a donor who already bought gets no reminder to buy', async () => {
    const { donor, claimId } = await claimed()
    markPurchased({ userId: donor.id, claimId })
    testClock.freeze(new Date(T0.getTime() + 6 * DAY))
    sendClaimReminders()
    expect(notificationsFor(donor.id, 'claim.reminder.buy')).toHaveLength(0)
  })
})

describe('releasing overdue claims', () => {
  test('a claim not bought by its deadline is released, the wish reopens and the donor is told; a rerun changes nothing', async () => {
    const { wish, donor, claimId } = await claimed()
    testClock.freeze(new Date(T0.getTime() + 7 * DAY - 1))
    releaseExpiredClaims()
    expect(claimRow(claimId).status).toBe('active')

    testClock.freeze(new Date(T0.getTime() + 7 * DAY + 1))
    const first = await runJobs({ delivery: fileOnly })
    expect(first.releasedClaims).toBeGreaterThanOrEqual(1)
    expect(claimRow(claimId)).toMatchObject({ status: 'released', releaseReason: 'deadline' })
    expect(wishStatus(wish.id)).toBe('published')
    const notices = notificationsFor(donor.id, 'claim.released')
    expect(notices).toHaveLength(1)
    expect(notices[0]!.status).toBe('sent') // delivered to the file outbox in the same run

    const second = await runJobs({ delivery: fileOnly })
    expect(second.releasedClaims).toBe(0)
    expect(notificationsFor(donor.id, 'claim.released')).toHaveLength(1)
  })

  test('a claim bought but not received by the delivery deadline is released too', async () => {
    const { wish, donor, claimId } = await claimed()
    markPurchased({ userId: donor.id, claimId })
    testClock.freeze(new Date(T0.getTime() + 10 * DAY))
    releaseExpiredClaims()
    expect(claimRow(claimId).status).toBe('active')
    testClock.freeze(new Date(T0.getTime() + 14 * DAY + 1))
    releaseExpiredClaims()
    expect(claimRow(claimId)).toMatchObject({ status: 'released', releaseReason: 'deadline' })
    expect(wishStatus(wish.id)).toBe('published')
  })

  test('a claim whose parcel has partly arrived is not released by the clock; staff decide', async () => {
    const { wish, claimId } = await claimed()
    db.update(claims)
      .set({ partialArrivalAt: new Date(T0.getTime() + 3 * DAY), partialArrivalNote: '到了 1 本，还差 1 本' })
      .where(eq(claims.id, claimId))
      .run()
    testClock.freeze(new Date(T0.getTime() + 15 * DAY))
    releaseExpiredClaims()
    expect(claimRow(claimId).status).toBe('active')
    expect(wishStatus(wish.id)).toBe('claimed')
  })
})

describe('候补 offers', () => {
  test('on release the first in line gets a 24-hour exclusive offer; when it lapses the next in line gets one', async () => {
    const { wish, claimId } = await claimed()
    const [first, second, outsider] = [await createUser(), await createUser(), await createUser()]
    expect(joinWaitlist({ userId: first.id, wishId: wish.id }).ok).toBe(true)
    expect(joinWaitlist({ userId: second.id, wishId: wish.id }).ok).toBe(true)

    const releasedAt = new Date(T0.getTime() + 7 * DAY + 1)
    testClock.freeze(releasedAt)
    releaseExpiredClaims()
    expect(claimRow(claimId).status).toBe('released')
    const offer = db
      .select()
      .from(wishWaitlist)
      .where(and(eq(wishWaitlist.wishId, wish.id), eq(wishWaitlist.userId, first.id)))
      .get()!
    expect(offer.status).toBe('offered')
    expect(offer.offerExpiresAt!.getTime()).toBe(releasedAt.getTime() + 24 * HOUR)
    expect(notificationsFor(first.id, 'waitlist.offer')).toHaveLength(1)
    expect(notificationsFor(second.id, 'waitlist.offer')).toHaveLength(0)

    // Meanwhile nobody else may claim it, not even the next in line.
    expect(claimWish({ userId: outsider.id, wishId: wish.id, publicDisplay: 'name' })).toMatchObject({ ok: false, reason: 'reserved' })
    expect(claimWish({ userId: second.id, wishId: wish.id, publicDisplay: 'name' })).toMatchObject({ ok: false, reason: 'reserved' })

    testClock.advance(24 * HOUR - 1000)
    lapseWaitlistOffers()
    expect(notificationsFor(second.id, 'waitlist.offer')).toHaveLength(0)
    testClock.advance(2000)
    expect(lapseWaitlistOffers()).toMatchObject({ lapsed: 1, offered: 1 })
    expect(lapseWaitlistOffers()).toEqual({ lapsed: 0, offered: 0 })
    expect(notificationsFor(second.id, 'waitlist.offer')).toHaveLength(1)
    expect(claimWish({ userId: first.id, wishId: wish.id, publicDisplay: 'name' })).toMatchObject({ ok: false, reason: 'reserved' })

    const taken = claimWish({ userId: second.id, wishId: wish.id, publicDisplay: 'anonymous' })
    expect(taken.ok).toBe(true)
    const entries = db
      .select({ userId: wishWaitlist.userId, status: wishWaitlist.status })
      .from(wishWaitlist)
      .where(eq(wishWaitlist.wishId, wish.id))
      .orderBy(wishWaitlist.id)
      .all()
    expect(entries).toEqual([
      { userId: first.id, status: 'lapsed' },
      { userId: second.id, status: 'claimed' },
    ])
  })

  test('the donor holding the offer claims within the 24 hours', async () => {
    const { wish, donor, claimId } = await claimed()
    const next = await createUser()
    joinWaitlist({ userId: next.id, wishId: wish.id })
    testClock.freeze(new Date(T0.getTime() + DAY))
    // The claimer cancels: the queue is offered at once, not at the next job run.
    expect(cancelClaim({ userId: donor.id, claimId }).ok).toBe(true)
    testClock.advance(23 * HOUR)
    expect(claimWish({ userId: next.id, wishId: wish.id, publicDisplay: 'name' }).ok).toBe(true)
    expect(wishStatus(wish.id)).toBe('claimed')
  })
})

describe('campaign end', () => {
  test('open wishes of a campaign that ended expire; claimed ones stay with their donor', async () => {
    testClock.freeze(T0)
    const home = createTestInstitution()
    const campaign = db
      .insert(campaigns)
      .values({
        slug: unique('liuyi-'),
        name: '六一「润心伴成长」',
        ownerInstitutionId: home.id,
        startsAt: new Date(T0.getTime() - DAY),
        endsAt: new Date(T0.getTime() + DAY),
      })
      .returning()
      .get()
    const open = createPublishedWish(home.id, { campaignId: campaign.id })
    const taken = createPublishedWish(home.id, { campaignId: campaign.id })
    const outside = createPublishedWish(home.id)
    const donor = await createUser()
    expect(claimWish({ userId: donor.id, wishId: taken.id, publicDisplay: 'name' }).ok).toBe(true)

    expireCampaignWishes()
    expect(wishStatus(open.id)).toBe('published')
    testClock.freeze(new Date(T0.getTime() + DAY + 1))
    expect(claimWish({ userId: donor.id, wishId: open.id, publicDisplay: 'name' })).toMatchObject({ ok: false, reason: 'unavailable' })
    expect(expireCampaignWishes().expired).toBe(1)
    expect(expireCampaignWishes().expired).toBe(0)
    expect(db.select().from(wishes).where(eq(wishes.id, open.id)).get()).toMatchObject({
      status: 'expired',
      closedAt: new Date(T0.getTime() + DAY + 1),
    })
    expect(wishStatus(taken.id)).toBe('claimed')
    expect(wishStatus(outside.id)).toBe('published')
  })
})

describe('notification delivery', () => {
  function phoneUser() {
    const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
    return db.insert(users).values({ phone, displayName: '短信用户', passwordHash: 'x' }).returning().get()
  }

  function notify(userId: number, template = 'claim.test') {
    writeTransaction((tx) =>
      enqueueNotification(tx, { userId, template, subject: '测试通知', body: `您认领的心愿请在期限前送达。${unique('n')}` }),
    )
    return db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.template, template)))
      .get()!
  }

  test('an SMS goes to the provider API with the bearer key, the phone number and the text', async () => {
    const user = phoneUser()
    const message = notify(user.id)
    expect(message.channel).toBe('sms')

    await deliverPendingNotifications(withSms)

    const sent = sentSms.filter((s) => s.to === user.phone)
    expect(sent).toEqual([{ to: user.phone, text: `【微暖】${message.body}`, authorization: `Bearer ${SMS_API_KEY}` }])
    expect(db.select().from(notifications).where(eq(notifications.id, message.id)).get()).toMatchObject({
      status: 'sent',
      attempts: 1,
      lastError: null,
    })
  })

  test('a provider failure is recorded, and the message is retried on the next run', async () => {
    const user = phoneUser()
    const message = notify(user.id)
    server.use(http.post(SMS_API_URL, () => HttpResponse.json({ error: 'busy' }, { status: 503 })))

    await deliverPendingNotifications(withSms)
    expect(db.select().from(notifications).where(eq(notifications.id, message.id)).get()).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'SMS API responded 503',
    })

    server.resetHandlers()
    await deliverPendingNotifications(withSms)
    expect(db.select().from(notifications).where(eq(notifications.id, message.id)).get()).toMatchObject({
      status: 'sent',
      attempts: 2,
      lastError: null,
    })
    expect(sentSms.filter((s) => s.to === user.phone)).toHaveLength(1)
  })

  test('with no provider configured each message is written to a file the developer can read', async () => {
    const user = await createUser()
    const message = notify(user.id, 'claim.reminder.buy')
    expect(message.channel).toBe('email')

    const report = await deliverPendingNotifications(fileOnly)
    expect(report.written).toBeGreaterThanOrEqual(1)

    const file = path.join(outboxDir, `${message.id}-claim.reminder.buy.txt`)
    const text = fs.readFileSync(file, 'utf8')
    expect(text).toContain(`To: ${user.email} (email)`)
    expect(text).toContain(message.body)
    expect(db.select().from(notifications).where(eq(notifications.id, message.id)).get()!.status).toBe('sent')
    // Nothing is picked up twice.
    const again = await deliverPendingNotifications(fileOnly)
    expect(again).toEqual({ sent: 0, failed: 0, written: 0 })
    expect(
      db
        .select()
        .from(notifications)
        .where(like(notifications.template, 'claim.reminder.buy'))
        .all()
        .every((n) => n.attempts === 1),
    ).toBe(true)
  })
})
