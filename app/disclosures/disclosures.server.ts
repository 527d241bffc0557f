import ExcelJS from 'exceljs'
import { and, desc, eq, exists, gte, inArray, lt, lte, or, sql } from 'drizzle-orm'
import { db, writeTransaction, type Tx } from '~db/client.server'
import { disclosures, disclosureTotals, donations, institutions, memberships, needs, notifications, wishes } from '~db/schema'
import type { disclosurePeriods } from '~db/enums'
import { allocationsInPeriod, usesOfDonations } from '~/allocations/allocations.server'
import { attemptAuditedWrite, refuseWrite, type Actor } from '~/audit/audit.server'
import { signedTreeHead } from '~/ledger/tree.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { spreadsheetText, toCsv } from '~/utils/csv'
import { fenToYuan, formatFen } from '~/utils/format'
import { decodeCursor, pageOf, PAGE_SIZE } from '~/utils/pagination'
import { parseShanghaiMonth, shanghaiDateString, shanghaiParts, startOfShanghaiMonth } from '~/utils/shanghai-date'
import { categoryLabels } from '~/wishes/labels'

// 捐赠公示: a home's periodic disclosure, drafted from the append-only log in Asia/Shanghai
// calendar periods. Publishing freezes the computed summary into the row together with the
// signed Merkle tree head; from then on the DB trigger refuses any change (docs/product.md rule 3).

export type DisclosurePeriod = (typeof disclosurePeriods)[number]

export const REMINDER_GRACE_MS = 15 * 24 * 3600_000

// ---- Periods ----------------------------------------------------------------------------------

export type PeriodRange = { period: DisclosurePeriod; start: Date; end: Date; key: string; label: string }

/** 'YYYY-MM' of an instant in Shanghai. */
const monthKeyOf = (at: Date) => shanghaiDateString(at).slice(0, 7)

/** The Shanghai month or quarter containing `at`. */
export function periodContaining(period: DisclosurePeriod, at: Date): PeriodRange {
  const { year, month } = shanghaiParts(at)
  if (period === 'month') {
    const start = startOfShanghaiMonth(year, month)
    return { period, start, end: startOfShanghaiMonth(year, month + 1), key: monthKeyOf(start), label: `${year}年${month}月` }
  }
  const q = Math.floor((month - 1) / 3)
  return {
    period,
    start: startOfShanghaiMonth(year, q * 3 + 1),
    end: startOfShanghaiMonth(year, q * 3 + 4),
    key: `${year}-Q${q + 1}`,
    label: `${year}年第${q + 1}季度`,
  }
}

/** '2026-11' (month) or '2026-Q4' (quarter) → its range, or null when malformed. */
export function parsePeriodKey(key: string): PeriodRange | null {
  const month = parseShanghaiMonth(key.trim())
  if (month) return periodContaining('month', startOfShanghaiMonth(month.year, month.month))
  const quarter = /^(\d{4})-Q([1-4])$/i.exec(key.trim())
  if (quarter) return periodContaining('quarter', startOfShanghaiMonth(Number(quarter[1]), (Number(quarter[2]) - 1) * 3 + 1))
  return null
}

// ---- The summary ------------------------------------------------------------------------------

export type Totals = { moneyFen: number; goodsEntries: number; goodsValueFen: number; goodsQuantities: Record<string, number> }

export type DisclosureEntry = {
  receiptNo: string
  receivedAt: string
  kind: 'goods' | 'money'
  designation: 'wish' | 'need' | 'campaign' | 'general'
  category: string | null
  description: string
  quantity: number | null
  unit: string | null
  amountFen: number | null
  estimatedValueFen: number | null
  donorDisplay: string
  uses: string[]
  correctsReceipt: string | null
}

export type DisclosureCorrection = {
  receiptNo: string
  correctsReceipt: string
  reason: string
  receivedAt: string
  originalReceivedAt: string
  originalDisclosure: { id: number; label: string } | null
}

export type DisclosureAllocation = {
  id: number
  usedAt: string
  purpose: string
  amountFen: number | null
  items: string
  beneficiaryDescription: string
  sourceReceipts: string[]
}

