import { randomInt } from 'node:crypto'

// Door codes: the short codes people read aloud, copy onto parcels or show at the gate (booking
// slips, pledge codes, wish reference codes WX-…, certificate codes WN-…-…). One generator and
// one normaliser, so that every lookup box accepts the same things and none of them can throw.

/** No 0/O or 1/I: codes are read aloud at the gate and copied by hand. */
export const READABLE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** `length` characters drawn uniformly from `alphabet` with crypto.randomInt. */
export function generateCode(length: number, alphabet: string = READABLE_ALPHABET): string {
  let code = ''
  for (let i = 0; i < length; i++) code += alphabet[randomInt(alphabet.length)]
  return code
}

/** How a code is written: an optional prefix, then groups of characters joined by '-'. */
export type CodeShape = { prefix?: string; groups: readonly number[] }

export type NormaliseCodeOptions = {
  /** The query parameter a pasted link carries the code in, e.g. 'code' for ?code=AB12CD. */
  param?: string
  /** The path a pasted link carries the code after, e.g. '/verify/service/'. */
  pathPrefix?: string
  /** When the characters fit this shape exactly, the code is written in it ('wx abc123' → 'WX-ABC123'). */
  shape?: CodeShape
}

// Hyphen, dashes, minus and the long sound mark typed by Chinese IMEs in place of '-'.
const DASHES = /[-\u2010-\u2015\u2212\u30fc]/g
const SPACES = /\s+/g

/** A kind of door code: how it is written and drawn, and where a pasted link carries it. */
export type DoorCode = NormaliseCodeOptions & { shape: CodeShape; alphabet?: string }

/** A visitor's 来访接待单 slip: AB12CD, in the QR as …/checkin?code=AB12CD. */
export const BOOKING_CODE: DoorCode = { param: 'code', shape: { groups: [6] } }
/** An in-kind pledge (认捐编号), read out at the door: AB12CD, in the QR as …/intake?code=AB12CD. */
export const PLEDGE_CODE: DoorCode = { param: 'code', shape: { groups: [6] } }
/** A wish claim's reference code, written on the parcel: WX-AB12CD, in the label QR as …/receive?code=…. */
export const PARCEL_CODE: DoorCode = { param: 'code', shape: { prefix: 'WX', groups: [6] } }
/**
 * A 志愿服务记录证明: WN-XXXXX-XXXXX, in the QR as /verify/service/WN-…. No L either, and 10
 * characters from 31 symbols ≈ 49 bits: unguessable.
 */
export const CERTIFICATE_CODE: DoorCode = {
  pathPrefix: '/verify/service/',
  shape: { prefix: 'WN', groups: [5, 5] },
  alphabet: '23456789ABCDEFGHJKMNPQRSTUVWXYZ',
}

/** A new random code of this kind, in its written form. */
export function newDoorCode(kind: DoorCode): string {
  const groups = kind.shape.groups.map((n) => generateCode(n, kind.alphabet))
  return (kind.shape.prefix ? [kind.shape.prefix, ...groups] : groups).join('-')
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The code a pasted link carries, or the text itself when it carries none. */
function codeInLink(text: string, options: NormaliseCodeOptions): string {
  if (options.param) {
    const match = new RegExp(`[?&]${escapeRegExp(options.param)}=([^&#\\s]*)`, 'i').exec(text)
    if (match) return decodeOrKeep(match[1] ?? '')
  }
  if (options.pathPrefix) {
    const match = new RegExp(`${escapeRegExp(options.pathPrefix)}([^/?#\\s]+)`, 'i').exec(text)
    if (match) return decodeOrKeep(match[1] ?? '')
  }
  return text
}

function inShape(text: string, shape: CodeShape | undefined): string {
  if (!shape) return text
  const compact = text.replace(DASHES, '')
  const prefix = (shape.prefix ?? '').toUpperCase()
  const length = shape.groups.reduce((sum, n) => sum + n, 0)
  if (!/^[A-Z0-9]+$/.test(compact) || !compact.startsWith(prefix) || compact.length !== prefix.length + length) return text
  const parts = prefix ? [prefix] : []
  let at = prefix.length
  for (const n of shape.groups) {
    parts.push(compact.slice(at, at + n))
    at += n
  }
  return parts.join('-')
}

/**
 * A code as typed or pasted, to the form it is stored in: a bare code, a scanned or pasted link
 * (?code=… or /path/…), lower case, spaces, any kind of dash, full-width characters. Never
 * throws: broken percent-encoding is kept as typed, so the lookup simply finds nothing. '' when
 * nothing is left.
 */
export function normaliseCode(input: string | null | undefined, options: NormaliseCodeOptions = {}): string {
  const text = codeInLink((input ?? '').normalize('NFKC').trim(), options)
  const code = text.normalize('NFKC').replace(SPACES, '').replace(DASHES, '-').toUpperCase()
  return inShape(code, options.shape)
}
