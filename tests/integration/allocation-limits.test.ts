import { spawn } from 'node:child_process'
import readline from 'node:readline'
import { eq, sql } from 'drizzle-orm'
import { afterEach, describe, expect, test } from 'vitest'
import { db, writeTransaction } from '~db/client.server'
import { allocations, children, disclosures } from '~db/schema'
import { recordAllocation, sourceBalances } from '~/allocations/allocations.server'
import { correctEntry } from '~/needs/corrections.server'
import { recordCorrection } from '~/donations/ledger.server'
import { draftDisclosure, publishDisclosure, saveDraftDisclosure } from '~/disclosures/disclosures.server'
import { recordWalkInGift } from '~/needs/walk-in.server'
import { action as allocationsAction } from '~/routes/staff.$slug.allocations'
import { action as disclosuresAction, loader as disclosuresLoader } from '~/routes/staff.$slug.disclosures'
import { now, testClock } from '~/utils/clock.server'
import { replyErrors, replyValues } from './conform-reply'
import { context, formRequest, getRequest, run, signedInCookie } from './helpers'
import * as helpers from './helpers'

// Item 13 of issue 10: a 用途 never spends more than the unspent money of its sources (also
// when many are recorded at once), is dated between its sources and today, keeps children's
// identities out of its public text; a disclosure with a negative balance is not published.

afterEach(() => testClock.reset())

async function home() {
  const { home: institution, manager, staff, managerActor, actor: staffActor } = await helpers.homeWithStaff({ manager: true })
  return { institution, manager, staff, managerActor, staffActor }
}

function money(actor: { userId: number; ip: string | null }, institutionId: number, fen: number) {
  const r = recordWalkInGift(actor, institutionId, {
    kind: 'money',
    items: '现金捐款',
    amountFen: fen,
    channel: 'desk',
    donorName: '王先生',
    publicDisplay: 'masked',
  })
  if (!r.ok) throw new Error(r.message)
  return r
}

const use = (receipts: string[], extra: Partial<Parameters<typeof recordAllocation>[2]> = {}) => ({
  usedAt: now(),
  purpose: '购买冬季棉衣',
  amountFen: 50_000,
  beneficiaryDescription: '本院 12 名学龄儿童',
  sourceReceipts: receipts,
  ...extra,
})

const allocatedFrom = (institutionId: number) =>
  db
    .select({ total: sql<number>`coalesce(sum(${allocations.amountFen}), 0)` })
    .from(allocations)
    .where(eq(allocations.institutionId, institutionId))
    .get()!.total

