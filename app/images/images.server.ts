import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { getEnv } from '~/utils/env.server'

// Wish images. docs/product.md rule 1: uploads lose all EXIF/GPS metadata. The file's real type is
// read from its bytes (sharp), never from its name or the browser's content type.

export const MAX_IMAGE_BYTES = 5_000_000
export const MAX_IMAGE_WIDTH = 1200
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp'])
// Keys are generated here: 32 hex characters and an extension. Anything else is not ours.
const KEY_PATTERN = /^[a-f0-9]{32}\.(webp|jpg)$/

export const imageMessages = {
  tooLarge: '图片不能超过 5 MB，请压缩后再上传',
  wrongType: '只支持 JPEG、PNG 或 WebP 格式的图片',
  empty: '请选择要上传的图片',
} as const

export type StoreImageResult = { ok: true; key: string } | { ok: false; message: string }

function imagesDir(): string {
  return path.resolve(getEnv().DATA_DIR, 'images')
}

/**
 * Validate and re-encode an upload: rotated upright, at most 1200px wide, WebP, no metadata.
 * Shared by wish images and feedback photos (app/feedback-photos), which store it elsewhere.
 */
export async function normaliseImage(bytes: Uint8Array): Promise<{ ok: true; webp: Buffer } | { ok: false; message: string }> {
  if (bytes.byteLength === 0) return { ok: false, message: imageMessages.empty }
  if (bytes.byteLength > MAX_IMAGE_BYTES) return { ok: false, message: imageMessages.tooLarge }
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let format: string | undefined
  try {
    format = (await sharp(input).metadata()).format
  } catch {
    return { ok: false, message: imageMessages.wrongType }
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) return { ok: false, message: imageMessages.wrongType }
  try {
    // sharp writes no EXIF, ICC or XMP unless asked with withMetadata()/keepExif(); .rotate()
    // applies the EXIF orientation first so the picture is not left sideways.
    const webp = await sharp(input, { limitInputPixels: 50_000_000 })
      .rotate()
      .resize({ width: MAX_IMAGE_WIDTH, withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer()
    return { ok: true, webp }
  } catch {
    return { ok: false, message: imageMessages.wrongType }
  }
}

/** A new random key for a stored WebP image. */
export function newImageKey(): string {
  return `${randomBytes(16).toString('hex')}.webp`
}

/** Validate, re-encode (see normaliseImage) and store a wish image in the public images folder. */
export async function storeWishImage(bytes: Uint8Array): Promise<StoreImageResult> {
  const normalised = await normaliseImage(bytes)
  if (!normalised.ok) return normalised
  const key = newImageKey()
  await fs.mkdir(imagesDir(), { recursive: true })
  await fs.writeFile(path.join(imagesDir(), key), normalised.webp, { flag: 'wx' })
  return { ok: true, key }
}

export function isImageKey(key: string | undefined | null): key is string {
  return typeof key === 'string' && KEY_PATTERN.test(key)
}

/** The stored bytes and content type for a key, or null for unknown or malformed keys. */
export async function readWishImage(key: string | undefined): Promise<{ body: Buffer; contentType: string } | null> {
  if (!isImageKey(key)) return null
  try {
    const body = await fs.readFile(path.join(imagesDir(), key))
    return { body, contentType: key.endsWith('.webp') ? 'image/webp' : 'image/jpeg' }
  } catch {
    return null
  }
}

export async function deleteWishImage(key: string | null | undefined): Promise<void> {
  if (!isImageKey(key)) return
  await fs.rm(path.join(imagesDir(), key), { force: true })
}
