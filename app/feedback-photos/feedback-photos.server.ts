import fs from 'node:fs/promises'
import path from 'node:path'
import { and, asc, count, eq, inArray, isNotNull } from 'drizzle-orm'
import sharp from 'sharp'
import { db, type Tx } from '~db/client.server'
import { allocationSources, allocations, claims, donations, feedbackPhotos, needs, pledgeArrivals, pledges, wishes } from '~db/schema'
import { attemptAuditedWrite, refuse, type Actor, type Refusal } from '~/audit/audit.server'
import { newImageKey, normaliseImage } from '~/images/images.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { getEnv } from '~/utils/env.server'
import { blurRegions, detectFaces, type FaceBox } from './faces.server'
import { MAX_PHOTOS_PER_SUBJECT, type SubjectKind } from './limits'

// 执行反馈: photos staff attach to a fulfilled wish, a received need or a 用途 entry. docs/product.md
// rule 1: no child's face in public. Every upload and every blur runs the local face detector
// (faces.server.ts); a photo is published only while its last detection found no face, and the
// database refuses any other published row (CHECK in db/schema.ts). Staff cannot override it.
// Files live under DATA_DIR/feedback-photos, not in the public images folder: a pending photo is
// served only to its home's staff, a published one by routes/feedback-photos.$key.tsx.

export { MAX_ALT_LENGTH, MAX_PHOTOS_PER_SUBJECT, subjectKinds, type SubjectKind } from './limits'

export type Detection = 'clear' | 'faces' | 'failed'
export type Subject = { kind: SubjectKind; id: number; title: string; publicPath: string | null }
type Field = 'image' | 'altText'

const KEY_PATTERN = /^[a-f0-9]{32}\.webp$/

function photosDir(): string {
  return path.resolve(getEnv().DATA_DIR, 'feedback-photos')
}

async function writePhoto(webp: Buffer): Promise<string> {
  const key = newImageKey()
  await fs.mkdir(photosDir(), { recursive: true })
  await fs.writeFile(path.join(photosDir(), key), webp, { flag: 'wx' })
  return key
}

async function removePhotoFile(key: string | null | undefined): Promise<void> {
  if (!key || !KEY_PATTERN.test(key)) return
  await fs.rm(path.join(photosDir(), key), { force: true })
}

export async function readPhotoFile(key: string): Promise<Buffer | null> {
  if (!KEY_PATTERN.test(key)) return null
  try {
    return await fs.readFile(path.join(photosDir(), key))
  } catch {
    return null
  }
}

/**
 * The item a photo is attached to, if it is this home's and has something to show: a wish that
 * was received or fulfilled, a need with at least one arrival, any 用途 entry.
 */
export function feedbackSubject(institutionId: number, kind: SubjectKind, id: number, tx: Tx | typeof db = db): Subject | null {
  if (kind === 'wish') {
    const wish = tx
      .select({ title: wishes.title, status: wishes.status })
      .from(wishes)
      .where(and(eq(wishes.id, id), eq(wishes.institutionId, institutionId)))
      .get()
    if (!wish || (wish.status !== 'received' && wish.status !== 'fulfilled')) return null
    return { kind, id, title: wish.title, publicPath: `/wishes/${id}` }
  }
  if (kind === 'need') {
    const need = tx
      .select({ title: needs.title })
      .from(needs)
      .where(and(eq(needs.id, id), eq(needs.institutionId, institutionId)))
      .get()
    if (!need) return null
    const arrived = tx
      .select({ n: count() })
      .from(pledgeArrivals)
      .innerJoin(pledges, eq(pledges.id, pledgeArrivals.pledgeId))
      .where(eq(pledges.needId, id))
      .get()
    if (!arrived?.n) return null
    return { kind, id, title: need.title, publicPath: `/needs/${id}` }
  }
  const allocation = tx
    .select({ purpose: allocations.purpose })
    .from(allocations)
    .where(and(eq(allocations.id, id), eq(allocations.institutionId, institutionId)))
    .get()
  if (!allocation) return null
  return { kind, id, title: allocation.purpose, publicPath: null }
}

