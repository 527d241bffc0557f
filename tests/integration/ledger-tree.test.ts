import crypto from 'node:crypto'
import path from 'node:path'
import { flatRoutes } from '@remix-run/dev/dist/config/flat-routes.js'
import { eq } from 'drizzle-orm'
import { http } from 'msw'
import { describe, expect, test } from 'vitest'
import { db, sqlite, writeTransaction } from '~db/client.server'
import { allocations, disclosures, donations, ledgerLeaves } from '~db/schema'
import { recordCorrection, recordDonation, type NewDonation } from '~/donations/ledger.server'
import {
  fromHex,
  inclusionProof,
  leafHashHex,
  merkleRoot,
  toHex,
  utf8Bytes,
  verifyConsistency,
  verifyInclusion,
  leafHash,
} from '~/ledger/merkle'
import {
  backfillLedgerLeaves,
  consistencyBetween,
  leafHashes,
  ledgerPublicKeyPem,
  ledgerSize,
  listLeaves,
  proofForReceipt,
  signedTreeHead,
  verifyTreeHeadSignature,
} from '~/ledger/tree.server'
import { loader as entriesLoader } from '~/routes/api.ledger._index'
import { loader as consistencyLoader } from '~/routes/api.ledger.consistency'
import { loader as proofLoader } from '~/routes/api.ledger.proof.$receipt'
import { loader as headLoader } from '~/routes/api.ledger.tree-head'
import { loader as keyLoader } from '~/routes/[.well-known].weinuan-ledger-key'
import { loader as disclosuresApiLoader } from '~/routes/api.disclosures'
import { verifyLedger, verifyLedgerData, type VerifierDisclosure } from '~/ledger/verifier'
import { verifyReceiptInBrowser } from '~/ledger/verified-badge'
import { server } from '~tests/mocks'
import { context, createTestInstitution, getRequest, run } from './helpers'

// Issue 6, "anyone can verify the log": every donation, correction and allocation is a leaf of
// an append-only Merkle tree; heads are signed with the site's Ed25519 key; an independent
// verifier recomputes everything from the public API and notices any change made behind the
// append-only triggers' back.

function gift(institutionId: number, overrides: Partial<NewDonation> = {}) {
  return writeTransaction((tx) =>
    recordDonation(tx, {
      institutionId,
      kind: 'money',
      description: '爱心捐款',
      amountFen: 5000,
      donor: { displayName: '李善心', choice: 'masked', userId: null },
      designation: 'general',
      channel: 'bank_transfer',
      receivedAt: new Date('2026-06-01T02:00:00Z'),
      recordedBy: null,
      ...overrides,
    }),
  )
}

const leafOf = (refId: number) =>
  db
    .select()
    .from(ledgerLeaves)
    .where(eq(ledgerLeaves.refId, refId))
    .all()
    .find((l) => l.kind === 'donation')

async function body(response: unknown) {
  const r = await run(() => response)
  return { status: r.status, headers: r.headers, json: JSON.parse(r.body as string) as Record<string, unknown> }
}

/** What the CLI downloads over HTTP, read through the same functions the API routes use. */
function publicData(extra: { disclosures?: VerifierDisclosure[] | null; receipt?: string } = {}) {
  const entries = []
  let after = -1
  for (;;) {
    const page = listLeaves(after, 500)
    entries.push(...page.entries)
    if (page.next === null) break
    after = page.next
  }
  const head = signedTreeHead()
  return {
    entries,
    head,
    publicKeyPem: ledgerPublicKeyPem(),
    disclosures: extra.disclosures === undefined ? publishedDisclosures() : extra.disclosures,
    fetchConsistency: async (from: number, to: number) => consistencyBetween(from, to)!,
    receipt: extra.receipt ? { receiptNo: extra.receipt, proof: proofForReceipt(extra.receipt, head.size) as never } : undefined,
  }
}

function publishedDisclosures(): VerifierDisclosure[] {
  return db
    .select({
      id: disclosures.id,
      label: disclosures.label,
      treeSize: disclosures.treeSize,
      rootHash: disclosures.rootHash,
      signature: disclosures.signature,
    })
    .from(disclosures)
    .where(eq(disclosures.status, 'published'))
    .all()
}

/** A published disclosure pinning the current tree head (as the disclosures flow does). */
function publishDisclosureAtCurrentHead(institutionId: number, month: number) {
  const head = signedTreeHead()
  db.insert(disclosures)
    .values({
      institutionId,
      period: 'month',
      periodStart: new Date(Date.UTC(2026, month - 1, 1) - 8 * 3600_000),
      periodEnd: new Date(Date.UTC(2026, month, 1) - 8 * 3600_000),
      label: `2026年${month}月`,
      status: 'published',
      treeSize: head.size,
      rootHash: head.rootHash,
      signature: head.signature,
      publishedAt: new Date(),
    })
    .run()
  return head
}

