import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, test, vi } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { db, sqlite } from '~db/client.server'
import { claims, feedbackPhotos, needs, notifications, wishes } from '~db/schema'
import { recordAllocation } from '~/allocations/allocations.server'
import { stopFaceDetector } from '~/feedback-photos/faces.server'
import { publishFeedbackPhoto, type SubjectKind } from '~/feedback-photos/feedback-photos.server'
import { recordArrival } from '~/needs/intake.server'
import { pledgeToNeed } from '~/needs/pledges.server'
import { recordWalkInGift } from '~/needs/walk-in.server'
import { loader as publicPhotoLoader } from '~/routes/feedback-photos.$key'
import { loader as ledgerPageLoader } from '~/routes/ledger.$receipt'
import { loader as needPageLoader } from '~/routes/needs.$id._index'
import { action as feedbackAction, loader as feedbackLoader } from '~/routes/staff.$slug.feedback.$kind.$subjectId'
import { loader as staffPhotoLoader } from '~/routes/staff.$slug.feedback-photos.$photoId'
import { loader as wishPageLoader } from '~/routes/wishes.$id._index'
import { context, createPublishedWish, createUser, formRequest, getRequest, homeWithStaff, ORIGIN, run, unique } from './helpers'
import { FACE_IMAGE, objectsPhoto } from '../sample-photos'

// 执行反馈 photos (docs/product.md rule 1): the real local face detector runs on every upload and
// blur. The face image is a demo photo that ships inside the @vladmandic/face-api npm package
// (MIT; no other face image can be fetched on this machine). Detection takes seconds.

const dataDir = vi.hoisted(() => {
  const dir = `tests/.tmp/feedback-photos-${process.pid}-${Date.now().toString(36)}`
  process.env.DATA_DIR = dir
  return dir
})
afterAll(async () => {
  await stopFaceDetector()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

const DETECTION_TIMEOUT = 180_000

/** The demo face photo as a phone would send it: JPEG with camera model and GPS position. */
async function facePhotoWithGps(): Promise<Buffer> {
  return sharp(fs.readFileSync(FACE_IMAGE))
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Secret-Cam' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 22/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '117/1 58/1 0/1' },
    })
    .toBuffer()
}

/** The item a test attaches photos to, and the home staff who do it. */
type Target = { home: { id: number; slug: string }; cookie: string; kind: SubjectKind; subjectId: number }

/** A home whose wish was claimed by a donor and has been received. */
async function homeWithReceivedWish() {
  const h = await homeWithStaff()
  const donor = await createUser({ displayName: '爱心人士' })
  const wish = createPublishedWish(h.home.id, { title: unique('一个新书包') })
  const at = new Date()
  db.insert(claims)
    .values({
      wishId: wish.id,
      institutionId: h.home.id,
      userId: donor.id,
      status: 'delivered',
      publicDisplay: 'masked',
      referenceCode: unique('FB').toUpperCase(),
      buyBy: at,
      deliverBy: at,
      receivedAt: at,
    })
    .run()
  db.update(wishes).set({ status: 'received', receivedAt: at }).where(eq(wishes.id, wish.id)).run()
  return { ...h, donor, wish, kind: 'wish' as const, subjectId: wish.id }
}

const params = (t: Target) => ({ slug: t.home.slug, kind: t.kind, subjectId: String(t.subjectId) })
const pagePath = (t: Target) => `/staff/${t.home.slug}/feedback/${t.kind}/${t.subjectId}`

function upload(t: Target, image: Buffer | null, altText: string, cookie = t.cookie) {
  const body = new FormData()
  if (image) body.append('image', new File([new Uint8Array(image)], 'photo.jpg', { type: 'image/jpeg' }))
  body.append('altText', altText)
  const request = new Request(ORIGIN + pagePath(t), { method: 'POST', body, headers: { Cookie: cookie } })
  return run(() => feedbackAction({ request, params: params(t), context: context() }))
}

function act(t: Target, intent: string, photoId: number, cookie = t.cookie) {
  const request = formRequest(pagePath(t), { intent, photoId: String(photoId) }, { cookie })
  return run(() => feedbackAction({ request, params: params(t), context: context() }))
}

function photosOf(t: Target) {
  return db
    .select()
    .from(feedbackPhotos)
    .where(and(eq(feedbackPhotos.subjectKind, t.kind), eq(feedbackPhotos.subjectId, t.subjectId)))
    .orderBy(feedbackPhotos.id)
    .all()
}

