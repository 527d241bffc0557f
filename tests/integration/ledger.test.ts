import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db, sqlite, writeTransaction } from '~db/client.server'
import { children, donations, users, wishes } from '~db/schema'
import { getPublicEntry, listPublicLedger, recordCorrection, recordDonation, type NewDonation } from '~/donations/ledger.server'
import { loader as ledgerLoader } from '~/routes/ledger._index'
import { loader as entryLoader } from '~/routes/ledger.$receipt'
import { testClock } from '~/utils/clock.server'
import { context, createTestInstitution, createUser, getRequest, run, unique } from './helpers'

const RECEIPT = /^WN-\d{4}-\d{6}$/

function gift(institutionId: number, overrides: Partial<NewDonation> = {}) {
  return writeTransaction((tx) =>
    recordDonation(tx, {
      institutionId,
      kind: 'goods',
      description: '课外书籍 ×3',
      quantity: 3,
      unit: '本',
      estimatedValueFen: 9000,
      donor: { displayName: '王爱心', choice: 'masked', userId: null },
      designation: 'general',
      channel: 'desk',
      receivedAt: new Date('2026-06-01T02:00:00Z'),
      recordedBy: null,
      ...overrides,
    }),
  )
}

async function wishOf(institutionId: number, realName: string) {
  const child = db
    .insert(children)
    .values({
      institutionId,
      realName,
      birthDate: '2017-03-09',
      gender: 'female',
      pseudonym: '小凤',
      privateNotes: `${realName}的私密备注`,
    })
    .returning()
    .get()
  return db
    .insert(wishes)
    .values({ institutionId, childId: child.id, category: 'study', title: '一套《十万个为什么》', status: 'received' })
    .returning()
    .get()
}

describe('receipt numbers', () => {
  test('every recorded gift gets a unique receipt number WN-<year>-<6 digits>', () => {
    const home = createTestInstitution()
    const entries = [gift(home.id), gift(home.id), gift(home.id)]
    for (const e of entries) {
      expect(e.receiptNo).toMatch(RECEIPT)
      expect(e.receiptNo).toBe(`WN-2026-${String(e.id).padStart(6, '0')}`)
    }
    expect(new Set(entries.map((e) => e.receiptNo)).size).toBe(3)
    expect(entries[1]!.id).toBe(entries[0]!.id + 1)
    expect(entries[2]!.id).toBe(entries[1]!.id + 1)
  })

  test('the year is the year of receipt in Shanghai, not in UTC', () => {
    const home = createTestInstitution()
    // 2026-12-31 16:30 UTC is already 2027-01-01 00:30 in Shanghai.
    const entry = gift(home.id, { receivedAt: new Date('2026-12-31T16:30:00Z') })
    expect(entry.receiptNo).toMatch(/^WN-2027-\d{6}$/)
  })
})