export type DisclosureSummary = {
  version: 1
  institution: { slug: string; name: string }
  period: DisclosurePeriod
  periodKey: string
  label: string
  periodStart: string
  periodEnd: string
  totals: Totals
  byDesignation: Record<string, Totals>
  byCategory: Record<string, Totals>
  byMonth: Array<{ month: string; moneyFen: number; goodsValueFen: number }>
  entries: DisclosureEntry[]
  corrections: DisclosureCorrection[]
  allocations: DisclosureAllocation[]
  balance: {
    openingFen: number
    moneyReceivedFen: number
    moneyAllocatedFen: number
    closingFen: number
    previousDisclosure: { id: number; label: string } | null
  }
  generatedAt: string
}

const emptyTotals = (): Totals => ({ moneyFen: 0, goodsEntries: 0, goodsValueFen: 0, goodsQuantities: {} })

function addTo(
  totals: Totals,
  e: {
    kind: string
    amountFen: number | null
    estimatedValueFen: number | null
    quantity: number | null
    unit: string | null
    correctsId: number | null
  },
) {
  if (e.kind === 'money') {
    totals.moneyFen += e.amountFen ?? 0
    return
  }
  if (e.correctsId === null) totals.goodsEntries += 1
  totals.goodsValueFen += e.estimatedValueFen ?? 0
  if (e.quantity !== null) {
    const unit = e.unit || '件'
    totals.goodsQuantities[unit] = (totals.goodsQuantities[unit] ?? 0) + e.quantity
  }
}

/** The published disclosure of this home whose period contains `at` (the latest if several). */
function publishedCovering(tx: Tx | typeof db, institutionId: number, at: Date): { id: number; label: string } | null {
  return (
    tx
      .select({ id: disclosures.id, label: disclosures.label })
      .from(disclosures)
      .where(
        and(
          eq(disclosures.institutionId, institutionId),
          eq(disclosures.status, 'published'),
          lte(disclosures.periodStart, at),
          sql`${disclosures.periodEnd} > ${at.getTime()}`,
        ),
      )
      .orderBy(desc(disclosures.id))
      .get() ?? null
  )
}

export type DraftResult = { ok: true; range: PeriodRange; summary: DisclosureSummary } | { ok: false; message: string }

