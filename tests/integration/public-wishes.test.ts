import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { campaignInstitutions, campaigns, children, institutions, wishes, type NeedCategory, type WishStatus } from '~db/schema'
import { claimWish } from '~/claims/claims.server'
import { resolveGiftTarget } from '~/payments/payments.server'
import { loader as homeLoader } from '~/routes/_index'
import { loader as campaignLoader } from '~/routes/campaigns.$slug'
import { loader as institutionLoader } from '~/routes/institutions.$slug'
import { loader as posterLoader } from '~/routes/wishes.$id.poster'
import { loader as wishLoader } from '~/routes/wishes.$id._index'
import { loader as wishesLoader } from '~/routes/wishes._index'
import { testClock } from '~/utils/clock.server'
import { PAGE_SIZE } from '~/utils/pagination'
import { listPublicWishes, similarOpenWishes, wishTotals, type PublicWishCard } from '~/wishes/public.server'
import { context, createTestInstitution, createUser, getRequest, run, unique } from './helpers'

// Test data goes straight into the tables, so these stories do not depend on the staff screens.
function insertChild(institutionId: number, fields: { birthDate?: string; pseudonym?: string } = {}) {
  return db
    .insert(children)
    .values({
      institutionId,
      realName: '测试儿童',
      birthDate: fields.birthDate ?? '2017-05-01',
      gender: 'female',
      pseudonym: fields.pseudonym ?? '小凤',
    })
    .returning()
    .get()
}

function insertWish(
  home: { id: number },
  fields: {
    status?: WishStatus
    category?: NeedCategory
    title?: string
    childId?: number
    campaignId?: number
    publishedAt?: Date | null
    story?: string
  } = {},
) {
  const status = fields.status ?? 'published'
  const childId = fields.childId ?? insertChild(home.id).id
  return db
    .insert(wishes)
    .values({
      institutionId: home.id,
      childId,
      category: fields.category ?? 'study',
      title: fields.title ?? unique('心愿'),
      story: fields.story ?? '想要一套课外书。',
      status,
      campaignId: fields.campaignId,
      publishedAt: fields.publishedAt !== undefined ? fields.publishedAt : status === 'draft' ? null : new Date(),
    })
    .returning()
    .get()
}

function homeIn(city: string, name = '测试福利院') {
  const home = createTestInstitution(name)
  db.update(institutions)
    .set({ city, publicAddress: `${city}幸福路 1 号`, claimBuyDays: 5, claimDeliverDays: 12 })
    .where(eq(institutions.id, home.id))
    .run()
  return { ...home, city }
}

type ListData = { page: { items: PublicWishCard[]; next: string | null } }

async function browse(query: string) {
  const res = await run(() => wishesLoader({ request: getRequest(`/wishes${query}`), params: {}, context: context() }))
  expect(res.status).toBe(200)
  return res.body as ListData
}

const ids = (cards: PublicWishCard[]) => cards.map((c) => c.id)

