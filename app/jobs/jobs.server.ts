import { and, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm'
import { db, writeTransaction } from '~db/client.server'
import { children, claims, institutions, notifications, wishes } from '~db/schema'
import { lapseBookingOffers, sendBookingReminders } from '~/bookings/bookings.server'
import { closeEndedSlotsHours } from '~/checkin/checkin.server'
import { releaseClaim } from '~/claims/claims.server'
import { closeWaitlist, lapseWaitlistOffers } from '~/claims/waitlist.server'
import { deliverPendingNotifications, type DeliveryConfig, type DeliveryReport } from '~/notifications/delivery.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { remindMissingDisclosures } from '~/disclosures/disclosures.server'
import { now } from '~/utils/clock.server'
import { releaseOverduePledges, sendPledgeReminders } from '~/needs/pledges.server'
import { extendAllSeries } from '~/slots/series.server'
import { sendMonthlyChargeNotices } from '~/payments/monthly.server'
import { renewDueMockMonthlyGifts } from '~/payments/monthly-mock.server'
import { checkOverdueVisits } from '~/visits/visits.server'
import { formatDateTime } from '~/utils/format'
import { closedPublishedSql } from '~/wishes/claimable.server'

// Background jobs, run by the server every minute and by scripts/jobs. Every job is
// idempotent: it re-reads the state in its own transaction and a rerun changes nothing.
export const REMINDER_LEAD_MS = 2 * 24 * 60 * 60 * 1000

function claimWithWish() {
  return db
    .select({
      id: claims.id,
      userId: claims.userId,
      wishId: claims.wishId,
      buyBy: claims.buyBy,
      deliverBy: claims.deliverBy,
      purchasedAt: claims.purchasedAt,
      referenceCode: claims.referenceCode,
      title: wishes.title,
      pseudonym: children.pseudonym,
      home: institutions.name,
      address: institutions.publicAddress,
    })
    .from(claims)
    .innerJoin(wishes, eq(wishes.id, claims.wishId))
    .innerJoin(children, eq(children.id, wishes.childId))
    .innerJoin(institutions, eq(institutions.id, claims.institutionId))
    .$dynamic()
}

/**
 * Active claims past a deadline are released (reason 'deadline'); the donor is told. A claim
 * whose parcel has partly arrived is left to staff: the home already holds part of the gift.
 */
export function releaseExpiredClaims(): { released: number } {
  const at = now()
  const overdue = claimWithWish()
    .where(
      and(
        eq(claims.status, 'active'),
        isNull(claims.receivedAt),
        isNull(claims.partialArrivalAt),
        or(and(isNull(claims.purchasedAt), lte(claims.buyBy, at)), lte(claims.deliverBy, at)),
      ),
    )
    .all()
  let released = 0
  for (const claim of overdue) {
    writeTransaction((tx) => {
      if (!releaseClaim(tx, claim.id, 'deadline')) return
      released++
      const missed = claim.purchasedAt ? `送达期限（${formatDateTime(claim.deliverBy)}）` : `购买期限（${formatDateTime(claim.buyBy)}）`
      enqueueNotification(tx, {
        userId: claim.userId,
        template: 'claim.released',
        subject: '您的认领已释放',
        body: `您认领的微心愿「${claim.title}」（${claim.pseudonym}，${claim.home}）已超过${missed}，认领已自动释放，心愿重新开放给其他爱心人士。如已寄出，请联系${claim.home}并提供认领编号 ${claim.referenceCode}。`,
        dedupeKey: `claim.released:${claim.id}`,
      })
    })
  }
  return { released }
}

/** Two days before each deadline, one reminder per claim and deadline (dedupe keys). */
export function sendClaimReminders(): { sent: number } {
  const at = now()
  const soon = new Date(at.getTime() + REMINDER_LEAD_MS)
  const due = claimWithWish()
    .where(
      and(
        eq(claims.status, 'active'),
        isNull(claims.receivedAt),
        or(
          and(isNull(claims.purchasedAt), lte(claims.buyBy, soon), gt(claims.buyBy, at)),
          and(lte(claims.deliverBy, soon), gt(claims.deliverBy, at)),
        ),
      ),
    )
    .all()
  let sent = 0
  for (const claim of due) {
    const reminders = []
    if (!claim.purchasedAt && claim.buyBy <= soon && claim.buyBy > at) {
      reminders.push({
        key: `reminder:buy:claim:${claim.id}`,
        template: 'claim.reminder.buy',
        subject: '认领提醒：请尽快购买心愿礼物',
        body: `您认领的微心愿「${claim.title}」（${claim.pseudonym}，${claim.home}）请在 ${formatDateTime(claim.buyBy)} 前购买，并在“我的认领”中点“已购买”。逾期认领将自动释放。`,
      })
    }
    if (claim.deliverBy <= soon && claim.deliverBy > at) {
      reminders.push({
        key: `reminder:deliver:claim:${claim.id}`,
        template: 'claim.reminder.deliver',
        subject: '认领提醒：请在期限前送达',
        body: `您认领的微心愿「${claim.title}」（${claim.pseudonym}，${claim.home}）请在 ${formatDateTime(claim.deliverBy)} 前送达：${claim.address || claim.home}，包裹上请写认领编号 ${claim.referenceCode}。逾期认领将自动释放。`,
      })
    }
    for (const reminder of reminders) {
      writeTransaction((tx) => {
        const live = tx
          .select({ id: claims.id })
          .from(claims)
          .where(and(eq(claims.id, claim.id), eq(claims.status, 'active')))
          .get()
        const already = tx.select({ id: notifications.id }).from(notifications).where(eq(notifications.dedupeKey, reminder.key)).get()
        if (!live || already) return
        enqueueNotification(tx, {
          userId: claim.userId,
          template: reminder.template,
          subject: reminder.subject,
          body: reminder.body,
          dedupeKey: reminder.key,
        })
        sent++
      })
    }
  }
  return { sent }
}

/** Published wishes whose campaign has ended become 'expired'; their queues close. */
export function expireCampaignWishes(): { expired: number } {
  const at = now()
  const ended = db.select({ id: wishes.id }).from(wishes).where(closedPublishedSql(at)).all()
  let expired = 0
  for (const wish of ended) {
    writeTransaction((tx) => {
      const changed = tx
        .update(wishes)
        .set({ status: 'expired', closedAt: at, updatedAt: at })
        .where(and(eq(wishes.id, wish.id), inArray(wishes.status, ['published'])))
        .run().changes
      if (!changed) return
      closeWaitlist(tx, wish.id)
      expired++
    })
  }
  return { expired }
}

export type JobsReport = {
  releasedClaims: number
  remindersQueued: number
  lapsedOffers: number
  newOffers: number
  expiredWishes: number
  bookingRemindersQueued: number
  lapsedBookingOffers: number
  newBookingOffers: number
  closedServiceRecords: number
  seriesSlotsAdded: number
  pledgeRemindersQueued: number
  releasedPledges: number
  disclosureRemindersQueued: number
  overdueVisitAlerts: number
  monthlyNoticesQueued: number
  mockMonthlyRenewals: number
  notifications: DeliveryReport
}

/** Run every job once, in an order where each one's notices are delivered in the same run. */
export async function runJobs(options: { delivery?: DeliveryConfig } = {}): Promise<JobsReport> {
  const { released } = releaseExpiredClaims()
  const { sent } = sendClaimReminders()
  const offers = lapseWaitlistOffers()
  const { expired } = expireCampaignWishes()
  const bookingOffers = lapseBookingOffers()
  const bookingReminders = sendBookingReminders()
  const closedHours = closeEndedSlotsHours()
  const seriesSlotsAdded = extendAllSeries()
  const pledgeReminders = sendPledgeReminders()
  const overduePledges = releaseOverduePledges()
  const disclosureReminders = remindMissingDisclosures()
  const overdueVisits = checkOverdueVisits()
  const mockRenewals = renewDueMockMonthlyGifts()
  const monthlyNotices = sendMonthlyChargeNotices()
  const delivered = await deliverPendingNotifications(options.delivery)
  return {
    releasedClaims: released,
    remindersQueued: sent,
    lapsedOffers: offers.lapsed,
    newOffers: offers.offered,
    expiredWishes: expired,
    bookingRemindersQueued: bookingReminders.sent,
    lapsedBookingOffers: bookingOffers.lapsed,
    newBookingOffers: bookingOffers.offered,
    closedServiceRecords: closedHours.recorded,
    seriesSlotsAdded,
    pledgeRemindersQueued: pledgeReminders.sent,
    releasedPledges: overduePledges.released + overduePledges.closedAtReceived,
    disclosureRemindersQueued: disclosureReminders.sent,
    overdueVisitAlerts: overdueVisits.leadAlerts + overdueVisits.staffAlerts,
    monthlyNoticesQueued: monthlyNotices.sent,
    mockMonthlyRenewals: mockRenewals.renewed,
    notifications: delivered,
  }
}
