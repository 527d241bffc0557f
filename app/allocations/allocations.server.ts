import { and, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm'
import { db, type Tx } from '~db/client.server'
import { allocationSources, allocations, donations } from '~db/schema'
import { attemptAuditedWrite, refuseWrite, type Actor } from '~/audit/audit.server'
import { isImageKey } from '~/images/images.server'
import { appendLedgerLeaf } from '~/ledger/tree.server'
import { publicTextProblem } from '~/privacy/public-text.server'
import { now } from '~/utils/clock.server'
import { formatDate, formatFen } from '~/utils/format'
import { shanghaiDateString } from '~/utils/shanghai-date'

// 用途: how a home used the gifts it received. Each allocation names the receipts it draws on
// (this home's entries only), never spends more than their unspent money, is dated between its
// sources and today, passes the public-text privacy check, is append-only like the donation log
// (DB triggers), and becomes a leaf of the public Merkle log in the same transaction.

export type AllocationInput = {
  usedAt: Date
  purpose: string
  amountFen?: number | null
  items?: string | null
  /** Anonymised: "本院 3 名学龄儿童", never a name, phone or ID number. */
  beneficiaryDescription: string
  sourceReceipts: string[]
  /** Keys from storeWishImage (EXIF already stripped); staff are told: no faces. */
  evidenceImageKeys?: string[]
}

export type AllocationField = 'usedAt' | 'purpose' | 'amountFen' | 'items' | 'beneficiaryDescription' | 'sourceReceipts'
export type AllocationResult = { ok: true; allocationId: number } | { ok: false; message: string; field?: AllocationField }

/** Refuse inside the write with the form field to mark. */
function refuseField(field: AllocationField, message: string): never {
  const refusal: { ok: false; message: string; field: AllocationField } = { ok: false, message, field }
  return refuseWrite(refusal)
}

export type SourceBalance = {
  id: number
  receiptNo: string
  kind: 'goods' | 'money'
  receivedAt: Date
  /** The entry's own amount plus its corrections (negative): what the home actually kept. */
  netFen: number
  /** Drawn by earlier allocations; rows without a per-source amount count the whole allocation. */
  drawnFen: number
  /** Unspent money: max(0, net − drawn); always 0 for goods. */
  availableFen: number
  /** Fully reversed by corrections (nothing left to use). */
  reversed: boolean
}

/**
 * The unspent money of these entries: each one's amount with its corrections counted, minus
 * what earlier allocations drew on it. Call inside the write transaction that records the next
 * allocation (BEGIN IMMEDIATE), so concurrent allocations see each other and cannot overspend.
 */
export function sourceBalances(tx: Tx | typeof db, donationIds: number[]): Map<number, SourceBalance> {
  const map = new Map<number, SourceBalance>()
  if (!donationIds.length) return map
  const rows = tx
    .select({
      id: donations.id,
      receiptNo: donations.receiptNo,
      kind: donations.kind,
      receivedAt: donations.receivedAt,
      amountFen: donations.amountFen,
      quantity: donations.quantity,
    })
    .from(donations)
    .where(inArray(donations.id, donationIds))
    .all()
  const corrections = tx
    .select({
      correctsId: donations.correctsId,
      amount: sql<number>`coalesce(sum(${donations.amountFen}), 0)`,
      quantity: sql<number>`coalesce(sum(${donations.quantity}), 0)`,
      n: sql<number>`count(*)`,
    })
    .from(donations)
    .where(inArray(donations.correctsId, donationIds))
    .groupBy(donations.correctsId)
    .all()
  const drawn = tx
    .select({
      donationId: allocationSources.donationId,
      drawn: sql<number>`coalesce(sum(coalesce(${allocationSources.drawnFen}, ${allocations.amountFen}, 0)), 0)`,
    })
    .from(allocationSources)
    .innerJoin(allocations, eq(allocations.id, allocationSources.allocationId))
    .where(inArray(allocationSources.donationId, donationIds))
    .groupBy(allocationSources.donationId)
    .all()
  const correctionsOf = new Map(corrections.map((c) => [c.correctsId, c]))
  const drawnOf = new Map(drawn.map((d) => [d.donationId, d.drawn]))
  for (const r of rows) {
    const c = correctionsOf.get(r.id)
    const d = drawnOf.get(r.id) ?? 0
    const netFen = r.kind === 'money' ? (r.amountFen ?? 0) + (c?.amount ?? 0) : 0
    const reversed =
      r.kind === 'money' ? Boolean(c) && netFen <= 0 : Boolean(c) && (r.quantity === null || (r.quantity ?? 0) + (c?.quantity ?? 0) <= 0)
    map.set(r.id, {
      id: r.id,
      receiptNo: r.receiptNo,
      kind: r.kind,
      receivedAt: r.receivedAt,
      netFen,
      drawnFen: d,
      availableFen: Math.max(0, netFen - d),
      reversed,
    })
  }
  return map
}

export function recordAllocation(actor: Actor, institutionId: number, input: AllocationInput): AllocationResult {
  const purpose = input.purpose.trim()
  const items = (input.items ?? '').trim()
  const beneficiary = input.beneficiaryDescription.trim()
  if (!purpose) return { ok: false, field: 'purpose', message: '请填写用途' }
  if (purpose.length > 200) return { ok: false, field: 'purpose', message: '用途最多 200 字' }
  if (Number.isNaN(input.usedAt.getTime())) return { ok: false, field: 'usedAt', message: '请填写使用日期' }
  const usedDay = shanghaiDateString(input.usedAt)
  if (usedDay > shanghaiDateString(now())) return { ok: false, field: 'usedAt', message: '使用日期不能晚于今天' }
  if (input.amountFen != null && (!Number.isSafeInteger(input.amountFen) || input.amountFen < 1))
    return { ok: false, field: 'amountFen', message: '金额须大于 0' }
  if (input.amountFen == null && !items) return { ok: false, field: 'items', message: '请填写使用的金额或物品' }
  if (!beneficiary) return { ok: false, field: 'beneficiaryDescription', message: '请填写受益对象的匿名描述' }
  const receipts = [...new Set(input.sourceReceipts.map((r) => r.trim().toUpperCase()).filter(Boolean))]
  if (!receipts.length) return { ok: false, field: 'sourceReceipts', message: '请至少选择一笔来源捐赠' }
  const imageKeys = (input.evidenceImageKeys ?? []).filter(isImageKey)
  const amountFen = input.amountFen ?? null

  return attemptAuditedWrite(actor, (tx) => {
    const problem = publicTextProblem(tx, [institutionId], [
      ['purpose', purpose],
      ['items', items],
      ['beneficiaryDescription', beneficiary],
    ] as const)
    if (problem) refuseField(problem.field, problem.message)
    const sources = tx
      .select({
        id: donations.id,
        receiptNo: donations.receiptNo,
        institutionId: donations.institutionId,
        correctsId: donations.correctsId,
      })
      .from(donations)
      .where(inArray(donations.receiptNo, receipts))
      .orderBy(donations.id)
      .all()
    const ours = sources.filter((s) => s.institutionId === institutionId)
    if (ours.length !== receipts.length) refuseField('sourceReceipts', '来源捐赠必须是本机构的捐赠记录')
    if (ours.some((s) => s.correctsId !== null)) refuseField('sourceReceipts', '更正记录不能作为来源捐赠')
    const balances = [
      ...sourceBalances(
        tx,
        ours.map((s) => s.id),
      ).values(),
    ].sort((a, b) => a.id - b.id)
    const reversed = balances.find((b) => b.reversed)
    if (reversed) refuseField('sourceReceipts', `已被更正的捐赠记录不能作为来源（${reversed.receiptNo}）`)
    const latest = balances.reduce((a, b) => (b.receivedAt > a.receivedAt ? b : a))
    if (usedDay < shanghaiDateString(latest.receivedAt)) {
      refuseField('usedAt', `使用日期不能早于来源捐赠的日期（${latest.receiptNo} 收到于 ${formatDate(latest.receivedAt)}）`)
    }
    // Draw the amount from the sources oldest first; never more than what is left unspent.
    const drawn = new Map<number, number>()
    if (amountFen !== null) {
      const available = balances.reduce((sum, b) => sum + b.availableFen, 0)
      if (amountFen > available) {
        refuseField(
          'amountFen',
          available > 0
            ? `金额超出所选来源尚未使用的善款（还剩 ${formatFen(available)}）`
            : '所选来源已没有尚未使用的善款，请选择其他来源捐赠',
        )
      }
      let rest = amountFen
      for (const b of balances) {
        const take = Math.min(rest, b.availableFen)
        if (take > 0) drawn.set(b.id, take)
        rest -= take
      }
    }
    const row = tx
      .insert(allocations)
      .values({
        institutionId,
        usedAt: input.usedAt,
        purpose,
        amountFen,
        items,
        beneficiaryDescription: beneficiary,
        evidenceImageKeys: imageKeys,
        recordedBy: actor.userId,
      })
      .returning({ id: allocations.id })
      .get()
    tx.insert(allocationSources)
      .values(ours.map((s) => ({ allocationId: row.id, donationId: s.id, drawnFen: amountFen === null ? null : (drawn.get(s.id) ?? 0) })))
      .run()
    const { leafIndex } = appendLedgerLeaf(tx, 'allocation', row.id)
    return {
      result: { ok: true as const, allocationId: row.id },
      audit: {
        institutionId,
        action: 'allocation.record',
        entityType: 'allocation',
        entityId: row.id,
        summary: { purpose, amountFen, sources: receipts, drawn: Object.fromEntries(drawn), leafIndex },
      },
    }
  })
}

export type AllocationView = {
  id: number
  usedAt: Date
  purpose: string
  amountFen: number | null
  items: string
  beneficiaryDescription: string
  evidenceImageKeys: string[]
  sourceReceipts: string[]
}

function withSources(tx: Tx | typeof db, rows: Array<typeof allocations.$inferSelect>): AllocationView[] {
  if (!rows.length) return []
  const links = tx
    .select({ allocationId: allocationSources.allocationId, receiptNo: donations.receiptNo })
    .from(allocationSources)
    .innerJoin(donations, eq(donations.id, allocationSources.donationId))
    .where(
      inArray(
        allocationSources.allocationId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(donations.id)
    .all()
  return rows.map((r) => ({
    id: r.id,
    usedAt: r.usedAt,
    purpose: r.purpose,
    amountFen: r.amountFen,
    items: r.items,
    beneficiaryDescription: r.beneficiaryDescription,
    evidenceImageKeys: r.evidenceImageKeys,
    sourceReceipts: links.filter((l) => l.allocationId === r.id).map((l) => l.receiptNo),
  }))
}

/** This home's allocations, newest first (staff list). */
export function listAllocations(institutionId: number, options: { before?: number | null; limit?: number } = {}): AllocationView[] {
  const conditions = [eq(allocations.institutionId, institutionId)]
  if (options.before) conditions.push(lt(allocations.id, options.before))
  const rows = db
    .select()
    .from(allocations)
    .where(and(...conditions))
    .orderBy(desc(allocations.id))
    .limit(options.limit ?? 50)
    .all()
  return withSources(db, rows)
}

/** Allocations of a home used within [start, end) (disclosures), oldest first. */
export function allocationsInPeriod(tx: Tx | typeof db, institutionId: number, start: Date, end: Date): AllocationView[] {
  const rows = tx
    .select()
    .from(allocations)
    .where(and(eq(allocations.institutionId, institutionId), gte(allocations.usedAt, start), lt(allocations.usedAt, end)))
    .orderBy(allocations.usedAt, allocations.id)
    .all()
  return withSources(tx, rows)
}

export type DonationUse = { allocationId: number; purpose: string; usedAt: Date }

/** What each of these entries was used for ("已使用：购买冬季棉衣 12 件"), by donation id. */
export function usesOfDonations(donationIds: number[], tx: Tx | typeof db = db): Map<number, DonationUse[]> {
  const map = new Map<number, DonationUse[]>()
  if (!donationIds.length) return map
  const rows = tx
    .select({
      donationId: allocationSources.donationId,
      allocationId: allocations.id,
      purpose: allocations.purpose,
      usedAt: allocations.usedAt,
    })
    .from(allocationSources)
    .innerJoin(allocations, eq(allocations.id, allocationSources.allocationId))
    .where(inArray(allocationSources.donationId, donationIds))
    .orderBy(allocations.id)
    .all()
  for (const r of rows) {
    const list = map.get(r.donationId) ?? []
    list.push({ allocationId: r.allocationId, purpose: r.purpose, usedAt: r.usedAt })
    map.set(r.donationId, list)
  }
  return map
}

export function usesOfDonation(donationId: number): DonationUse[] {
  return usesOfDonations([donationId]).get(donationId) ?? []
}

/** "已使用：购买冬季棉衣 12 件；…" or null. */
export function usesText(uses: DonationUse[]): string | null {
  return uses.length ? `已使用：${uses.map((u) => u.purpose).join('；')}` : null
}

/** This home's entries that can be named as sources (not corrections, not reversed), newest first, with their unspent money. */
export function sourceCandidates(institutionId: number, limit = 100) {
  const rows = db
    .select({
      id: donations.id,
      receiptNo: donations.receiptNo,
      description: donations.description,
      kind: donations.kind,
      amountFen: donations.amountFen,
      quantity: donations.quantity,
      unit: donations.unit,
      receivedAt: donations.receivedAt,
    })
    .from(donations)
    .where(and(eq(donations.institutionId, institutionId), isNull(donations.correctsId)))
    .orderBy(desc(donations.id))
    .limit(limit * 2)
    .all()
  const balances = sourceBalances(
    db,
    rows.map((r) => r.id),
  )
  return rows
    .filter((r) => !balances.get(r.id)?.reversed)
    .slice(0, limit)
    .map((r) => ({ ...r, availableFen: r.kind === 'money' ? (balances.get(r.id)?.availableFen ?? 0) : null }))
}