/** Staff's feedback page of the item, requested by `cookie` under `slug` (another home's, say). */
function staffPage(t: Target, slug = t.home.slug, cookie = t.cookie) {
  const theirs = { ...t, home: { ...t.home, slug } }
  return run(() => feedbackLoader({ request: getRequest(pagePath(theirs), cookie), params: params(theirs), context: context() }))
}

/** The staff-only image route for a photo, requested by `cookie` under `slug`. */
function staffImage(slug: string, cookie: string, photoId: number) {
  return run(() =>
    staffPhotoLoader({
      request: getRequest(`/staff/${slug}/feedback-photos/${photoId}`, cookie),
      params: { slug, photoId: String(photoId) },
      context: context(),
    }),
  )
}

function noticesTo(userId: number, kind: SubjectKind) {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.template, `feedback_photo.${kind}`)))
    .all()
}

async function publicWishPhotos(h: { wish: { id: number } }) {
  const page = await run(() =>
    wishPageLoader({ request: getRequest(`/wishes/${h.wish.id}`), params: { id: String(h.wish.id) }, context: context() }),
  )
  return (page.body as { feedbackPhotos: Array<{ key: string; altText: string }> }).feedbackPhotos
}

describe('feedback photos', () => {
  test(
    'a photo with faces stays 待处理 and cannot be published; the blur makes it publishable; EXIF is gone; the donor is told',
    async () => {
      const h = await homeWithReceivedWish()
      const uploaded = await upload(h, await facePhotoWithGps(), '孩子们收到了新书包')
      expect(uploaded.status).toBe(200)
      expect(uploaded.body).toMatchObject({ intent: 'upload', ok: true })
      const [photo] = photosOf(h)
      expect(photo).toMatchObject({ status: 'pending', detection: 'faces', altText: '孩子们收到了新书包' })
      expect(photo!.faces.length).toBeGreaterThanOrEqual(2)

      // Stored without metadata, away from the public images folder.
      const stored = fs.readFileSync(path.join(dataDir, 'feedback-photos', photo!.imageKey))
      const meta = await sharp(stored).metadata()
      expect(meta.format).toBe('webp')
      expect(meta.exif).toBeUndefined()
      expect(stored.includes('Secret-Cam')).toBe(false)
      expect(fs.existsSync(path.join(dataDir, 'images', photo!.imageKey))).toBe(false)

      // Not public: no route serves it, the wish page does not list it, staff cannot publish it.
      expect(
        (await run(() => publicPhotoLoader({ request: getRequest('/x'), params: { key: photo!.imageKey }, context: context() }))).status,
      ).toBe(404)
      expect(await publicWishPhotos(h)).toEqual([])
      const refused = await act(h, 'publish', photo!.id)
      expect(refused.status).toBe(400)
      expect(refused.body).toMatchObject({ ok: false, message: expect.stringContaining('检测到人脸') })
      expect(publishFeedbackPhoto(h.actor, h.home.id, photo!.id)).toMatchObject({ ok: false })
      // Nor can anything else that writes the table (the CHECK constraint).
      expect(() => sqlite.prepare("UPDATE feedback_photos SET status = 'published' WHERE id = ?").run(photo!.id)).toThrow(/CHECK/)
      expect(photosOf(h)[0]!.status).toBe('pending')

      // Staff see it with its boxes.
      const page = await staffPage(h)
      const view = (page.body as { photos: Array<{ status: string; detection: string; boxes: unknown[] }> }).photos[0]!
      expect(view).toMatchObject({ status: 'pending', detection: 'faces' })
      expect(view.boxes.length).toBe(photo!.faces.length)

      // One button blurs the faces; the detector runs again and finds none.
      const blurred = await act(h, 'blur', photo!.id)
      expect(blurred.body).toMatchObject({ ok: true, message: expect.stringContaining('重新检测未发现人脸') })
      const after = photosOf(h)[0]!
      expect(after).toMatchObject({ status: 'pending', detection: 'clear', faces: [] })
      expect(after.imageKey).not.toBe(photo!.imageKey)
      expect(fs.existsSync(path.join(dataDir, 'feedback-photos', photo!.imageKey))).toBe(false)

      const published = await act(h, 'publish', photo!.id)
      expect(published.body).toMatchObject({ ok: true })
      expect(photosOf(h)[0]!.status).toBe('published')
      const served = await run(() => publicPhotoLoader({ request: getRequest('/x'), params: { key: after.imageKey }, context: context() }))
      expect(served.status).toBe(200)
      expect(served.headers.get('Content-Type')).toBe('image/webp')
      expect(await publicWishPhotos(h)).toEqual([{ key: after.imageKey, altText: '孩子们收到了新书包' }])

      const notices = noticesTo(h.donor.id, 'wish')
      expect(notices).toHaveLength(1)
      expect(notices[0]!.subject).toBe('您认领的心愿有了执行反馈')
    },
    DETECTION_TIMEOUT,
  )

  test(
    'a photo without faces can be published at once; a second photo does not notify the donor again',
    async () => {
      const h = await homeWithReceivedWish()
      for (const alt of ['新书包', '新文具']) {
        const uploaded = await upload(h, await objectsPhoto(), alt)
        expect(uploaded.body).toMatchObject({ ok: true, message: expect.stringContaining('未检测到人脸') })
      }
      const photos = photosOf(h)
      expect(photos.map((p) => p.detection)).toEqual(['clear', 'clear'])
      for (const p of photos) expect((await act(h, 'publish', p.id)).body).toMatchObject({ ok: true })
      expect(db.select().from(notifications).where(eq(notifications.userId, h.donor.id)).all()).toHaveLength(1)
      expect((await publicWishPhotos(h)).map((p) => p.altText)).toEqual(['新书包', '新文具'])

      // Deleting a published photo takes it off the public page.
      expect((await act(h, 'delete', photos[0]!.id)).body).toMatchObject({ ok: true })
      expect((await publicWishPhotos(h)).map((p) => p.altText)).toEqual(['新文具'])
    },
    DETECTION_TIMEOUT,
  )

  test('alt text is required and the photo is required, with the message beside each field and the text kept', async () => {
    const h = await homeWithReceivedWish()
    const noAlt = await upload(h, await objectsPhoto(), '   ')
    expect(noAlt.status).toBe(400)
    expect(noAlt.body).toMatchObject({ fieldErrors: { altText: [expect.stringContaining('请填写照片说明')] } })
    const noImage = await upload(h, null, '新书包')
    expect(noImage.body).toMatchObject({ fieldErrors: { image: ['请选择要上传的图片'] }, values: { altText: '新书包' } })
    const notImage = await upload(h, Buffer.from('not an image at all'), '新书包')
    expect(notImage.body).toMatchObject({ fieldErrors: { image: ['只支持 JPEG、PNG 或 WebP 格式的图片'] }, values: { altText: '新书包' } })
    expect(photosOf(h)).toEqual([])
  })

  test(
    'another home cannot see or act on the photo; a wish not yet received takes no photos',
    async () => {
      const h = await homeWithReceivedWish()
      await upload(h, await objectsPhoto(), '新书包')
      const [photo] = photosOf(h)
      const other = await homeWithStaff()

      const theirs = { ...params(h), slug: other.home.slug }
      expect((await staffPage(h, other.home.slug, other.cookie)).status).toBe(404)
      const request = formRequest(
        `/staff/${other.home.slug}/feedback/wish/${h.wish.id}`,
        { intent: 'publish', photoId: String(photo!.id) },
        { cookie: other.cookie },
      )
      expect((await run(() => feedbackAction({ request, params: theirs, context: context() }))).status).toBe(404)
      expect((await staffImage(other.home.slug, other.cookie, photo!.id)).status).toBe(404)
      // Their own page cannot name our photo either.
      expect(publishFeedbackPhoto(other.actor, other.home.id, photo!.id)).toMatchObject({ ok: false, message: '照片不存在' })
      // Not signed in as staff of the home: no page.
      expect((await staffPage(h, h.home.slug, h.cookie.replace(/=.*/, '=x'))).status).not.toBe(200)

      const own = await staffImage(h.home.slug, h.cookie, photo!.id)
      expect(own.status).toBe(200)
      expect(own.headers.get('Cache-Control')).toBe('private, no-store')
      expect(photosOf(h)[0]!.status).toBe('pending')

      const open = createPublishedWish(h.home.id)
      expect((await staffPage({ ...h, subjectId: open.id })).status).toBe(404)
    },
    DETECTION_TIMEOUT,
  )
})