/** Compute a disclosure of this home for the period starting at (or containing) `periodStart`. */
export function draftDisclosure(institutionId: number, period: DisclosurePeriod, periodStart: Date, tx: Tx | typeof db = db): DraftResult {
  const range = periodContaining(period, periodStart)
  if (range.start > now()) return { ok: false, message: '不能为尚未开始的期间编制公示' }
  const home = tx
    .select({ slug: institutions.slug, name: institutions.name })
    .from(institutions)
    .where(eq(institutions.id, institutionId))
    .get()
  if (!home) return { ok: false, message: '找不到该机构' }

  const rows = tx
    .select({
      id: donations.id,
      receiptNo: donations.receiptNo,
      receivedAt: donations.receivedAt,
      kind: donations.kind,
      designation: donations.designation,
      designationRef: donations.designationRef,
      wishId: donations.wishId,
      description: donations.description,
      quantity: donations.quantity,
      unit: donations.unit,
      amountFen: donations.amountFen,
      estimatedValueFen: donations.estimatedValueFen,
      donorDisplay: donations.donorDisplay,
      correctsId: donations.correctsId,
      correctionReason: donations.correctionReason,
    })
    .from(donations)
    .where(and(eq(donations.institutionId, institutionId), gte(donations.receivedAt, range.start), lt(donations.receivedAt, range.end)))
    .orderBy(donations.id)
    .all()

  const wishIds = [...new Set(rows.map((r) => r.wishId).filter((id): id is number => id !== null))]
  const needIds = [
    ...new Set(rows.filter((r) => r.designation === 'need' && r.designationRef !== null).map((r) => r.designationRef as number)),
  ]
  const wishCategory = new Map(
    wishIds.length
      ? tx
          .select({ id: wishes.id, category: wishes.category })
          .from(wishes)
          .where(inArray(wishes.id, wishIds))
          .all()
          .map((w) => [w.id, w.category])
      : [],
  )
  const needCategory = new Map(
    needIds.length
      ? tx
          .select({ id: needs.id, category: needs.category })
          .from(needs)
          .where(inArray(needs.id, needIds))
          .all()
          .map((n) => [n.id, n.category])
      : [],
  )
  const originalIds = rows.map((r) => r.correctsId).filter((id): id is number => id !== null)
  const originals = new Map(
    originalIds.length
      ? tx
          .select({ id: donations.id, receiptNo: donations.receiptNo, receivedAt: donations.receivedAt })
          .from(donations)
          .where(inArray(donations.id, originalIds))
          .all()
          .map((o) => [o.id, o])
      : [],
  )
  const uses = usesOfDonations(
    rows.map((r) => r.id),
    tx,
  )

  const totals = emptyTotals()
  const byDesignation: Record<string, Totals> = {}
  const byCategory: Record<string, Totals> = {}
  const byMonth = new Map<string, { month: string; moneyFen: number; goodsValueFen: number }>()
  for (let m = range.start; m < range.end;) {
    const { year, month } = shanghaiParts(m)
    const key = monthKeyOf(m)
    byMonth.set(key, { month: key, moneyFen: 0, goodsValueFen: 0 })
    m = startOfShanghaiMonth(year, month + 1)
  }
  const entries: DisclosureEntry[] = []
  const corrections: DisclosureCorrection[] = []
  for (const r of rows) {
    const category =
      r.wishId !== null
        ? (wishCategory.get(r.wishId) ?? null)
        : r.designation === 'need' && r.designationRef !== null
          ? (needCategory.get(r.designationRef) ?? null)
          : null
    addTo(totals, r)
    addTo((byDesignation[r.designation] ??= emptyTotals()), r)
    addTo((byCategory[category ?? 'none'] ??= emptyTotals()), r)
    const bucket = byMonth.get(monthKeyOf(r.receivedAt))
    if (bucket) {
      if (r.kind === 'money') bucket.moneyFen += r.amountFen ?? 0
      else bucket.goodsValueFen += r.estimatedValueFen ?? 0
    }
    const original = r.correctsId !== null ? originals.get(r.correctsId) : undefined
    entries.push({
      receiptNo: r.receiptNo,
      receivedAt: r.receivedAt.toISOString(),
      kind: r.kind,
      designation: r.designation,
      category,
      description: r.description,
      quantity: r.quantity,
      unit: r.unit,
      amountFen: r.amountFen,
      estimatedValueFen: r.estimatedValueFen,
      donorDisplay: r.donorDisplay,
      uses: (uses.get(r.id) ?? []).map((u) => u.purpose),
      correctsReceipt: original?.receiptNo ?? null,
    })
    if (original) {
      corrections.push({
        receiptNo: r.receiptNo,
        correctsReceipt: original.receiptNo,
        reason: r.correctionReason ?? '',
        receivedAt: r.receivedAt.toISOString(),
        originalReceivedAt: original.receivedAt.toISOString(),
        originalDisclosure: publishedCovering(tx, institutionId, original.receivedAt),
      })
    }
  }

  const allocations: DisclosureAllocation[] = allocationsInPeriod(tx, institutionId, range.start, range.end).map((a) => ({
    id: a.id,
    usedAt: a.usedAt.toISOString(),
    purpose: a.purpose,
    amountFen: a.amountFen,
    items: a.items,
    beneficiaryDescription: a.beneficiaryDescription,
    sourceReceipts: a.sourceReceipts,
  }))
  // Only the previous period's closing balance, read inside SQLite: its summary can be megabytes.
  const previous = tx
    .select({
      id: disclosures.id,
      label: disclosures.label,
      closingFen: sql<number | null>`json_extract(${disclosures.summary}, '$.balance.closingFen')`,
    })
    .from(disclosures)
    .where(and(eq(disclosures.institutionId, institutionId), eq(disclosures.status, 'published'), lte(disclosures.periodEnd, range.start)))
    .orderBy(desc(disclosures.periodEnd), desc(disclosures.id))
    .get()
  const openingFen = previous?.closingFen ?? 0
  const moneyAllocatedFen = allocations.reduce((sum, a) => sum + (a.amountFen ?? 0), 0)

  return {
    ok: true,
    range,
    summary: {
      version: 1,
      institution: home,
      period,
      periodKey: range.key,
      label: range.label,
      periodStart: range.start.toISOString(),
      periodEnd: range.end.toISOString(),
      totals,
      byDesignation,
      byCategory,
      byMonth: [...byMonth.values()],
      entries,
      corrections,
      allocations,
      balance: {
        openingFen,
        moneyReceivedFen: totals.moneyFen,
        moneyAllocatedFen,
        closingFen: openingFen + totals.moneyFen - moneyAllocatedFen,
        previousDisclosure: previous ? { id: previous.id, label: previous.label } : null,
      },
      generatedAt: now().toISOString(),
    },
  }
}

