import { createHash } from 'node:crypto'
import QRCode from 'qrcode'
import sharp from 'sharp'
import { siteUrl } from '~/utils/origin.server'

// Share cards: the picture WeChat, Weibo and other apps show beside a shared link (og:image).
// Generated from public text only — a wish's pseudonym, age band and title, a need's title and
// progress, a campaign's name — plus a QR code of the page, and never from a photo: a wish photo
// or a feedback photo could show a child (docs/product.md rule 1). 1200 × 630 is the Open Graph
// size every major app crops well; WeChat's square thumbnail takes its centre.

export const SHARE_CARD_WIDTH = 1200
export const SHARE_CARD_HEIGHT = 630

export type ShareCard = {
  /** What it is, above the title: 微心愿 / 物资需求 / 公益活动. */
  kicker: string
  title: string
  /** Up to three short lines under the title (who, where, progress). */
  lines: string[]
  /** The page the QR code opens: an absolute URL on this site. */
  url: string
  /** Optional progress bar, e.g. 3 of 10 received. */
  progress?: { done: number; total: number; label: string }
}

const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif"
const BRAND = '#9a3412'
const INK = '#1c1917'
const MUTED = '#57534e'
const PAPER = '#fff7ed'

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)

/** Rough advance of a character in em: CJK and full-width forms are square, Latin about half. */
function advance(char: string): number {
  const code = char.codePointAt(0)!
  if (code < 0x80) return /[A-Z0-9@#%&MW]/.test(char) ? 0.62 : 0.5
  return 1
}

/**
 * Break text into at most `maxLines` lines of at most `maxEm` em, at any character (Chinese has
 * no spaces to break at); the last line ends in … when text is left over.
 */
export function wrapText(text: string, maxEm: number, maxLines: number): string[] {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim())
  const lines: string[] = []
  let line = ''
  let width = 0
  for (const char of chars) {
    const w = advance(char)
    if (width + w > maxEm && line) {
      if (lines.length === maxLines - 1) {
        lines.push(ellipsise(line, maxEm))
        return lines
      }
      lines.push(line.trimEnd())
      line = char === ' ' ? '' : char
      width = line ? w : 0
    } else {
      line += char
      width += w
    }
  }
  if (line) lines.push(line.trimEnd())
  return lines
}

function ellipsise(line: string, maxEm: number): string {
  const chars = Array.from(line)
  let width = chars.reduce((sum, c) => sum + advance(c), 0)
  while (chars.length && width + 1 > maxEm) width -= advance(chars.pop()!)
  return `${chars.join('').trimEnd()}…`
}

/** The QR code of `url` as one SVG path of unit squares, placed at (x, y) with the given size. */
function qrPath(url: string, x: number, y: number, size: number): string {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const cell = size / n
  let d = ''
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (qr.modules.get(row, col))
        d += `M${(x + col * cell).toFixed(2)} ${(y + row * cell).toFixed(2)}h${cell.toFixed(2)}v${cell.toFixed(2)}h-${cell.toFixed(2)}z`
    }
  }
  return `<path d="${d}" fill="${INK}"/>`
}

