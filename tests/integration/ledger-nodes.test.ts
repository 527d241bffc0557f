import crypto from 'node:crypto'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { sqlite, writeTransaction } from '~db/client.server'
import { recordDonation, type NewDonation } from '~/donations/ledger.server'
import { consistencyProof, inclusionProof, merkleRoot, toHex } from '~/ledger/merkle'
import {
  backfillLedgerLeaves,
  backfillLedgerNodes,
  consistencyBetween,
  leafHashes,
  ledgerSize,
  proofForReceipt,
  signedTreeHead,
  treeHead,
  verifyTreeHeadSignature,
} from '~/ledger/tree.server'
import { createTestInstitution } from './helpers'

// Issue 12: the log keeps the hashes of complete subtrees as leaves are appended, so a head or a
// proof reads O(log n) rows instead of every leaf. Its answers must be byte-identical to the
// RFC 9162 functions over all leaf hashes (app/ledger/merkle.ts), which stay the reference.

const home = createTestInstitution('增量树福利院')

function giftInput(i: number): NewDonation {
  return {
    institutionId: home.id,
    kind: i % 3 === 0 ? 'goods' : 'money',
    description: i % 3 === 0 ? `棉被 ${i}` : '爱心捐款',
    quantity: i % 3 === 0 ? 1 + (i % 5) : null,
    unit: i % 3 === 0 ? '床' : null,
    amountFen: i % 3 === 0 ? null : 100 * (i + 1),
    donor: { displayName: `捐赠人${i}`, choice: 'masked', userId: null },
    designation: 'general',
    channel: 'bank_transfer',
    receivedAt: new Date(Date.UTC(2026, 5, 1 + (i % 28), 2)),
    recordedBy: null,
  }
}

const receipts: string[] = []
function appendGifts(count: number) {
  writeTransaction((tx) => {
    for (let i = 0; i < count; i++) receipts.push(recordDonation(tx, giftInput(receipts.length)).receiptNo)
  })
}

const nodeCount = () => (sqlite.prepare('SELECT count(*) AS n FROM ledger_nodes').get() as { n: number }).n
const storedNodes = () =>
  sqlite.prepare('SELECT level, idx, hex(hash) AS hash FROM ledger_nodes ORDER BY level, idx').all() as Array<{
    level: number
    idx: number
    hash: string
  }>
/** Complete subtrees of levels ≥ 1 in a tree of n leaves: n minus the number of 1 bits of n. */
const completeSubtrees = (n: number) => n - n.toString(2).replaceAll('0', '').length

