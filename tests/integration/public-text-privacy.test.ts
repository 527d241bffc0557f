import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { campaigns, children, donations, needs } from '~db/schema'
import { createCampaign, updateCampaign } from '~/campaigns/campaigns.server'
import { correctEntry } from '~/needs/corrections.server'
import { recordWalkInGift } from '~/needs/walk-in.server'
import { findPersonalData, publicTextProblem } from '~/privacy/public-text.server'
import { action as giftAction } from '~/routes/staff.$slug.gifts.new'
import { action as staffLedgerAction } from '~/routes/staff.$slug.ledger'
import { action as newNeedAction } from '~/routes/staff.$slug.needs.new'
import { checkWishPrivacy } from '~/wishes/privacy.server'
import { replyErrors, replyValues } from './conform-reply'
import { addMember, context, createTestInstitution, createUser, formRequest, run, signedInCookie } from './helpers'

// Item 13 of issue 10: one privacy checker for all public text. Wishes flag findings for staff
// to fix or confirm; needs, campaigns, walk-in gifts, correction reasons and 用途 refuse them,
// with a Chinese message next to the field naming what was found.

const CHILD = '张小明'

async function homeWithChild() {
  const home = createTestInstitution()
  const staff = await createUser({ displayName: '社工' })
  addMember(staff.id, home.id, 'staff')
  db.insert(children).values({ institutionId: home.id, realName: CHILD, birthDate: '2016-03-01', gender: 'male', pseudonym: '小树' }).run()
  return { home, staff, actor: { userId: staff.id, ip: null }, cookie: signedInCookie(staff.id) }
}

describe('the one public-text check', () => {
  test('wishes and the other forms use the same detector', async () => {
    const { home } = await homeWithChild()
    const text = `${CHILD}想要书包，联系 139 1234 5678，在育才小学读书`
    const asWish = checkWishPrivacy({ title: '', story: text, itemDetails: '' }, { realName: CHILD }).map((f) => [f.kind, f.match])
    expect(asWish).toEqual(findPersonalData(text, { realNames: [CHILD], givenNames: ['小明'] }).map((f) => [f.kind, f.match]))
    expect(asWish).toEqual([
      ['real_name', CHILD],
      ['phone', '13912345678'],
      ['school', '育才小学'],
    ])
    expect(publicTextProblem(db, [home.id], [['story', text]])).toEqual({
      field: 'story',
      message: expect.stringContaining(`出现了儿童的真实姓名「${CHILD}」`),
    })
    // Another home's children are not this home's concern; ordinary words pass.
    const other = createTestInstitution()
    expect(publicTextProblem(db, [other.id], [['story', `${CHILD}等 3 名儿童`]])).toBeNull()
    expect(publicTextProblem(db, [home.id], [['story', '为本院 3 名学龄儿童购买学校用品，走进乡村学校']])).toBeNull()
  })
})

describe('forms with public text refuse a child’s identity next to the field', () => {
  test('物资需求: the need’s title names a child of the home', async () => {
    const { home, cookie } = await homeWithChild()
    const fields = {
      intent: 'save',
      title: `给${CHILD}的冬衣`,
      category: 'material',
      itemDescription: '',
      specification: '',
      unit: '件',
      quantityNeeded: '5',
      perPledgeMax: '',
      urgency: 'normal',
      deadline: '',
      deliveryAddress: '',
      deliveryHours: '',
    }
    const res = await run(() =>
      newNeedAction({
        request: formRequest(`/staff/${home.slug}/needs/new`, fields, { cookie }),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(400)
    expect(replyErrors(res.body).title?.[0]).toContain(`出现了儿童的真实姓名「${CHILD}」`)
    expect(replyValues(res.body).title).toBe(`给${CHILD}的冬衣`)
    expect(db.select().from(needs).where(eq(needs.institutionId, home.id)).all()).toHaveLength(0)
  })

  test('活动: a campaign’s description with a phone number or a child’s name is refused', async () => {
    const { home, actor } = await homeWithChild()
    const input = { name: '六一心愿活动', description: '联系人电话 13912345678', startsOn: '2026-05-20', endsOn: '2026-06-30' }
    expect(createCampaign(actor, home.id, input)).toMatchObject({
      ok: false,
      field: 'description',
      message: expect.stringContaining('疑似手机号码「13912345678」'),
    })
    const created = createCampaign(actor, home.id, { ...input, description: '为孩子们实现六一心愿' })
    if (!created.ok) throw new Error(created.message)
    expect(updateCampaign(actor, home.id, created.campaign.id, { ...input, name: `${CHILD}的心愿`, description: '' })).toMatchObject({
      ok: false,
      field: 'name',
    })
    expect(db.select().from(campaigns).where(eq(campaigns.id, created.campaign.id)).get()!.name).toBe('六一心愿活动')
  })

  test('登记捐赠: the public description of a walk-in gift', async () => {
    const { home, cookie } = await homeWithChild()
    const fields = {
      kind: 'goods',
      items: `${CHILD}的书包 1 个`,
      quantity: '1',
      unit: '个',
      channel: 'desk',
      donorName: '冯某',
      donorContact: '13912345678',
      publicDisplay: 'name',
      target: '',
    }
    const res = await run(() =>
      giftAction({
        request: formRequest(`/staff/${home.slug}/gifts/new`, fields, { cookie }),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(409)
    expect(replyErrors(res.body).items?.[0]).toContain(`「${CHILD}」`)
    // The donor's contact is staff-only, so a phone there is fine.
    const ok = await run(() =>
      giftAction({
        request: formRequest(`/staff/${home.slug}/gifts/new`, { ...fields, items: '书包 1 个' }, { cookie }),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(ok.status).toBe(302)
  })

  test('更正说明: a correction reason is published, so it is checked too', async () => {
    const { home, actor, cookie } = await homeWithChild()
    const gift = recordWalkInGift(actor, home.id, {
      kind: 'money',
      items: '现金捐款',
      amountFen: 5000,
      channel: 'desk',
      donorName: '王先生',
      publicDisplay: 'masked',
    })
    if (!gift.ok) throw new Error(gift.message)
    expect(correctEntry(actor, home.id, gift.receiptNo, `误记为${CHILD}的专项捐款`)).toMatchObject({
      ok: false,
      field: 'reason',
      message: expect.stringContaining(`「${CHILD}」`),
    })
    const res = await run(() =>
      staffLedgerAction({
        request: formRequest(
          `/staff/${home.slug}/ledger`,
          { intent: 'confirm', receiptNo: gift.receiptNo, reason: '身份证 11010520150301123X 登记错误' },
          { cookie },
        ),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(409)
    expect(replyErrors(res.body).reason?.[0]).toContain('疑似身份证号码')
    expect(db.select().from(donations).where(eq(donations.correctsId, gift.donationId)).all()).toHaveLength(0)
  })
})
