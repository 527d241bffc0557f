import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { asc, eq, inArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { db, sqlite, writeTransaction, type Tx } from '~db/client.server'
import { allocationSources, allocations, donations, institutions, ledgerLeaves } from '~db/schema'
import { getEnv } from '~/utils/env.server'
import {
  canonicalJson,
  consistencyProofOf,
  fromHex,
  inclusionProofOf,
  leafHashHex,
  merkleRootOf,
  nodeHash,
  rangeHashFromNodes,
  toHex,
  treeHeadMessage,
  type CanonicalValue,
} from './merkle'

// The verifiable public log (issue 6). Every donation, correction and allocation becomes one
// leaf of an append-only Merkle tree (RFC 9162 hashing, app/ledger/merkle.ts). A leaf stores
// the exact canonical bytes it hashes, so anyone can recompute the tree from /api/ledger.
//
// The tree is incremental (issue 12, docs/decisions/012-incremental-merkle-tree.md): appending a
// leaf also stores, in the same transaction, the hash of every subtree it completes
// (`ledger_nodes`, node (level, idx) covers leaves [idx·2^level, (idx+1)·2^level)). A root or an
// inclusion or consistency proof for any size n is then assembled from O(log n) stored nodes plus
// the ragged right edge, byte-identical to hashing all leaves (merkle.ts keeps that naive form
// as the reference). Heads are signed once per (size, root) and cached.

export type LedgerLeafKind = 'donation' | 'allocation'
type Db = typeof db | Tx

const corrected = alias(donations, 'corrected')

/** Canonical public bytes of donation (or correction) entries, by id; missing ids are left out. */
function donationCanonicals(tx: Db, donationIds: number[]): Map<number, string> {
  if (!donationIds.length) return new Map()
  const rows = tx
    .select({
      d: donations,
      slug: institutions.slug,
      correctsReceipt: corrected.receiptNo,
    })
    .from(donations)
    .innerJoin(institutions, eq(institutions.id, donations.institutionId))
    .leftJoin(corrected, eq(corrected.id, donations.correctsId))
    .where(inArray(donations.id, donationIds))
    .all()
  return new Map(rows.map((row) => [row.d.id, donationEntryCanonical(row.d, row.slug, row.correctsReceipt ?? null)]))
}

/** Canonical public bytes of a donation (or correction) entry. */
export function donationCanonical(tx: Db, donationId: number): string {
  const canonical = donationCanonicals(tx, [donationId]).get(donationId)
  if (canonical === undefined) throw new Error(`donation ${donationId} not found`)
  return canonical
}

type DonationPublicFields = Pick<
  typeof donations.$inferSelect,
  | 'receiptNo'
  | 'kind'
  | 'description'
  | 'quantity'
  | 'unit'
  | 'estimatedValueFen'
  | 'amountFen'
  | 'donorDisplay'
  | 'designation'
  | 'wishId'
  | 'campaignId'
  | 'designationRef'
  | 'channel'
  | 'receivedAt'
  | 'correctionReason'
>

/** The canonical bytes of a donation entry from its public fields (bulk writers use it directly). */
export function donationEntryCanonical(d: DonationPublicFields, institutionSlug: string, correctsReceipt: string | null): string {
  const value: CanonicalValue = {
    v: 1,
    type: 'donation',
    receiptNo: d.receiptNo,
    institution: institutionSlug,
    kind: d.kind,
    description: d.description,
    quantity: d.quantity,
    unit: d.unit,
    estimatedValueFen: d.estimatedValueFen,
    amountFen: d.amountFen,
    donorDisplay: d.donorDisplay,
    designation: d.designation,
    wishId: d.wishId,
    campaignId: d.campaignId,
    designationRef: d.designationRef,
    channel: d.channel,
    receivedAt: d.receivedAt.toISOString(),
    correctsReceipt,
    correctionReason: d.correctionReason,
  }
  return canonicalJson(value)
}

/**
 * Canonical public bytes of allocations (用途), by id; missing ids are left out. Their
 * allocation_sources rows must already be inserted: the source receipt numbers are part of the entry.
 */
function allocationCanonicals(tx: Db, allocationIds: number[]): Map<number, string> {
  if (!allocationIds.length) return new Map()
  const rows = tx
    .select({ a: allocations, slug: institutions.slug })
    .from(allocations)
    .innerJoin(institutions, eq(institutions.id, allocations.institutionId))
    .where(inArray(allocations.id, allocationIds))
    .all()
  const sources = new Map<number, string[]>()
  for (const s of tx
    .select({ allocationId: allocationSources.allocationId, receiptNo: donations.receiptNo })
    .from(allocationSources)
    .innerJoin(donations, eq(donations.id, allocationSources.donationId))
    .where(inArray(allocationSources.allocationId, allocationIds))
    .all()) {
    sources.set(s.allocationId, [...(sources.get(s.allocationId) ?? []), s.receiptNo])
  }
  return new Map(rows.map((row) => [row.a.id, allocationEntryCanonical(row.a, row.slug, (sources.get(row.a.id) ?? []).sort())]))
}

export function allocationCanonical(tx: Db, allocationId: number): string {
  const canonical = allocationCanonicals(tx, [allocationId]).get(allocationId)
  if (canonical === undefined) throw new Error(`allocation ${allocationId} not found`)
  return canonical
}

type AllocationPublicFields = Pick<
  typeof allocations.$inferSelect,
  'id' | 'usedAt' | 'purpose' | 'amountFen' | 'items' | 'beneficiaryDescription'
>

/** The canonical bytes of an allocation from its public fields and sorted source receipts. */
export function allocationEntryCanonical(a: AllocationPublicFields, institutionSlug: string, sortedSourceReceipts: string[]): string {
  const value: CanonicalValue = {
    v: 1,
    type: 'allocation',
    id: a.id,
    institution: institutionSlug,
    usedAt: a.usedAt.toISOString(),
    purpose: a.purpose,
    amountFen: a.amountFen,
    items: a.items,
    beneficiaryDescription: a.beneficiaryDescription,
    sourceReceipts: sortedSourceReceipts,
  }
  return canonicalJson(value)
}

export function canonicalFor(tx: Db, kind: LedgerLeafKind, refId: number): string {
  return kind === 'donation' ? donationCanonical(tx, refId) : allocationCanonical(tx, refId)
}

/**
 * Append the leaf of one entry. Call it inside the write transaction that records the entry
 * (recordDonation / recordCorrection / recordAllocation), after the entry — and for an
 * allocation its sources — are inserted. Appending the same entry twice returns its existing leaf.
 */
export function appendLedgerLeaf(tx: Tx, kind: LedgerLeafKind, refId: number): { leafIndex: number } {
  const existing = tx
    .select({ leafIndex: ledgerLeaves.leafIndex })
    .from(ledgerLeaves)
    .where(sql`${ledgerLeaves.kind} = ${kind} AND ${ledgerLeaves.refId} = ${refId}`)
    .get()
  if (existing) return existing
  const canonical = canonicalFor(tx, kind, refId)
  const leafIndex = ledgerSize(tx)
  const leafHash = leafHashHex(canonical)
  tx.insert(ledgerLeaves).values({ leafIndex, kind, refId, canonical, leafHash }).run()
  storeNodesCompletedBy(leafIndex, fromHex(leafHash))
  return { leafIndex }
}

// ---- Stored subtrees (ledger_nodes) ------------------------------------------------------------
// Raw prepared statements on the one connection: a tree head reads a few dozen rows and the
// bulk paths write millions, so drizzle's per-call query building would dominate. Inside
// writeTransaction they run in the caller's transaction (better-sqlite3 has one connection).

/** The tree's own statements: each is one index probe or one index range (checked by tests). */
export const ledgerTreeSql = {
  size: 'SELECT coalesce(max(leaf_index) + 1, 0) AS n FROM ledger_leaves',
  leaf: 'SELECT leaf_hash AS h FROM ledger_leaves WHERE leaf_index = ?',
  node: 'SELECT hash AS h FROM ledger_nodes WHERE level = ? AND idx = ?',
  insertNode: 'INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)',
  nodesAtLevel: 'SELECT coalesce(max(idx) + 1, 0) AS n FROM ledger_nodes WHERE level = ?',
  leafRange: 'SELECT leaf_hash AS h FROM ledger_leaves WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index',
  nodeRange: 'SELECT hash AS h FROM ledger_nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx',
} as const

function prepareStatements() {
  const q = ledgerTreeSql
  return {
    size: sqlite.prepare<[], { n: number }>(q.size),
    leaf: sqlite.prepare<[number], { h: string }>(q.leaf),
    node: sqlite.prepare<[number, number], { h: Buffer }>(q.node),
    insertNode: sqlite.prepare<[number, number, Buffer]>(q.insertNode),
    nodesAtLevel: sqlite.prepare<[number], { n: number }>(q.nodesAtLevel),
    leafRange: sqlite.prepare<[number, number], { h: string }>(q.leafRange),
    nodeRange: sqlite.prepare<[number, number, number], { h: Buffer }>(q.nodeRange),
  }
}
let statements: ReturnType<typeof prepareStatements> | undefined
const stmt = () => (statements ??= prepareStatements())

/**
 * The hash of the complete subtree (level, idx). Stored nodes are read; a node not stored yet
 * (a database whose nodes are not backfilled) is computed from its children.
 */
function subtreeNode(level: number, idx: number): Uint8Array {
  if (level === 0) {
    const leaf = stmt().leaf.get(idx)
    if (!leaf) throw new Error(`ledger leaf ${idx} missing`)
    return fromHex(leaf.h)
  }
  const stored = stmt().node.get(level, idx)
  if (stored) return new Uint8Array(stored.h)
  return nodeHash(subtreeNode(level - 1, 2 * idx), subtreeNode(level - 1, 2 * idx + 1))
}

const storedTree = () => rangeHashFromNodes(subtreeNode)

/** Store the node of every subtree that leaf `leafIndex` completes (amortised one per leaf). */
function storeNodesCompletedBy(leafIndex: number, leafHash: Uint8Array): void {
  let hash = leafHash
  let idx = leafIndex
  let level = 0
  while (idx % 2 === 1) {
    hash = nodeHash(subtreeNode(level, idx - 1), hash)
    idx = (idx - 1) / 2
    level++
    stmt().insertNode.run(level, idx, Buffer.from(hash))
  }
}

const BACKFILL_CHUNK = 1 << 16

/**
 * Store every complete subtree of the current leaves that is not stored yet, level by level in
 * chunks (for logs older than ledger_nodes, and bulk loaders). Idempotent; call inside a write
 * transaction. Returns how many nodes were stored.
 */
export function backfillLedgerNodes(): number {
  const s = stmt()
  const size = s.size.get()?.n ?? 0
  let stored = 0
  for (let level = 1; 2 ** level <= size; level++) {
    const want = Math.floor(size / 2 ** level)
    for (let idx = s.nodesAtLevel.get(level)?.n ?? 0; idx < want;) {
      const end = Math.min(want, idx + BACKFILL_CHUNK)
      const children =
        level === 1
          ? s.leafRange.all(2 * idx, 2 * end).map((r) => fromHex(r.h))
          : s.nodeRange.all(level - 1, 2 * idx, 2 * end).map((r) => new Uint8Array(r.h))
      if (children.length !== 2 * (end - idx)) throw new Error(`ledger level ${level - 1} has gaps below node ${idx}`)
      for (let i = 0; i < children.length; i += 2) {
        s.insertNode.run(level, idx + i / 2, Buffer.from(nodeHash(children[i]!, children[i + 1]!)))
        stored++
      }
      idx = end
    }
  }
  return stored
}

/**
 * Give every entry recorded before the log existed its leaf, in a fixed order: first all
 * donations without a leaf by id (their sequence), then all allocations without a leaf by id.
 * Idempotent; returns how many leaves were appended. Called at server start and after seeding;
 * it first stores any missing subtree nodes (a log from before ledger_nodes).
 */
export function backfillLedgerLeaves(): number {
  return writeTransaction((tx) => {
    backfillLedgerNodes()
    let appended = 0
    // Leaves are unique per entry and entries are never deleted, so equal counts mean nothing is
    // missing: two index counts at start instead of a probe per entry (a second at 1 M entries).
    const sources = [
      { table: 'donations', kind: 'donation' },
      { table: 'allocations', kind: 'allocation' },
    ] as const satisfies ReadonlyArray<{ table: string; kind: LedgerLeafKind }>
    for (const { table, kind } of sources) {
      const missing = (
        sqlite.prepare(`SELECT (SELECT count(*) FROM ${table}) - (SELECT count(*) FROM ledger_leaves WHERE kind = ?) AS n`).get(kind) as {
          n: number
        }
      ).n
      if (missing === 0) continue
      const ids = sqlite
        .prepare(
          `SELECT id FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.kind = ? AND l.ref_id = t.id) ORDER BY id`,
        )
        .pluck()
        .all(kind) as number[]
      for (const id of ids) {
        appendLedgerLeaf(tx, kind, id)
        appended++
      }
    }
    return appended
  })
}

// ---- Reading the tree --------------------------------------------------------------------------

/** Leaves are dense from 0, so the size is max(leaf_index) + 1: one index probe, not a count. */
export function ledgerSize(_tx: Db = db): number {
  return stmt().size.get()?.n ?? 0
}

/** Leaf hashes (bytes) of the first `size` leaves, in index order (a full read: tests and tools only). */
export function leafHashes(size?: number, tx: Db = db): Uint8Array[] {
  const q = tx.select({ leafHash: ledgerLeaves.leafHash }).from(ledgerLeaves).orderBy(asc(ledgerLeaves.leafIndex))
  const rows = size === undefined ? q.all() : q.limit(size).all()
  return rows.map((r) => fromHex(r.leafHash))
}

export type TreeHead = { size: number; rootHash: string }

/** The tree head at `size` (default: the whole log). Throws RangeError beyond the log. */
export function treeHead(size?: number, tx: Db = db): TreeHead {
  const total = ledgerSize(tx)
  const n = size ?? total
  if (!Number.isInteger(n) || n < 0 || n > total) throw new RangeError(`tree size ${n} out of range 0..${total}`)
  return { size: n, rootHash: toHex(merkleRootOf(storedTree(), n)) }
}

export type SignedTreeHead = TreeHead & { signature: string; keyId: string }

// Ed25519 signatures are deterministic, so a head is signed once and served from here until the
// log grows. Keyed by key id, size AND root: a head computed inside a transaction that later
// rolled back can never be served for a different tree of the same size.
const signedHeads = new Map<string, SignedTreeHead>()
const SIGNED_HEADS_KEPT = 16

export function signTreeHead(head: TreeHead): SignedTreeHead {
  const key = ledgerKey()
  const message = treeHeadMessage(head.size, head.rootHash)
  const cacheKey = `${key.keyId}\n${message}`
  const cached = signedHeads.get(cacheKey)
  if (cached) return { ...cached }
  const signature = crypto.sign(null, Buffer.from(message, 'utf8'), key.privateKey).toString('base64')
  const signed = { ...head, signature, keyId: key.keyId }
  signedHeads.set(cacheKey, signed)
  if (signedHeads.size > SIGNED_HEADS_KEPT) signedHeads.delete(signedHeads.keys().next().value!)
  return { ...signed }
}

export function signedTreeHead(size?: number, tx: Db = db): SignedTreeHead {
  return signTreeHead(treeHead(size, tx))
}

export function verifyTreeHeadSignature(
  head: { size: number; rootHash: string; signature: string },
  publicKeyPem: string = ledgerPublicKeyPem(),
): boolean {
  try {
    return crypto.verify(
      null,
      Buffer.from(treeHeadMessage(head.size, head.rootHash), 'utf8'),
      publicKeyPem,
      Buffer.from(head.signature, 'base64'),
    )
  } catch {
    return false
  }
}

export type InclusionProofResult = {
  receiptNo: string
  leafIndex: number
  treeSize: number
  canonical: string
  leafHash: string
  proof: string[]
  rootHash: string
}

export function leafForReceipt(receiptNo: string, tx: Db = db) {
  return tx
    .select({
      leafIndex: ledgerLeaves.leafIndex,
      refId: ledgerLeaves.refId,
      leafHash: ledgerLeaves.leafHash,
      receiptNo: donations.receiptNo,
    })
    .from(ledgerLeaves)
    .innerJoin(donations, sql`${ledgerLeaves.kind} = 'donation' AND ${ledgerLeaves.refId} = ${donations.id}`)
    .where(eq(donations.receiptNo, receiptNo.trim().toUpperCase()))
    .get()
}

/**
 * Inclusion proof of a receipt's leaf in the tree of `size` leaves (default: current).
 * Returns null when the receipt has no leaf, or when the tree at `size` does not contain it.
 */
export function proofForReceipt(receiptNo: string, size?: number, tx: Db = db): InclusionProofResult | null | 'bad-size' {
  const leaf = leafForReceipt(receiptNo, tx)
  if (!leaf) return null
  const total = ledgerSize(tx)
  const n = size ?? total
  if (!Number.isInteger(n) || n <= leaf.leafIndex || n > total) return 'bad-size'
  const tree = storedTree()
  return {
    receiptNo: leaf.receiptNo,
    leafIndex: leaf.leafIndex,
    treeSize: n,
    canonical: liveCanonical(tx, 'donation', leaf.refId) ?? '',
    leafHash: leaf.leafHash,
    proof: inclusionProofOf(tree, n, leaf.leafIndex).map(toHex),
    rootHash: toHex(merkleRootOf(tree, n)),
  }
}

export function consistencyBetween(
  from: number,
  to: number,
  tx: Db = db,
): { from: number; to: number; proof: string[]; fromRoot: string; toRoot: string } | null {
  const total = ledgerSize(tx)
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || from > to || to > total) return null
  const tree = storedTree()
  return {
    from,
    to,
    proof: consistencyProofOf(tree, to, from).map(toHex),
    fromRoot: toHex(merkleRootOf(tree, from)),
    toRoot: toHex(merkleRootOf(tree, to)),
  }
}

