import { and, eq, sql } from 'drizzle-orm'
import { db, type Tx } from '~db/client.server'
import { donations, institutions, needs, pledgeArrivals, pledges, users } from '~db/schema'
import { auditedWrite, type Actor } from '~/audit/audit.server'
import { donorPublicName } from '~/donations/display'
import { recordDonation } from '~/donations/ledger.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { siteUrl } from '~/utils/origin.server'
import { now } from '~/utils/clock.server'
import { normaliseCode, PLEDGE_CODE } from '~/utils/door-code.server'
import { receivedForPledge, refreshNeedStatus } from './progress.server'

// Intake at the door (门口登记): staff find a pledge by the code on the pledger's page (typed,
// or a scanned QR URL) and record what arrived. Each arrival is one append-only ledger entry
// plus a pledge_arrivals row, written in one audited transaction. Scoped to the staff's home.

export type IntakeResult<T = object> = ({ ok: true } & T) | { ok: false; message: string }

const pledgeView = {
  id: pledges.id,
  code: pledges.code,
  status: pledges.status,
  releaseReason: pledges.releaseReason,
  quantity: pledges.quantity,
  expectedAt: pledges.expectedAt,
  publicDisplay: pledges.publicDisplay,
  userId: pledges.userId,
  donorName: users.displayName,
  needId: needs.id,
  needTitle: needs.title,
  needStatus: needs.status,
  unit: needs.unit,
}

type PledgeRow = {
  id: number
  code: string
  status: 'active' | 'fulfilled' | 'released' | 'cancelled'
  releaseReason: string | null
  quantity: number
  expectedAt: Date
  publicDisplay: 'name' | 'masked' | 'anonymous'
  userId: number
  donorName: string
  needId: number
  needTitle: string
  needStatus: string
  unit: string
}

function pledgesOfHome(tx: Tx | typeof db, institutionId: number) {
  return tx
    .select(pledgeView)
    .from(pledges)
    .innerJoin(needs, and(eq(needs.id, pledges.needId), eq(needs.institutionId, institutionId)))
    .innerJoin(users, eq(users.id, pledges.userId))
}

export type Arrival = { id: number; quantity: number; conditionNote: string; receivedAt: Date; receiptNo: string }

export type PledgeForIntake = Omit<PledgeRow, 'donorName' | 'userId'> & {
  /** The pledger as they chose to be shown publicly; staff see no more than that here. */
  donorDisplay: string
  received: number
  remaining: number
  arrivals: Arrival[]
}

function toIntakeView(tx: Tx | typeof db, row: PledgeRow): PledgeForIntake {
  const received = receivedForPledge(tx, row.id)
  const arrivals = tx
    .select({
      id: pledgeArrivals.id,
      quantity: pledgeArrivals.quantity,
      conditionNote: pledgeArrivals.conditionNote,
      receivedAt: pledgeArrivals.receivedAt,
      receiptNo: donations.receiptNo,
    })
    .from(pledgeArrivals)
    .innerJoin(donations, eq(donations.id, pledgeArrivals.donationId))
    .where(eq(pledgeArrivals.pledgeId, row.id))
    .orderBy(pledgeArrivals.id)
    .all()
  const { donorName, userId: _userId, ...rest } = row
  return {
    ...rest,
    donorDisplay: donorPublicName(donorName, row.publicDisplay),
    received,
    remaining: Math.max(0, row.quantity - received),
    arrivals,
  }
}

/** The pledge with this code at this home, or null (another home's pledge is not found). */
export function findPledgeByCode(institutionId: number, code: string): PledgeForIntake | null {
  const normalised = normaliseCode(code, PLEDGE_CODE)
  if (!normalised) return null
  const row = pledgesOfHome(db, institutionId)
    .where(sql`upper(${pledges.code}) = ${normalised}`)
    .get()
  return row ? toIntakeView(db, row) : null
}

/** This home's active pledges, soonest expected first. */
export function listActivePledges(institutionId: number, limit = 100): PledgeForIntake[] {
  return pledgesOfHome(db, institutionId)
    .where(eq(pledges.status, 'active'))
    .orderBy(pledges.expectedAt, pledges.id)
    .limit(limit)
    .all()
    .map((row) => toIntakeView(db, row))
}

function ledgerUrl(receiptNo: string): string {
  return siteUrl(`/ledger/${receiptNo}`)
}