describe('every log entry becomes a Merkle leaf', () => {
  test('recordDonation appends the leaf of its entry in the same transaction', () => {
    const home = createTestInstitution()
    const before = ledgerSize()
    const entry = gift(home.id)
    const leaf = leafOf(entry.id)!
    expect(leaf.leafIndex).toBe(before)
    expect(ledgerSize()).toBe(before + 1)
    const canonical = JSON.parse(leaf.canonical) as Record<string, unknown>
    expect(canonical).toMatchObject({
      v: 1,
      type: 'donation',
      receiptNo: entry.receiptNo,
      institution: home.slug,
      amountFen: 5000,
      donorDisplay: entry.donorDisplay,
      receivedAt: '2026-06-01T02:00:00.000Z',
      correctsReceipt: null,
    })
    // Only public fields: the donor's user id and the staff member never enter the log.
    expect(Object.keys(canonical)).not.toContain('donorUserId')
    expect(Object.keys(canonical)).not.toContain('recordedBy')
    expect(leaf.leafHash).toBe(leafHashHex(leaf.canonical))
  })

  test('a rolled-back gift leaves neither an entry nor a leaf', () => {
    const home = createTestInstitution()
    const before = ledgerSize()
    expect(() =>
      writeTransaction((tx) => {
        recordDonation(tx, {
          institutionId: home.id,
          kind: 'money',
          description: '回滚',
          amountFen: 100,
          donor: { displayName: '甲', choice: 'anonymous' },
          designation: 'general',
          channel: 'desk',
          receivedAt: new Date(),
          recordedBy: null,
        })
        throw new Error('payment failed later in the transaction')
      }),
    ).toThrow()
    expect(ledgerSize()).toBe(before)
  })

  test('a correction is a leaf of its own that names the receipt it reverses', () => {
    const home = createTestInstitution()
    const original = gift(home.id)
    const result = writeTransaction((tx) =>
      recordCorrection(tx, { originalReceipt: original.receiptNo, reason: '金额登记错误', recordedBy: null }),
    )
    if (!result.ok) throw new Error(result.message)
    const canonical = JSON.parse(leafOf(result.entry.id)!.canonical) as Record<string, unknown>
    expect(canonical).toMatchObject({ correctsReceipt: original.receiptNo, correctionReason: '金额登记错误', amountFen: -5000 })
  })

  test('backfill gives entries recorded before the log existed their leaves, once, donations then allocations', () => {
    const home = createTestInstitution()
    const old = db
      .insert(donations)
      .values({
        receiptNo: `WN-2025-9${String(Date.now()).slice(-5)}`,
        institutionId: home.id,
        kind: 'goods',
        description: '旧记录：棉被 ×2',
        quantity: 2,
        unit: '床',
        donorDisplay: '匿名',
        designation: 'general',
        channel: 'desk',
        receivedAt: new Date('2025-12-01T00:00:00Z'),
      })
      .returning()
      .get()
    const allocation = db
      .insert(allocations)
      .values({ institutionId: home.id, usedAt: new Date('2026-01-05T00:00:00Z'), purpose: '购买冬季棉衣 12 件', amountFen: 360000 })
      .returning()
      .get()
    expect(leafOf(old.id)).toBeUndefined()
    const before = ledgerSize()
    expect(backfillLedgerLeaves()).toBe(2)
    expect(leafOf(old.id)!.leafIndex).toBe(before)
    const allocationLeaf = db
      .select()
      .from(ledgerLeaves)
      .where(eq(ledgerLeaves.leafIndex, before + 1))
      .get()!
    expect(allocationLeaf.kind).toBe('allocation')
    expect(JSON.parse(allocationLeaf.canonical)).toMatchObject({
      type: 'allocation',
      id: allocation.id,
      purpose: '购买冬季棉衣 12 件',
      sourceReceipts: [],
    })
    expect(backfillLedgerLeaves()).toBe(0)
    expect(ledgerSize()).toBe(before + 2)
  })
})