/** A small seeded PRNG so a failure can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31
  }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('incremental Merkle tree (ledger_nodes)', () => {
  test('every appended leaf stores the subtrees it completes, each equal to hashing its leaves', () => {
    for (let n = 1; n <= 70; n++) {
      appendGifts(1)
      expect(ledgerSize()).toBe(n)
      expect(nodeCount()).toBe(completeSubtrees(n))
    }
    const hashes = leafHashes()
    for (const node of storedNodes()) {
      const width = 2 ** node.level
      expect(node.hash.toLowerCase(), `node (${node.level}, ${node.idx})`).toBe(
        toHex(merkleRoot(hashes.slice(node.idx * width, (node.idx + 1) * width))),
      )
    }
  })

  test('heads, inclusion and consistency proofs of every size 1..70 match the naive RFC 9162 implementation', () => {
    expect(ledgerSize()).toBe(70)
    const hashes = leafHashes()
    for (let n = 1; n <= 70; n++) {
      const prefix = hashes.slice(0, n)
      const root = toHex(merkleRoot(prefix))
      expect(treeHead(n).rootHash, `root of ${n}`).toBe(root)
      for (let i = 0; i < n; i++) {
        const proof = proofForReceipt(receipts[i]!, n)
        if (proof === null || proof === 'bad-size') throw new Error(`no proof for leaf ${i} in ${n}`)
        expect(proof.proof, `inclusion of ${i} in ${n}`).toEqual(inclusionProof(prefix, i).map(toHex))
        expect(proof.rootHash).toBe(root)
      }
      for (let m = 0; m <= n; m++) {
        const result = consistencyBetween(m, n)
        expect(result?.proof, `consistency ${m} → ${n}`).toEqual(consistencyProof(prefix, m).map(toHex))
        expect(result?.fromRoot).toBe(toHex(merkleRoot(hashes.slice(0, m))))
        expect(result?.toRoot).toBe(root)
      }
    }
  })

  test('random proofs in a larger tree match the naive implementation', () => {
    appendGifts(300 - ledgerSize())
    const hashes = leafHashes()
    const random = prng(12)
    for (let k = 0; k < 200; k++) {
      const n = 1 + Math.floor(random() * hashes.length)
      const i = Math.floor(random() * n)
      const m = Math.floor(random() * (n + 1))
      const prefix = hashes.slice(0, n)
      const proof = proofForReceipt(receipts[i]!, n)
      if (proof === null || proof === 'bad-size') throw new Error(`no proof for leaf ${i} in ${n}`)
      expect(proof.proof, `inclusion of ${i} in ${n}`).toEqual(inclusionProof(prefix, i).map(toHex))
      expect(proof.rootHash).toBe(toHex(merkleRoot(prefix)))
      expect(consistencyBetween(m, n)?.proof, `consistency ${m} → ${n}`).toEqual(consistencyProof(prefix, m).map(toHex))
    }
  })

  test('leaves appended in a rolled-back transaction leave no nodes behind', () => {
    const size = ledgerSize()
    const nodes = storedNodes()
    const headBefore = signedTreeHead()
    expect(() =>
      writeTransaction((tx) => {
        for (let i = 0; i < 5; i++) recordDonation(tx, giftInput(1000 + i))
        // A head signed inside the doomed transaction must not outlive it.
        expect(signedTreeHead().size).toBe(size + 5)
        throw new Error('rolled back')
      }),
    ).toThrow('rolled back')
    expect(ledgerSize()).toBe(size)
    expect(storedNodes()).toEqual(nodes)
    expect(signedTreeHead()).toEqual(headBefore)

    // The next leaves build on the surviving tree, and the new head of the same size is the real one.
    appendGifts(5)
    const hashes = leafHashes()
    const head = signedTreeHead()
    expect(head.size).toBe(size + 5)
    expect(head.rootHash).toBe(toHex(merkleRoot(hashes)))
    expect(nodeCount()).toBe(completeSubtrees(size + 5))
  })

  test('a log without stored nodes (older database) is backfilled at start, idempotently', () => {
    const nodes = storedNodes()
    const head = treeHead()
    // Simulate a database from before ledger_nodes: lift the append-only trigger to empty it.
    const trigger = (
      sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'ledger_nodes_no_delete'").get() as { sql: string }
    ).sql
    sqlite.exec('DROP TRIGGER ledger_nodes_no_delete; DELETE FROM ledger_nodes;')
    sqlite.exec(trigger)
    expect(nodeCount()).toBe(0)
    // Still correct without nodes (computed from the leaves), just slower.
    expect(treeHead()).toEqual(head)

    expect(backfillLedgerLeaves()).toBe(0) // no leaf was missing…
    expect(storedNodes()).toEqual(nodes) // …but every node is back
    expect(writeTransaction(() => backfillLedgerNodes())).toBe(0)
    expect(treeHead()).toEqual(head)
  })

  test('stored nodes are append-only', () => {
    expect(() => sqlite.exec('UPDATE ledger_nodes SET hash = zeroblob(32) WHERE level = 1 AND idx = 0')).toThrow(/append-only/)
    expect(() => sqlite.exec('DELETE FROM ledger_nodes WHERE level = 1 AND idx = 0')).toThrow(/append-only/)
  })

  test('a tree head is signed once per size, not per request', () => {
    const sign = vi.spyOn(crypto, 'sign')
    const first = signedTreeHead()
    for (let i = 0; i < 5; i++) expect(signedTreeHead()).toEqual(first)
    expect(sign.mock.calls.length).toBeLessThanOrEqual(1) // 0 when an earlier test signed this size
    const before = sign.mock.calls.length
    appendGifts(1)
    const grown = signedTreeHead()
    for (let i = 0; i < 5; i++) expect(signedTreeHead()).toEqual(grown)
    expect(grown.size).toBe(first.size + 1)
    expect(sign.mock.calls.length).toBe(before + 1)
    expect(verifyTreeHeadSignature(grown)).toBe(true)
  })
})
