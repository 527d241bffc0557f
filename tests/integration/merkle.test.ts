import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import {
  canonicalJson,
  consistencyProof,
  inclusionProof,
  leafHash,
  merkleRoot,
  nodeHash,
  toHex,
  utf8Bytes,
  verifyConsistency,
  verifyInclusion,
} from '~/ledger/merkle'

// The Merkle tree of the public log follows RFC 9162 §2.1. These tests check it against an
// independent naive implementation (node:crypto, written from the RFC's definitions) and check
// that every proof for every tree size 1..64 verifies, and that tampered ones do not.

const sha = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest())
const naiveLeaf = (b: Uint8Array) => sha(Uint8Array.of(0), b)
function naiveMth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha()
  if (leaves.length === 1) return leaves[0]!
  let k = 1
  while (k * 2 < leaves.length) k *= 2
  return sha(Uint8Array.of(1), naiveMth(leaves.slice(0, k)), naiveMth(leaves.slice(k)))
}

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(utf8Bytes(`entry ${i}`)))
const flip = (b: Uint8Array) => {
  const c = new Uint8Array(b)
  c[0] = c[0]! ^ 1
  return c
}

describe('Merkle tree hashing (RFC 9162)', () => {
  test('the empty tree root is SHA-256 of the empty string', () => {
    expect(toHex(merkleRoot([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
  })

  test('leaf and node hashes use the 0x00 and 0x01 domain prefixes', () => {
    const bytes = utf8Bytes('微暖')
    expect(toHex(leafHash(bytes))).toBe(
      createHash('sha256')
        .update(Buffer.concat([Buffer.from([0]), Buffer.from('微暖')]))
        .digest('hex'),
    )
    const a = leafHash(utf8Bytes('a'))
    const b = leafHash(utf8Bytes('b'))
    expect(toHex(nodeHash(a, b))).toBe(toHex(sha(Uint8Array.of(1), a, b)))
    // A one-leaf tree's root is its leaf hash; the empty leaf is not the empty tree.
    expect(toHex(merkleRoot([leafHash(new Uint8Array(0))]))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d')
  })

  test('the root agrees with a naive recursive implementation for sizes 0..64', () => {
    for (let n = 0; n <= 64; n++) {
      const leaves = Array.from({ length: n }, (_, i) => naiveLeaf(Buffer.from(`entry ${i}`)))
      expect(toHex(merkleRoot(leavesOf(n))), `size ${n}`).toBe(toHex(naiveMth(leaves)))
    }
  })

  test('every inclusion proof in every tree of size 1..64 verifies, and tampering fails', () => {
    for (let n = 1; n <= 64; n++) {
      const leaves = leavesOf(n)
      const root = merkleRoot(leaves)
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(leaves, i)
        expect(verifyInclusion(leaves[i]!, i, n, proof, root), `leaf ${i} of ${n}`).toBe(true)
        expect(verifyInclusion(flip(leaves[i]!), i, n, proof, root)).toBe(false)
        expect(verifyInclusion(leaves[i]!, i, n, proof, flip(root))).toBe(false)
        if (proof.length > 0) {
          expect(verifyInclusion(leaves[i]!, i, n, [flip(proof[0]!), ...proof.slice(1)], root)).toBe(false)
          expect(verifyInclusion(leaves[i]!, i, n, proof.slice(0, -1), root)).toBe(false)
        }
        if (n > 1) expect(verifyInclusion(leaves[i]!, (i + 1) % n, n, proof, root)).toBe(false)
      }
      expect(verifyInclusion(leaves[0]!, n, n, [], root)).toBe(false)
    }
  })

  test('every consistency proof between sizes m ≤ n ≤ 64 verifies, and tampering fails', () => {
    const all = leavesOf(64)
    const roots = Array.from({ length: 65 }, (_, n) => merkleRoot(all.slice(0, n)))
    for (let n = 1; n <= 64; n++) {
      const leaves = all.slice(0, n)
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(leaves, m)
        expect(verifyConsistency(m, n, proof, roots[m]!, roots[n]!), `${m} → ${n}`).toBe(true)
        if (m > 0 && m < n) {
          expect(verifyConsistency(m, n, proof, flip(roots[m]!), roots[n]!), `old root ${m} → ${n}`).toBe(false)
          expect(verifyConsistency(m, n, proof, roots[m]!, flip(roots[n]!)), `new root ${m} → ${n}`).toBe(false)
          expect(verifyConsistency(m, n, [flip(proof[0]!), ...proof.slice(1)], roots[m]!, roots[n]!)).toBe(false)
          expect(verifyConsistency(m, n, [], roots[m]!, roots[n]!)).toBe(false)
        }
      }
    }
    // A rewritten history is not consistent with the old root.
    const rewritten = [...all.slice(0, 10)]
    rewritten[3] = leafHash(utf8Bytes('changed'))
    const forged = consistencyProof([...rewritten, ...all.slice(10, 20)], 10)
    expect(verifyConsistency(10, 20, forged, roots[10]!, merkleRoot([...rewritten, ...all.slice(10, 20)]))).toBe(false)
  })

  test('canonical JSON sorts keys, drops whitespace and keeps nulls', () => {
    expect(canonicalJson({ b: 1, a: [3, { z: null, y: '元' }], c: true })).toBe('{"a":[3,{"y":"元","z":null}],"b":1,"c":true}')
    expect(() => canonicalJson({ a: 1.5 })).toThrow()
  })
})
