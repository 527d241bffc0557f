import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { z } from 'zod'
import { db, type Tx } from '~db/client.server'
import { campaigns, children, donationMonths, donations, institutions, wishes, type PublicDisplay } from '~db/schema'
import { now } from '~/utils/clock.server'
import { formatFen } from '~/utils/format'
import { decodeCursor, pageOf, PAGE_SIZE } from '~/utils/pagination'
import { parseShanghaiMonth, shanghaiParts } from '~/utils/shanghai-date'
import { donorPublicName } from './display'
import { donationKinds } from './labels'
import { appendLedgerLeaf } from '~/ledger/tree.server'

// The public donation log (docs/product.md rules 2 and 3). recordDonation is the one way to write
// to `donations`; the table's triggers refuse UPDATE and DELETE, so a mistake is fixed by
// recordCorrection, a new reversing entry that points at the one it reverses.

type Donation = typeof donations.$inferSelect
export type DonationKind = Donation['kind']
export type Designation = Donation['designation']
export type DonationChannel = Donation['channel']

/** WN-<year of received_at in Asia/Shanghai>-<6-digit sequence>. */
export function formatReceiptNo(id: number, receivedAt: Date): string {
  return `WN-${shanghaiParts(receivedAt).year}-${String(id).padStart(6, '0')}`
}

export type NewDonation = {
  institutionId: number
  kind: DonationKind
  description: string
  quantity?: number | null
  unit?: string | null
  estimatedValueFen?: number | null
  amountFen?: number | null
  /** The donor's name and their choice of how it appears; frozen into the entry now. */
  donor: { displayName: string; choice: PublicDisplay; userId?: number | null }
  designation: Designation
  wishId?: number | null
  campaignId?: number | null
  designationRef?: number | null
  channel: DonationChannel
  receivedAt: Date
  recordedBy: number | null
  /** Bank transfer reference etc.; staff-only, never in the public columns. */
  paymentReference?: string | null
}

/**
 * Append one entry to the public log. Call it inside a write transaction (BEGIN IMMEDIATE):
 * the id is taken as max(id)+1 under the write lock, so the receipt number can be computed
 * before the insert and always matches the sequence.
 */
export function recordDonation(tx: Tx, input: NewDonation): Donation {
  const id = nextDonationId(tx)
  const entry = tx
    .insert(donations)
    .values({
      id,
      receiptNo: formatReceiptNo(id, input.receivedAt),
      institutionId: input.institutionId,
      kind: input.kind,
      description: input.description,
      quantity: input.quantity ?? null,
      unit: input.unit ?? null,
      estimatedValueFen: input.estimatedValueFen ?? null,
      amountFen: input.amountFen ?? null,
      donorDisplay: donorPublicName(input.donor.displayName, input.donor.choice),
      donorUserId: input.donor.userId ?? null,
      designation: input.designation,
      wishId: input.wishId ?? null,
      campaignId: input.campaignId ?? null,
      designationRef: input.designationRef ?? null,
      channel: input.channel,
      receivedAt: input.receivedAt,
      recordedBy: input.recordedBy,
      paymentReference: input.paymentReference ?? null,
    })
    .returning()
    .get()
  appendLedgerLeaf(tx, 'donation', entry.id) // the verifiable log, same transaction
  return entry
}

function nextDonationId(tx: Tx): number {
  const row = tx
    .select({ max: sql<number | null>`max(${donations.id})` })
    .from(donations)
    .get()
  return (row?.max ?? 0) + 1
}

export type CorrectionResult = { ok: true; entry: Donation } | { ok: false; message: string }

/**
 * Reverse an entry with a new one: negative quantity, value and amount, the same donor and
 * designation, and a published reason. A goods entry is reversed at most once. A money entry
 * may be reversed in parts (`amountFen`: a partial refund), never beyond its amount; without
 * `amountFen` whatever is left is reversed. A correction itself is not reversed (record a
 * fresh entry instead).
 */