/**
 * A home's need with three pledgers: 王 has two arrivals, 李 one, 赵 nothing yet (active
 * pledge). `arrive: false` leaves every pledge outstanding (nothing received).
 */
async function homeWithReceivedNeed(options: { arrive?: boolean } = {}) {
  const h = await homeWithStaff()
  const need = db
    .insert(needs)
    .values({ institutionId: h.home.id, title: unique('大米'), category: 'material', unit: '袋', quantityNeeded: 20 })
    .returning()
    .get()
  const pledge = async (displayName: string, quantity: number) => {
    const user = await createUser({ displayName })
    const r = pledgeToNeed({
      userId: user.id,
      needId: need.id,
      quantity,
      expectedAt: new Date(Date.now() + 3 * 86_400_000),
      publicDisplay: 'masked',
    })
    if (!r.ok) throw new Error(r.message)
    return { user, pledgeId: r.pledgeId }
  }
  const wang = await pledge('王爱心', 4)
  const li = await pledge('李爱心', 2)
  const zhao = await pledge('赵爱心', 3)
  const receipts: string[] = []
  if (options.arrive !== false) {
    for (const [p, quantity] of [
      [wang, 2],
      [wang, 2],
      [li, 2],
    ] as const) {
      const r = recordArrival(h.actor, h.home.id, p.pledgeId, { quantity })
      if (!r.ok) throw new Error(r.message)
      receipts.push(r.receiptNo)
    }
  }
  return { ...h, need, wang: wang.user, li: li.user, zhao: zhao.user, receipts, kind: 'need' as const, subjectId: need.id }
}

