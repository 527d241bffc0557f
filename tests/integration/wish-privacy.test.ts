import type { MetaDescriptor } from '@remix-run/node'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { campaignInstitutions, campaigns, children, donations, institutions, users, wishes } from '~db/schema'
import * as homeRoute from '~/routes/_index'
import * as campaignRoute from '~/routes/campaigns.$slug'
import * as institutionRoute from '~/routes/institutions.$slug'
import * as posterRoute from '~/routes/wishes.$id.poster'
import * as wishRoute from '~/routes/wishes.$id._index'
import * as wishesRoute from '~/routes/wishes._index'
import { context, createTestInstitution, createUser, getRequest, run, unique } from './helpers'

// docs/product.md rule 1 and 2: a child is never identifiable in public, and a donor's contact details
// and account stay private. A child with a distinctive real name, birth date and private notes gets
// a published wish; every public page, its share card (meta) and the poster must leave them out.

const REAL_NAME = '欧阳测试娜'
const BIRTH_DATE = '2016-09-23'
const PRIVATE_NOTES = '私密备注：对青霉素过敏，生母联系电话 13912345678，就读于滨城区第一实验小学'
const PSEUDONYM = '小枫'

// Every form in which the child's private data could leak into a page.
const forbidden = [
  REAL_NAME,
  '欧阳', // even the family name alone
  BIRTH_DATE,
  '2016-09',
  '20160923',
  '2016年9月23日',
  '2016/09/23',
  PRIVATE_NOTES,
  '青霉素',
  '13912345678',
  '第一实验小学',
]
const forbiddenKeys = [
  'realName',
  'real_name',
  'birthDate',
  'birth_date',
  'privateNotes',
  'private_notes',
  'donorUserId',
  'userId',
  'email',
  'phone',
  'thankYouMessage',
]

let fixture: {
  homeSlug: string
  campaignSlug: string
  openWishId: number
  claimedWishId: number
  fulfilledWishId: number
  donor: { email: string; phone: string; displayName: string; id: number }
}

beforeAll(async () => {
  const home = createTestInstitution('滨城测试福利院')
  db.update(institutions).set({ publicAddress: '滨州市滨城区黄河五路 100 号' }).where(eq(institutions.id, home.id)).run()
  const child = db
    .insert(children)
    .values({
      institutionId: home.id,
      realName: REAL_NAME,
      birthDate: BIRTH_DATE,
      gender: 'female',
      pseudonym: PSEUDONYM,
      privateNotes: PRIVATE_NOTES,
    })
    .returning()
    .get()
  const campaign = db
    .insert(campaigns)
    .values({
      slug: unique('privacy-'),
      name: '六一「润心伴成长」',
      ownerInstitutionId: home.id,
      startsAt: new Date(Date.now() - 10 * 86_400_000),
      endsAt: new Date(Date.now() + 60 * 86_400_000),
    })
    .returning()
    .get()
  db.insert(campaignInstitutions).values({ campaignId: campaign.id, institutionId: home.id }).run()
  const wish = (status: 'published' | 'claimed' | 'fulfilled', title: string) =>
    db
      .insert(wishes)
      .values({
        institutionId: home.id,
        childId: child.id,
        campaignId: campaign.id,
        category: 'study',
        title,
        story: '她喜欢看星星，想要一本讲宇宙的书。',
        itemDetails: '适合 9–11 岁阅读的科普绘本',
        status,
        publishedAt: new Date(),
        thankYouMessage: status === 'fulfilled' ? '谢谢您！——只给捐赠人看的感谢' : null,
      })
      .returning()
      .get()
  const open = wish('published', '一本《宇宙百科》')
  const claimed = wish('claimed', '一盒 24 色彩铅')
  const fulfilled = wish('fulfilled', '一张学习书桌')

  // A donor who chose to appear as 爱心人士: their account and contact details must stay private.
  const donorUser = await createUser({ displayName: '钱多多本名' })
  const phone = '13700001234'
  db.update(users).set({ phone }).where(eq(users.id, donorUser.id)).run()
  db.insert(donations)
    .values({
      receiptNo: unique('WN-PRIV-'),
      institutionId: home.id,
      kind: 'goods',
      description: '学习书桌 1 张',
      quantity: 1,
      unit: '张',
      donorDisplay: '爱心人士',
      donorUserId: donorUser.id,
      designation: 'wish',
      wishId: fulfilled.id,
      campaignId: campaign.id,
      channel: 'wish_claim',
      receivedAt: new Date(),
    })
    .run()

  fixture = {
    homeSlug: home.slug,
    campaignSlug: campaign.slug,
    openWishId: open.id,
    claimedWishId: claimed.id,
    fulfilledWishId: fulfilled.id,
    donor: { email: donorUser.email!, phone, displayName: donorUser.displayName, id: donorUser.id },
  }
})