export function recordCorrection(
  tx: Tx,
  input: { originalReceipt: string; reason: string; recordedBy: number | null; amountFen?: number },
): CorrectionResult {
  const reason = input.reason.trim()
  if (!reason) return { ok: false, message: '请填写更正说明' }
  const original = tx.select().from(donations).where(eq(donations.receiptNo, input.originalReceipt.trim().toUpperCase())).get()
  if (!original) return { ok: false, message: '找不到该收据编号' }
  if (original.correctsId !== null) return { ok: false, message: '更正记录不能再被更正，请另行登记' }
  const earlier = correctedSoFar(tx, original.id)
  const negate = (n: number | null) => (n === null ? null : -n)
  let reversal: { quantity: number | null; estimatedValueFen: number | null; amountFen: number | null }
  if (original.kind === 'money' && original.amountFen !== null) {
    const left = original.amountFen - earlier.amountFen
    if (left <= 0) return { ok: false, message: `该记录已由 ${earlier.lastReceiptNo} 更正` }
    const amount = input.amountFen ?? left
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > left)
      return { ok: false, message: `更正金额须在 ¥0.01 至 ${formatFen(left)} 之间` }
    reversal = { quantity: null, estimatedValueFen: null, amountFen: -amount }
  } else {
    if (earlier.lastReceiptNo) return { ok: false, message: `该记录已由 ${earlier.lastReceiptNo} 更正` }
    if (input.amountFen !== undefined) return { ok: false, message: '只有善款记录可以部分更正' }
    reversal = {
      quantity: negate(original.quantity),
      estimatedValueFen: negate(original.estimatedValueFen),
      amountFen: negate(original.amountFen),
    }
  }
  const id = nextDonationId(tx)
  const receivedAt = now()
  const entry = tx
    .insert(donations)
    .values({
      id,
      receiptNo: formatReceiptNo(id, receivedAt),
      institutionId: original.institutionId,
      kind: original.kind,
      description: `更正：${original.description}`,
      ...reversal,
      unit: original.unit,
      donorDisplay: original.donorDisplay,
      donorUserId: original.donorUserId,
      designation: original.designation,
      wishId: original.wishId,
      campaignId: original.campaignId,
      designationRef: original.designationRef,
      channel: original.channel,
      receivedAt,
      recordedBy: input.recordedBy,
      correctsId: original.id,
      correctionReason: reason,
    })
    .returning()
    .get()
  appendLedgerLeaf(tx, 'donation', entry.id) // the verifiable log, same transaction
  return { ok: true, entry }
}

/** How much of an entry earlier corrections reversed (money, as a positive amount) and the latest one's receipt. */
export function correctedSoFar(tx: Tx | typeof db, donationId: number): { amountFen: number; lastReceiptNo: string | null } {
  const rows = tx
    .select({ receiptNo: donations.receiptNo, amountFen: donations.amountFen })
    .from(donations)
    .where(eq(donations.correctsId, donationId))
    .orderBy(donations.id)
    .all()
  return { amountFen: -rows.reduce((sum, r) => sum + (r.amountFen ?? 0), 0), lastReceiptNo: rows.at(-1)?.receiptNo ?? null }
}

// ---- Reading the public log ------------------------------------------------------------------

const corrected = alias(donations, 'corrected')

/** Only public columns: never donor_user_id, recorded_by, nor a child's real identity. */
const publicColumns = {
  id: donations.id,
  receiptNo: donations.receiptNo,
  kind: donations.kind,
  description: donations.description,
  quantity: donations.quantity,
  unit: donations.unit,
  estimatedValueFen: donations.estimatedValueFen,
  amountFen: donations.amountFen,
  donorDisplay: donations.donorDisplay,
  designation: donations.designation,
  channel: donations.channel,
  receivedAt: donations.receivedAt,
  correctionReason: donations.correctionReason,
  correctsReceipt: corrected.receiptNo,
  institutionSlug: institutions.slug,
  institutionName: institutions.name,
  institutionCity: institutions.city,
  wishId: donations.wishId,
  wishTitle: wishes.title,
  wishPseudonym: children.pseudonym,
  campaignSlug: campaigns.slug,
  campaignName: campaigns.name,
}

function publicEntries() {
  return db
    .select(publicColumns)
    .from(donations)
    .innerJoin(institutions, eq(institutions.id, donations.institutionId))
    .leftJoin(corrected, eq(corrected.id, donations.correctsId))
    .leftJoin(wishes, eq(wishes.id, donations.wishId))
    .leftJoin(children, eq(children.id, wishes.childId))
    .leftJoin(campaigns, eq(campaigns.id, donations.campaignId))
}