/** The people who gave to the item: the wish's claimant, the need's pledgers with arrivals, the 用途's named donors. */
function donorsOf(tx: Tx, kind: SubjectKind, id: number): number[] {
  let ids: number[]
  if (kind === 'wish') {
    ids = tx
      .select({ userId: claims.userId })
      .from(claims)
      .where(and(eq(claims.wishId, id), inArray(claims.status, ['active', 'delivered'])))
      .all()
      .map((r) => r.userId)
  } else if (kind === 'need') {
    ids = tx
      .select({ userId: pledges.userId })
      .from(pledges)
      .innerJoin(pledgeArrivals, eq(pledgeArrivals.pledgeId, pledges.id))
      .where(eq(pledges.needId, id))
      .all()
      .map((r) => r.userId)
  } else {
    ids = tx
      .select({ userId: donations.donorUserId })
      .from(allocationSources)
      .innerJoin(donations, eq(donations.id, allocationSources.donationId))
      .where(and(eq(allocationSources.allocationId, id), isNotNull(donations.donorUserId)))
      .all()
      .map((r) => r.userId as number)
  }
  return [...new Set(ids)]
}

const noticeText: Record<SubjectKind, { subject: string; body: (title: string) => string }> = {
  wish: { subject: '您认领的心愿有了执行反馈', body: (t) => `您认领的心愿「${t}」有了执行反馈照片，可在心愿页面查看。感谢您的爱心！` },
  need: { subject: '您捐赠的物资有了执行反馈', body: (t) => `您捐赠的物资「${t}」有了执行反馈照片，可在需求页面查看。感谢您的爱心！` },
  allocation: {
    subject: '您的捐赠用途有了执行反馈',
    body: (t) => `您的捐赠用于「${t}」，现在有了执行反馈照片，可在您的捐赠记录中查看。感谢您的爱心！`,
  },
}

function detectionOf(result: Awaited<ReturnType<typeof detectFaces>>): { detection: Detection; faces: FaceBox[] } {
  if (!result.ok) return { detection: 'failed', faces: [] }
  return { detection: result.faces.length ? 'faces' : 'clear', faces: result.faces }
}

export type UploadResult = { ok: true; photoId: number; detection: Detection } | Refusal<Field>

/** Store an upload (EXIF stripped), run the face detector on it and keep it as 待处理. */
export async function uploadFeedbackPhoto(
  actor: Actor,
  institutionId: number,
  kind: SubjectKind,
  subjectId: number,
  input: { bytes: Uint8Array; altText: string },
): Promise<UploadResult> {
  const subject = feedbackSubject(institutionId, kind, subjectId)
  if (!subject) return { ok: false, message: '只能为已收到或已完成的心愿、已有到货的需求和用途记录上传执行反馈照片' }
  const normalised = await normaliseImage(input.bytes)
  if (!normalised.ok) return { ok: false, message: normalised.message, field: 'image' }
  const found = detectionOf(await detectFaces(normalised.webp))
  const key = await writePhoto(normalised.webp)
  const outcome = attemptAuditedWrite<UploadResult, Refusal<Field>>(actor, (tx) => {
    const again = feedbackSubject(institutionId, kind, subjectId, tx)
    if (!again) refuse<Field>('该记录已不能上传执行反馈照片')
    const existing = tx
      .select({ n: count() })
      .from(feedbackPhotos)
      .where(and(eq(feedbackPhotos.subjectKind, kind), eq(feedbackPhotos.subjectId, subjectId)))
      .get()
    if ((existing?.n ?? 0) >= MAX_PHOTOS_PER_SUBJECT) refuse<Field>(`每条记录最多 ${MAX_PHOTOS_PER_SUBJECT} 张执行反馈照片`, 'image')
    const row = tx
      .insert(feedbackPhotos)
      .values({
        institutionId,
        subjectKind: kind,
        subjectId,
        imageKey: key,
        altText: input.altText,
        detection: found.detection,
        faces: found.faces,
        uploadedBy: actor.userId,
      })
      .returning({ id: feedbackPhotos.id })
      .get()
    return {
      result: { ok: true as const, photoId: row.id, detection: found.detection },
      audit: {
        institutionId,
        action: 'feedback_photo.upload',
        entityType: 'feedback_photo',
        entityId: row.id,
        summary: { kind, subjectId, detection: found.detection, faces: found.faces.length },
      },
    }
  })
  if (!outcome.ok) await removePhotoFile(key)
  return outcome
}

