import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, describe, expect, test, vi } from 'vitest'
import { eq } from 'drizzle-orm'
import { db } from '~db/client.server'
import { children, wishes } from '~db/schema'
import { imageMessages, storeWishImage } from '~/images/images.server'
import { loader as imageLoader } from '~/routes/images.$key'
import { action as wishAction } from '~/routes/staff.$slug.wishes.$wishId'
import { addMember, context, createTestInstitution, createUser, getRequest, ORIGIN, run, signedInCookie } from './helpers'

// Uploaded files go to a directory of this test file's own, set before getEnv() first reads it.
const dataDir = vi.hoisted(() => {
  const dir = `tests/.tmp/images-${process.pid}-${Date.now().toString(36)}`
  process.env.DATA_DIR = dir
  return dir
})
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

const GPS_IFD_POINTER = Buffer.from([0x25, 0x88]) // tag 0x8825, little-endian

/** A phone photo: 1600×900, held sideways (orientation 6), with camera model and GPS position. */
async function phonePhotoWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 1600, height: 900, channels: 3, background: '#c96' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Secret-Cam' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '37/1 22/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '117/1 58/1 0/1' },
    })
    .toBuffer()
}

async function homeWithDraftWish() {
  const home = createTestInstitution()
  const staff = await createUser({ displayName: '社工' })
  addMember(staff.id, home.id, 'staff')
  const child = db
    .insert(children)
    .values({ institutionId: home.id, realName: '图片测试', birthDate: '2016-01-01', gender: 'female', pseudonym: '小朵' })
    .returning()
    .get()
  const wish = db
    .insert(wishes)
    .values({ institutionId: home.id, childId: child.id, category: 'study', title: '一个书包', story: '想要一个新书包上学用。' })
    .returning()
    .get()
  return { home, staff, wish, cookie: signedInCookie(staff.id) }
}

function upload(h: Awaited<ReturnType<typeof homeWithDraftWish>>, file: File) {
  const body = new FormData()
  body.append('image', file)
  const request = new Request(`${ORIGIN}/staff/${h.home.slug}/wishes/${h.wish.id}`, { method: 'POST', body, headers: { Cookie: h.cookie } })
  return run(() => wishAction({ request, params: { slug: h.home.slug, wishId: String(h.wish.id) }, context: context() }))
}

describe('wish images', () => {
  test('a phone photo loses its EXIF and GPS data, is turned upright and resized for the web', async () => {
    const original = await phonePhotoWithGps()
    const before = await sharp(original).metadata()
    expect(before.exif?.includes(GPS_IFD_POINTER)).toBe(true)
    expect(before.exif?.includes('Secret-Cam')).toBe(true)

    const stored = await storeWishImage(original)
    if (!stored.ok) throw new Error(stored.message)
    expect(stored.key).toMatch(/^[a-f0-9]{32}\.webp$/)
    const bytes = fs.readFileSync(path.join(dataDir, 'images', stored.key))
    const after = await sharp(bytes).metadata()
    expect(after.format).toBe('webp')
    expect(after.exif).toBeUndefined()
    expect(after.xmp).toBeUndefined()
    expect(after.orientation).toBeUndefined()
    expect(bytes.includes('Secret-Cam')).toBe(false)
    // Orientation 6 applied: the 1600×900 sideways picture is stored 900×1600.
    expect([after.width, after.height]).toEqual([900, 1600])

    const wide = await storeWishImage(
      await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#69c' } })
        .png()
        .toBuffer(),
    )
    if (!wide.ok) throw new Error(wide.message)
    const resized = await sharp(path.join(dataDir, 'images', wide.key)).metadata()
    expect([resized.width, resized.height]).toEqual([1200, 400])
  })

  test('staff upload an image to a wish; it is served with long-lived cache headers', async () => {
    const h = await homeWithDraftWish()
    const res = await upload(h, new File([new Uint8Array(await phonePhotoWithGps())], 'IMG_0001.jpg', { type: 'image/jpeg' }))
    expect(res.status).toBe(200)
    expect((res.body as { message: string }).message).toBe('图片已上传（已去除拍摄地点等信息）')
    const key = db.select().from(wishes).where(eq(wishes.id, h.wish.id)).get()!.imageKey!
    expect(key).toMatch(/\.webp$/)

    const served = await imageLoader({ request: getRequest(`/images/${key}`), params: { key }, context: context() })
    expect(served.status).toBe(200)
    expect(served.headers.get('Content-Type')).toBe('image/webp')
    expect(served.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable')
    const body = Buffer.from(await served.arrayBuffer())
    expect((await sharp(body).metadata()).exif).toBeUndefined()
  })

  test('a file over 5 MB is refused with a Chinese message and nothing is stored', async () => {
    const h = await homeWithDraftWish()
    const tooBig = new Uint8Array(5_000_001)
    expect(await storeWishImage(tooBig)).toEqual({ ok: false, message: imageMessages.tooLarge })
    const res = await upload(h, new File([tooBig], 'huge.jpg', { type: 'image/jpeg' }))
    expect(res.status).toBe(413)
    expect((res.body as { message: string }).message).toBe('图片不能超过 5 MB，请压缩后再上传')
    expect(db.select().from(wishes).where(eq(wishes.id, h.wish.id)).get()!.imageKey).toBeNull()
  })

  test('a file that is not a JPEG, PNG or WebP is refused whatever its name says', async () => {
    const h = await homeWithDraftWish()
    const text = await upload(h, new File(['#!/bin/sh\necho hi\n'], 'photo.jpg', { type: 'image/jpeg' }))
    expect(text.status).toBe(400)
    expect((text.body as { message: string }).message).toBe('只支持 JPEG、PNG 或 WebP 格式的图片')
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } })
      .gif()
      .toBuffer()
    const gifRes = await upload(h, new File([new Uint8Array(gif)], 'photo.png', { type: 'image/png' }))
    expect(gifRes.status).toBe(400)
    expect((gifRes.body as { message: string }).message).toBe(imageMessages.wrongType)
    expect(db.select().from(wishes).where(eq(wishes.id, h.wish.id)).get()!.imageKey).toBeNull()
  })

  test('unknown keys and path traversal get a 404', async () => {
    fs.mkdirSync(dataDir, { recursive: true })
    fs.writeFileSync(path.join(dataDir, 'secret.txt'), 'not an image')
    for (const key of [
      '../secret.txt',
      '..%2Fsecret.txt',
      '../../data/weinuan.db',
      'secret.txt',
      `${'a'.repeat(32)}.webp`,
      `${'a'.repeat(32)}.webp/..`,
    ]) {
      const res = await run(() =>
        imageLoader({ request: getRequest(`/images/${encodeURIComponent(key)}`), params: { key }, context: context() }),
      )
      expect(res.status, key).toBe(404)
      expect(res.body).not.toContain('not an image')
    }
  })
})