describe('signed tree heads and proofs', () => {
  test('the tree head is the RFC 9162 root of the stored leaves, signed with the published Ed25519 key', async () => {
    const home = createTestInstitution()
    gift(home.id)
    const head = signedTreeHead()
    expect(head.size).toBe(ledgerSize())
    expect(head.rootHash).toBe(toHex(merkleRoot(leafHashes())))
    expect(verifyTreeHeadSignature(head)).toBe(true)
    expect(verifyTreeHeadSignature({ ...head, size: head.size - 1 })).toBe(false)
    const pem = (await run(() => keyLoader())).body as string
    expect(pem).toContain('BEGIN PUBLIC KEY')
    const message = `weinuan-ledger-v1\n${head.size}\n${head.rootHash}`
    expect(crypto.verify(null, Buffer.from(message), pem, Buffer.from(head.signature, 'base64'))).toBe(true)
    expect(crypto.createPublicKey(pem).asymmetricKeyType).toBe('ed25519')
  })

  test('the API serves entries, head, inclusion and consistency proofs that agree with each other', async () => {
    const home = createTestInstitution()
    gift(home.id)
    const mid = ledgerSize()
    const entry = gift(home.id, { description: '给孩子们买书' })
    const headRes = await body(await headLoader({ request: getRequest('/api/ledger/tree-head'), params: {}, context: context() }))
    expect(headRes.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    expect(headRes.headers.get('Cache-Control')).toBe('no-store')
    const head = headRes.json as { size: number; rootHash: string }

    const all: { leafIndex: number; canonical: string; leafHash: string }[] = []
    let after = -1
    for (;;) {
      const page = await body(
        await entriesLoader({
          request: getRequest(after < 0 ? '/api/ledger?limit=3' : `/api/ledger?after=${after}&limit=3`),
          params: {},
          context: context(),
        }),
      )
      const p = page.json as { entries: typeof all; next: number | null }
      expect(p.entries.length).toBeLessThanOrEqual(3)
      all.push(...p.entries)
      if (p.next === null) break
      after = p.next
    }
    expect(all.map((e) => e.leafIndex)).toEqual(Array.from({ length: head.size }, (_, i) => i))
    expect(toHex(merkleRoot(all.map((e) => leafHash(utf8Bytes(e.canonical)))))).toBe(head.rootHash)

    const proof = (
      await body(
        await proofLoader({
          request: getRequest(`/api/ledger/proof/${entry.receiptNo}`),
          params: { receipt: entry.receiptNo },
          context: context(),
        }),
      )
    ).json as {
      leafIndex: number
      treeSize: number
      canonical: string
      proof: string[]
      rootHash: string
    }
    expect(proof.treeSize).toBe(head.size)
    expect(proof.rootHash).toBe(head.rootHash)
    expect(
      verifyInclusion(
        leafHash(utf8Bytes(proof.canonical)),
        proof.leafIndex,
        proof.treeSize,
        proof.proof.map(fromHex),
        fromHex(proof.rootHash),
      ),
    ).toBe(true)

    const c = (
      await body(
        await consistencyLoader({
          request: getRequest(`/api/ledger/consistency?from=${mid}&to=${head.size}`),
          params: {},
          context: context(),
        }),
      )
    ).json as {
      proof: string[]
      fromRoot: string
      toRoot: string
    }
    expect(c.fromRoot).toBe(signedTreeHead(mid).rootHash)
    expect(verifyConsistency(mid, head.size, c.proof.map(fromHex), fromHex(c.fromRoot), fromHex(c.toRoot))).toBe(true)
  })

  test('bad requests get 400 and unknown receipts 404, in Chinese and English', async () => {
    const bad = await body(await entriesLoader({ request: getRequest('/api/ledger?limit=501'), params: {}, context: context() }))
    expect(bad.status).toBe(400)
    const missing = await body(
      await proofLoader({
        request: getRequest('/api/ledger/proof/WN-1999-000001'),
        params: { receipt: 'WN-1999-000001' },
        context: context(),
      }),
    )
    expect(missing.status).toBe(404)
    expect(String((missing.json.error as { message: string }).message)).toContain('找不到该收据编号')
    const backwards = await body(
      await consistencyLoader({ request: getRequest('/api/ledger/consistency?from=5&to=2'), params: {}, context: context() }),
    )
    expect(backwards.status).toBe(400)
  })

  test('the routes answer at the public paths (flat-routes escaping of .well-known)', () => {
    const manifest = flatRoutes(path.resolve('app'))
    const byFile = new Map(Object.values(manifest).map((r) => [r.file, r]))
    const pathOf = (file: string) => {
      const r = byFile.get(file)
      expect(r, file).toBeDefined()
      expect(r!.parentId).toBe('root')
      return r!.index ? `${r!.path}` : r!.path
    }
    expect(pathOf('routes/[.well-known].weinuan-ledger-key.tsx')).toBe('.well-known/weinuan-ledger-key')
    expect(pathOf('routes/api.ledger._index.tsx')).toBe('api/ledger')
    expect(pathOf('routes/api.ledger.tree-head.tsx')).toBe('api/ledger/tree-head')
    expect(pathOf('routes/api.ledger.proof.$receipt.tsx')).toBe('api/ledger/proof/:receipt')
    expect(pathOf('routes/api.ledger.consistency.tsx')).toBe('api/ledger/consistency')
  })
})

describe("the entry page's 已验证 badge", () => {
  // The badge's check, fed by the real API loaders instead of the network.
  const apiFetch = (async (input: string) => {
    const url = new URL(input, 'http://localhost:3000')
    const request = getRequest(url.pathname + url.search)
    if (url.pathname === '/api/ledger/tree-head') return headLoader({ request, params: {}, context: context() })
    const receipt = decodeURIComponent(url.pathname.split('/').pop()!)
    return proofLoader({ request, params: { receipt }, context: context() })
  }) as unknown as typeof fetch

  test('verifies an entry in the log against the current tree head', async () => {
    const home = createTestInstitution()
    const entry = gift(home.id, { description: '冬季棉衣 ×12' })
    gift(home.id)
    const state = await verifyReceiptInBrowser(entry.receiptNo, '冬季棉衣 ×12', apiFetch)
    expect(state).toEqual({ status: 'verified', position: leafOf(entry.id)!.leafIndex + 1, size: ledgerSize() })
  })

  test('fails when the page and the log disagree, or the entry was changed', async () => {
    const home = createTestInstitution()
    const entry = gift(home.id, { description: '图书 ×30' })
    expect((await verifyReceiptInBrowser(entry.receiptNo, '图书 ×300', apiFetch)).status).toBe('failed')
    sqlite.exec('DROP TRIGGER donations_no_update')
    try {
      sqlite.prepare('UPDATE donations SET amount_fen = 1 WHERE id = ?').run(entry.id)
      expect(await verifyReceiptInBrowser(entry.receiptNo, '图书 ×30', apiFetch)).toEqual({
        status: 'failed',
        reason: '记录内容与日志中的哈希不一致',
      })
      sqlite.prepare('UPDATE donations SET amount_fen = 5000 WHERE id = ?').run(entry.id)
    } finally {
      restoreTriggers()
    }
  })
})

describe('the independent verifier', () => {
  test('passes on a clean log, including disclosures, their consistency and a receipt', async () => {
    const home = createTestInstitution()
    gift(home.id)
    publishDisclosureAtCurrentHead(home.id, 1)
    const entry = gift(home.id)
    publishDisclosureAtCurrentHead(home.id, 2)
    const report = await verifyLedgerData(publicData({ receipt: entry.receiptNo }))
    expect(report.errors).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.checks.some((c) => c.startsWith('consistency'))).toBe(true)
    expect(report.checks.some((c) => c.includes(entry.receiptNo))).toBe(true)
  })

  test('an entry edited directly in SQLite behind the triggers is detected', async () => {
    const home = createTestInstitution()
    const entry = gift(home.id, { description: '爱心捐款 ¥50' })
    sqlite.exec('DROP TRIGGER donations_no_update')
    try {
      sqlite.prepare('UPDATE donations SET amount_fen = 500 WHERE id = ?').run(entry.id)
      const report = await verifyLedgerData(publicData({ receipt: entry.receiptNo }))
      expect(report.ok).toBe(false)
      expect(report.errors.join('\n')).toContain(`leaf ${leafOf(entry.id)!.leafIndex}: entry does not match its leaf hash`)
      sqlite.prepare('UPDATE donations SET amount_fen = 5000 WHERE id = ?').run(entry.id)
      expect((await verifyLedgerData(publicData())).ok).toBe(true)
    } finally {
      restoreTriggers()
    }
  })

  test("a leaf rewritten consistently (bytes and hash) breaks the published disclosure's root", async () => {
    const home = createTestInstitution()
    const entry = gift(home.id)
    publishDisclosureAtCurrentHead(home.id, 3)
    const leaf = leafOf(entry.id)!
    sqlite.exec('DROP TRIGGER ledger_leaves_no_update')
    try {
      const forged = leaf.canonical.replace('"amountFen":5000', '"amountFen":50')
      sqlite
        .prepare('UPDATE ledger_leaves SET canonical = ?, leaf_hash = ? WHERE leaf_index = ?')
        .run(forged, leafHashHex(forged), leaf.leafIndex)
      const report = await verifyLedgerData(publicData())
      expect(report.ok).toBe(false)
      expect(report.errors.join('\n')).toMatch(/published root .* the log was changed/)
      sqlite
        .prepare('UPDATE ledger_leaves SET canonical = ?, leaf_hash = ? WHERE leaf_index = ?')
        .run(leaf.canonical, leaf.leafHash, leaf.leafIndex)
      expect((await verifyLedgerData(publicData())).ok).toBe(true)
    } finally {
      restoreTriggers()
    }
  })

  test('a deleted leaf is detected', async () => {
    const home = createTestInstitution()
    const entry = gift(home.id)
    gift(home.id)
    const leaf = leafOf(entry.id)!
    sqlite.exec('DROP TRIGGER ledger_leaves_no_delete')
    try {
      sqlite.prepare('DELETE FROM ledger_leaves WHERE leaf_index = ?').run(leaf.leafIndex)
      const report = await verifyLedgerData(publicData({ disclosures: null }))
      expect(report.ok).toBe(false)
      expect(report.errors.join('\n')).toContain(`leaf ${leaf.leafIndex}: missing`)
      db.insert(ledgerLeaves).values(leaf).run()
      expect((await verifyLedgerData(publicData())).ok).toBe(true)
    } finally {
      restoreTriggers()
    }
  })

  test('a forged signature or a different key is detected', async () => {
    const data = publicData()
    const other = crypto.generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect((await verifyLedgerData({ ...data, publicKeyPem: other })).errors).toContain('tree head signature INVALID')
    const proofs = inclusionProof(leafHashes(), 0)
    expect(proofs.length).toBeGreaterThan(0)
  })
})