// ---- Writing: drafts and publication -----------------------------------------------------------

export type SaveDraftResult = { ok: true; disclosureId: number } | { ok: false; message: string }

/** Create (or refresh) this home's draft row for a period, so a manager can review and publish it. */
export function saveDraftDisclosure(actor: Actor, institutionId: number, period: DisclosurePeriod, periodStart: Date): SaveDraftResult {
  return attemptAuditedWrite(actor, (tx) => {
    const draft = draftDisclosure(institutionId, period, periodStart, tx)
    if (!draft.ok) refuseWrite(draft)
    const { range, summary } = draft
    const existing = tx
      .select({ id: disclosures.id, status: disclosures.status })
      .from(disclosures)
      .where(and(eq(disclosures.institutionId, institutionId), eq(disclosures.period, period), eq(disclosures.periodStart, range.start)))
      .get()
    if (existing?.status === 'published') refuseWrite({ ok: false, message: `${range.label}的公示已发布，不能再修改` })
    let id: number
    if (existing) {
      tx.update(disclosures).set({ summary }).where(eq(disclosures.id, existing.id)).run()
      id = existing.id
    } else {
      id = tx
        .insert(disclosures)
        .values({ institutionId, period, periodStart: range.start, periodEnd: range.end, label: range.label, status: 'draft', summary })
        .returning({ id: disclosures.id })
        .get().id
    }
    return {
      result: { ok: true as const, disclosureId: id },
      audit: { institutionId, action: 'disclosure.draft', entityType: 'disclosure', entityId: id, summary: { period: range.key } },
    }
  })
}

export type PublishResult = { ok: true; disclosureId: number } | { ok: false; message: string }

/**
 * Why a summary cannot be published, or null. A negative closing balance means more money was
 * used than the home received and carried forward: the 用途 or the previous period need fixing.
 */
export function publishBlockedReason(summary: DisclosureSummary): string | null {
  const b = summary.balance
  if (b.closingFen >= 0) return null
  const previous = b.previousDisclosure ? '' : '（尚未发布上一期公示，上期结余按 ¥0 计）'
  return `结余为 ${formatFen(b.closingFen)}，不能发布：上期结余 ${formatFen(b.openingFen)}${previous}，加本期收到的善款 ${formatFen(b.moneyReceivedFen)}（含更正），减本期用途 ${formatFen(b.moneyAllocatedFen)}，结果为负。请核对用途和更正记录，或先发布上一期公示。`
}

