import QRCode from 'qrcode'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { needs, pledges } from '~db/schema'
import { correctEntry } from '~/needs/corrections.server'
import { recordArrival } from '~/needs/intake.server'
import { recordWalkInGift } from '~/needs/walk-in.server'
import { loader as receiptLoader } from '~/routes/ledger_.$receipt.receipt'
import { addMember, context, createTestInstitution, createUser, getRequest, ORIGIN, run, unique } from './helpers'

// 捐赠回执: anyone with the receipt number may open it, so it holds only public fields —
// the name as the donor chose to be shown, never their account, name, contact or references.

const DISCLAIMER = '本回执仅为受赠确认，不是财政部门监制的公益事业捐赠票据。'

type ReceiptBody = {
  receipt: {
    receiptNo: string
    institutionName: string
    donorDisplay: string
    amount: string
    description: string
    correctsReceipt: string | null
    correctionReason: string | null
    receivedAtText: string
  }
  disclaimer: string
  url: string
  qrSvg: string
}

async function openReceipt(receiptNo: string) {
  return run(() =>
    receiptLoader({ request: getRequest(`/ledger/${receiptNo}/receipt`), params: { receipt: receiptNo }, context: context() }),
  )
}

async function setup() {
  const home = createTestInstitution('回执测试福利院')
  const staff = await createUser({ displayName: '社工' })
  addMember(staff.id, home.id, 'staff')
  return { home, staff, actor: { userId: staff.id, ip: null } }
}

describe('receipts', () => {
  test('a pledge arrival receipt shows the home, number, date, gift, chosen donor name, the disclaimer and a QR of the public entry', async () => {
    const { home, actor } = await setup()
    const donor = await createUser({ displayName: '刘晓明' })
    const need = db
      .insert(needs)
      .values({ institutionId: home.id, title: unique('大米'), category: 'material', unit: '袋', quantityNeeded: 10 })
      .returning()
      .get()
    const pledge = db
      .insert(pledges)
      .values({
        needId: need.id,
        institutionId: home.id,
        userId: donor.id,
        quantity: 5,
        expectedAt: new Date(Date.now() + 86_400_000),
        publicDisplay: 'masked',
        code: unique('RC').toUpperCase(),
      })
      .returning()
      .get()
    const arrival = recordArrival(actor, home.id, pledge.id, { quantity: 3, conditionNote: '外包装有破损' })
    if (!arrival.ok) throw new Error(arrival.message)

    const res = await openReceipt(arrival.receiptNo.toLowerCase())
    expect(res.status).toBe(200)
    const body = res.body as ReceiptBody
    expect(body.receipt).toMatchObject({
      receiptNo: arrival.receiptNo,
      institutionName: '回执测试福利院',
      donorDisplay: '刘**',
      amount: '3 袋',
      description: `${need.title} 3袋`,
    })
    expect(body.receipt.receivedAtText).toMatch(/\d{4}\/\d{2}\/\d{2}/)
    expect(body.disclaimer).toBe(DISCLAIMER)
    expect(body.url).toBe(`${ORIGIN}/ledger/${arrival.receiptNo}`)
    expect(body.qrSvg).toBe(
      await QRCode.toString(`${ORIGIN}/ledger/${arrival.receiptNo}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
    )

    const text = JSON.stringify(body)
    expect(text).not.toContain('刘晓明')
    expect(text).not.toContain(donor.email)
    expect(text).not.toContain('外包装有破损')
    expect(text).not.toMatch(/donorUserId|recordedBy|paymentReference|userId/)
  })

  test('a walk-in money receipt shows the amount in yuan and never the private name, contact or transfer reference', async () => {
    const { home, actor } = await setup()
    const saved = recordWalkInGift(actor, home.id, {
      kind: 'money',
      items: '银行转账捐款',
      amountFen: 20000,
      channel: 'bank_transfer',
      paymentReference: 'REF-998877',
      donorName: '陈私人',
      donorContact: 'chen@private.example',
      publicDisplay: 'anonymous',
    })
    if (!saved.ok) throw new Error(saved.message)
    const body = (await openReceipt(saved.receiptNo)).body as ReceiptBody
    expect(body.receipt).toMatchObject({ donorDisplay: '爱心人士', amount: '¥200' })
    const text = JSON.stringify(body)
    for (const secret of ['陈私人', 'chen@private.example', 'REF-998877']) expect(text).not.toContain(secret)
  })

  test('a correction receipt says what it corrects and why', async () => {
    const { home, actor } = await setup()
    const saved = recordWalkInGift(actor, home.id, {
      kind: 'goods',
      items: '帐篷 2 顶',
      quantity: 2,
      unit: '顶',
      channel: 'desk',
      donorName: '某人',
      publicDisplay: 'anonymous',
    })
    if (!saved.ok) throw new Error(saved.message)
    const corrected = correctEntry(actor, home.id, saved.receiptNo, '登记到了错误的机构')
    if (!corrected.ok) throw new Error(corrected.message)
    const body = (await openReceipt(corrected.receiptNo)).body as ReceiptBody
    expect(body.receipt).toMatchObject({ correctsReceipt: saved.receiptNo, correctionReason: '登记到了错误的机构', amount: '-2 顶' })
    expect(body.disclaimer).toBe(DISCLAIMER)
  })

  test('an unknown receipt number is 404', async () => {
    expect((await openReceipt('WN-2026-999999')).status).toBe(404)
  })
})