type Page = { path: string; data: unknown; meta: MetaDescriptor[] }

async function visit(
  path: string,
  route: { loader: (args: never) => unknown; meta?: (args: never) => MetaDescriptor[] | undefined },
  params: Record<string, string> = {},
): Promise<Page> {
  const args = { request: getRequest(path), params, context: context() }
  const res = await run(() => (route.loader as (a: typeof args) => unknown)(args))
  expect(res.status, path).toBe(200)
  const url = new URL(path, 'http://localhost')
  const meta = route.meta
    ? ((route.meta as (a: unknown) => MetaDescriptor[])({
        data: res.body,
        params,
        location: { pathname: url.pathname, search: url.search, hash: '', state: null, key: 'default' },
        matches: [],
        error: undefined,
      }) ?? [])
    : []
  return { path, data: res.body, meta }
}

function expectNothingPrivate(page: Page) {
  const text = JSON.stringify({ data: page.data, meta: page.meta })
  for (const secret of forbidden) expect(text, `${page.path} contains "${secret}"`).not.toContain(secret)
  for (const key of forbiddenKeys) expect(text, `${page.path} carries a "${key}" field`).not.toContain(`"${key}"`)
  for (const secret of [fixture.donor.email, fixture.donor.phone, fixture.donor.displayName])
    expect(text, `${page.path} reveals the donor`).not.toContain(secret)
}

describe('a child with a real name, birth date and private notes stays anonymous in public', () => {
  test('the wish list, filtered or not, shows the pseudonym and age band only', async () => {
    for (const path of [
      '/wishes',
      `/wishes?home=${fixture.homeSlug}`,
      `/wishes?campaign=${fixture.campaignSlug}&age=6-8`,
      `/wishes?home=${fixture.homeSlug}&age=9-11`,
    ]) {
      const page = await visit(path, wishesRoute)
      expectNothingPrivate(page)
    }
    const page = await visit(`/wishes?home=${fixture.homeSlug}`, wishesRoute)
    expect(JSON.stringify(page.data)).toContain(PSEUDONYM)
  })

  test('each wish page and its share card show the pseudonym, never the real name, birth date or notes', async () => {
    for (const id of [fixture.openWishId, fixture.claimedWishId, fixture.fulfilledWishId]) {
      const page = await visit(`/wishes/${id}`, wishRoute, { id: String(id) })
      expectNothingPrivate(page)
      const ogTitle = page.meta.find((m) => 'property' in m && m.property === 'og:title') as { content: string } | undefined
      expect(ogTitle?.content).toMatch(new RegExp(`^${PSEUDONYM}（\\d+–\\d+岁）的心愿：`))
    }
  })

  test('a fulfilled wish shows its public receipt but neither the thank-you nor the donor behind 爱心人士', async () => {
    const page = await visit(`/wishes/${fixture.fulfilledWishId}`, wishRoute, { id: String(fixture.fulfilledWishId) })
    const text = JSON.stringify(page.data)
    expect(text).toContain('爱心人士')
    expect(text).not.toContain('只给捐赠人看的感谢')
    expectNothingPrivate(page)
  })

  test('the printable poster and its QR code carry public fields only', async () => {
    const page = await visit(`/wishes/${fixture.openWishId}/poster`, posterRoute, { id: String(fixture.openWishId) })
    expectNothingPrivate(page)
    const data = page.data as { qrSvg: string; url: string }
    expect(data.qrSvg).toContain('<svg')
    expect(data.url).toMatch(new RegExp(`/wishes/${fixture.openWishId}$`))
    expect(JSON.stringify(page.data)).toContain(PSEUDONYM)
  })

  test('the home page, the campaign page and the home’s profile leak nothing either', async () => {
    const pages = [
      await visit('/', homeRoute),
      await visit(`/campaigns/${fixture.campaignSlug}`, campaignRoute, { slug: fixture.campaignSlug }),
      await visit(`/institutions/${fixture.homeSlug}`, institutionRoute, { slug: fixture.homeSlug }),
    ]
    for (const page of pages) expectNothingPrivate(page)
    // The campaign and the profile do list this child's wishes, under the pseudonym.
    expect(JSON.stringify(pages[1]!.data)).toContain(PSEUDONYM)
    expect(JSON.stringify(pages[2]!.data)).toContain(PSEUDONYM)
  })
})