describe('用途 never exceeds the unspent money of its sources', () => {
  test('¥500 against a ¥200 gift is refused, and a second use is refused once the gift is spent', async () => {
    const { institution, staffActor } = await home()
    const small = money(staffActor, institution.id, 20_000)
    expect(recordAllocation(staffActor, institution.id, use([small.receiptNo], { amountFen: 50_000 }))).toEqual({
      ok: false,
      field: 'amountFen',
      message: '金额超出所选来源尚未使用的善款（还剩 ¥200）',
    })

    const gift = money(staffActor, institution.id, 50_000)
    expect(recordAllocation(staffActor, institution.id, use([gift.receiptNo], { amountFen: 50_000 })).ok).toBe(true)
    expect(recordAllocation(staffActor, institution.id, use([gift.receiptNo], { amountFen: 50_000 }))).toEqual({
      ok: false,
      field: 'amountFen',
      message: '所选来源已没有尚未使用的善款，请选择其他来源捐赠',
    })
    expect(allocatedFrom(institution.id)).toBe(50_000)
  })

  test('several sources are drawn oldest first; corrections reduce what is left; uses without an amount are not bounded', async () => {
    const { institution, staffActor } = await home()
    const a = money(staffActor, institution.id, 10_000)
    const b = money(staffActor, institution.id, 30_000)
    expect(recordAllocation(staffActor, institution.id, use([a.receiptNo, b.receiptNo], { amountFen: 25_000 })).ok).toBe(true)
    const left = sourceBalances(db, [a.donationId, b.donationId])
    expect(left.get(a.donationId)!.availableFen).toBe(0)
    expect(left.get(b.donationId)!.availableFen).toBe(15_000)
    expect(recordAllocation(staffActor, institution.id, use([b.receiptNo], { amountFen: 15_001 }))).toMatchObject({
      ok: false,
      field: 'amountFen',
      message: '金额超出所选来源尚未使用的善款（还剩 ¥150）',
    })
    expect(recordAllocation(staffActor, institution.id, use([b.receiptNo], { amountFen: null, items: '棉衣 3 件' })).ok).toBe(true)

    // A partial correction (e.g. a partial refund) leaves the rest usable.
    const d = money(staffActor, institution.id, 50_000)
    const partial = writeTransaction((tx) =>
      recordCorrection(tx, { originalReceipt: d.receiptNo, reason: '部分退款 ¥300', recordedBy: null, amountFen: 30_000 }),
    )
    expect(partial.ok).toBe(true)
    expect(recordAllocation(staffActor, institution.id, use([d.receiptNo], { amountFen: 20_001 }))).toMatchObject({
      ok: false,
      field: 'amountFen',
      message: '金额超出所选来源尚未使用的善款（还剩 ¥200）',
    })
    expect(recordAllocation(staffActor, institution.id, use([d.receiptNo], { amountFen: 20_000 })).ok).toBe(true)

    const c = money(staffActor, institution.id, 8_000)
    expect(correctEntry(staffActor, institution.id, c.receiptNo, '重复登记，冲正').ok).toBe(true)
    expect(recordAllocation(staffActor, institution.id, use([c.receiptNo], { amountFen: 100 }))).toMatchObject({
      ok: false,
      field: 'sourceReceipts',
    })
  })

  test('the staff form asks for a source next to the source list and keeps what was typed', async () => {
    const { institution, staff } = await home()
    const cookie = signedInCookie(staff.id)
    const fields = { usedAt: '2026-05-01', purpose: '购买冬季棉衣', amount: '12.5', items: '', beneficiaryDescription: '' }
    const res = await run(() =>
      allocationsAction({
        request: formRequest(`/staff/${institution.slug}/allocations`, fields, { cookie }),
        params: { slug: institution.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(400)
    expect(replyErrors(res.body)).toMatchObject({
      source: ['请至少选择一笔来源捐赠'],
      beneficiaryDescription: ['请填写受益对象的匿名描述'],
    })
    expect(replyValues(res.body)).toMatchObject({ purpose: '购买冬季棉衣', amount: '12.5' })
    expect(db.select().from(allocations).where(eq(allocations.institutionId, institution.id)).all()).toHaveLength(0)
  })

  test('the staff form shows the refusal next to the amount field and each source’s unspent money', async () => {
    const { institution, staff, staffActor } = await home()
    const gift = money(staffActor, institution.id, 20_000)
    const cookie = signedInCookie(staff.id)
    const fields = {
      usedAt: '',
      purpose: '购买冬季棉衣',
      amount: '500',
      items: '',
      beneficiaryDescription: '本院学龄儿童',
      source: gift.receiptNo,
    }
    fields.usedAt = new Date(now().getTime() + 8 * 3600_000).toISOString().slice(0, 10)
    const res = await run(() =>
      allocationsAction({
        request: formRequest(`/staff/${institution.slug}/allocations`, fields, { cookie }),
        params: { slug: institution.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(409)
    expect(replyErrors(res.body)).toEqual({ amount: ['金额超出所选来源尚未使用的善款（还剩 ¥200）'] })
    expect(replyValues(res.body)).toMatchObject({ purpose: '购买冬季棉衣', amount: '500', source: gift.receiptNo })
  })

  test('many allocations at once from separate processes never spend more than the source', async () => {
    const { institution, staff, staffActor } = await home()
    const gift = money(staffActor, institution.id, 25_000) // room for two ¥100 uses, not three
    const usedAt = now().toISOString()
    const workers = Array.from({ length: 5 }, () =>
      spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'tests/integration/workers/record-allocation.ts',
          String(staff.id),
          String(institution.id),
          gift.receiptNo,
          '10000',
          usedAt,
        ],
        {
          env: process.env,
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      ),
    )
    const lines = workers.map((w) => {
      const rl = readline.createInterface({ input: w.stdout! })
      const queue: string[] = []
      const waiting: Array<(line: string) => void> = []
      rl.on('line', (line) => (waiting.length ? waiting.shift()!(line) : queue.push(line)))
      return () => new Promise<string>((resolve) => (queue.length ? resolve(queue.shift()!) : waiting.push(resolve)))
    })
    try {
      expect(await Promise.all(lines.map((next) => next()))).toEqual(Array(5).fill('ready'))
      for (const w of workers) w.stdin!.write('go\n') // all at once
      const results = (await Promise.all(lines.map((next) => next()))).map((l) => JSON.parse(l) as { ok: boolean; message?: string })
      expect(results.filter((r) => r.ok)).toHaveLength(2)
      for (const refused of results.filter((r) => !r.ok))
        expect(refused.message).toMatch(/^(所选来源已没有尚未使用的善款|金额超出所选来源尚未使用的善款)/)
      expect(allocatedFrom(institution.id)).toBe(20_000)
    } finally {
      for (const w of workers) w.kill()
    }
  }, 120_000)
})

describe('用途 dates', () => {
  test('a date in the future or before its source’s date is refused; the source’s own day is fine', async () => {
    testClock.freeze('2026-05-10T04:00:00Z') // 12:00 in Shanghai
    const { institution, staffActor } = await home()
    const gift = money(staffActor, institution.id, 50_000)
    expect(recordAllocation(staffActor, institution.id, use([gift.receiptNo], { usedAt: new Date('2030-01-01T04:00:00Z') }))).toEqual({
      ok: false,
      field: 'usedAt',
      message: '使用日期不能晚于今天',
    })
    expect(
      recordAllocation(staffActor, institution.id, use([gift.receiptNo], { usedAt: new Date('2026-05-11T01:00:00+08:00') })),
    ).toMatchObject({ ok: false, field: 'usedAt' })
    const early = recordAllocation(staffActor, institution.id, use([gift.receiptNo], { usedAt: new Date('2026-05-09T12:00:00+08:00') }))
    expect(early).toMatchObject({ ok: false, field: 'usedAt' })
    expect(!early.ok && early.message).toContain(`使用日期不能早于来源捐赠的日期（${gift.receiptNo} 收到于`)
    // The route stores noon of the chosen day: later than now today, still the same day.
    expect(recordAllocation(staffActor, institution.id, use([gift.receiptNo], { usedAt: new Date('2026-05-10T23:00:00+08:00') })).ok).toBe(
      true,
    )
  })
})

describe('用途 text goes through the public-text privacy check', () => {
  test('"张小明等 3 名儿童" is refused when 张小明 is a child of the home; phone, ID and school too', async () => {
    const { institution, staffActor } = await home()
    db.insert(children)
      .values({ institutionId: institution.id, realName: '张小明', birthDate: '2016-03-01', gender: 'male', pseudonym: '小树' })
      .run()
    const gift = money(staffActor, institution.id, 50_000)
    const before = allocatedFrom(institution.id)
    const named = recordAllocation(
      staffActor,
      institution.id,
      use([gift.receiptNo], { amountFen: 100, beneficiaryDescription: '张小明等 3 名儿童' }),
    )
    expect(named).toMatchObject({ ok: false, field: 'beneficiaryDescription' })
    expect(!named.ok && named.message).toContain('出现了儿童的真实姓名「张小明」')
    expect(
      recordAllocation(staffActor, institution.id, use([gift.receiptNo], { amountFen: 100, purpose: '给 张 小明 买书包' })),
    ).toMatchObject({ ok: false, field: 'purpose' })
    expect(
      recordAllocation(staffActor, institution.id, use([gift.receiptNo], { amountFen: 100, purpose: '联系家长 139-1234-5678' })),
    ).toMatchObject({ ok: false, field: 'purpose', message: expect.stringContaining('疑似手机号码「13912345678」') })
    expect(
      recordAllocation(staffActor, institution.id, use([gift.receiptNo], { amountFen: 100, items: '证件 11010520150301123X' })),
    ).toMatchObject({ ok: false, field: 'items', message: expect.stringContaining('疑似身份证号码') })
    expect(
      recordAllocation(
        staffActor,
        institution.id,
        use([gift.receiptNo], { amountFen: 100, beneficiaryDescription: '就读于育才小学的 2 名儿童' }),
      ),
    ).toMatchObject({ ok: false, field: 'beneficiaryDescription', message: expect.stringContaining('疑似学校名称「育才小学」') })
    expect(allocatedFrom(institution.id)).toBe(before)
    // Ordinary anonymous text, and generic words like 学校用品, pass.
    expect(
      recordAllocation(
        staffActor,
        institution.id,
        use([gift.receiptNo], { amountFen: 100, purpose: '购买学校用品', beneficiaryDescription: '本院 3 名学龄儿童' }),
      ).ok,
    ).toBe(true)
  })
})

describe('a disclosure with a negative balance', () => {
  test('cannot be published: the service refuses and the staff page says why', async () => {
    testClock.freeze('2026-05-10T04:00:00Z')
    const { institution, manager, managerActor, staffActor } = await home()
    const gift = money(staffActor, institution.id, 20_000)
    expect(recordAllocation(staffActor, institution.id, use([gift.receiptNo], { amountFen: 20_000 })).ok).toBe(true)
    const may = saveDraftDisclosure(managerActor, institution.id, 'month', new Date('2026-05-01T00:00:00+08:00'))
    if (!may.ok) throw new Error(may.message)
    expect(publishDisclosure(managerActor, institution.id, may.disclosureId).ok).toBe(true)

    // In June the gift is reversed after it was spent: June closes at −¥200.
    testClock.freeze('2026-06-05T04:00:00Z')
    expect(correctEntry(staffActor, institution.id, gift.receiptNo, '捐赠人撤回，退回现金').ok).toBe(true)
    const june = saveDraftDisclosure(managerActor, institution.id, 'month', new Date('2026-06-01T00:00:00+08:00'))
    if (!june.ok) throw new Error(june.message)
    const draft = draftDisclosure(institution.id, 'month', new Date('2026-06-01T00:00:00+08:00'))
    expect(draft.ok && draft.summary.balance.closingFen).toBe(-20_000)

    const refused = publishDisclosure(managerActor, institution.id, june.disclosureId)
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('结余为 -¥200') })
    expect(db.select().from(disclosures).where(eq(disclosures.id, june.disclosureId)).get()!.status).toBe('draft')

    const cookie = signedInCookie(manager.id)
    const page = await run(() =>
      disclosuresLoader({
        request: getRequest(`/staff/${institution.slug}/disclosures?id=${june.disclosureId}`, cookie),
        params: { slug: institution.slug },
        context: context(),
      }),
    )
    expect((page.body as { preview: { publishBlocked: string | null } }).preview.publishBlocked).toContain('结余为 -¥200')
    const posted = await run(() =>
      disclosuresAction({
        request: formRequest(
          `/staff/${institution.slug}/disclosures`,
          { intent: 'publish', disclosureId: String(june.disclosureId), confirm: 'yes' },
          { cookie },
        ),
        params: { slug: institution.slug },
        context: context(),
      }),
    )
    expect(posted.status).toBe(409)
    expect(replyErrors(posted.body)['']?.[0]).toContain('不能发布')
    const unchecked = await run(() =>
      disclosuresAction({
        request: formRequest(
          `/staff/${institution.slug}/disclosures`,
          { intent: 'publish', disclosureId: String(june.disclosureId) },
          { cookie },
        ),
        params: { slug: institution.slug },
        context: context(),
      }),
    )
    expect(unchecked.status).toBe(400)
    expect(replyErrors(unchecked.body).confirm).toEqual(['请先勾选“我已核对以上内容”再发布'])
    const badId = await run(() =>
      disclosuresAction({
        request: formRequest(
          `/staff/${institution.slug}/disclosures`,
          { intent: 'publish', disclosureId: 'abc', confirm: 'yes' },
          { cookie },
        ),
        params: { slug: institution.slug },
        context: context(),
      }),
    )
    expect(badId.status).toBe(400)
    expect(replyErrors(badId.body).disclosureId).toEqual(['请先生成草稿并预览'])
  })
})
