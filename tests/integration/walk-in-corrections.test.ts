import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db, sqlite } from '~db/client.server'
import { donations, needs, walkInDonors } from '~db/schema'
import { correctEntry } from '~/needs/corrections.server'
import { getPublicEntry, listPublicLedger } from '~/donations/ledger.server'
import { needProgress } from '~/needs/progress.server'
import { recordWalkInGift } from '~/needs/walk-in.server'
import { action as giftAction } from '~/routes/staff.$slug.gifts.new'
import { action as staffLedgerAction, loader as staffLedgerLoader } from '~/routes/staff.$slug.ledger'
import { loader as receiptLoader } from '~/routes/ledger_.$receipt.receipt'
import { replyErrors, replyValues } from './conform-reply'
import { context, createPublishedWish, formRequest, getRequest, run, unique } from './helpers'
import * as helpers from './helpers'

// Walk-in gifts at the desk, and corrections: the public sees only the name the donor chose;
// a mistake is reversed by a new entry with a published reason, never edited or deleted.

const homeWithStaff = () => helpers.homeWithStaff()

function needOf(institutionId: number, quantityNeeded = 20) {
  return db
    .insert(needs)
    .values({ institutionId, title: unique('面粉'), category: 'material', unit: '袋', quantityNeeded })
    .returning()
    .get()
}

const PRIVATE_NAME = '赵私密'
const PRIVATE_CONTACT = '13912345678'