export type LedgerPageEntry = { leafIndex: number; kind: LedgerLeafKind; refId: number; canonical: string | null; leafHash: string }

/**
 * The API serves each entry's canonical bytes recomputed from the public rows as they are NOW
 * (not the copy stored with the leaf), next to the stored leaf hash: if anyone edits an entry
 * behind the triggers' back, the recomputed hash no longer matches and every verifier sees it.
 * null when the entry row is gone.
 */
function liveCanonical(tx: Db, kind: LedgerLeafKind, refId: number): string | null {
  return liveCanonicals(tx, [{ kind, refId }]).get(`${kind}:${refId}`) ?? null
}

/** liveCanonical of a page of leaves in two or three queries, keyed `${kind}:${refId}`. */
function liveCanonicals(tx: Db, leaves: Array<{ kind: LedgerLeafKind; refId: number }>): Map<string, string> {
  const ids = (kind: LedgerLeafKind) => leaves.filter((l) => l.kind === kind).map((l) => l.refId)
  const out = new Map<string, string>()
  for (const [id, canonical] of donationCanonicals(tx, ids('donation'))) out.set(`donation:${id}`, canonical)
  for (const [id, canonical] of allocationCanonicals(tx, ids('allocation'))) out.set(`allocation:${id}`, canonical)
  return out
}

