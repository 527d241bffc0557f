import { and, desc, eq, inArray, lt } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { db, type Tx } from '~db/client.server'
import { donations, walkInDonors } from '~db/schema'
import { auditedWrite, type Actor } from '~/audit/audit.server'
import { publicTextProblem } from '~/privacy/public-text.server'
import { recordCorrection } from './ledger.server'

// Staff fix a mistake in the log with a correction (更正): a new reversing entry that points at
// the original and publishes the reason. Nothing is edited or deleted (docs/product.md rule 3).

export type CorrectResult = { ok: true; receiptNo: string } | { ok: false; message: string; field?: 'reason' }

export const MIN_REASON_LENGTH = 4

/**
 * What depends on a corrected entry, brought up to date in the correction's own transaction.
 * The ledger knows nothing of needs or pledges: the staff correction lives in
 * `~/needs/corrections.server`, which passes the needs' part here.
 */
export type AfterCorrection = (tx: Tx, corrected: { originalId: number; entry: typeof donations.$inferSelect }) => void

export function correctLedgerEntry(
  actor: Actor,
  institutionId: number,
  receiptNo: string,
  reason: string,
  afterCorrection: AfterCorrection,
): CorrectResult {
  const text = reason.trim()
  if (Array.from(text).length < MIN_REASON_LENGTH) return { ok: false, message: `请填写更正说明（至少 ${MIN_REASON_LENGTH} 个字）` }
  const receipt = receiptNo.trim().toUpperCase()
  const original = db
    .select({ id: donations.id })
    .from(donations)
    .where(and(eq(donations.receiptNo, receipt), eq(donations.institutionId, institutionId)))
    .get()
  if (!original) return { ok: false, message: '找不到该收据编号（只能更正本机构的记录）' }
  // The 更正说明 is published: no child of the home may be identifiable.
  const problem = publicTextProblem(db, [institutionId], [['reason', text]] as const)
  if (problem) return { ok: false, ...problem }
  return auditedWrite<CorrectResult>(actor, (tx) => {
    const outcome = recordCorrection(tx, { originalReceipt: receipt, reason: text, recordedBy: actor.userId })
    if (!outcome.ok) {
      return {
        result: outcome,
        audit: {
          institutionId,
          action: 'donation.correct_refused',
          entityType: 'donation',
          entityId: original.id,
          summary: { receiptNo: receipt, message: outcome.message },
        },
      }
    }
    const entry = outcome.entry
    afterCorrection(tx, { originalId: original.id, entry })
    return {
      result: { ok: true, receiptNo: entry.receiptNo },
      audit: {
        institutionId,
        action: 'donation.correct',
        entityType: 'donation',
        entityId: original.id,
        summary: { receiptNo: receipt, correctionReceiptNo: entry.receiptNo, reason: text },
      },
    }
  })
}

// ---- The staff view of this home's log ------------------------------------------------------

const original = alias(donations, 'original')

export type StaffLedgerEntry = {
  id: number
  receiptNo: string
  kind: 'goods' | 'money'
  description: string
  quantity: number | null
  unit: string | null
  estimatedValueFen: number | null
  amountFen: number | null
  donorDisplay: string
  designation: 'wish' | 'need' | 'campaign' | 'general'
  channel: 'wish_claim' | 'need_pledge' | 'desk' | 'bank_transfer' | 'online'
  receivedAt: Date
  correctionReason: string | null
  correctsReceipt: string | null
  paymentReference: string | null
  /** Walk-in donor's private name and contact: staff of this home only. */
  walkInName: string | null
  walkInContact: string | null
  correctedBy: string | null
}

/** This home's entries, newest first; `before` is an id for the next page. */
export function listHomeLedger(
  institutionId: number,
  options: { before?: number | null; limit?: number } = {},
): { items: StaffLedgerEntry[]; nextBefore: number | null } {
  const limit = options.limit ?? 30
  const rows = db
    .select({
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
      correctsReceipt: original.receiptNo,
      paymentReference: donations.paymentReference,
      walkInName: walkInDonors.name,
      walkInContact: walkInDonors.contact,
    })
    .from(donations)
    .leftJoin(original, eq(original.id, donations.correctsId))
    .leftJoin(walkInDonors, eq(walkInDonors.donationId, donations.id))
    .where(and(eq(donations.institutionId, institutionId), options.before ? lt(donations.id, options.before) : undefined))
    .orderBy(desc(donations.id))
    .limit(limit + 1)
    .all()
  const page = rows.slice(0, limit)
  const ids = page.map((r) => r.id)
  const corrections = ids.length
    ? db
        .select({ correctsId: donations.correctsId, receiptNo: donations.receiptNo })
        .from(donations)
        .where(and(eq(donations.institutionId, institutionId), inArray(donations.correctsId, ids)))
        .all()
    : []
  // A money entry may be corrected in parts (partial refunds): name every correction.
  const byOriginal = new Map<number | null, string>()
  for (const c of corrections) byOriginal.set(c.correctsId, [byOriginal.get(c.correctsId), c.receiptNo].filter(Boolean).join('、'))
  return {
    items: page.map((r) => ({ ...r, correctedBy: byOriginal.get(r.id) ?? null })),
    nextBefore: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
  }
}