/** A manager publishes a draft: the summary is recomputed now, frozen with the signed tree head. */
export function publishDisclosure(actor: Actor, institutionId: number, disclosureId: number): PublishResult {
  return attemptAuditedWrite(actor, (tx) => {
    const role = tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, actor.userId), eq(memberships.institutionId, institutionId)))
      .get()?.role
    if (role !== 'manager') refuseWrite({ ok: false, message: '只有机构管理员可以发布公示' })
    const row = tx
      .select()
      .from(disclosures)
      .where(and(eq(disclosures.id, disclosureId), eq(disclosures.institutionId, institutionId)))
      .get()
    if (!row) refuseWrite({ ok: false, message: '找不到该公示草稿' })
    if (row.status === 'published') refuseWrite({ ok: false, message: '该公示已发布并冻结，不能再次发布' })
    const draft = draftDisclosure(institutionId, row.period, row.periodStart, tx)
    if (!draft.ok) refuseWrite(draft)
    const blocked = publishBlockedReason(draft.summary)
    if (blocked) refuseWrite({ ok: false, message: blocked })
    const head = signedTreeHead(undefined, tx)
    const at = now()
    tx.update(disclosures)
      .set({
        status: 'published',
        summary: draft.summary,
        treeSize: head.size,
        rootHash: head.rootHash,
        signature: head.signature,
        publishedAt: at,
        publishedBy: actor.userId,
      })
      .where(and(eq(disclosures.id, row.id), eq(disclosures.status, 'draft')))
      .run()
    return {
      result: { ok: true as const, disclosureId: row.id },
      audit: {
        institutionId,
        action: 'disclosure.publish',
        entityType: 'disclosure',
        entityId: row.id,
        summary: { period: draft.range.key, treeSize: head.size, rootHash: head.rootHash },
      },
    }
  })
}

// ---- Reading ----------------------------------------------------------------------------------

const listColumns = {
  id: disclosures.id,
  period: disclosures.period,
  label: disclosures.label,
  periodStart: disclosures.periodStart,
  periodEnd: disclosures.periodEnd,
  publishedAt: disclosures.publishedAt,
  treeSize: disclosures.treeSize,
  rootHash: disclosures.rootHash,
  signature: disclosures.signature,
  summary: disclosures.summary,
  institutionSlug: institutions.slug,
  institutionName: institutions.name,
}

export type PublishedDisclosureListItem = Omit<
  Awaited<ReturnType<typeof publishedQuery>>[number],
  'moneyFen' | 'goodsValueFen' | 'entryCount'
> & { moneyFen: number; goodsValueFen: number; entryCount: number }

// The list shows each disclosure's figures from disclosure_totals (copied from the frozen summary
// by a trigger at publication), never the summaries themselves: a busy month's is megabytes.
function publishedQuery(conditions: ReturnType<typeof eq>[], limit: number) {
  const { summary: _summary, ...columns } = listColumns
  return db
    .select({
      ...columns,
      moneyFen: disclosureTotals.moneyFen,
      goodsValueFen: disclosureTotals.goodsValueFen,
      entryCount: disclosureTotals.entryCount,
    })
    .from(disclosures)
    .innerJoin(institutions, eq(institutions.id, disclosures.institutionId))
    .leftJoin(disclosureTotals, eq(disclosureTotals.disclosureId, disclosures.id))
    .where(and(eq(disclosures.status, 'published'), ...conditions))
    .orderBy(desc(disclosures.publishedAt), desc(disclosures.id))
    .limit(limit)
    .all()
}

/** Published disclosures of all homes (or one), newest first, keyset-paginated. */
export function listPublishedDisclosures(filters: { institutionSlug?: string | null; cursor?: string | null; limit?: number } = {}): {
  items: PublishedDisclosureListItem[]
  next: string | null
} {
  const limit = filters.limit ?? PAGE_SIZE
  const conditions: ReturnType<typeof eq>[] = []
  if (filters.institutionSlug) conditions.push(eq(institutions.slug, filters.institutionSlug))
  const cursor = decodeCursor(filters.cursor)
  if (cursor) {
    const after = or(
      lt(disclosures.publishedAt, new Date(cursor.k)),
      and(eq(disclosures.publishedAt, new Date(cursor.k)), lt(disclosures.id, cursor.id)),
    )
    if (after) conditions.push(after as ReturnType<typeof eq>)
  }
  const rows = publishedQuery(conditions, limit + 1)
  const page = pageOf(rows, limit, (r) => ({ k: r.publishedAt?.getTime() ?? 0, id: r.id }))
  return {
    items: page.items.map((r) => ({ ...r, moneyFen: r.moneyFen ?? 0, goodsValueFen: r.goodsValueFen ?? 0, entryCount: r.entryCount ?? 0 })),
    next: page.next,
  }
}

export type DisclosureDetail = {
  id: number
  institution: { slug: string; name: string }
  period: DisclosurePeriod
  label: string
  periodStart: Date
  periodEnd: Date
  publishedAt: Date | null
  treeSize: number | null
  rootHash: string | null
  signature: string | null
  summary: DisclosureSummary
  /** Later disclosures whose 更正说明 correct entries of this one. */
  correctedIn: Array<{ id: number; label: string; receipts: string[] }>
}