/** Leaves with leafIndex > after, in order; next = last index when more may follow. */
export function listLeaves(after: number, limit: number, tx: Db = db): { entries: LedgerPageEntry[]; next: number | null } {
  const rows = tx
    .select({ leafIndex: ledgerLeaves.leafIndex, kind: ledgerLeaves.kind, refId: ledgerLeaves.refId, leafHash: ledgerLeaves.leafHash })
    .from(ledgerLeaves)
    .where(sql`${ledgerLeaves.leafIndex} > ${after}`)
    .orderBy(asc(ledgerLeaves.leafIndex))
    .limit(limit + 1)
    .all()
  const more = rows.length > limit
  const page = rows.slice(0, limit)
  const canonicals = liveCanonicals(tx, page)
  const entries = page.map((r) => ({ ...r, canonical: canonicals.get(`${r.kind}:${r.refId}`) ?? null }))
  return { entries, next: more ? entries[entries.length - 1]!.leafIndex : null }
}

// ---- The site's signing key --------------------------------------------------------------------

type LedgerKey = { privateKey: crypto.KeyObject; publicKeyPem: string; keyId: string }
let cachedKey: { file: string; key: LedgerKey } | undefined

function keyFile(): string {
  return path.resolve(getEnv().DATA_DIR, 'ledger-key.pem')
}

