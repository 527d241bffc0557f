import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, test, vi } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { db, sqlite } from '~db/client.server'
import { claims, feedbackPhotos, notifications, wishes } from '~db/schema'
import { stopFaceDetector } from '~/feedback-photos/faces.server'
import { publishFeedbackPhoto } from '~/feedback-photos/feedback-photos.server'
import { loader as publicPhotoLoader } from '~/routes/feedback-photos.$key'
import { action as feedbackAction, loader as feedbackLoader } from '~/routes/staff.$slug.feedback.$kind.$subjectId'
import { loader as staffPhotoLoader } from '~/routes/staff.$slug.feedback-photos.$photoId'
import { loader as wishPageLoader } from '~/routes/wishes.$id._index'
import { context, createPublishedWish, createUser, formRequest, getRequest, homeWithStaff, ORIGIN, run, unique } from './helpers'

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

const FACE_IMAGE = 'node_modules/@vladmandic/face-api/demo/sample1.jpg' // three adults' faces
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

/** A picture of things, no people: a few coloured blocks. */
async function objectsPhoto(): Promise<Buffer> {
  const block = (color: string) =>
    sharp({ create: { width: 160, height: 120, channels: 3, background: color } })
      .png()
      .toBuffer()
  return sharp({ create: { width: 800, height: 600, channels: 3, background: '#e8e0d0' } })
    .composite([
      { input: await block('#3366aa'), left: 80, top: 100 },
      { input: await block('#aa3333'), left: 400, top: 300 },
    ])
    .png()
    .toBuffer()
}

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
  return { ...h, donor, wish }
}

type Home = Awaited<ReturnType<typeof homeWithReceivedWish>>
const params = (h: Home) => ({ slug: h.home.slug, kind: 'wish', subjectId: String(h.wish.id) })
const pagePath = (h: Home) => `/staff/${h.home.slug}/feedback/wish/${h.wish.id}`

function upload(h: Home, image: Buffer | null, altText: string, cookie = h.cookie) {
  const body = new FormData()
  if (image) body.append('image', new File([new Uint8Array(image)], 'photo.jpg', { type: 'image/jpeg' }))
  body.append('altText', altText)
  const request = new Request(ORIGIN + pagePath(h), { method: 'POST', body, headers: { Cookie: cookie } })
  return run(() => feedbackAction({ request, params: params(h), context: context() }))
}

function act(h: Home, intent: string, photoId: number, cookie = h.cookie) {
  const request = formRequest(pagePath(h), { intent, photoId: String(photoId) }, { cookie })
  return run(() => feedbackAction({ request, params: params(h), context: context() }))
}

function photosOf(h: Home) {
  return db.select().from(feedbackPhotos).where(eq(feedbackPhotos.subjectId, h.wish.id)).all()
}

async function publicWishPhotos(h: Home) {
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
      const page = await run(() => feedbackLoader({ request: getRequest(pagePath(h), h.cookie), params: params(h), context: context() }))
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

      const notices = db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, h.donor.id), eq(notifications.template, 'feedback_photo.wish')))
        .all()
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
      expect(
        (await run(() => feedbackLoader({ request: getRequest(pagePath(h), other.cookie), params: theirs, context: context() }))).status,
      ).toBe(404)
      const request = formRequest(
        `/staff/${other.home.slug}/feedback/wish/${h.wish.id}`,
        { intent: 'publish', photoId: String(photo!.id) },
        { cookie: other.cookie },
      )
      expect((await run(() => feedbackAction({ request, params: theirs, context: context() }))).status).toBe(404)
      expect(
        (
          await run(() =>
            staffPhotoLoader({
              request: getRequest(`/staff/${other.home.slug}/feedback-photos/${photo!.id}`, other.cookie),
              params: { slug: other.home.slug, photoId: String(photo!.id) },
              context: context(),
            }),
          )
        ).status,
      ).toBe(404)
      // Their own page cannot name our photo either.
      expect(publishFeedbackPhoto(other.actor, other.home.id, photo!.id)).toMatchObject({ ok: false, message: '照片不存在' })
      // Not signed in as staff of the home: no page.
      expect(
        (
          await run(() =>
            feedbackLoader({ request: getRequest(pagePath(h), h.cookie.replace(/=.*/, '=x')), params: params(h), context: context() }),
          )
        ).status,
      ).not.toBe(200)

      const own = await run(() =>
        staffPhotoLoader({
          request: getRequest(`/staff/${h.home.slug}/feedback-photos/${photo!.id}`, h.cookie),
          params: { slug: h.home.slug, photoId: String(photo!.id) },
          context: context(),
        }),
      )
      expect(own.status).toBe(200)
      expect(own.headers.get('Cache-Control')).toBe('private, no-store')
      expect(photosOf(h)[0]!.status).toBe('pending')

      const open = createPublishedWish(h.home.id)
      const openParams = { slug: h.home.slug, kind: 'wish', subjectId: String(open.id) }
      expect(
        (
          await run(() =>
            feedbackLoader({
              request: getRequest(`/staff/${h.home.slug}/feedback/wish/${open.id}`, h.cookie),
              params: openParams,
              context: context(),
            }),
          )
        ).status,
      ).toBe(404)
    },
    DETECTION_TIMEOUT,
  )
})