/** A published disclosure with its frozen summary, or null (drafts are not public). */
export function disclosureDetail(id: number): DisclosureDetail | null {
  if (!Number.isSafeInteger(id) || id < 1) return null
  const row = db
    .select({ ...listColumns, institutionId: disclosures.institutionId })
    .from(disclosures)
    .innerJoin(institutions, eq(institutions.id, disclosures.institutionId))
    .where(and(eq(disclosures.id, id), eq(disclosures.status, 'published')))
    .get()
  if (!row || !row.summary) return null
  const later = db
    .select({ id: disclosures.id, label: disclosures.label, summary: disclosures.summary })
    .from(disclosures)
    .where(and(eq(disclosures.institutionId, row.institutionId), eq(disclosures.status, 'published')))
    .orderBy(disclosures.id)
    .all()
  const correctedIn = later
    .map((d) => ({
      id: d.id,
      label: d.label,
      receipts: ((d.summary as DisclosureSummary | null)?.corrections ?? [])
        .filter((c) => c.originalDisclosure?.id === row.id)
        .map((c) => c.receiptNo),
    }))
    .filter((d) => d.id !== row.id && d.receipts.length)
  return {
    id: row.id,
    institution: { slug: row.institutionSlug, name: row.institutionName },
    period: row.period,
    label: row.label,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    publishedAt: row.publishedAt,
    treeSize: row.treeSize,
    rootHash: row.rootHash,
    signature: row.signature,
    summary: row.summary as DisclosureSummary,
    correctedIn,
  }
}

/** Every disclosure row of a home (drafts and published), newest period first — staff only. */
export function listDisclosuresOfHome(institutionId: number) {
  return db
    .select({
      id: disclosures.id,
      period: disclosures.period,
      label: disclosures.label,
      status: disclosures.status,
      periodStart: disclosures.periodStart,
      publishedAt: disclosures.publishedAt,
      treeSize: disclosures.treeSize,
    })
    .from(disclosures)
    .where(eq(disclosures.institutionId, institutionId))
    .orderBy(desc(disclosures.periodStart), desc(disclosures.id))
    .all()
}

export function draftRowOfHome(institutionId: number, disclosureId: number) {
  return db
    .select()
    .from(disclosures)
    .where(and(eq(disclosures.id, disclosureId), eq(disclosures.institutionId, institutionId)))
    .get()
}

// ---- Downloads --------------------------------------------------------------------------------

export const EXPORT_HEADERS = ['收据编号', '日期', '类别', '内容', '数量', '单位', '金额(元)', '捐赠人', '用途'] as const

const kindText = { goods: '物资', money: '善款' } as const

/** Yuan with two decimals for the 金额(元) columns; '' when there is no amount. */
const yuanCell = (fen: number | null) => (fen === null ? '' : fenToYuan(fen, { fixed: true }))

/** One row per itemised entry, in EXPORT_HEADERS order. Money rows show the amount, goods their estimated value. */
export function exportRows(summary: DisclosureSummary): string[][] {
  return summary.entries.map((e) => [
    e.receiptNo,
    shanghaiDateString(e.receivedAt),
    e.category ? `${kindText[e.kind]}·${categoryLabels[e.category as keyof typeof categoryLabels] ?? e.category}` : kindText[e.kind],
    e.correctsReceipt ? `${e.description}（更正 ${e.correctsReceipt}）` : e.description,
    e.quantity === null ? '' : String(e.quantity),
    e.unit ?? '',
    yuanCell(e.kind === 'money' ? e.amountFen : e.estimatedValueFen),
    e.donorDisplay,
    e.uses.join('；'),
  ])
}

/** UTF-8 CSV with a BOM so Excel shows the Chinese correctly. */
export function disclosureCsv(detail: { summary: DisclosureSummary }): string {
  return toCsv(EXPORT_HEADERS, exportRows(detail.summary))
}