/**
 * The Ed25519 key pair that signs tree heads: generated on first use and kept (PKCS#8 PEM,
 * mode 0600) in $DATA_DIR/ledger-key.pem. Losing it means new heads carry a new key id; old
 * signatures stay verifiable against the old public key only, so back it up with the database.
 */
export function ledgerKey(): LedgerKey {
  const file = keyFile()
  if (cachedKey?.file === file) return cachedKey.key
  let pem: string
  try {
    pem = fs.readFileSync(file, 'utf8')
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const { privateKey } = crypto.generateKeyPairSync('ed25519')
    const generated = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    try {
      fs.writeFileSync(file, generated, { mode: 0o600, flag: 'wx' })
      pem = generated
    } catch {
      // Another process created it first: use theirs.
      pem = fs.readFileSync(file, 'utf8')
    }
  }
  const privateKey = crypto.createPrivateKey(pem)
  const publicKey = crypto.createPublicKey(privateKey)
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
  const der = publicKey.export({ type: 'spki', format: 'der' })
  const keyId = crypto.createHash('sha256').update(der).digest('hex').slice(0, 16)
  const key = { privateKey, publicKeyPem, keyId }
  cachedKey = { file, key }
  return key
}

export function ledgerPublicKeyPem(): string {
  return ledgerKey().publicKeyPem
}
