import ExcelJS from 'exceljs'
import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, test } from 'vitest'
import { db, sqlite } from '~db/client.server'
import { allocations, disclosures, needs, notifications } from '~db/schema'
import { listAllocations, recordAllocation, usesOfDonation } from '~/allocations/allocations.server'
import { correctEntry } from '~/needs/corrections.server'
import {
  disclosureDetail,
  draftDisclosure,
  publishDisclosure,
  remindMissingDisclosures,
  saveDraftDisclosure,
} from '~/disclosures/disclosures.server'
import { verifyTreeHeadSignature } from '~/ledger/tree.server'
import { recordWalkInGift } from '~/needs/walk-in.server'
import { loader as csvLoader } from '~/routes/disclosures.$id[.csv]'
import { loader as xlsxLoader } from '~/routes/disclosures.$id[.xlsx]'
import { loader as detailLoader } from '~/routes/disclosures.$id'
import { action as staffAction, loader as staffLoader } from '~/routes/staff.$slug.disclosures'
import { now, testClock } from '~/utils/clock.server'
import { replyErrors } from './conform-reply'
import { context, createPublishedWish, formRequest, getRequest, run, signedInCookie, unique } from './helpers'
import * as helpers from './helpers'

// 用途 and 公示: a home records how gifts were used (bound to its own receipts, append-only),
// and publishes periodic disclosures drafted from the log, frozen once published.

afterEach(() => testClock.reset())

async function home() {
  const { home: institution, manager, staff, managerActor, actor: staffActor } = await helpers.homeWithStaff({ manager: true })
  return { institution, manager, staff, managerActor, staffActor }
}

function money(actor: { userId: number; ip: string | null }, institutionId: number, fen: number, extra: { wishId?: number } = {}) {
  const r = recordWalkInGift(actor, institutionId, {
    kind: 'money',
    items: '现金捐款',
    amountFen: fen,
    channel: 'desk',
    donorName: '王小明',
    publicDisplay: 'masked',
    wishId: extra.wishId ?? null,
  })
  if (!r.ok) throw new Error(r.message)
  return r
}

function goods(
  actor: { userId: number; ip: string | null },
  institutionId: number,
  quantity: number,
  unit: string,
  valueFen: number,
  needId?: number,
) {
  const r = recordWalkInGift(actor, institutionId, {
    kind: 'goods',
    items: `物资 ${quantity} ${unit}`,
    quantity,
    unit,
    estimatedValueFen: valueFen,
    channel: 'desk',
    donorName: '李四',
    publicDisplay: 'anonymous',
    needId: needId ?? null,
  })
  if (!r.ok) throw new Error(r.message)
  return r
}

const allocation = (receipts: string[], extra: Partial<Parameters<typeof recordAllocation>[2]> = {}) => ({
  usedAt: now(),
  purpose: '购买冬季棉衣 12 件',
  amountFen: 30000,
  beneficiaryDescription: '本院 12 名学龄儿童',
  sourceReceipts: receipts,
  ...extra,
})