/**
 * Record one arrival against a pledge: 1 ≤ quantity ≤ what is still to come. More than
 * promised is refused (staff record the extra as a walk-in gift). In the same transaction:
 * the ledger entry, the pledge_arrivals link, the pledge's status, the need's status and a
 * notice to the pledger with the receipt number.
 */
export function recordArrival(
  actor: Actor,
  institutionId: number,
  pledgeId: number,
  input: { quantity: number; conditionNote?: string },
): IntakeResult<{ receiptNo: string; received: number; remaining: number; fulfilled: boolean }> {
  const quantity = input.quantity
  if (!Number.isInteger(quantity) || quantity < 1) return { ok: false, message: '到达数量须为正整数' }
  const conditionNote = (input.conditionNote ?? '').trim().slice(0, 200)
  const exists = pledgesOfHome(db, institutionId).where(eq(pledges.id, pledgeId)).get()
  if (!exists) return { ok: false, message: '找不到该认捐（只能登记本机构的认捐）' }
  return auditedWrite<IntakeResult<{ receiptNo: string; received: number; remaining: number; fulfilled: boolean }>>(actor, (tx) => {
    const pledge = pledgesOfHome(tx, institutionId).where(eq(pledges.id, pledgeId)).get()!
    const receivedBefore = receivedForPledge(tx, pledge.id)
    const remaining = pledge.quantity - receivedBefore
    const refuse = (message: string) => ({
      result: { ok: false as const, message },
      audit: {
        institutionId,
        action: 'need.arrival_refused',
        entityType: 'pledge',
        entityId: pledge.id,
        summary: { quantity, status: pledge.status, remaining },
      },
    })
    if (pledge.status !== 'active') {
      return refuse(
        pledge.status === 'fulfilled'
          ? '该认捐已全部到达，无需再登记；多出的物资请按“登记捐赠”记录为现场捐赠'
          : '该认捐已释放或已取消，不能登记到达；如确实收到物资，请按“登记捐赠”记录为现场捐赠',
      )
    }
    if (quantity > remaining) {
      return refuse(`超出认捐数量：该认捐还差 ${remaining} ${pledge.unit}。多出的部分请按“登记捐赠”记录为现场捐赠。`)
    }
    const at = now()
    const entry = recordDonation(tx, {
      institutionId,
      kind: 'goods',
      description: `${pledge.needTitle} ${quantity}${pledge.unit}`,
      quantity,
      unit: pledge.unit,
      donor: { displayName: pledge.donorName, choice: pledge.publicDisplay, userId: pledge.userId },
      designation: 'need',
      designationRef: pledge.needId,
      channel: 'need_pledge',
      receivedAt: at,
      recordedBy: actor.userId,
    })
    tx.insert(pledgeArrivals)
      .values({ pledgeId: pledge.id, donationId: entry.id, quantity, conditionNote, receivedBy: actor.userId, receivedAt: at })
      .run()
    const received = receivedBefore + quantity
    const fulfilled = received >= pledge.quantity
    if (fulfilled) tx.update(pledges).set({ status: 'fulfilled', updatedAt: at }).where(eq(pledges.id, pledge.id)).run()
    refreshNeedStatus(tx, pledge.needId)
    const home = tx.select({ name: institutions.name }).from(institutions).where(eq(institutions.id, institutionId)).get()
    enqueueNotification(tx, {
      userId: pledge.userId,
      template: 'pledge.arrival',
      subject: '您认捐的物资已送达',
      body: `${home?.name ?? '机构'}已收到您认捐的「${pledge.needTitle}」${quantity}${pledge.unit}${fulfilled ? '，认捐已全部送达' : `，还差 ${pledge.quantity - received}${pledge.unit}`}。谢谢您！捐赠回执编号 ${entry.receiptNo}：${ledgerUrl(entry.receiptNo)}`,
      dedupeKey: `pledge.arrival:${entry.id}`,
    })
    return {
      result: { ok: true, receiptNo: entry.receiptNo, received, remaining: pledge.quantity - received, fulfilled },
      audit: {
        institutionId,
        action: 'need.arrival',
        entityType: 'pledge',
        entityId: pledge.id,
        summary: { needId: pledge.needId, quantity, receiptNo: entry.receiptNo, fulfilled },
      },
    }
  })
}