function photoOf(tx: Tx | typeof db, institutionId: number, photoId: number) {
  return tx
    .select()
    .from(feedbackPhotos)
    .where(and(eq(feedbackPhotos.id, photoId), eq(feedbackPhotos.institutionId, institutionId)))
    .get()
}

export type PhotoResult = { ok: true; detection: Detection } | Refusal

/** Blur every detected face (padded) with sharp, then run the detector again on the result. */
export async function blurFeedbackPhoto(actor: Actor, institutionId: number, photoId: number): Promise<PhotoResult> {
  const photo = photoOf(db, institutionId, photoId)
  if (!photo) return { ok: false, message: '照片不存在' }
  if (photo.status !== 'pending' || photo.detection !== 'faces') return { ok: false, message: '这张照片没有需要模糊的人脸' }
  const original = await readPhotoFile(photo.imageKey)
  if (!original) return { ok: false, message: '照片文件不存在，请删除后重新上传' }
  const blurred = await blurRegions(original, photo.faces)
  const found = detectionOf(await detectFaces(blurred))
  const key = await writePhoto(blurred)
  const outcome = attemptAuditedWrite<PhotoResult, Refusal>(actor, (tx) => {
    const current = photoOf(tx, institutionId, photoId)
    if (!current || current.imageKey !== photo.imageKey) refuse('照片已被修改，请刷新后重试')
    tx.update(feedbackPhotos)
      .set({ imageKey: key, detection: found.detection, faces: found.faces, updatedAt: now() })
      .where(eq(feedbackPhotos.id, photoId))
      .run()
    return {
      result: { ok: true as const, detection: found.detection },
      audit: {
        institutionId,
        action: 'feedback_photo.blur',
        entityType: 'feedback_photo',
        entityId: photoId,
        summary: { blurred: photo.faces.length, detection: found.detection, faces: found.faces.length },
      },
    }
  })
  await removePhotoFile(outcome.ok ? photo.imageKey : key)
  return outcome
}

/** Run the detector again (after a failed run). */
export async function redetectFeedbackPhoto(actor: Actor, institutionId: number, photoId: number): Promise<PhotoResult> {
  const photo = photoOf(db, institutionId, photoId)
  if (!photo) return { ok: false, message: '照片不存在' }
  if (photo.status !== 'pending') return { ok: false, message: '照片已公开' }
  const file = await readPhotoFile(photo.imageKey)
  if (!file) return { ok: false, message: '照片文件不存在，请删除后重新上传' }
  const found = detectionOf(await detectFaces(file))
  return attemptAuditedWrite<PhotoResult, Refusal>(actor, (tx) => {
    tx.update(feedbackPhotos)
      .set({ detection: found.detection, faces: found.faces, updatedAt: now() })
      .where(and(eq(feedbackPhotos.id, photoId), eq(feedbackPhotos.imageKey, photo.imageKey)))
      .run()
    return {
      result: { ok: true as const, detection: found.detection },
      audit: {
        institutionId,
        action: 'feedback_photo.detect',
        entityType: 'feedback_photo',
        entityId: photoId,
        summary: { detection: found.detection, faces: found.faces.length },
      },
    }
  })
}

/**
 * Publish a photo whose last detection found no face (docs/product.md rule 1: no override), and
 * tell the item's donors through the outbox, once per item and donor.
 */
export function publishFeedbackPhoto(actor: Actor, institutionId: number, photoId: number): { ok: true } | Refusal {
  return attemptAuditedWrite<{ ok: true }, Refusal>(actor, (tx) => {
    const photo = photoOf(tx, institutionId, photoId)
    if (!photo) refuse('照片不存在')
    if (photo.status === 'published') refuse('照片已公开')
    if (photo.detection === 'faces') refuse('照片中检测到人脸，请先模糊人脸或删除照片，不能公开')
    if (photo.detection !== 'clear') refuse('人脸检测没有结果，照片不能公开。请重新检测，或删除后重新上传')
    const subject = feedbackSubject(institutionId, photo.subjectKind, photo.subjectId, tx)
    if (!subject) refuse('该记录已不能公开执行反馈照片')
    tx.update(feedbackPhotos).set({ status: 'published', publishedAt: now(), updatedAt: now() }).where(eq(feedbackPhotos.id, photoId)).run()
    const text = noticeText[photo.subjectKind]
    for (const userId of donorsOf(tx, photo.subjectKind, photo.subjectId)) {
      enqueueNotification(tx, {
        userId,
        template: `feedback_photo.${photo.subjectKind}`,
        subject: text.subject,
        body: text.body(subject.title),
        dedupeKey: `feedback:${photo.subjectKind}:${photo.subjectId}:user:${userId}`,
      })
    }
    return {
      result: { ok: true as const },
      audit: { institutionId, action: 'feedback_photo.publish', entityType: 'feedback_photo', entityId: photoId, summary: {} },
    }
  })
}