describe('what the public may see', () => {
  test('published, claimed, received and fulfilled wishes are listed; drafts, withdrawn and expired ones never are', async () => {
    const home = homeIn('滨州市')
    const shown = (['published', 'claimed', 'received', 'fulfilled'] as const).map((status) => insertWish(home, { status }))
    const hidden = (['draft', 'withdrawn', 'expired'] as const).map((status) => insertWish(home, { status }))

    const { page } = await browse(`?home=${home.slug}`)
    expect(ids(page.items).sort()).toEqual(shown.map((w) => w.id).sort())
    for (const w of hidden) expect(ids(page.items)).not.toContain(w.id)
  })

  test("a draft's page and poster are 404, as are withdrawn wishes and ids that do not exist", async () => {
    const home = homeIn('滨州市')
    const draft = insertWish(home, { status: 'draft' })
    const withdrawn = insertWish(home, { status: 'withdrawn' })
    for (const id of [String(draft.id), String(withdrawn.id), '99999999', 'abc']) {
      const page = await run(() => wishLoader({ request: getRequest(`/wishes/${id}`), params: { id }, context: context() }))
      expect(page.status, `/wishes/${id}`).toBe(404)
      const poster = await run(() => posterLoader({ request: getRequest(`/wishes/${id}/poster`), params: { id }, context: context() }))
      expect(poster.status, `/wishes/${id}/poster`).toBe(404)
    }
  })

  test('a wish page tells the story, the item, the home’s public address and its own claim deadlines', async () => {
    const home = homeIn('开封市', '开封市儿童福利院')
    const wish = insertWish(home, { title: '一套《十万个为什么》', story: '我想知道星星为什么会眨眼。' })
    db.update(wishes).set({ itemDetails: '少儿版，全 8 册', quantity: 1, estimatedValueFen: 12800 }).where(eq(wishes.id, wish.id)).run()

    const res = await run(() =>
      wishLoader({ request: getRequest(`/wishes/${wish.id}`), params: { id: String(wish.id) }, context: context() }),
    )
    expect(res.status).toBe(200)
    const { wish: shown } = res.body as { wish: Record<string, unknown> & { home: Record<string, unknown> } }
    expect(shown).toMatchObject({
      title: '一套《十万个为什么》',
      story: '我想知道星星为什么会眨眼。',
      itemDetails: '少儿版，全 8 册',
      estimatedValueFen: 12800,
      status: 'published',
    })
    expect(shown.home).toMatchObject({
      name: '开封市儿童福利院',
      publicAddress: '开封市幸福路 1 号',
      claimBuyDays: 5,
      claimDeliverDays: 12,
    })
  })
})

describe('filters', () => {
  test('a visitor narrows the list by category, home, city and status', async () => {
    const a = homeIn(unique('甲市'))
    const b = homeIn(unique('乙市'))
    const aStudy = insertWish(a, { category: 'study' })
    const aMaterial = insertWish(a, { category: 'material' })
    const aClaimed = insertWish(a, { category: 'material', status: 'claimed' })
    const bStudy = insertWish(b, { category: 'study' })

    expect(ids((await browse(`?home=${a.slug}&category=material`)).page.items).sort()).toEqual([aMaterial.id, aClaimed.id].sort())
    expect(ids((await browse(`?home=${a.slug}&category=material&status=published`)).page.items)).toEqual([aMaterial.id])
    expect(ids((await browse(`?city=${encodeURIComponent(b.city)}`)).page.items)).toEqual([bStudy.id])
    const study = ids((await browse(`?category=study&city=${encodeURIComponent(a.city)}`)).page.items)
    expect(study).toEqual([aStudy.id])
  })

  test('nonsense filter values are ignored rather than failing, and a draft cannot be asked for', async () => {
    const home = homeIn('滨州市')
    const open = insertWish(home)
    insertWish(home, { status: 'draft' })
    const { page } = await browse(`?home=${home.slug}&category=toys&age=99-100&status=draft&cursor=garbage`)
    expect(ids(page.items)).toEqual([open.id])
  })

  test('the age band filter follows the child’s birthday in Shanghai time', async () => {
    // 00:30 on 1 June 2026 in Shanghai, still 31 May in UTC.
    testClock.freeze('2026-05-31T16:30:00Z')
    const home = homeIn('滨州市')
    const turnsNineToday = insertWish(home, { childId: insertChild(home.id, { birthDate: '2017-06-01' }).id })
    const eightTomorrow = insertWish(home, { childId: insertChild(home.id, { birthDate: '2017-06-02' }).id })
    const sixToday = insertWish(home, { childId: insertChild(home.id, { birthDate: '2020-06-01' }).id })
    const fiveYet = insertWish(home, { childId: insertChild(home.id, { birthDate: '2020-06-02' }).id })

    const sixToEight = (await browse(`?home=${home.slug}&age=6-8`)).page.items
    expect(ids(sixToEight).sort()).toEqual([eightTomorrow.id, sixToday.id].sort())
    expect(sixToEight.every((c) => c.ageBand === '6–8岁')).toBe(true)
    expect(ids((await browse(`?home=${home.slug}&age=9-11`)).page.items)).toEqual([turnsNineToday.id])
    expect(ids((await browse(`?home=${home.slug}&age=3-5`)).page.items)).toEqual([fiveYet.id])
  })

  test('a campaign filter shows the wishes of every home in a cross-region pairing', async () => {
    // While the campaign runs: once it has ended its open wishes are no longer listed (claimable.server.ts).
    testClock.freeze('2026-06-01T02:00:00Z')
    const fengjie = homeIn('重庆市', '奉节县儿童福利院')
    const ganzi = homeIn('甘孜州', '甘孜州儿童福利院')
    const campaign = db
      .insert(campaigns)
      .values({
        slug: unique('fenggan-'),
        name: '奉甘两地微心愿',
        ownerInstitutionId: fengjie.id,
        startsAt: new Date('2026-05-01'),
        endsAt: new Date('2026-06-30'),
      })
      .returning()
      .get()
    db.insert(campaignInstitutions).values({ campaignId: campaign.id, institutionId: ganzi.id }).run()
    const w1 = insertWish(fengjie, { campaignId: campaign.id })
    const w2 = insertWish(ganzi, { campaignId: campaign.id, status: 'fulfilled' })
    insertWish(ganzi)

    expect(ids((await browse(`?campaign=${campaign.slug}`)).page.items).sort()).toEqual([w1.id, w2.id].sort())
  })
})