describe('walk-in gifts', () => {
  test('goods handed over at the desk: the donor’s private name and contact stay out of every public view', async () => {
    const { home, actor } = await homeWithStaff()
    const need = needOf(home.id)
    const saved = recordWalkInGift(actor, home.id, {
      kind: 'goods',
      items: '面粉 4 袋',
      quantity: 4,
      unit: '袋',
      estimatedValueFen: 16000,
      channel: 'desk',
      donorName: PRIVATE_NAME,
      donorContact: PRIVATE_CONTACT,
      publicDisplay: 'anonymous',
      needId: need.id,
    })
    expect(saved.ok).toBe(true)
    if (!saved.ok) return
    const row = db.select().from(donations).where(eq(donations.receiptNo, saved.receiptNo)).get()!
    expect(row).toMatchObject({
      kind: 'goods',
      designation: 'need',
      designationRef: need.id,
      channel: 'desk',
      donorDisplay: '爱心人士',
      donorUserId: null,
      quantity: 4,
    })
    expect(db.select().from(walkInDonors).where(eq(walkInDonors.donationId, row.id)).get()).toMatchObject({
      name: PRIVATE_NAME,
      contact: PRIVATE_CONTACT,
    })
    expect(needProgress(db, need).received).toBe(4)

    const publicViews = [
      JSON.stringify(listPublicLedger({ institutionSlug: home.slug })),
      JSON.stringify(getPublicEntry(saved.receiptNo)),
      JSON.stringify(
        (
          await run(() =>
            receiptLoader({
              request: getRequest(`/ledger/${saved.receiptNo}/receipt`),
              params: { receipt: saved.receiptNo },
              context: context(),
            }),
          )
        ).body,
      ),
    ]
    for (const view of publicViews) {
      expect(view).toContain(saved.receiptNo)
      expect(view).not.toContain(PRIVATE_NAME)
      expect(view).not.toContain('赵')
      expect(view).not.toContain(PRIVATE_CONTACT)
    }
  })

  test('a masked choice shows only the surname in public', async () => {
    const { home, actor } = await homeWithStaff()
    const saved = recordWalkInGift(actor, home.id, {
      kind: 'goods',
      items: '棉被 2 床',
      quantity: 2,
      unit: '床',
      channel: 'desk',
      donorName: '李四海',
      publicDisplay: 'masked',
    })
    expect(saved.ok && getPublicEntry(saved.receiptNo)?.donorDisplay).toBe('李**')
  })

  test('the gift form records ¥1234.56 cash as 123456 fen and refuses 1.234 next to the amount field, keeping what was typed', async () => {
    const { home, cookie } = await homeWithStaff()
    const fields = {
      kind: 'money',
      items: '现金捐款',
      channel: 'desk',
      donorName: '钱先生',
      donorContact: '',
      publicDisplay: 'anonymous',
      amount: '1234.56',
      target: '',
    }
    const ok = await run(() =>
      giftAction({
        request: formRequest(`/staff/${home.slug}/gifts/new`, fields, { cookie }),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(ok.status).toBe(302)
    const receipt = new URL(ok.headers.get('Location')!, 'http://x').searchParams.get('receipt')!
    expect(db.select().from(donations).where(eq(donations.receiptNo, receipt)).get()).toMatchObject({
      kind: 'money',
      amountFen: 123456,
      channel: 'desk',
      designation: 'general',
      donorDisplay: '爱心人士',
    })

    const bad = await run(() =>
      giftAction({
        request: formRequest(`/staff/${home.slug}/gifts/new`, { ...fields, amount: '1.234' }, { cookie }),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(bad.status).toBe(400)
    expect(replyErrors(bad.body).amount?.[0]).toContain('两位小数')
    expect(replyValues(bad.body)).toMatchObject({ amount: '1.234', donorName: '钱先生' })
  })

  test('a bank transfer reference is kept for staff and never shown in public', async () => {
    const { home, actor, cookie } = await homeWithStaff()
    const reference = `TRX${unique()}`
    const saved = recordWalkInGift(actor, home.id, {
      kind: 'money',
      items: '银行转账捐款',
      amountFen: 50000,
      channel: 'bank_transfer',
      paymentReference: reference,
      donorName: '某公司',
      publicDisplay: 'name',
    })
    expect(saved.ok).toBe(true)
    if (!saved.ok) return
    expect(JSON.stringify(getPublicEntry(saved.receiptNo))).not.toContain(reference)
    expect(JSON.stringify(listPublicLedger({ institutionSlug: home.slug }))).not.toContain(reference)
    const staffPage = await run(() =>
      staffLedgerLoader({ request: getRequest(`/staff/${home.slug}/ledger`, cookie), params: { slug: home.slug }, context: context() }),
    )
    expect(JSON.stringify(staffPage.body)).toContain(reference)
  })

  test('the gift form can count a gift towards a wish or a need of this home, but not of another home', async () => {
    const { home, cookie } = await homeWithStaff()
    const other = await homeWithStaff()
    const wish = createPublishedWish(home.id, { pseudonym: '小雨' })
    const need = needOf(home.id)
    const foreignNeed = needOf(other.home.id)
    const post = (target: string) =>
      run(() =>
        giftAction({
          request: formRequest(
            `/staff/${home.slug}/gifts/new`,
            {
              kind: 'goods',
              items: '书包 1 个',
              quantity: '1',
              unit: '个',
              channel: 'desk',
              donorName: '冯某',
              publicDisplay: 'name',
              target,
            },
            { cookie },
          ),
          params: { slug: home.slug },
          context: context(),
        }),
      )
    const receiptOf = (res: { headers: Headers }) => new URL(res.headers.get('Location')!, 'http://x').searchParams.get('receipt')!
    const toWish = await post(`wish:${wish.id}`)
    expect(toWish.status).toBe(302)
    expect(
      db
        .select()
        .from(donations)
        .where(eq(donations.receiptNo, receiptOf(toWish)))
        .get(),
    ).toMatchObject({ designation: 'wish', wishId: wish.id, donorDisplay: '冯某' })
    const toNeed = await post(`need:${need.id}`)
    expect(
      db
        .select()
        .from(donations)
        .where(eq(donations.receiptNo, receiptOf(toNeed)))
        .get(),
    ).toMatchObject({ designation: 'need', designationRef: need.id, unit: '袋', quantity: 1 })
    const refused = await post(`need:${foreignNeed.id}`)
    expect(refused.status).toBe(409)
    expect(replyErrors(refused.body).target?.length).toBe(1)
  })

  test('a need of another home cannot be chosen', async () => {
    const a = await homeWithStaff()
    const b = await homeWithStaff()
    const foreign = needOf(b.home.id)
    const res = recordWalkInGift(a.actor, a.home.id, {
      kind: 'goods',
      items: '面粉',
      quantity: 1,
      unit: '袋',
      channel: 'desk',
      donorName: '某人',
      publicDisplay: 'anonymous',
      needId: foreign.id,
    })
    expect(res.ok).toBe(false)
    expect(needProgress(db, foreign).received).toBe(0)
  })
})

describe('corrections', () => {
  test('a correction writes a reversing entry that references the original with its reason; the original is unchanged and the need drops', async () => {
    const { home, actor } = await homeWithStaff()
    const need = needOf(home.id, 10)
    const saved = recordWalkInGift(actor, home.id, {
      kind: 'goods',
      items: '面粉 6 袋',
      quantity: 6,
      unit: '袋',
      channel: 'desk',
      donorName: '孙某',
      publicDisplay: 'anonymous',
      needId: need.id,
    })
    if (!saved.ok) throw new Error(saved.message)
    const before = db.select().from(donations).where(eq(donations.receiptNo, saved.receiptNo)).get()!
    expect(needProgress(db, need).received).toBe(6)

    const corrected = correctEntry(actor, home.id, saved.receiptNo, '数量登记错误，应为 4 袋')
    expect(corrected.ok).toBe(true)
    if (!corrected.ok) return
    const reversal = db.select().from(donations).where(eq(donations.receiptNo, corrected.receiptNo)).get()!
    expect(reversal).toMatchObject({
      correctsId: before.id,
      correctionReason: '数量登记错误，应为 4 袋',
      quantity: -6,
      designation: 'need',
      designationRef: need.id,
    })
    expect(db.select().from(donations).where(eq(donations.id, before.id)).get()).toEqual(before)
    expect(needProgress(db, need).received).toBe(0)
    expect(getPublicEntry(saved.receiptNo)?.correctedBy).toEqual([{ receiptNo: corrected.receiptNo, reason: '数量登记错误，应为 4 袋' }])

    const again = correctEntry(actor, home.id, saved.receiptNo, '再次更正一次')
    expect(again.ok).toBe(false)
  })

  test('a reason of fewer than 4 characters is refused, and another home’s entry cannot be corrected', async () => {
    const a = await homeWithStaff()
    const b = await homeWithStaff()
    const saved = recordWalkInGift(a.actor, a.home.id, {
      kind: 'money',
      items: '现金',
      amountFen: 100,
      channel: 'desk',
      donorName: '周某',
      publicDisplay: 'anonymous',
    })
    if (!saved.ok) throw new Error(saved.message)
    expect(correctEntry(a.actor, a.home.id, saved.receiptNo, '错了').ok).toBe(false)
    expect(correctEntry(b.actor, b.home.id, saved.receiptNo, '登记错误需要更正').ok).toBe(false)
    expect(getPublicEntry(saved.receiptNo)?.correctedBy).toEqual([])
  })

  test('the staff ledger asks for confirmation before correcting, then shows 已更正', async () => {
    const { home, actor, cookie } = await homeWithStaff()
    const saved = recordWalkInGift(actor, home.id, {
      kind: 'goods',
      items: '矿泉水 3 箱',
      quantity: 3,
      unit: '箱',
      channel: 'desk',
      donorName: '吴某',
      publicDisplay: 'anonymous',
    })
    if (!saved.ok) throw new Error(saved.message)
    const post = (fields: Record<string, string>) =>
      run(() =>
        staffLedgerAction({
          request: formRequest(`/staff/${home.slug}/ledger`, fields, { cookie }),
          params: { slug: home.slug },
          context: context(),
        }),
      )

    const empty = await post({ intent: 'preview', receiptNo: saved.receiptNo, reason: '' })
    expect(empty.status).toBe(400)
    expect(replyErrors(empty.body).reason).toEqual(['请填写更正说明（至少 4 个字）'])
    const preview = await post({ intent: 'preview', receiptNo: saved.receiptNo, reason: '重复登记，应删除' })
    expect(preview.body).toMatchObject({ step: 'preview', reason: '重复登记，应删除' })
    expect(getPublicEntry(saved.receiptNo)?.correctedBy).toEqual([])
    const done = await post({ intent: 'confirm', receiptNo: saved.receiptNo, reason: '重复登记，应删除' })
    expect(done.body).toMatchObject({ step: 'done' })
    expect(getPublicEntry(saved.receiptNo)?.correctedBy).toHaveLength(1)
    const page = await run(() =>
      staffLedgerLoader({ request: getRequest(`/staff/${home.slug}/ledger`, cookie), params: { slug: home.slug }, context: context() }),
    )
    const items = (page.body as { items: Array<{ receiptNo: string; correctedBy: string | null; walkInName: string | null }> }).items
    expect(items.find((i) => i.receiptNo === saved.receiptNo)).toMatchObject({ walkInName: '吴某' })
    expect(items.find((i) => i.receiptNo === saved.receiptNo)?.correctedBy).toBeTruthy()
  })

  test('raw SQL UPDATE and DELETE on the log are still refused', async () => {
    const { home, actor } = await homeWithStaff()
    const saved = recordWalkInGift(actor, home.id, {
      kind: 'money',
      items: '现金',
      amountFen: 500,
      channel: 'desk',
      donorName: '郑某',
      publicDisplay: 'anonymous',
    })
    if (!saved.ok) throw new Error(saved.message)
    expect(() => sqlite.prepare('UPDATE donations SET amount_fen = 1 WHERE receipt_no = ?').run(saved.receiptNo)).toThrow(/append-only/)
    expect(() => sqlite.prepare('DELETE FROM donations WHERE receipt_no = ?').run(saved.receiptNo)).toThrow(/append-only/)
    expect(getPublicEntry(saved.receiptNo)?.amountFen).toBe(500)
  })
})