describe('用途 (allocations)', () => {
  test('staff record a use drawing on this home’s receipts; the public entry shows "已使用"', async () => {
    const { institution, staffActor } = await home()
    const gift = money(staffActor, institution.id, 50000)
    const result = recordAllocation(staffActor, institution.id, allocation([gift.receiptNo]))
    expect(result.ok).toBe(true)
    expect(usesOfDonation(gift.donationId).map((u) => u.purpose)).toEqual(['购买冬季棉衣 12 件'])
    expect(listAllocations(institution.id)[0]).toMatchObject({ purpose: '购买冬季棉衣 12 件', sourceReceipts: [gift.receiptNo] })
    const leaf = sqlite
      .prepare("SELECT leaf_index FROM ledger_leaves WHERE kind = 'allocation' AND ref_id = ?")
      .get(result.ok ? result.allocationId : 0)
    expect(leaf).toBeTruthy()
  })

  test('another home’s receipt, a correction, or phone-like digits are refused and nothing is written', async () => {
    const { institution, staffActor } = await home()
    const other = await home()
    const foreign = money(other.staffActor, other.institution.id, 1000)
    const ours = money(staffActor, institution.id, 2000)
    const before = db.select().from(allocations).all().length

    const foreignUse = recordAllocation(staffActor, institution.id, allocation([ours.receiptNo, foreign.receiptNo]))
    expect(foreignUse).toMatchObject({ ok: false, message: '来源捐赠必须是本机构的捐赠记录' })

    const corrected = correctEntry(staffActor, institution.id, ours.receiptNo, '金额登记错误')
    expect(corrected.ok).toBe(true)
    if (!corrected.ok) return
    expect(recordAllocation(staffActor, institution.id, allocation([corrected.receiptNo])).ok).toBe(false)
    expect(recordAllocation(staffActor, institution.id, allocation([ours.receiptNo])).ok).toBe(false)

    const fresh = money(staffActor, institution.id, 3000)
    const phone = recordAllocation(
      staffActor,
      institution.id,
      allocation([fresh.receiptNo], { beneficiaryDescription: '联系 138 1234 5678 的孩子' }),
    )
    expect(phone).toMatchObject({ ok: false, field: 'beneficiaryDescription' })
    const none = recordAllocation(staffActor, institution.id, allocation([]))
    expect(none).toMatchObject({ ok: false, field: 'sourceReceipts' })
    expect(db.select().from(allocations).all().length).toBe(before)
  })

  test('allocations are append-only: a raw UPDATE or DELETE is refused by the database', async () => {
    const { institution, staffActor } = await home()
    const gift = money(staffActor, institution.id, 50000)
    const result = recordAllocation(staffActor, institution.id, allocation([gift.receiptNo]))
    if (!result.ok) throw new Error(result.message)
    expect(() => sqlite.prepare('UPDATE allocations SET purpose = ? WHERE id = ?').run('改动', result.allocationId)).toThrow(/append-only/)
    expect(() => sqlite.prepare('DELETE FROM allocation_sources WHERE allocation_id = ?').run(result.allocationId)).toThrow(/append-only/)
  })
})

