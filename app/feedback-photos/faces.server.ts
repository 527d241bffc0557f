import path from 'node:path'
import { Worker } from 'node:worker_threads'
import sharp, { type OutputInfo, type OverlayOptions } from 'sharp'

// Local face detection for feedback photos (docs/product.md rule 1; docs/decisions/022-face-detection.md).
// SSD MobileNet v1 from @vladmandic/face-api on the TensorFlow.js WASM backend, in a worker thread
// (face-worker.js) started on first use and kept for later photos. The image is decoded here
// with sharp, scaled to at most DETECT_SIZE on its longer side, and the boxes are mapped back.

export type FaceBox = { x: number; y: number; width: number; height: number; score: number }
export type Detection = { ok: true; faces: FaceBox[] } | { ok: false; error: string }

const DETECT_SIZE = 1024
const TIMEOUT_MS = 120_000
// Resolved from the working directory: the server, the scripts and the tests all run from the
// repository root, and the worker file is not bundled by Vite.
const WORKER_FILE = path.resolve(process.cwd(), 'app/feedback-photos/face-worker.js')

type Pending = { resolve: (d: Detection) => void; timer: NodeJS.Timeout }
let worker: Worker | null = null
let nextId = 1
const pending = new Map<number, Pending>()

function failAll(error: string) {
  for (const [id, p] of pending) {
    clearTimeout(p.timer)
    p.resolve({ ok: false, error })
    pending.delete(id)
  }
}

function getWorker(): Worker {
  if (worker) return worker
  const w = new Worker(WORKER_FILE)
  w.unref() // an idle detector never keeps a process (a script, a test) alive
  w.on('message', (message: { id: number; faces?: FaceBox[]; error?: string }) => {
    const p = pending.get(message.id)
    if (!p) return
    pending.delete(message.id)
    clearTimeout(p.timer)
    p.resolve(message.faces ? { ok: true, faces: message.faces } : { ok: false, error: message.error ?? 'unknown error' })
  })
  w.on('error', (error) => {
    worker = null
    failAll(String(error))
  })
  w.on('exit', () => {
    if (worker === w) worker = null
    failAll('face detector stopped')
  })
  worker = w
  return w
}

/** Faces in an image (any format sharp reads), in the image's own pixel coordinates. */
export async function detectFaces(image: Buffer): Promise<Detection> {
  let raw: { data: Buffer; info: OutputInfo }
  let width: number
  try {
    const meta = await sharp(image).metadata()
    width = meta.width ?? 0
    raw = await sharp(image)
      .resize(DETECT_SIZE, DETECT_SIZE, { fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true })
  } catch (error) {
    return { ok: false, error: `decode: ${String(error)}` }
  }
  const scale = width / raw.info.width
  const id = nextId++
  const detection = await new Promise<Detection>((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(id)
      resolve({ ok: false, error: 'face detector timed out' })
    }, TIMEOUT_MS)
    pending.set(id, { resolve, timer })
    const data = new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength)
    getWorker().postMessage({ id, data, width: raw.info.width, height: raw.info.height })
  })
  if (!detection.ok) return detection
  return {
    ok: true,
    faces: detection.faces.map((f) => ({
      x: Math.round(f.x * scale),
      y: Math.round(f.y * scale),
      width: Math.round(f.width * scale),
      height: Math.round(f.height * scale),
      score: f.score,
    })),
  }
}

/** Stop the detector's worker (tests, shutdown). */
export async function stopFaceDetector(): Promise<void> {
  const w = worker
  worker = null
  if (w) await w.terminate()
}

/**
 * Blur the given regions, each padded by half its size on every side (hair, ears, a turned
 * head): the region is pixelated to blocks of about a twelfth of its size, then blurred.
 */
export async function blurRegions(image: Buffer, regions: Array<Pick<FaceBox, 'x' | 'y' | 'width' | 'height'>>): Promise<Buffer> {
  const meta = await sharp(image).metadata()
  const W = meta.width ?? 0
  const H = meta.height ?? 0
  const overlays: OverlayOptions[] = []
  for (const r of regions) {
    const padX = Math.round(r.width * 0.5)
    const padY = Math.round(r.height * 0.5)
    const left = Math.max(0, r.x - padX)
    const top = Math.max(0, r.y - padY)
    const width = Math.min(W - left, r.width + 2 * padX)
    const height = Math.min(H - top, r.height + 2 * padY)
    if (width < 2 || height < 2) continue
    const blocksW = Math.max(1, Math.round(width / Math.max(8, width / 12)))
    const blocksH = Math.max(1, Math.round(height / Math.max(8, height / 12)))
    const small = await sharp(image).extract({ left, top, width, height }).resize(blocksW, blocksH, { fit: 'fill' }).toBuffer()
    const input = await sharp(small)
      .resize(width, height, { fit: 'fill', kernel: 'nearest' })
      .blur(Math.max(2, Math.min(width, height) / 20))
      .toBuffer()
    overlays.push({ input, left, top })
  }
  if (!overlays.length) return image
  return sharp(image).composite(overlays).webp({ quality: 80 }).toBuffer()
}
