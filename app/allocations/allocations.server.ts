import { and, desc, eq, inArray, isNotNull, lt } from 'drizzle-orm'
import { db, type Tx } from '~db/client.server'
import { allocationSources, allocations, donations } from '~db/schema'
import { attemptAuditedWrite, refuseWrite, type Actor } from '~/audit/audit.server'
import { isImageKey } from '~/images/images.server'
import { appendLedgerLeaf } from '~/ledger/tree.server'

// 用途: how a home used the gifts it received. Each allocation names the receipts it draws on
// (this home's entries only), is append-only like the donation log (DB triggers), and becomes
// a leaf of the public Merkle log in the same transaction.

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

// Phone numbers (11 digits), ID card numbers (17 digits + digit/X) and other long digit runs,
// also when split by spaces or dashes, look like personal data: refuse them.
const PERSONAL_DIGITS = /\d(?:[\s-]?\d){6,}/

/** A light privacy check for public text: null when fine, else the Chinese reason. */
export function personalDataIn(text: string): string | null {
  if (PERSONAL_DIGITS.test(text)) return '请不要填写电话、身份证号等个人信息，只写匿名描述（如“本院 3 名学龄儿童”）'
  return null
}

/** Refuse inside the write with the form field to mark. */
function refuseSources(message: string): never {
  const refusal: { ok: false; message: string; field: AllocationField } = { ok: false, message, field: 'sourceReceipts' }
  return refuseWrite(refusal)
}

export function recordAllocation(actor: Actor, institutionId: number, input: AllocationInput): AllocationResult {
  const purpose = input.purpose.trim()
  const items = (input.items ?? '').trim()
  const beneficiary = input.beneficiaryDescription.trim()
  if (!purpose) return { ok: false, field: 'purpose', message: '请填写用途' }
  if (purpose.length > 200) return { ok: false, field: 'purpose', message: '用途最多 200 字' }
  if (Number.isNaN(input.usedAt.getTime())) return { ok: false, field: 'usedAt', message: '请填写使用日期' }
  if (input.amountFen != null && (!Number.isSafeInteger(input.amountFen) || input.amountFen < 1)) return { ok: false, field: 'amountFen', message: '金额须大于 0' }
  if (input.amountFen == null && !items) return { ok: false, field: 'items', message: '请填写使用的金额或物品' }
  if (!beneficiary) return { ok: false, field: 'beneficiaryDescription', message: '请填写受益对象的匿名描述' }
  for (const [field, text] of [['purpose', purpose], ['items', items], ['beneficiaryDescription', beneficiary]] as const) {
    const problem = personalDataIn(text)
    if (problem) return { ok: false, field, message: problem }
  }
  const receipts = [...new Set(input.sourceReceipts.map((r) => r.trim().toUpperCase()).filter(Boolean))]
  if (!receipts.length) return { ok: false, field: 'sourceReceipts', message: '请至少选择一笔来源捐赠' }
  const imageKeys = (input.evidenceImageKeys ?? []).filter(isImageKey)

  return attemptAuditedWrite(actor, (tx) => {
    const sources = tx
      .select({ id: donations.id, receiptNo: donations.receiptNo, institutionId: donations.institutionId, correctsId: donations.correctsId })
      .from(donations)
      .where(inArray(donations.receiptNo, receipts))
      .all()
    const ours = sources.filter((s) => s.institutionId === institutionId)
    if (ours.length !== receipts.length) refuseSources('来源捐赠必须是本机构的捐赠记录')
    if (ours.some((s) => s.correctsId !== null)) refuseSources('更正记录不能作为来源捐赠')
    const reversed = tx
      .select({ correctsId: donations.correctsId })
      .from(donations)
      .where(inArray(donations.correctsId, ours.map((s) => s.id)))
      .all()
    if (reversed.length) refuseSources('已被更正的捐赠记录不能作为来源')
    const row = tx
      .insert(allocations)
      .values({
        institutionId,
        usedAt: input.usedAt,
        purpose,
        amountFen: input.amountFen ?? null,
        items,
        beneficiaryDescription: beneficiary,
        evidenceImageKeys: imageKeys,
        recordedBy: actor.userId,
      })
      .returning({ id: allocations.id })
      .get()
    tx.insert(allocationSources)
      .values(ours.map((s) => ({ allocationId: row.id, donationId: s.id })))
      .run()
    const { leafIndex } = appendLedgerLeaf(tx, 'allocation', row.id)
    return {
      result: { ok: true as const, allocationId: row.id },
      audit: { institutionId, action: 'allocation.record', entityType: 'allocation', entityId: row.id, summary: { purpose, amountFen: input.amountFen ?? null, sources: receipts, leafIndex } },
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
    .where(and(eq(allocations.institutionId, institutionId), isNotNull(allocations.usedAt)))
    .orderBy(allocations.usedAt, allocations.id)
    .all()
    .filter((r) => r.usedAt >= start && r.usedAt < end)
  return withSources(tx, rows)
}

export type DonationUse = { allocationId: number; purpose: string; usedAt: Date }

/** What each of these entries was used for ("已使用：购买冬季棉衣 12 件"), by donation id. */
export function usesOfDonations(donationIds: number[], tx: Tx | typeof db = db): Map<number, DonationUse[]> {
  const map = new Map<number, DonationUse[]>()
  if (!donationIds.length) return map
  const rows = tx
    .select({ donationId: allocationSources.donationId, allocationId: allocations.id, purpose: allocations.purpose, usedAt: allocations.usedAt })
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

/** This home's entries that can be named as sources (not corrections, not reversed), newest first. */
export function sourceCandidates(institutionId: number, limit = 100) {
  const rows = db
    .select({ id: donations.id, receiptNo: donations.receiptNo, description: donations.description, kind: donations.kind, amountFen: donations.amountFen, quantity: donations.quantity, unit: donations.unit, receivedAt: donations.receivedAt, correctsId: donations.correctsId })
    .from(donations)
    .where(eq(donations.institutionId, institutionId))
    .orderBy(desc(donations.id))
    .limit(limit * 2)
    .all()
  const reversed = new Set(rows.map((r) => r.correctsId).filter((id): id is number => id !== null))
  return rows.filter((r) => r.correctsId === null && !reversed.has(r.id)).slice(0, limit)
}