export async function deleteFeedbackPhoto(actor: Actor, institutionId: number, photoId: number): Promise<{ ok: true } | Refusal> {
  const outcome = attemptAuditedWrite<{ ok: true; key: string }, Refusal>(actor, (tx) => {
    const photo = photoOf(tx, institutionId, photoId)
    if (!photo) refuse('照片不存在')
    tx.delete(feedbackPhotos).where(eq(feedbackPhotos.id, photoId)).run()
    return {
      result: { ok: true as const, key: photo.imageKey },
      audit: {
        institutionId,
        action: 'feedback_photo.delete',
        entityType: 'feedback_photo',
        entityId: photoId,
        summary: { kind: photo.subjectKind, subjectId: photo.subjectId, status: photo.status },
      },
    }
  })
  if (!outcome.ok) return outcome
  await removePhotoFile(outcome.key)
  return { ok: true }
}

/** Every photo of an item, for its home's staff. */
export function staffPhotos(institutionId: number, kind: SubjectKind, subjectId: number) {
  return db
    .select()
    .from(feedbackPhotos)
    .where(
      and(eq(feedbackPhotos.institutionId, institutionId), eq(feedbackPhotos.subjectKind, kind), eq(feedbackPhotos.subjectId, subjectId)),
    )
    .orderBy(asc(feedbackPhotos.id))
    .all()
}

/** Staff's view of an item's photos: face boxes in percent of the stored image's size. */
export async function staffPhotoViews(institutionId: number, kind: SubjectKind, subjectId: number) {
  return Promise.all(
    staffPhotos(institutionId, kind, subjectId).map(async (p) => {
      const file = p.faces.length ? await readPhotoFile(p.imageKey) : null
      const meta = file ? await sharp(file).metadata() : null
      const w = meta?.width || 1
      const h = meta?.height || 1
      return {
        id: p.id,
        version: p.imageKey.slice(0, 8),
        altText: p.altText,
        status: p.status,
        detection: p.detection,
        createdAt: p.createdAt.toISOString(),
        boxes: p.faces.map((f) => ({
          left: (f.x / w) * 100,
          top: (f.y / h) * 100,
          width: (f.width / w) * 100,
          height: (f.height / h) * 100,
        })),
      }
    }),
  )
}

export type PublicPhoto = { key: string; altText: string; subjectId: number }

/** Published photos of items of one kind, for public pages. */
export function publishedPhotos(kind: SubjectKind, subjectIds: number[]): PublicPhoto[] {
  if (!subjectIds.length) return []
  return db
    .select({ key: feedbackPhotos.imageKey, altText: feedbackPhotos.altText, subjectId: feedbackPhotos.subjectId })
    .from(feedbackPhotos)
    .where(and(eq(feedbackPhotos.subjectKind, kind), inArray(feedbackPhotos.subjectId, subjectIds), eq(feedbackPhotos.status, 'published')))
    .orderBy(asc(feedbackPhotos.id))
    .all()
}

/** A published photo's file, or null (pending photos are never served publicly). */
export async function readPublishedPhoto(key: string | undefined): Promise<Buffer | null> {
  if (!key || !KEY_PATTERN.test(key)) return null
  const row = db
    .select({ id: feedbackPhotos.id })
    .from(feedbackPhotos)
    .where(and(eq(feedbackPhotos.imageKey, key), eq(feedbackPhotos.status, 'published')))
    .get()
  return row ? readPhotoFile(key) : null
}

/** A photo's file for its own home's staff (any status). */
export async function readStaffPhoto(institutionId: number, photoId: number): Promise<Buffer | null> {
  const photo = photoOf(db, institutionId, photoId)
  return photo ? readPhotoFile(photo.imageKey) : null
}