export async function disclosureXlsx(detail: {
  label: string
  institution: { name: string }
  summary: DisclosureSummary
}): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  book.creator = '微暖'
  const sheet = book.addWorksheet('捐赠明细')
  sheet.addRow([...EXPORT_HEADERS])
  sheet.getRow(1).font = { bold: true }
  for (const row of exportRows(detail.summary)) {
    const cells: Array<string | number> = row.map(spreadsheetText)
    cells[4] = row[4] ? Number(row[4]) : ''
    cells[6] = row[6] ? Number(row[6]) : ''
    sheet.addRow(cells)
  }
  sheet.columns.forEach((c, i) => {
    c.width = [16, 12, 14, 32, 8, 6, 12, 12, 30][i] ?? 12
  })
  const uses = book.addWorksheet('用途')
  uses.addRow(['日期', '用途', '金额(元)', '物品', '受益对象', '来源收据'])
  uses.getRow(1).font = { bold: true }
  for (const a of detail.summary.allocations) {
    uses.addRow([
      shanghaiDateString(a.usedAt),
      spreadsheetText(a.purpose),
      a.amountFen === null ? '' : Number(yuanCell(a.amountFen)),
      spreadsheetText(a.items),
      spreadsheetText(a.beneficiaryDescription),
      a.sourceReceipts.join('、'),
    ])
  }
  return Buffer.from(await book.xlsx.writeBuffer())
}

// ---- Reminder job -----------------------------------------------------------------------------

/** Is the quarter covered by a published quarterly disclosure, or by three published monthly ones? */
function quarterCovered(institutionId: number, quarter: PeriodRange): boolean {
  const rows = db
    .select({ period: disclosures.period, periodStart: disclosures.periodStart })
    .from(disclosures)
    .where(
      and(
        eq(disclosures.institutionId, institutionId),
        eq(disclosures.status, 'published'),
        gte(disclosures.periodStart, quarter.start),
        lt(disclosures.periodStart, quarter.end),
      ),
    )
    .all()
  if (rows.some((r) => r.period === 'quarter')) return true
  return new Set(rows.filter((r) => r.period === 'month').map((r) => r.periodStart.getTime())).size >= 3
}

/**
 * When a quarter ended more than 15 days ago without a disclosure covering it, tell the home's
 * managers once (dedupe key per home, quarter and manager). Homes with no entries before the
 * quarter's end have nothing to disclose and are left alone.
 */
export function remindMissingDisclosures(): { sent: number } {
  const at = now()
  const lastEnded = periodContaining('quarter', new Date(periodContaining('quarter', at).start.getTime() - 1))
  const quarter =
    lastEnded.end.getTime() + REMINDER_GRACE_MS <= at.getTime()
      ? lastEnded
      : periodContaining('quarter', new Date(lastEnded.start.getTime() - 1))
  // EXISTS stops at each home's first entry; a join would read the whole log every run (issue 12).
  const homes = db
    .select({ id: institutions.id, name: institutions.name, slug: institutions.slug })
    .from(institutions)
    .where(
      exists(
        db
          .select({ one: sql`1` })
          .from(donations)
          .where(and(eq(donations.institutionId, institutions.id), lt(donations.receivedAt, quarter.end))),
      ),
    )
    .orderBy(institutions.id)
    .all()
  let sent = 0
  for (const home of homes) {
    if (quarterCovered(home.id, quarter)) continue
    const managers = db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.institutionId, home.id), eq(memberships.role, 'manager')))
      .all()
    for (const m of managers) {
      const key = `disclosure.missing:${home.id}:${quarter.key}:${m.userId}`
      writeTransaction((tx) => {
        if (tx.select({ id: notifications.id }).from(notifications).where(eq(notifications.dedupeKey, key)).get()) return
        enqueueNotification(tx, {
          userId: m.userId,
          template: 'disclosure.missing',
          subject: `请发布${quarter.label}的捐赠公示`,
          body: `${home.name}尚未发布${quarter.label}的捐赠公示。请登录微暖机构后台“公示”页，核对草稿后发布：/staff/${home.slug}/disclosures`,
          dedupeKey: key,
        })
        sent++
      })
    }
  }
  return { sent }
}