function restoreTriggers() {
  const existing = new Set(
    (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map((t) => t.name),
  )
  const triggers: Record<string, string> = {
    donations_no_update:
      "CREATE TRIGGER donations_no_update BEFORE UPDATE ON donations BEGIN SELECT RAISE(ABORT, 'donations is append-only'); END",
    ledger_leaves_no_update:
      "CREATE TRIGGER ledger_leaves_no_update BEFORE UPDATE ON ledger_leaves BEGIN SELECT RAISE(ABORT, 'ledger_leaves is append-only'); END",
    ledger_leaves_no_delete:
      "CREATE TRIGGER ledger_leaves_no_delete BEFORE DELETE ON ledger_leaves BEGIN SELECT RAISE(ABORT, 'ledger_leaves is append-only'); END",
  }
  for (const [name, ddl] of Object.entries(triggers)) if (!existing.has(name)) sqlite.exec(ddl)
}

describe('scripts/verify-ledger against a live site', () => {
  test('verifies while entries keep being appended: one more before every request it makes', async () => {
    // Through the site's own API routes (msw hands each request to the route's loader). Each
    // request first records a new gift, as a busy site would between two of the verifier's
    // requests; reading the entries before the signed head, the verifier once saw a head larger
    // than the log it had downloaded and failed (a flaky end-to-end run showed it).
    const home = createTestInstitution()
    const first = gift(home.id)
    for (let i = 0; i < 3; i++) gift(home.id)
    const BASE = 'https://verify.weinuan.test'
    const routes: Array<[string, (args: { request: Request; params: Record<string, string> }) => Promise<Response>]> = [
      ['/api/ledger/tree-head', (a) => headLoader({ ...a, context: context() })],
      ['/api/ledger/proof/:receipt', (a) => proofLoader({ ...a, context: context() })],
      ['/api/ledger/consistency', (a) => consistencyLoader({ ...a, context: context() })],
      ['/api/ledger', (a) => entriesLoader({ ...a, context: context() })],
      ['/api/disclosures', (a) => disclosuresApiLoader({ ...a, context: context() })],
      ['/.well-known/weinuan-ledger-key', () => keyLoader()],
    ]
    let appended = 0
    server.use(
      ...routes.map(([route, load]) =>
        http.get(`${BASE}${route}`, async ({ request, params }) => {
          gift(home.id)
          appended++
          return load({ request, params: params as Record<string, string> })
        }),
      ),
    )
    const report = await verifyLedger(BASE, { receipt: first.receiptNo })
    expect(report.errors).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.checks).toContain(`${first.receiptNo}: included as leaf ${leafOf(first.id)!.leafIndex} of ${headSizeOf(report)}`)
    expect(appended).toBeGreaterThanOrEqual(4)
  })
})

function headSizeOf(report: { checks: string[] }): number {
  const m = /^tree head: size (\d+)/.exec(report.checks.find((c) => c.startsWith('tree head: size')) ?? '')
  return Number(m?.[1])
}
