import type { MetaDescriptor } from '@remix-run/node'
import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { campaignInstitutions, campaigns, needs, wishes } from '~db/schema'
import * as campaignRoute from '~/routes/campaigns.$slug'
import * as campaignCardRoute from '~/routes/campaigns_.$slug.card[.png]'
import * as needRoute from '~/routes/needs.$id._index'
import * as needCardRoute from '~/routes/needs.$id.card[.png]'
import * as wishRoute from '~/routes/wishes.$id._index'
import * as wishCardRoute from '~/routes/wishes.$id.card[.png]'
import { wishShareCard } from '~/share/cards.server'
import { SHARE_CARD_HEIGHT, SHARE_CARD_WIDTH, shareCardSvg, wrapText } from '~/share/share-card.server'
import { getPublicWish } from '~/wishes/public.server'
import { ORIGIN, context, createPublishedWish, createTestInstitution, getRequest, run, unique } from './helpers'

// Issue 13: a share card per wish, need and campaign that WeChat and other apps render — og tags
// and a generated picture with the text and a QR code — never a child's photo or identity
// (docs/product.md rule 1).

const REAL_NAME = '欧阳卡片娜'

function publishedWish(fields: { imageKey?: string; title?: string } = {}) {
  const home = createTestInstitution('卡片测试福利院')
  const wish = createPublishedWish(home.id, {
    ...fields,
    pseudonym: '小枫',
    story: '她喜欢画画。',
    child: { realName: REAL_NAME, birthDate: '2017-05-02', privateNotes: '对花生过敏' },
  })
  return { home, wish }
}

type Route = { loader: (args: never) => unknown; meta?: (args: never) => MetaDescriptor[] | undefined }

async function pageMetaOf(route: Route, path: string, params: Record<string, string>) {
  const args = { request: getRequest(path), params, context: context() }
  const res = await run(() => (route.loader as (a: typeof args) => unknown)(args))
  expect(res.status).toBe(200)
  return (route.meta as (a: unknown) => MetaDescriptor[])({ data: res.body, params, location: { pathname: path }, matches: [] })
}

const content = (meta: MetaDescriptor[], key: string) =>
  (
    meta.find(
      (m) => ('property' in m && m.property === key) || ('name' in m && m.name === key) || ('itemProp' in m && m.itemProp === key),
    ) as { content: string } | undefined
  )?.content

async function fetchCard(route: Route, path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const request = new Request(ORIGIN + path, { headers })
  const res = await (route.loader as (a: unknown) => Promise<Response>)({ request, params, context: context() })
  return res
}

describe('the wish page shares a generated card, never the photo', () => {
  test('og:image is the card route of the wish, absolute, with its size; the wish photo is not used', async () => {
    const { wish } = publishedWish({ imageKey: 'a-wish-photo.jpg' })
    const meta = await pageMetaOf(wishRoute, `/wishes/${wish.id}`, { id: String(wish.id) })
    const image = content(meta, 'og:image')
    expect(image).toMatch(new RegExp(`^${ORIGIN}/wishes/${wish.id}/card\\.png\\?v=[A-Za-z0-9_-]{12}$`))
    expect(content(meta, 'image')).toBe(image) // itemprop, read by WeChat's link preview
    expect(content(meta, 'og:image:width')).toBe(String(SHARE_CARD_WIDTH))
    expect(content(meta, 'og:image:height')).toBe(String(SHARE_CARD_HEIGHT))
    expect(content(meta, 'twitter:card')).toBe('summary_large_image')
    expect(content(meta, 'og:url')).toBe(`${ORIGIN}/wishes/${wish.id}`)
    expect(content(meta, 'og:title')).toBe(`小枫（${getPublicWish(wish.id)!.ageBand}）的心愿：${wish.title}`) // no site suffix in previews
    expect(JSON.stringify(meta)).not.toContain('a-wish-photo')
    expect(JSON.stringify(meta)).not.toContain(REAL_NAME)
  })

  test('the card is a 1200×630 PNG with the pseudonym, the wish and a QR code — no photo, no real name', async () => {
    const { wish } = publishedWish({ imageKey: 'another-photo.jpg', title: '一套彩色铅笔' })
    const res = await fetchCard(wishCardRoute, `/wishes/${wish.id}/card.png`, { id: String(wish.id) })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('image/png')
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=3600')
    const png = Buffer.from(await res.arrayBuffer())
    const info = await sharp(png).metadata()
    expect([info.format, info.width, info.height]).toEqual(['png', SHARE_CARD_WIDTH, SHARE_CARD_HEIGHT])
    // The picture is drawn from this SVG only: what is not in it cannot be on the card.
    const svg = shareCardSvg(wishShareCard(getPublicWish(wish.id)!, `${ORIGIN}/wishes/${wish.id}`))
    expect(svg).toContain('小枫（化名）')
    expect(svg).toContain(wish.title)
    expect(svg).not.toContain(REAL_NAME)
    expect(svg).not.toContain('2017')
    expect(svg).not.toContain('花生')
    expect(svg).not.toMatch(/<image\b/) // no embedded picture of any kind
    // Text really was drawn: the title area is not blank paper.
    const { data } = await sharp(png)
      .extract({ left: 64, top: 120, width: 600, height: 80 })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true })
    expect(data.filter((v) => v < 100).length).toBeGreaterThan(500)
  })

  test('the same card answers 304 to its ETag; a changed title changes the ETag and the og:image version', async () => {
    const { wish } = publishedWish()
    const path = `/wishes/${wish.id}/card.png`
    const first = await fetchCard(wishCardRoute, path, { id: String(wish.id) })
    const etag = first.headers.get('ETag')!
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/)
    const again = await fetchCard(wishCardRoute, path, { id: String(wish.id) }, { 'If-None-Match': etag })
    expect(again.status).toBe(304)
    const before = content(await pageMetaOf(wishRoute, `/wishes/${wish.id}`, { id: String(wish.id) }), 'og:image')
    db.update(wishes)
      .set({ title: unique('一盒水彩笔') })
      .where(eq(wishes.id, wish.id))
      .run()
    const changed = await fetchCard(wishCardRoute, path, { id: String(wish.id) }, { 'If-None-Match': etag })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('ETag')).not.toBe(etag)
    const after = content(await pageMetaOf(wishRoute, `/wishes/${wish.id}`, { id: String(wish.id) }), 'og:image')
    expect(after).not.toBe(before)
  })

  test('a draft wish or an unknown id has no card (404)', async () => {
    const { wish } = publishedWish()
    db.update(wishes).set({ status: 'draft' }).where(eq(wishes.id, wish.id)).run()
    for (const id of [String(wish.id), '99999999', 'abc']) {
      const res = await run(() => fetchCard(wishCardRoute, `/wishes/${id}/card.png`, { id }))
      expect(res.status).toBe(404)
    }
  })
})