/** The card as SVG (also what the tests read: only the text given here can be on the card). */
export function shareCardSvg(card: ShareCard): string {
  const left = 64
  const textEm = 660 / 60 // the title column, in em of the 60 px title font
  const titleLines = wrapText(card.title, textEm, 3)
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SHARE_CARD_WIDTH}" height="${SHARE_CARD_HEIGHT}" viewBox="0 0 ${SHARE_CARD_WIDTH} ${SHARE_CARD_HEIGHT}">`,
    `<rect width="100%" height="100%" fill="${PAPER}"/>`,
    `<rect width="100%" height="14" fill="${BRAND}"/>`,
    `<text x="${left}" y="92" font-family="${FONT}" font-size="34" font-weight="700" fill="${BRAND}">微暖 · ${escapeXml(card.kicker)}</text>`,
  ]
  let y = 180
  for (const line of titleLines) {
    out.push(`<text x="${left}" y="${y}" font-family="${FONT}" font-size="60" font-weight="700" fill="${INK}">${escapeXml(line)}</text>`)
    y += 76
  }
  y += 8
  for (const text of card.lines.slice(0, 3)) {
    const [line] = wrapText(text, 660 / 32, 1)
    if (!line) continue
    out.push(`<text x="${left}" y="${y}" font-family="${FONT}" font-size="32" fill="${MUTED}">${escapeXml(line)}</text>`)
    y += 46
  }
  if (card.progress && card.progress.total > 0) {
    const share = Math.max(0, Math.min(1, card.progress.done / card.progress.total))
    const barY = SHARE_CARD_HEIGHT - 96
    out.push(
      `<rect x="${left}" y="${barY}" width="660" height="20" rx="10" fill="#fed7aa"/>`,
      `<rect x="${left}" y="${barY}" width="${Math.round(660 * share)}" height="20" rx="10" fill="${BRAND}"/>`,
      `<text x="${left}" y="${barY + 60}" font-family="${FONT}" font-size="28" fill="${INK}">${escapeXml(card.progress.label)}</text>`,
    )
  }
  // The QR code on a white tile, with the instruction WeChat users know.
  const qrX = 812
  const qrY = 120
  const qrSize = 320
  out.push(
    `<rect x="${qrX - 24}" y="${qrY - 24}" width="${qrSize + 48}" height="${qrSize + 48}" rx="16" fill="#ffffff"/>`,
    qrPath(card.url, qrX, qrY, qrSize),
    `<text x="${qrX + qrSize / 2}" y="${qrY + qrSize + 76}" text-anchor="middle" font-family="${FONT}" font-size="28" fill="${MUTED}">长按或扫码查看</text>`,
    '</svg>',
  )
  return out.join('')
}

// Rendering takes tens of milliseconds (the first one loads the font): keep the last cards made.
const rendered = new Map<string, Buffer>()
const MAX_RENDERED = 200

/** The card's ETag: a hash of everything drawn on it. */
export function shareCardEtag(card: ShareCard): string {
  return `"${createHash('sha256').update(JSON.stringify(card)).digest('base64url').slice(0, 27)}"`
}

export async function renderShareCardPng(card: ShareCard): Promise<Buffer> {
  const key = shareCardEtag(card)
  const hit = rendered.get(key)
  if (hit) {
    rendered.delete(key)
    rendered.set(key, hit)
    return hit
  }
  const png = await sharp(Buffer.from(shareCardSvg(card)))
    .png({ compressionLevel: 9, palette: true })
    .toBuffer()
  rendered.set(key, png)
  if (rendered.size > MAX_RENDERED) rendered.delete(rendered.keys().next().value as string)
  return png
}

/**
 * The resource route's answer: the PNG, or 304 when the client already has this card. Public
 * for an hour: the card changes only when the public text or progress does, and the ETag tells.
 */
export async function shareCardResponse(request: Request, card: ShareCard): Promise<Response> {
  const etag = shareCardEtag(card)
  const headers = {
    'Cache-Control': 'public, max-age=3600',
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
  }
  const asked = request.headers.get('If-None-Match')
  if (asked && asked.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return new Response(null, { status: 304, headers })
  const png = await renderShareCardPng(card)
  return new Response(new Uint8Array(png), {
    headers: { ...headers, 'Content-Type': 'image/png', 'Content-Length': String(png.byteLength) },
  })
}

/**
 * The og:image of a page: the absolute URL of its card route (`path`) with the card's version in
 * the query, so that apps caching pictures by URL fetch the new card when the text or progress
 * changes (the route itself ignores the query).
 */
export function shareCardImage(request: Request, path: string, card: ShareCard) {
  const version = shareCardEtag(card).slice(1, 13)
  return {
    url: `${siteUrl(path, request)}?v=${version}`,
    width: SHARE_CARD_WIDTH,
    height: SHARE_CARD_HEIGHT,
    alt: `${card.kicker}：${card.title}`,
  }
}