type PublicRow = Awaited<ReturnType<ReturnType<typeof publicEntries>['all']>>[number]
export type PublicLedgerEntry = PublicRow & { correctedBy: Array<{ receiptNo: string; reason: string | null }> }

/** Receipts of the entries that reverse each of these ids. */
function correctionsOf(ids: number[]): Map<number, Array<{ receiptNo: string; reason: string | null }>> {
  const map = new Map<number, Array<{ receiptNo: string; reason: string | null }>>()
  if (!ids.length) return map
  const rows = db
    .select({ correctsId: donations.correctsId, receiptNo: donations.receiptNo, reason: donations.correctionReason })
    .from(donations)
    .where(inArray(donations.correctsId, ids))
    .orderBy(donations.id)
    .all()
  for (const row of rows) {
    if (row.correctsId === null) continue
    const list = map.get(row.correctsId) ?? []
    list.push({ receiptNo: row.receiptNo, reason: row.reason })
    map.set(row.correctsId, list)
  }
  return map
}

/**
 * An entry's Asia/Shanghai month, 'YYYY-MM'. Indexed with the id (donations_month_idx,
 * donations_home_month_idx, migration 0012) so a month's newest entries are read in order;
 * the indexes' expression must stay identical to this one.
 */
const donationMonthSql = sql<string>`strftime('%Y-%m', ${donations.receivedAt} / 1000, 'unixepoch', '+8 hours')`

export type LedgerFilters = {
  institutionSlug?: string | null
  month?: string | null // YYYY-MM in Asia/Shanghai
  kind?: DonationKind | null
  cursor?: string | null
  limit?: number
}

/** The public log's filters, read by listQuery. A month is kept as typed so the page can say it is malformed. */
export const ledgerFilterSchema = z.object({
  home: z.string().max(100).optional().catch(undefined),
  month: z.string().max(20).optional().catch(undefined),
  kind: z.enum(donationKinds).optional().catch(undefined),
})

/** The public log, newest first (by sequence), keyset-paginated so new entries never shift a page. */
export function listPublicLedger(filters: LedgerFilters = {}): { items: PublicLedgerEntry[]; next: string | null } {
  const limit = filters.limit ?? PAGE_SIZE
  const conditions: SQL[] = []
  if (filters.institutionSlug) {
    // The home's id, not a join on its slug, so the planner walks donations_home_month_idx.
    const home = db.select({ id: institutions.id }).from(institutions).where(eq(institutions.slug, filters.institutionSlug)).get()
    if (!home) return { items: [], next: null }
    conditions.push(eq(donations.institutionId, home.id))
  }
  if (filters.kind) conditions.push(eq(donations.kind, filters.kind))
  if (filters.month && parseShanghaiMonth(filters.month)) conditions.push(sql`${donationMonthSql} = ${filters.month}`)
  const cursor = decodeCursor(filters.cursor)
  if (cursor) conditions.push(lt(donations.id, cursor.id))
  const rows = publicEntries()
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(donations.id))
    .limit(limit + 1)
    .all()
  const page = pageOf(rows, limit, (row) => ({ k: row.id, id: row.id }))
  const corrections = correctionsOf(page.items.map((r) => r.id))
  return { items: page.items.map((r) => ({ ...r, correctedBy: corrections.get(r.id) ?? [] })), next: page.next }
}

/** One entry by its receipt number, with what it corrects and what corrects it. */
export function getPublicEntry(receiptNo: string): PublicLedgerEntry | null {
  const row = publicEntries().where(eq(donations.receiptNo, receiptNo.trim().toUpperCase())).get()
  if (!row) return null
  return { ...row, correctedBy: correctionsOf([row.id]).get(row.id) ?? [] }
}

/** Months (YYYY-MM, Asia/Shanghai) that have entries, newest first, for the filter. */
export function listLedgerMonths(): string[] {
  // donation_months is kept by a trigger on donations (migration 0011): no scan of the log.
  return db
    .select({ month: donationMonths.month })
    .from(donationMonths)
    .orderBy(desc(donationMonths.month))
    .all()
    .map((r) => r.month)
}