async function publicNeedPhotos(needId: number) {
  const page = await run(() =>
    needPageLoader({ request: getRequest(`/needs/${needId}`), params: { id: String(needId) }, context: context() }),
  )
  return (page.body as { feedbackPhotos: Array<{ key: string; altText: string }> }).feedbackPhotos
}

async function ledgerPhotos(receiptNo: string) {
  const page = await run(() =>
    ledgerPageLoader({ request: getRequest(`/ledger/${receiptNo}`), params: { receipt: receiptNo }, context: context() }),
  )
  expect(page.status).toBe(200)
  return (page.body as { feedbackPhotos: Array<{ key: string; altText: string }> }).feedbackPhotos
}

describe('feedback photos of a need', () => {
  test('a need with nothing received takes no photos (only pledges outstanding)', async () => {
    const h = await homeWithReceivedNeed({ arrive: false })
    expect((await staffPage(h)).status).toBe(404)
    expect((await upload(h, await objectsPhoto(), '大米到了')).status).toBe(404)
    expect(photosOf(h)).toEqual([])
  })

  test(
    'a photo without faces publishes, shows on the public need page, tells each pledger with an arrival once; other homes get 404',
    async () => {
      const h = await homeWithReceivedNeed()
      expect((await staffPage(h)).status).toBe(200)
      const uploaded = await upload(h, await objectsPhoto(), '大米已入库')
      expect(uploaded.body).toMatchObject({ ok: true, message: expect.stringContaining('未检测到人脸') })
      const [photo] = photosOf(h)
      expect(photo).toMatchObject({ subjectKind: 'need', detection: 'clear', status: 'pending' })
      expect(await publicNeedPhotos(h.need.id)).toEqual([])

      expect((await act(h, 'publish', photo!.id)).body).toMatchObject({ ok: true })
      expect(await publicNeedPhotos(h.need.id)).toEqual([{ key: photo!.imageKey, altText: '大米已入库' }])
      const served = await run(() => publicPhotoLoader({ request: getRequest('/x'), params: { key: photo!.imageKey }, context: context() }))
      expect(served.status).toBe(200)

      // 王 gave twice and 李 once: one notice each; 赵 has not delivered anything yet: none.
      for (const donor of [h.wang, h.li]) {
        const notices = noticesTo(donor.id, 'need')
        expect(notices).toHaveLength(1)
        expect(notices[0]!.subject).toBe('您捐赠的物资有了执行反馈')
        expect(notices[0]!.body).toContain(h.need.title)
      }
      expect(noticesTo(h.zhao.id, 'need')).toEqual([])

      // Another home's staff: no page, no image, no action on it.
      const other = await homeWithStaff()
      expect((await staffPage(h, other.home.slug, other.cookie)).status).toBe(404)
      expect((await staffImage(other.home.slug, other.cookie, photo!.id)).status).toBe(404)
      expect((await staffImage(h.home.slug, other.cookie, photo!.id)).status).not.toBe(200)
      const theirs = { ...h, home: other.home, cookie: other.cookie }
      expect((await act(theirs, 'delete', photo!.id)).status).toBe(404)
      expect(photosOf(h)).toHaveLength(1)
      expect((await staffImage(h.home.slug, h.cookie, photo!.id)).status).toBe(200)
    },
    DETECTION_TIMEOUT,
  )

  test(
    'a photo with faces is refused publication until blurred',
    async () => {
      const h = await homeWithReceivedNeed()
      await upload(h, await facePhotoWithGps(), '发放大米')
      const [photo] = photosOf(h)
      expect(photo).toMatchObject({ subjectKind: 'need', detection: 'faces', status: 'pending' })
      const refused = await act(h, 'publish', photo!.id)
      expect(refused.status).toBe(400)
      expect(refused.body).toMatchObject({ ok: false, message: expect.stringContaining('检测到人脸') })
      expect(await publicNeedPhotos(h.need.id)).toEqual([])
      expect(noticesTo(h.wang.id, 'need')).toEqual([])

      expect((await act(h, 'blur', photo!.id)).body).toMatchObject({ ok: true, message: expect.stringContaining('重新检测未发现人脸') })
      expect((await act(h, 'publish', photo!.id)).body).toMatchObject({ ok: true })
      expect(await publicNeedPhotos(h.need.id)).toEqual([{ key: photosOf(h)[0]!.imageKey, altText: '发放大米' }])
      expect(noticesTo(h.wang.id, 'need')).toHaveLength(1)
    },
    DETECTION_TIMEOUT,
  )
})