describe('keyset pagination', () => {
  test('paging through while new wishes are published shows every wish exactly once, newest first', async () => {
    const home = homeIn('滨州市')
    const base = new Date('2026-03-01T00:00:00Z').getTime()
    // Pairs share a publication instant, so the id must break ties.
    const existing = Array.from({ length: PAGE_SIZE + 5 }, (_, i) =>
      insertWish(home, { publishedAt: new Date(base + Math.floor(i / 2) * 60_000) }),
    )
    const expected = [...existing].sort((x, y) => y.publishedAt!.getTime() - x.publishedAt!.getTime() || y.id - x.id).map((w) => w.id)

    const first = await browse(`?home=${home.slug}`)
    expect(first.page.items).toHaveLength(PAGE_SIZE)
    expect(first.page.next).toBeTruthy()

    // Published between the two page loads: they sort before the cursor and must not shift page 2.
    const late = [
      insertWish(home, { publishedAt: new Date(base + 3_600_000) }),
      insertWish(home, { publishedAt: new Date(base + 3_600_000) }),
    ]

    const second = await browse(`?home=${home.slug}&cursor=${first.page.next}`)
    expect(second.page.next).toBeNull()
    const seen = [...ids(first.page.items), ...ids(second.page.items)]
    expect(seen).toEqual(expected)
    for (const w of late) expect(seen).not.toContain(w.id)

    // A reader who starts again sees the new ones on top.
    expect(ids((await browse(`?home=${home.slug}`)).page.items).slice(0, 2)).toEqual([late[1]!.id, late[0]!.id])
  })

  test('a wish withdrawn between pages simply drops out without skipping its neighbours', () => {
    const home = homeIn('滨州市')
    const base = new Date('2026-04-01T00:00:00Z').getTime()
    const all = Array.from({ length: 6 }, (_, i) => insertWish(home, { publishedAt: new Date(base + i * 1000) })).reverse()
    const page1 = listPublicWishes({ filters: { home: home.slug }, limit: 3 })
    expect(ids(page1.items)).toEqual(all.slice(0, 3).map((w) => w.id))
    db.update(wishes).set({ status: 'withdrawn' }).where(eq(wishes.id, all[3]!.id)).run()
    const page2 = listPublicWishes({ filters: { home: home.slug }, limit: 3, cursor: page1.next })
    expect(ids(page2.items)).toEqual(all.slice(4).map((w) => w.id))
  })
})

