import { sha256 } from '@oslojs/crypto/sha2'
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding'

// The Merkle tree of the public log, exactly as RFC 9162 (Certificate Transparency v2) §2.1:
//   leaf hash = SHA-256(0x00 || entry bytes), node hash = SHA-256(0x01 || left || right),
//   MTH of the empty tree = SHA-256 of the empty string.
// Pure and browser-safe: the server, the public entry page (in the browser) and the independent
// verifier script all share this file, so it must not import anything server-only.

export { encodeHexLowerCase as toHex, decodeHex as fromHex }

const utf8 = new TextEncoder()

export function utf8Bytes(text: string): Uint8Array {
  return utf8.encode(text)
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export function leafHash(bytes: Uint8Array): Uint8Array {
  return sha256(concat(Uint8Array.of(0x00), bytes))
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concat(Uint8Array.of(0x01), left, right))
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/** Largest power of two strictly smaller than n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/**
 * MTH of the leaves [start, end), as far as the algorithms below need it. Over an array it
 * hashes the leaves; over stored subtrees (app/ledger/tree.server.ts) it reads O(log n) nodes.
 */
export type RangeHash = (start: number, end: number) => Uint8Array

/** MTH(D[n]) over already-hashed leaves. */
export function merkleRoot(leafHashes: Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return sha256(new Uint8Array(0))
  return mth(leafHashes, 0, leafHashes.length)
}

function mth(leaves: Uint8Array[], start: number, end: number): Uint8Array {
  const n = end - start
  if (n === 1) return leaves[start]!
  const k = splitPoint(n)
  return nodeHash(mth(leaves, start, start + k), mth(leaves, start + k, end))
}

/**
 * A hash of a complete subtree: node(level, index) covers the leaves
 * [index·2^level, (index+1)·2^level); level 0 is the leaf hash itself.
 */
export type SubtreeNode = (level: number, index: number) => Uint8Array

/** log2(n) when n is a power of two, else -1 (arithmetic, not bit operations: sizes may pass 2^31). */
function exactLevel(n: number): number {
  let level = 0
  let p = 1
  while (p < n) {
    p *= 2
    level++
  }
  return p === n ? level : -1
}

/**
 * MTH of [start, end) from complete subtrees: a complete, aligned range is one node; any other
 * range splits as RFC 9162 does. The ranges RFC 9162's algorithms ask for are complete on the
 * left, so a root or proof reads one node per level plus the ragged right edge.
 */
export function rangeHashFromNodes(node: SubtreeNode): RangeHash {
  const hash: RangeHash = (start, end) => {
    const n = end - start
    const level = exactLevel(n)
    if (level >= 0 && start % n === 0) return node(level, start / n)
    const k = splitPoint(n)
    return nodeHash(hash(start, start + k), hash(start + k, end))
  }
  return hash
}

/** MTH(D[size]) through a RangeHash. */
export function merkleRootOf(hash: RangeHash, size: number): Uint8Array {
  return size === 0 ? sha256(new Uint8Array(0)) : hash(0, size)
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path for leaf `index`. */
export function inclusionProof(leafHashes: Uint8Array[], index: number): Uint8Array[] {
  return inclusionProofOf((start, end) => mth(leafHashes, start, end), leafHashes.length, index)
}

/** PATH(index, D[size]) through a RangeHash. */
export function inclusionProofOf(hash: RangeHash, size: number, index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError('leaf index out of range')
  const path: Uint8Array[] = []
  const walk = (m: number, start: number, end: number) => {
    const n = end - start
    if (n === 1) return
    const k = splitPoint(n)
    if (m < k) {
      walk(m, start, start + k)
      path.push(hash(start + k, end))
    } else {
      walk(m - k, start + k, end)
      path.push(hash(start, start + k))
    }
  }
  walk(index, 0, size)
  return path
}

/**
 * PROOF(m, D[n]) of RFC 9162 §2.1.4.1: proves the tree of the first m leaves is a prefix of the
 * tree of all n leaves. Empty when m = n or m = 0 (every tree extends the empty tree).
 */
export function consistencyProof(leafHashes: Uint8Array[], m: number): Uint8Array[] {
  return consistencyProofOf((start, end) => mth(leafHashes, start, end), leafHashes.length, m)
}

/** PROOF(m, D[size]) through a RangeHash. */
export function consistencyProofOf(hash: RangeHash, size: number, m: number): Uint8Array[] {
  const n = size
  if (!Number.isInteger(m) || m < 0 || m > n) throw new RangeError('tree size out of range')
  if (m === 0 || m === n) return []
  const proof: Uint8Array[] = []
  const subproof = (m: number, start: number, end: number, complete: boolean) => {
    const n = end - start
    if (m === n) {
      if (!complete) proof.push(hash(start, end))
      return
    }
    const k = splitPoint(n)
    if (m <= k) {
      subproof(m, start, start + k, complete)
      proof.push(hash(start + k, end))
    } else {
      subproof(m - k, start + k, end, false)
      proof.push(hash(start, start + k))
    }
  }
  subproof(m, 0, n, true)
  return proof
}

/** RFC 9162 §2.1.3.2. */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false
  let fn = index
  let sn = size - 1
  let r = leaf
  for (const p of proof) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r)
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2)
        sn = Math.floor(sn / 2)
      }
    } else {
      r = nodeHash(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && bytesEqual(r, root)
}

/** RFC 9162 §2.1.4.2, plus the trivial cases m = n (same root, empty proof) and m = 0. */
export function verifyConsistency(m: number, n: number, proof: Uint8Array[], oldRoot: Uint8Array, newRoot: Uint8Array): boolean {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || m > n) return false
  if (m === 0) return proof.length === 0 && bytesEqual(oldRoot, merkleRoot([]))
  if (m === n) return proof.length === 0 && bytesEqual(oldRoot, newRoot)
  if (proof.length === 0) return false
  const path = (m & (m - 1)) === 0 ? [oldRoot, ...proof] : [...proof]
  let fn = m - 1
  let sn = n - 1
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  let fr = path[0]!
  let sr = path[0]!
  for (const c of path.slice(1)) {
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2)
        sn = Math.floor(sn / 2)
      }
    } else {
      sr = nodeHash(sr, c)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot)
}

export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [key: string]: CanonicalValue }

/**
 * Canonical JSON: object keys sorted by code unit order, no whitespace, scalars as
 * JSON.stringify writes them. Integers only for numbers (money is integer fen), so the
 * encoding is the same in every JavaScript engine.
 */
export function canonicalJson(value: CanonicalValue): string {
  if (value === null) return 'null'
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`canonicalJson: not a safe integer: ${value}`)
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort()
    return `{${keys
      .map((k) => {
        const v = value[k]
        if (v === undefined) throw new TypeError(`canonicalJson: undefined value for ${k}`)
        return `${JSON.stringify(k)}:${canonicalJson(v)}`
      })
      .join(',')}}`
  }
  throw new TypeError('canonicalJson: unsupported value')
}

/** Leaf hash (hex) of a canonical entry string. */
export function leafHashHex(canonical: string): string {
  return encodeHexLowerCase(leafHash(utf8Bytes(canonical)))
}

/** The message a tree head signature covers. */
export function treeHeadMessage(size: number, rootHash: string): string {
  return `weinuan-ledger-v1\n${size}\n${rootHash}`
}