describe('needs and campaigns', () => {
  test('a need page shares its card, with progress; a cancelled need has none', async () => {
    const home = createTestInstitution('卡片测试福利院')
    const need = db
      .insert(needs)
      .values({ institutionId: home.id, title: unique('冬季棉被'), category: 'material', unit: '床', quantityNeeded: 20, status: 'open' })
      .returning()
      .get()
    const meta = await pageMetaOf(needRoute, `/needs/${need.id}`, { id: String(need.id) })
    expect(content(meta, 'og:image')).toMatch(new RegExp(`^${ORIGIN}/needs/${need.id}/card\\.png\\?v=`))
    const res = await fetchCard(needCardRoute, `/needs/${need.id}/card.png`, { id: String(need.id) })
    expect(res.status).toBe(200)
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(SHARE_CARD_WIDTH)

    db.update(needs).set({ status: 'cancelled' }).where(eq(needs.id, need.id)).run()
    const gone = await run(() => fetchCard(needCardRoute, `/needs/${need.id}/card.png`, { id: String(need.id) }))
    expect(gone.status).toBe(404)
  })

  test('a campaign page shares its card', async () => {
    const home = createTestInstitution('卡片测试福利院')
    const day = 24 * 60 * 60 * 1000
    const campaign = db
      .insert(campaigns)
      .values({
        slug: unique('c-card'),
        name: '六一「润心伴成长」',
        description: '为孩子们实现六一心愿',
        ownerInstitutionId: home.id,
        startsAt: new Date(Date.now() - day),
        endsAt: new Date(Date.now() + 30 * day),
      })
      .returning()
      .get()
    db.insert(campaignInstitutions).values({ campaignId: campaign.id, institutionId: home.id }).run()
    const meta = await pageMetaOf(campaignRoute, `/campaigns/${campaign.slug}`, { slug: campaign.slug })
    expect(content(meta, 'og:image')).toMatch(new RegExp(`^${ORIGIN}/campaigns/${campaign.slug}/card\\.png\\?v=`))
    const res = await fetchCard(campaignCardRoute, `/campaigns/${campaign.slug}/card.png`, { slug: campaign.slug })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('image/png')
    const missing = await run(() => fetchCard(campaignCardRoute, '/campaigns/nope/card.png', { slug: 'nope' }))
    expect(missing.status).toBe(404)
  })
})

describe('wrapText', () => {
  test('breaks Chinese at any character and ends the last allowed line with …', () => {
    expect(wrapText('一二三四五六七八九十', 4, 5)).toEqual(['一二三四', '五六七八', '九十'])
    expect(wrapText('一二三四五六七八九十', 4, 2)).toEqual(['一二三四', '五六七…'])
    expect(wrapText('ab cd', 10, 1)).toEqual(['ab cd'])
    expect(wrapText('   ', 10, 3)).toEqual([])
  })
})