describe('totals and progress', () => {
  test('home page totals count wishes ever published, claimed and fulfilled — never drafts or withdrawn', async () => {
    const before = wishTotals()
    const home = homeIn('滨州市')
    for (const status of ['draft', 'published', 'published', 'claimed', 'received', 'fulfilled', 'withdrawn', 'expired'] as const)
      insertWish(home, { status })

    const res = await run(() => homeLoader())
    const { totals } = res.body as { totals: ReturnType<typeof wishTotals> }
    expect(totals).toEqual({
      published: before.published + 6,
      open: before.open + 2,
      claimed: before.claimed + 3,
      fulfilled: before.fulfilled + 1,
    })
  })

  test('the home page shows the six newest open wishes only', async () => {
    const home = homeIn('滨州市')
    const far = new Date('2099-01-01T00:00:00Z').getTime()
    const open = Array.from({ length: 7 }, (_, i) => insertWish(home, { publishedAt: new Date(far + i * 1000) }))
    insertWish(home, { status: 'claimed', publishedAt: new Date(far + 10_000) })
    const res = await run(() => homeLoader())
    const { openWishes } = res.body as { openWishes: PublicWishCard[] }
    expect(ids(openWishes)).toEqual(
      open
        .slice(1)
        .reverse()
        .map((w) => w.id),
    )
  })

  test('a campaign page shows its dates, homes and progress: claimed / fulfilled of total', async () => {
    testClock.freeze('2026-05-25T02:00:00Z')
    const owner = homeIn('重庆市', '奉节县儿童福利院')
    const partner = homeIn('甘孜州', '甘孜州儿童福利院')
    const campaign = db
      .insert(campaigns)
      .values({
        slug: unique('liuyi-'),
        name: '六一「润心伴成长」',
        description: '为孩子们实现六一心愿',
        ownerInstitutionId: owner.id,
        startsAt: new Date('2026-05-20'),
        endsAt: new Date('2026-06-01'),
      })
      .returning()
      .get()
    db.insert(campaignInstitutions)
      .values([
        { campaignId: campaign.id, institutionId: owner.id },
        { campaignId: campaign.id, institutionId: partner.id },
      ])
      .run()
    for (const status of ['published', 'claimed', 'received', 'fulfilled', 'fulfilled', 'draft', 'withdrawn'] as const)
      insertWish(partner, { status, campaignId: campaign.id })

    const res = await run(() =>
      campaignLoader({ request: getRequest(`/campaigns/${campaign.slug}`), params: { slug: campaign.slug }, context: context() }),
    )
    expect(res.status).toBe(200)
    const body = res.body as {
      campaign: { name: string; homes: Array<{ name: string }>; progress: Record<string, number> }
      page: ListData['page']
    }
    expect(body.campaign.name).toBe('六一「润心伴成长」')
    expect(body.campaign.homes.map((h) => h.name)).toEqual(['奉节县儿童福利院', '甘孜州儿童福利院'])
    expect(body.campaign.progress).toEqual({ total: 5, open: 1, claimed: 4, fulfilled: 2 })
    expect(body.page.items).toHaveLength(5)

    const missing = await run(() =>
      campaignLoader({ request: getRequest('/campaigns/no-such'), params: { slug: 'no-such' }, context: context() }),
    )
    expect(missing.status).toBe(404)
  })
})