describe('the log is append-only', () => {
  test('an entry cannot be changed or deleted, even with raw SQL', () => {
    const home = createTestInstitution()
    const entry = gift(home.id)
    expect(() => sqlite.prepare("UPDATE donations SET donor_display = '伪造' WHERE id = ?").run(entry.id)).toThrow(/append-only/)
    expect(() => sqlite.prepare('DELETE FROM donations WHERE id = ?').run(entry.id)).toThrow(/append-only/)
    const after = db.select().from(donations).where(eq(donations.id, entry.id)).get()
    expect(after?.donorDisplay).toBe('王**')
  })

  test('a mistake is corrected by a new reversing entry that points at the original', async () => {
    testClock.freeze('2026-06-10T04:00:00Z')
    const home = createTestInstitution()
    const staff = await createUser({ displayName: '社工' })
    const original = gift(home.id, { amountFen: null })
    const outcome = writeTransaction((tx) =>
      recordCorrection(tx, { originalReceipt: original.receiptNo.toLowerCase(), reason: '数量登记错误，实为 2 本', recordedBy: staff.id }),
    )
    if (!outcome.ok) throw new Error(outcome.message)
    expect(outcome.entry).toMatchObject({
      correctsId: original.id,
      correctionReason: '数量登记错误，实为 2 本',
      quantity: -3,
      estimatedValueFen: -9000,
      institutionId: home.id,
      donorDisplay: original.donorDisplay,
      recordedBy: staff.id,
    })
    expect(outcome.entry.receiptNo).toMatch(RECEIPT)
    expect(outcome.entry.receivedAt.toISOString()).toBe('2026-06-10T04:00:00.000Z')

    expect(getPublicEntry(outcome.entry.receiptNo)).toMatchObject({
      correctsReceipt: original.receiptNo,
      correctionReason: '数量登记错误，实为 2 本',
    })
    expect(getPublicEntry(original.receiptNo)?.correctedBy).toEqual([
      { receiptNo: outcome.entry.receiptNo, reason: '数量登记错误，实为 2 本' },
    ])

    const again = writeTransaction((tx) =>
      recordCorrection(tx, { originalReceipt: original.receiptNo, reason: '再来一次', recordedBy: staff.id }),
    )
    expect(again).toEqual({ ok: false, message: `该记录已由 ${outcome.entry.receiptNo} 更正` })
    const ofCorrection = writeTransaction((tx) =>
      recordCorrection(tx, { originalReceipt: outcome.entry.receiptNo, reason: '撤销更正', recordedBy: staff.id }),
    )
    expect(ofCorrection.ok).toBe(false)
    const noReason = writeTransaction((tx) =>
      recordCorrection(tx, { originalReceipt: gift(home.id).receiptNo, reason: '  ', recordedBy: staff.id }),
    )
    expect(noReason).toEqual({ ok: false, message: '请填写更正说明' })
  })

  test('a money gift is reversed by a negative amount', () => {
    const home = createTestInstitution()
    const money = gift(home.id, {
      kind: 'money',
      description: '善款',
      quantity: null,
      unit: null,
      estimatedValueFen: null,
      amountFen: 50_000,
    })
    const outcome = writeTransaction((tx) =>
      recordCorrection(tx, { originalReceipt: money.receiptNo, reason: '重复登记', recordedBy: null }),
    )
    expect(outcome.ok && outcome.entry.amountFen).toBe(-50_000)
  })
})

describe('the public log shows the gift, never the private donor or child', () => {
  test('no donor user id, recorder, e-mail, phone or child real name appears in the list or entry page', async () => {
    const home = createTestInstitution()
    const staff = await createUser({ displayName: '记录员' })
    const email = `${unique('secret')}@private.example`
    const phone = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
    const donor = db.insert(users).values({ email, phone, displayName: '欧阳慈善', passwordHash: 'x' }).returning().get()
    const wish = await wishOf(home.id, '司马秘密真名')
    const entry = gift(home.id, {
      donor: { displayName: donor.displayName, choice: 'anonymous', userId: donor.id },
      designation: 'wish',
      wishId: wish.id,
      channel: 'wish_claim',
      recordedBy: staff.id,
    })

    const listed = listPublicLedger({ institutionSlug: home.slug })
    expect(listed.items).toHaveLength(1)
    expect(listed.items[0]).toMatchObject({
      receiptNo: entry.receiptNo,
      donorDisplay: '爱心人士',
      wishPseudonym: '小凤',
      wishTitle: '一套《十万个为什么》',
    })
    for (const row of [listed.items[0], getPublicEntry(entry.receiptNo)]) {
      expect(row).not.toHaveProperty('donorUserId')
      expect(row).not.toHaveProperty('recordedBy')
    }

    const page = await run(() => ledgerLoader({ request: getRequest(`/ledger?home=${home.slug}`), params: {}, context: context() }))
    const detail = await run(() =>
      entryLoader({ request: getRequest(`/ledger/${entry.receiptNo}`), params: { receipt: entry.receiptNo }, context: context() }),
    )
    for (const res of [page, detail]) {
      expect(res.status).toBe(200)
      const text = JSON.stringify(res.body)
      expect(text).toContain(entry.receiptNo)
      for (const secret of [
        email,
        phone,
        '欧阳慈善',
        '司马秘密真名',
        '2017-03-09',
        '私密备注',
        `"donorUserId"`,
        `"recordedBy"`,
        String(staff.displayName),
      ]) {
        expect(text).not.toContain(secret)
      }
    }
    expect(JSON.stringify(detail.body)).toContain('微心愿：小凤的心愿「一套《十万个为什么》」')
  })

  test('an unknown receipt number is a 404', async () => {
    const res = await run(() =>
      entryLoader({ request: getRequest('/ledger/WN-2026-999999'), params: { receipt: 'WN-2026-999999' }, context: context() }),
    )
    expect(res.status).toBe(404)
  })

  test("the donor's public name is frozen when the gift is recorded", async () => {
    const home = createTestInstitution()
    const donor = await createUser({ displayName: '张三' })
    const entry = gift(home.id, { donor: { displayName: donor.displayName, choice: 'name', userId: donor.id } })
    db.update(users).set({ displayName: '李四' }).where(eq(users.id, donor.id)).run()
    expect(getPublicEntry(entry.receiptNo)?.donorDisplay).toBe('张三')
    expect(listPublicLedger({ institutionSlug: home.slug }).items[0]?.donorDisplay).toBe('张三')
  })
})