describe('公示 (disclosures)', () => {
  test('a draft’s totals equal the sum of the entries in the period, by designation and category', async () => {
    testClock.freeze('2026-05-10T04:00:00Z')
    const { institution, staffActor } = await home()
    const need = db
      .insert(needs)
      .values({ institutionId: institution.id, title: unique('面粉'), category: 'material', unit: '袋', quantityNeeded: 50 })
      .returning()
      .get()
    const wish = createPublishedWish(institution.id, { category: 'study' })
    money(staffActor, institution.id, 12345)
    money(staffActor, institution.id, 5000, { wishId: wish.id })
    goods(staffActor, institution.id, 4, '袋', 16000, need.id)
    goods(staffActor, institution.id, 3, '件', 9000)
    testClock.freeze('2026-06-02T04:00:00Z') // next month: not in May's disclosure
    money(staffActor, institution.id, 99900)

    const draft = draftDisclosure(institution.id, 'month', new Date('2026-05-01T00:00:00+08:00'))
    if (!draft.ok) throw new Error(draft.message)
    const s = draft.summary
    const sums = sqlite
      .prepare(
        `SELECT coalesce(sum(amount_fen), 0) AS money, coalesce(sum(estimated_value_fen), 0) AS value, count(*) AS n FROM donations
         WHERE institution_id = ? AND received_at >= ? AND received_at < ?`,
      )
      .get(institution.id, Date.parse('2026-04-30T16:00:00Z'), Date.parse('2026-05-31T16:00:00Z')) as {
      money: number
      value: number
      n: number
    }
    expect(s.label).toBe('2026年5月')
    expect(s.entries).toHaveLength(sums.n)
    expect(s.totals.moneyFen).toBe(sums.money)
    expect(s.totals.moneyFen).toBe(17345)
    expect(s.totals.goodsValueFen).toBe(sums.value)
    expect(s.totals.goodsQuantities).toEqual({ 袋: 4, 件: 3 })
    expect(s.byDesignation.general).toMatchObject({ moneyFen: 12345, goodsValueFen: 9000 })
    expect(s.byDesignation.wish).toMatchObject({ moneyFen: 5000 })
    expect(s.byDesignation.need).toMatchObject({ goodsValueFen: 16000, goodsQuantities: { 袋: 4 } })
    expect(s.byCategory.study).toMatchObject({ moneyFen: 5000 })
    expect(s.byCategory.material).toMatchObject({ goodsValueFen: 16000 })
    expect(s.byMonth).toEqual([{ month: '2026-05', moneyFen: 17345, goodsValueFen: 25000 }])
    // the public summary carries the donor's chosen display, never the private name
    expect(JSON.stringify(s)).not.toContain('王小明')
    expect(JSON.stringify(s)).toContain('王**')
  })

  test('a manager publishes: the row is frozen with a signed tree head, and cannot be changed or published again', async () => {
    testClock.freeze('2026-05-10T04:00:00Z')
    const { institution, staffActor, managerActor } = await home()
    money(staffActor, institution.id, 20000)
    const saved = saveDraftDisclosure(managerActor, institution.id, 'month', new Date('2026-05-01T00:00:00+08:00'))
    if (!saved.ok) throw new Error(saved.message)
    const published = publishDisclosure(managerActor, institution.id, saved.disclosureId)
    expect(published.ok).toBe(true)
    const row = db.select().from(disclosures).where(eq(disclosures.id, saved.disclosureId)).get()!
    expect(row.status).toBe('published')
    expect(row.treeSize).toBeGreaterThan(0)
    expect(verifyTreeHeadSignature({ size: row.treeSize!, rootHash: row.rootHash!, signature: row.signature! })).toBe(true)

    expect(() => sqlite.prepare("UPDATE disclosures SET label = 'x' WHERE id = ?").run(row.id)).toThrow(/frozen/)
    expect(() => sqlite.prepare('DELETE FROM disclosures WHERE id = ?').run(row.id)).toThrow(/frozen/)
    expect(publishDisclosure(managerActor, institution.id, row.id)).toMatchObject({
      ok: false,
      message: '该公示已发布并冻结，不能再次发布',
    })
    expect(saveDraftDisclosure(managerActor, institution.id, 'month', new Date('2026-05-15T00:00:00+08:00'))).toMatchObject({ ok: false })

    // a gift recorded later in the same month does not change what was published
    money(staffActor, institution.id, 100)
    expect(disclosureDetail(row.id)!.summary.totals.moneyFen).toBe(20000)
    const page = await run(() =>
      detailLoader({ request: getRequest(`/disclosures/${row.id}`), params: { id: String(row.id) }, context: context() }),
    )
    expect(page.status).toBe(200)
  })

  test('a correction after publication appears in the next disclosure as 更正说明 linked to the original', async () => {
    testClock.freeze('2026-05-10T04:00:00Z')
    const { institution, staffActor, managerActor } = await home()
    const gift = money(staffActor, institution.id, 8000)
    const may = saveDraftDisclosure(managerActor, institution.id, 'month', new Date('2026-05-01T00:00:00+08:00'))
    if (!may.ok) throw new Error(may.message)
    expect(publishDisclosure(managerActor, institution.id, may.disclosureId).ok).toBe(true)

    testClock.freeze('2026-06-03T04:00:00Z')
    const fix = correctEntry(staffActor, institution.id, gift.receiptNo, '重复登记，冲正')
    if (!fix.ok) throw new Error(fix.message)
    const june = saveDraftDisclosure(managerActor, institution.id, 'month', new Date('2026-06-01T00:00:00+08:00'))
    if (!june.ok) throw new Error(june.message)
    expect(publishDisclosure(managerActor, institution.id, june.disclosureId).ok).toBe(true)

    const juneDetail = disclosureDetail(june.disclosureId)!
    expect(juneDetail.summary.corrections).toEqual([
      expect.objectContaining({
        receiptNo: fix.receiptNo,
        correctsReceipt: gift.receiptNo,
        reason: '重复登记，冲正',
        originalDisclosure: { id: may.disclosureId, label: '2026年5月' },
      }),
    ])
    expect(juneDetail.summary.totals.moneyFen).toBe(-8000)
    const mayDetail = disclosureDetail(may.disclosureId)!
    expect(mayDetail.summary.totals.moneyFen).toBe(8000)
    expect(mayDetail.correctedIn).toEqual([{ id: june.disclosureId, label: '2026年6月', receipts: [fix.receiptNo] }])
  })

  test('the money balance is carried forward: previous closing + received − allocated', async () => {
    testClock.freeze('2026-05-10T04:00:00Z')
    const { institution, staffActor, managerActor } = await home()
    const first = money(staffActor, institution.id, 100000)
    testClock.freeze('2026-05-20T04:00:00Z') // a use is never dated in the future
    const used = recordAllocation(
      staffActor,
      institution.id,
      allocation([first.receiptNo], { usedAt: new Date('2026-05-20T04:00:00Z'), amountFen: 30000 }),
    )
    expect(used.ok).toBe(true)
    testClock.freeze('2026-05-31T04:00:00Z')
    const may = saveDraftDisclosure(managerActor, institution.id, 'month', new Date('2026-05-01T00:00:00+08:00'))
    if (!may.ok) throw new Error(may.message)
    publishDisclosure(managerActor, institution.id, may.disclosureId)
    expect(disclosureDetail(may.disclosureId)!.summary.balance).toMatchObject({
      openingFen: 0,
      moneyReceivedFen: 100000,
      moneyAllocatedFen: 30000,
      closingFen: 70000,
    })

    testClock.freeze('2026-06-10T04:00:00Z')
    money(staffActor, institution.id, 5000)
    testClock.freeze('2026-06-11T04:00:00Z')
    recordAllocation(
      staffActor,
      institution.id,
      allocation([first.receiptNo], { usedAt: new Date('2026-06-11T04:00:00Z'), amountFen: 20000, purpose: '支付康复课程费用' }),
    )
    const june = draftDisclosure(institution.id, 'month', new Date('2026-06-01T00:00:00+08:00'))
    if (!june.ok) throw new Error(june.message)
    expect(june.summary.balance).toMatchObject({
      openingFen: 70000,
      moneyReceivedFen: 5000,
      moneyAllocatedFen: 20000,
      closingFen: 55000,
      previousDisclosure: { id: may.disclosureId, label: '2026年5月' },
    })
    expect(june.summary.allocations.map((a) => a.purpose)).toEqual(['支付康复课程费用'])
  })

  test('CSV and XLSX downloads read back with the itemised rows and Chinese headers', async () => {
    testClock.freeze('2026-05-10T04:00:00Z')
    const { institution, staffActor, managerActor } = await home()
    const cash = money(staffActor, institution.id, 1250)
    const rice = goods(staffActor, institution.id, 10, '袋', 50000)
    recordAllocation(
      staffActor,
      institution.id,
      allocation([rice.receiptNo], { amountFen: null, items: '大米 10 袋', purpose: '食堂午餐用米' }),
    )
    const saved = saveDraftDisclosure(managerActor, institution.id, 'month', new Date('2026-05-01T00:00:00+08:00'))
    if (!saved.ok) throw new Error(saved.message)
    publishDisclosure(managerActor, institution.id, saved.disclosureId)
    const params = { id: String(saved.disclosureId) }

    const csv = await csvLoader({ request: getRequest(`/disclosures/${saved.disclosureId}.csv`), params, context: context() })
    expect(csv.headers.get('Content-Disposition')).toContain('attachment')
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]) // UTF-8 BOM so Excel reads Chinese
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    expect(text.charCodeAt(0)).toBe(0xfeff)
    const rows = text
      .slice(1)
      .trim()
      .split('\r\n')
      .map((line) => line.split(','))
    expect(rows[0]).toEqual(['收据编号', '日期', '类别', '内容', '数量', '单位', '金额(元)', '捐赠人', '用途'])
    expect(rows.slice(1)).toEqual([
      [cash.receiptNo, '2026-05-10', '善款', '现金捐款', '', '', '12.50', '王**', ''],
      [rice.receiptNo, '2026-05-10', '物资', '物资 10 袋', '10', '袋', '500.00', '爱心人士', '食堂午餐用米'],
    ])

    const xlsx = await xlsxLoader({ request: getRequest(`/disclosures/${saved.disclosureId}.xlsx`), params, context: context() })
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await xlsx.arrayBuffer())
    const sheet = book.getWorksheet('捐赠明细')!
    expect(sheet.rowCount).toBe(3)
    expect(sheet.getRow(1).getCell(7).value).toBe('金额(元)')
    expect(sheet.getRow(2).getCell(1).value).toBe(cash.receiptNo)
    expect(sheet.getRow(2).getCell(7).value).toBe(12.5)
    expect(sheet.getRow(3).getCell(9).value).toBe('食堂午餐用米')
  })

  test('staff of another home get 404; a non-manager cannot publish', async () => {
    testClock.freeze('2026-05-10T04:00:00Z')
    const { institution, staff, staffActor } = await home()
    const other = await home()
    money(staffActor, institution.id, 1000)
    const outsider = await run(() =>
      staffLoader({
        request: getRequest(`/staff/${institution.slug}/disclosures`, signedInCookie(other.staff.id)),
        params: { slug: institution.slug },
        context: context(),
      }),
    )
    expect(outsider.status).toBe(404)

    const cookie = signedInCookie(staff.id)
    const drafted = await run(() =>
      staffAction({
        request: formRequest(`/staff/${institution.slug}/disclosures`, { intent: 'draft', period: '2026-05' }, { cookie }),
        params: { slug: institution.slug },
        context: context(),
      }),
    )
    expect(drafted.status).toBe(302)
    const row = db.select().from(disclosures).where(eq(disclosures.institutionId, institution.id)).get()!
    const refused = await run(() =>
      staffAction({
        request: formRequest(
          `/staff/${institution.slug}/disclosures`,
          { intent: 'publish', disclosureId: String(row.id), confirm: 'yes' },
          { cookie },
        ),
        params: { slug: institution.slug },
        context: context(),
      }),
    )
    expect(refused.status).toBe(409)
    expect(replyErrors(refused.body)['']).toEqual(['只有机构管理员可以发布公示'])
    expect(db.select().from(disclosures).where(eq(disclosures.id, row.id)).get()!.status).toBe('draft')
    expect(publishDisclosure(staffActor, institution.id, row.id).ok).toBe(false)
    // a manager of another home cannot publish this home's draft either
    expect(publishDisclosure({ userId: other.manager.id, ip: null }, institution.id, row.id).ok).toBe(false)
  })

  test('when a quarter ended over 15 days ago without a disclosure, the managers are reminded once', async () => {
    testClock.freeze('2026-02-10T04:00:00Z')
    const { institution, manager, staffActor } = await home()
    money(staffActor, institution.id, 1000)
    testClock.freeze('2026-04-10T04:00:00Z') // Q1 ended 10 days ago: not yet
    remindMissingDisclosures()
    const mine = () =>
      db
        .select()
        .from(notifications)
        .where(eq(notifications.userId, manager.id))
        .all()
        .filter((n) => n.template === 'disclosure.missing')
    expect(mine()).toHaveLength(0)
    testClock.freeze('2026-04-17T04:00:00Z')
    remindMissingDisclosures()
    remindMissingDisclosures()
    expect(mine()).toHaveLength(1)
    expect(mine()[0]!.subject).toContain('2026年第1季度')
  })
})