describe('finding another wish', () => {
  test('a donor who finds a wish taken is offered open wishes of the same kind or home', async () => {
    const home = homeIn('滨州市')
    const other = homeIn('开封市')
    // 法律援助 appears nowhere else in this file, so every match below is one of these.
    const taken = insertWish(home, { category: 'legal', status: 'claimed' })
    const sameHome = insertWish(home, { category: 'material' })
    const sameKind = insertWish(other, { category: 'legal' })
    const unrelated = insertWish(other, { category: 'physical' })
    const alsoTaken = insertWish(other, { category: 'legal', status: 'claimed' })

    const similar = ids(similarOpenWishes(taken.id))
    // Same kind of need first, then the same home; never the unrelated, the taken or itself.
    expect(similar).toEqual([sameKind.id, sameHome.id])
    for (const id of [unrelated.id, alsoTaken.id, taken.id]) expect(similar).not.toContain(id)

    const res = await run(() =>
      wishLoader({ request: getRequest(`/wishes/${taken.id}`), params: { id: String(taken.id) }, context: context() }),
    )
    expect(ids((res.body as { similar: PublicWishCard[] }).similar)).toEqual([sameKind.id, sameHome.id])
  })

  test("a home's profile lists that home's open wishes and no other home's", async () => {
    const home = homeIn('滨州市')
    const other = homeIn('滨州市')
    const mine = insertWish(home)
    insertWish(home, { status: 'claimed' })
    const theirs = insertWish(other)
    const res = await run(() =>
      institutionLoader({ request: getRequest(`/institutions/${home.slug}`), params: { slug: home.slug }, context: context() }),
    )
    const { openWishes } = res.body as { openWishes: PublicWishCard[] }
    expect(ids(openWishes)).toEqual([mine.id])
    expect(ids(openWishes)).not.toContain(theirs.id)
  })
})

describe('open to claim: the list and the claim ask the same rule', () => {
  test('a wish whose campaign ended (before the job marks it expired) is neither listed as open nor claimable; open ones are both', async () => {
    const T0 = new Date('2026-06-10T02:00:00Z')
    testClock.freeze(T0)
    const home = homeIn('滨州市', '滨州开放测试福利院')
    const campaign = (endsAt: Date) =>
      db
        .insert(campaigns)
        .values({
          slug: unique('c-'),
          name: '六一心愿',
          ownerInstitutionId: home.id,
          startsAt: new Date(T0.getTime() - 30 * 86_400_000),
          endsAt,
        })
        .returning()
        .get()
    const ended = insertWish(home, { campaignId: campaign(new Date(T0.getTime() - 3600_000)).id, title: '活动已结束的心愿' })
    const running = insertWish(home, { campaignId: campaign(new Date(T0.getTime() + 10 * 86_400_000)).id, title: '活动进行中的心愿' })
    const plain = insertWish(home, { title: '不属于活动的心愿' })
    const donor = await createUser()

    const openList = ids(listPublicWishes({ filters: { status: 'published', home: home.slug } }).items)
    const everyList = (await browse(`?home=${home.slug}`)).page.items
    const similar = ids(similarOpenWishes(plain.id))
    for (const wish of [ended, running, plain]) {
      const page = await run(() =>
        wishLoader({ request: getRequest(`/wishes/${wish.id}`), params: { id: String(wish.id) }, context: context() }),
      )
      const shownOpen = (page.body as { wish: { open: boolean } }).wish.open
      const listedOpen = openList.includes(wish.id)
      const givable = resolveGiftTarget('wish', wish.id) !== null
      const claim = claimWish({ userId: donor.id, wishId: wish.id, publicDisplay: 'masked' })
      const open = wish !== ended
      expect({ wish: wish.title, listedOpen, shownOpen, givable, claimed: claim.ok }).toEqual({
        wish: wish.title,
        listedOpen: open,
        shownOpen: open,
        givable: open,
        claimed: open,
      })
    }
    expect(everyList.find((w) => w.id === ended.id)).toBeUndefined()
    expect(similar).not.toContain(ended.id)
    expect(claimWish({ userId: donor.id, wishId: ended.id, publicDisplay: 'masked' })).toMatchObject({ ok: false, reason: 'unavailable' })
  })
})
