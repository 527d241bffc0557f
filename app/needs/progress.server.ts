import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '~db/client.server'
import { db } from '~db/client.server'
import { donations, needs, pledgeArrivals, pledges, type NeedStatus } from '~db/schema'
import { now } from '~/utils/clock.server'

// A need's progress is derived, never stored: received = what the append-only ledger records
// against the need (corrections subtract themselves); pledged = received + what active pledges
// still promise. "还需" = needed − pledged. Status follows from these numbers.

export type NeedProgress = { needed: number; received: number; outstanding: number; pledged: number; stillNeeded: number }

export function needProgress(tx: Tx | typeof db, need: { id: number; quantityNeeded: number }): NeedProgress {
  const received = Number(
    tx
      .select({ n: sql<number>`coalesce(sum(${donations.quantity}), 0)` })
      .from(donations)
      .where(and(eq(donations.designation, 'need'), eq(donations.designationRef, need.id)))
      .get()?.n ?? 0,
  )
  // What each active pledge still promises: its quantity minus what arrived for it (net of
  // corrections of those arrivals).
  const outstanding = Number(
    tx
      .select({ n: sql<number>`coalesce(sum(max(0, ${pledges.quantity} - ${netReceivedSql})), 0)` })
      .from(pledges)
      .where(and(eq(pledges.needId, need.id), eq(pledges.status, 'active')))
      .get()?.n ?? 0,
  )
  const pledged = received + outstanding
  return { needed: need.quantityNeeded, received, outstanding, pledged, stillNeeded: Math.max(0, need.quantityNeeded - pledged) }
}

// Net quantity received for the pledge in the current row: its arrivals, plus the (negative)
// correction entries that reverse any of them.
const netReceivedSql = sql<number>`(
  coalesce((select sum(a.quantity) from pledge_arrivals a where a.pledge_id = "pledges"."id"), 0)
  + coalesce((select sum(c.quantity) from pledge_arrivals a join donations c on c.corrects_id = a.donation_id where a.pledge_id = "pledges"."id"), 0)
)`

/** Quantity received for one pledge: all its arrivals, net of corrections. */
export function receivedForPledge(tx: Tx | typeof db, pledgeId: number): number {
  return Number(tx.select({ n: netReceivedSql }).from(pledges).where(eq(pledges.id, pledgeId)).get()?.n ?? 0)
}

/**
 * After a correction of one of its arrivals, a fulfilled pledge that no longer has everything
 * it promised is active again (staff can record the real arrival); call in the same transaction.
 */
export function reopenPledgeIfShort(tx: Tx, donationId: number): void {
  const arrival = tx
    .select({ pledgeId: pledgeArrivals.pledgeId })
    .from(pledgeArrivals)
    .where(eq(pledgeArrivals.donationId, donationId))
    .get()
  if (!arrival) return
  const pledge = tx
    .select({ id: pledges.id, quantity: pledges.quantity, status: pledges.status })
    .from(pledges)
    .where(eq(pledges.id, arrival.pledgeId))
    .get()
  if (pledge?.status === 'fulfilled' && receivedForPledge(tx, pledge.id) < pledge.quantity) {
    tx.update(pledges).set({ status: 'active', updatedAt: now() }).where(eq(pledges.id, pledge.id)).run()
  }
}

/**
 * Move an open need between open / fully_pledged / fully_received after any change to its
 * pledges or arrivals (call inside the same transaction). Closed and cancelled needs stay put.
 */
export function refreshNeedStatus(tx: Tx, needId: number): NeedStatus | null {
  const need = tx
    .select({ id: needs.id, quantityNeeded: needs.quantityNeeded, status: needs.status })
    .from(needs)
    .where(eq(needs.id, needId))
    .get()
  if (!need) return null
  if (need.status === 'closed' || need.status === 'cancelled') return need.status
  const p = needProgress(tx, need)
  const status: NeedStatus = p.received >= p.needed ? 'fully_received' : p.pledged >= p.needed ? 'fully_pledged' : 'open'
  if (status !== need.status) tx.update(needs).set({ status, updatedAt: now() }).where(eq(needs.id, needId)).run()
  return status
}