describe('finding entries', () => {
  test('the log filters by home, by month in Shanghai time and by kind', async () => {
    const a = createTestInstitution('甲福利院')
    const b = createTestInstitution('乙福利院')
    const mayFirstEarly = gift(a.id, { description: '五月一日凌晨', receivedAt: new Date('2026-04-30T16:30:00Z') }) // 2026-05-01 00:30 Shanghai
    const mayMoney = gift(a.id, {
      kind: 'money',
      description: '五月善款',
      quantity: null,
      unit: null,
      amountFen: 20_000,
      receivedAt: new Date('2026-05-15T04:00:00Z'),
    })
    const juneFirstEarly = gift(a.id, { description: '六月一日凌晨', receivedAt: new Date('2026-05-31T16:30:00Z') }) // 2026-06-01 00:30 Shanghai
    const otherHome = gift(b.id, { description: '乙院五月', receivedAt: new Date('2026-05-10T04:00:00Z') })

    const receipts = (filters: Parameters<typeof listPublicLedger>[0]) => listPublicLedger(filters).items.map((e) => e.receiptNo)
    expect(receipts({ institutionSlug: a.slug })).toEqual([juneFirstEarly.receiptNo, mayMoney.receiptNo, mayFirstEarly.receiptNo])
    expect(receipts({ institutionSlug: a.slug, month: '2026-05' })).toEqual([mayMoney.receiptNo, mayFirstEarly.receiptNo])
    expect(receipts({ institutionSlug: a.slug, month: '2026-06' })).toEqual([juneFirstEarly.receiptNo])
    expect(receipts({ institutionSlug: a.slug, kind: 'money' })).toEqual([mayMoney.receiptNo])
    expect(receipts({ institutionSlug: b.slug, month: '2026-05' })).toEqual([otherHome.receiptNo])

    const res = await run(() =>
      ledgerLoader({ request: getRequest(`/ledger?home=${a.slug}&month=2026-05&kind=goods`), params: {}, context: context() }),
    )
    const body = res.body as { entries: Array<{ receiptNo: string; date: string }>; months: string[]; filters: { month: string } }
    expect(body.entries.map((e) => e.receiptNo)).toEqual([mayFirstEarly.receiptNo])
    expect(body.entries[0]!.date).toBe('2026/05/01')
    expect(body.months).toEqual(expect.arrayContaining(['2026-05', '2026-06']))
    expect(body.filters.month).toBe('2026-05')
  })

  test('a malformed month is reported next to the field and ignored', async () => {
    const res = await run(() => ledgerLoader({ request: getRequest('/ledger?month=2026-13'), params: {}, context: context() }))
    expect(res.status).toBe(200)
    expect((res.body as { monthError: string }).monthError).toBe('月份格式应为 2026-06')
  })

  test('paging is stable when new gifts arrive between pages', async () => {
    const home = createTestInstitution()
    const [e1, e2, e3, e4, e5] = Array.from({ length: 5 }, (_, i) => gift(home.id, { description: `第 ${i + 1} 件` }))
    const first = listPublicLedger({ institutionSlug: home.slug, limit: 2 })
    expect(first.items.map((e) => e.receiptNo)).toEqual([e5!.receiptNo, e4!.receiptNo])
    const newcomer = gift(home.id, { description: '翻页时新到的' })
    const second = listPublicLedger({ institutionSlug: home.slug, limit: 2, cursor: first.next })
    expect(second.items.map((e) => e.receiptNo)).toEqual([e3!.receiptNo, e2!.receiptNo])
    const third = listPublicLedger({ institutionSlug: home.slug, limit: 2, cursor: second.next })
    expect(third.items.map((e) => e.receiptNo)).toEqual([e1!.receiptNo])
    expect(third.next).toBeNull()
    expect(listPublicLedger({ institutionSlug: home.slug, limit: 2 }).items[0]?.receiptNo).toBe(newcomer.receiptNo)
  })
})