describe('feedback photos of a 用途 entry', () => {
  test(
    'published on the ledger pages of the entries it drew on; their donors are told once; another home cannot act on it',
    async () => {
      // The need's arrivals are this home's named gifts; a desk gift with no account joins them.
      const n = await homeWithReceivedNeed()
      const desk = recordWalkInGift(n.actor, n.home.id, {
        kind: 'money',
        items: '现金捐款',
        amountFen: 30_000,
        channel: 'desk',
        donorName: '陈先生',
        publicDisplay: 'masked',
      })
      if (!desk.ok) throw new Error(desk.message)
      const [wang1, wang2, li] = n.receipts as [string, string, string]
      const used = recordAllocation(n.actor, n.home.id, {
        usedAt: new Date(),
        purpose: '冬季食堂用米',
        amountFen: null,
        items: '大米 4 袋',
        beneficiaryDescription: '本院全体儿童',
        sourceReceipts: [wang1, wang2, desk.receiptNo],
      })
      if (!used.ok) throw new Error(used.message)
      const h = { ...n, kind: 'allocation' as const, subjectId: used.allocationId }
      // Another 用途 of the same home draws on 李's arrival and has no photo.
      const elsewhere = recordAllocation(n.actor, n.home.id, {
        usedAt: new Date(),
        purpose: '春节加餐',
        amountFen: null,
        items: '大米 2 袋',
        beneficiaryDescription: '本院全体儿童',
        sourceReceipts: [li],
      })
      expect(elsewhere.ok).toBe(true)

      expect((await staffPage(h)).status).toBe(200)
      expect((await upload(h, await objectsPhoto(), '食堂里的大米')).body).toMatchObject({ ok: true })
      const [photo] = photosOf(h)
      expect(photo).toMatchObject({ subjectKind: 'allocation', detection: 'clear' })
      expect(await ledgerPhotos(wang1)).toEqual([])

      // Another home: no page, no image, cannot publish it, and cannot attach to it.
      const other = await homeWithStaff()
      const theirs = { ...h, home: other.home, cookie: other.cookie }
      expect((await staffPage(theirs)).status).toBe(404)
      expect((await staffImage(other.home.slug, other.cookie, photo!.id)).status).toBe(404)
      expect((await act(theirs, 'publish', photo!.id)).status).toBe(404)
      expect(publishFeedbackPhoto(other.actor, other.home.id, photo!.id)).toMatchObject({ ok: false, message: '照片不存在' })
      expect((await upload(theirs, null, '不是我们的')).status).toBe(404)
      expect(photosOf(h).map((p) => p.status)).toEqual(['pending'])

      expect((await act(h, 'publish', photo!.id)).body).toMatchObject({ ok: true })
      const shown = [{ key: photo!.imageKey, altText: '食堂里的大米' }]
      for (const receipt of [wang1, wang2, desk.receiptNo]) expect(await ledgerPhotos(receipt)).toEqual(shown)
      // 李's arrival went to the other 用途: its page shows none of this one's photos.
      expect(await ledgerPhotos(li)).toEqual([])

      // 王 gave both sources with an account: one notice; 李 gave only to the other 用途: none.
      const notices = noticesTo(n.wang.id, 'allocation')
      expect(notices).toHaveLength(1)
      expect(notices[0]!.subject).toBe('您的捐赠用途有了执行反馈')
      expect(notices[0]!.body).toContain('冬季食堂用米')
      expect(noticesTo(n.li.id, 'allocation')).toEqual([])
      // The photo of the 用途 is not a photo of the need.
      expect(await publicNeedPhotos(n.need.id)).toEqual([])
      expect(noticesTo(n.wang.id, 'need')).toEqual([])
    },
    DETECTION_TIMEOUT,
  )
})
