import { afterEach, describe, expect, test, vi } from 'vitest'
import { queryLog, sqlite, writeTransaction } from '~db/client.server'
import { recordAllocation } from '~/allocations/allocations.server'
import {
  draftDisclosure,
  listPublishedDisclosures,
  publishDisclosure,
  remindMissingDisclosures,
  saveDraftDisclosure,
} from '~/disclosures/disclosures.server'
import { listLedgerMonths, listPublicLedger, recordCorrection, recordDonation } from '~/donations/ledger.server'
import { ledgerTreeSql } from '~/ledger/tree.server'
import { loader as disclosuresLoader } from '~/routes/disclosures._index'
import { loader as institutionLoader } from '~/routes/institutions.$slug'
import { loader as ledgerLoader } from '~/routes/ledger._index'
import { loader as entryLoader } from '~/routes/ledger.$receipt'
import { loader as entriesApi } from '~/routes/api.ledger._index'
import { loader as consistencyApi } from '~/routes/api.ledger.consistency'
import { loader as proofApi } from '~/routes/api.ledger.proof.$receipt'
import { loader as headApi } from '~/routes/api.ledger.tree-head'
import { loader as disclosuresApi } from '~/routes/api.disclosures'
import { addMember, context, createTestInstitution, createUser, getRequest, run } from './helpers'

// Issue 12, "no request scans history": the public log's pages and API must cost the same with a
// million entries as with ten. Timing is not tested (scripts/test has no timing assertions);
// instead every SQL statement a request runs is captured and its query plan must neither walk a
// table that grows with the log nor sort a whole set to return one page of it.

const GROWING = [
  'donations',
  'ledger_leaves',
  'ledger_nodes',
  'allocations',
  'allocation_sources',
  'pledge_arrivals',
  'disclosures',
  'audit_log',
]

const homeA = createTestInstitution('规模福利院')
const homeB = createTestInstitution('规模救助站')
const receipts: string[] = []

function gift(institutionId: number, at: string, kind: 'money' | 'goods' = 'money') {
  const entry = writeTransaction((tx) =>
    recordDonation(tx, {
      institutionId,
      kind,
      description: kind === 'money' ? '爱心捐款' : '冬季棉被',
      quantity: kind === 'goods' ? 3 : null,
      unit: kind === 'goods' ? '床' : null,
      estimatedValueFen: kind === 'goods' ? 45000 : null,
      amountFen: kind === 'money' ? 20000 : null,
      donor: { displayName: '周暖', choice: 'masked', userId: null },
      designation: 'general',
      channel: kind === 'money' ? 'online' : 'desk',
      receivedAt: new Date(at),
      recordedBy: null,
    }),
  )
  receipts.push(entry.receiptNo)
  return entry
}

async function seedLog() {
  for (const [i, month] of ['2026-04', '2026-05', '2026-06'].entries()) {
    gift(homeA.id, `${month}-03T02:00:00Z`)
    gift(homeA.id, `${month}-10T02:00:00Z`, 'goods')
    gift(homeB.id, `${month}-12T02:00:00Z`)
    if (i === 1)
      writeTransaction((tx) =>
        recordCorrection(tx, { originalReceipt: receipts[receipts.length - 1]!, reason: '重复登记', recordedBy: null }),
      )
  }
  const manager = await createUser({ displayName: '规模院长' })
  addMember(manager.id, homeA.id, 'manager')
  const actor = { userId: manager.id, ip: null }
  expect(
    recordAllocation(actor, homeA.id, {
      usedAt: new Date('2026-06-20T02:00:00Z'),
      purpose: '购买学习用品',
      amountFen: 20000,
      beneficiaryDescription: '本院儿童',
      sourceReceipts: [receipts[0]!],
    }).ok,
  ).toBe(true)
  const draft = saveDraftDisclosure(actor, homeA.id, 'month', new Date('2026-05-01T00:00:00+08:00'))
  if (!draft.ok) throw new Error(draft.message)
  expect(publishDisclosure(actor, homeA.id, draft.disclosureId).ok).toBe(true)
}

/** Every statement prepared or run (drizzle caches its statements: queryLog) while `fn` runs, with its query plan. */
async function statementsOf(fn: () => unknown) {
  const prepare = sqlite.prepare.bind(sqlite)
  const seen: string[] = []
  const spy = vi.spyOn(sqlite, 'prepare').mockImplementation(((source: string) => {
    seen.push(source)
    return prepare(source)
  }) as typeof sqlite.prepare)
  const executed = vi.spyOn(queryLog, 'logQuery').mockImplementation((source: string) => void seen.push(source))
  const result = await run(fn)
  spy.mockRestore()
  executed.mockRestore()
  expect(result.status).toBe(200)
  return [...new Set(seen)].map((source) => ({ source, plan: planOf(source) }))
}

function planOf(source: string): string[] {
  // The plan is fixed at prepare time; the parameters only need a value.
  const params = Array<null>((source.match(/\?/g) ?? []).length).fill(null)
  return (sqlite.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail)
}

/** The plan steps that make a statement's cost grow with the log. */
function historyScans(statements: Array<{ source: string; plan: string[] }>): string[] {
  const problems: string[] = []
  for (const { source, plan } of statements) {
    const paged = /\blimit\b/i.test(source)
    const sorts = plan.some((p) => p.startsWith('USE TEMP B-TREE FOR ORDER BY'))
    for (const step of plan) {
      const scanned = /^SCAN (\w+)/.exec(step)?.[1]
      // A walk of a growing table is fine only when it stops after one page, in index order.
      if (scanned && GROWING.includes(scanned) && !(paged && !sorts)) problems.push(`${step}  ←  ${source}`)
      // An open-ended range (everything before a date) is a scan too, unless it stops at a page.
      const ranged = /^SEARCH (\w+) USING .*\((?:[\w=?]+ AND )*\w+[<>]\?\)$/.exec(step)?.[1]
      if (ranged && GROWING.includes(ranged) && !paged) problems.push(`${step}  ←  ${source}`)
    }
    // Sorting everything that matches to return one page of it.
    if (paged && sorts && GROWING.some((t) => new RegExp(`\\b${t}\\b`).test(source))) problems.push(`sorts before LIMIT  ←  ${source}`)
    // Published summaries are megabytes each; lists read disclosure_totals instead.
    if (/"disclosures"\."summary"/.test(source) && /\blimit\b/i.test(source) && !/"disclosures"\."id" = \?/.test(source))
      problems.push(`reads every summary  ←  ${source}`)
  }
  return problems
}

afterEach(() => vi.restoreAllMocks())

describe('the public log reads no history per request', () => {
  test('pages and API answer from indexes, stored subtrees and summary tables', async () => {
    await seedLog()
    const receipt = receipts[4]!
    const page = listPublicLedger({ limit: 2 })
    const requests: Array<[string, () => unknown]> = [
      ['/ledger', () => ledgerLoader({ request: getRequest('/ledger'), params: {}, context: context() })],
      ['/ledger?month', () => ledgerLoader({ request: getRequest('/ledger?month=2026-05'), params: {}, context: context() })],
      [
        '/ledger?home&month&kind',
        () => ledgerLoader({ request: getRequest(`/ledger?home=${homeA.slug}&month=2026-05&kind=goods`), params: {}, context: context() }),
      ],
      [
        '/ledger?cursor',
        () => ledgerLoader({ request: getRequest(`/ledger?month=2026-05&cursor=${page.next}`), params: {}, context: context() }),
      ],
      ['/ledger/<receipt>', () => entryLoader({ request: getRequest(`/ledger/${receipt}`), params: { receipt }, context: context() })],
      ['/api/ledger', () => entriesApi({ request: getRequest('/api/ledger?after=2&limit=5'), params: {}, context: context() })],
      ['/api/ledger/tree-head', () => headApi({ request: getRequest('/api/ledger/tree-head'), params: {}, context: context() })],
      [
        '/api/ledger/proof',
        () => proofApi({ request: getRequest(`/api/ledger/proof/${receipt}`), params: { receipt }, context: context() }),
      ],
      [
        '/api/ledger/consistency',
        () => consistencyApi({ request: getRequest('/api/ledger/consistency?from=4'), params: {}, context: context() }),
      ],
      ['/disclosures', () => disclosuresLoader({ request: getRequest('/disclosures'), params: {}, context: context() })],
      ['/api/disclosures', () => disclosuresApi({ request: getRequest('/api/disclosures'), params: {}, context: context() })],
      [
        '/institutions/<home>',
        () => institutionLoader({ request: getRequest(`/institutions/${homeA.slug}`), params: { slug: homeA.slug }, context: context() }),
      ],
    ]
    const problems: Record<string, string[]> = {}
    let captured = 0
    for (const [name, fn] of requests) {
      const statements = await statementsOf(fn)
      captured += statements.length
      const found = historyScans(statements)
      if (found.length) problems[name] = found
    }
    // The tree's own statements are prepared once per process, before the capture: check them too.
    const tree = historyScans(
      Object.values(ledgerTreeSql)
        .filter((q) => q.startsWith('SELECT'))
        .map((source) => ({ source, plan: planOf(source) })),
    )
    if (tree.length) problems['ledgerTreeSql'] = tree
    expect(captured).toBeGreaterThan(requests.length)
    expect(problems).toEqual({})
  })

  test("a disclosure draft reads its period's entries by range, not the home's whole history", async () => {
    const statements = await statementsOf(() => {
      const draft = draftDisclosure(homeA.id, 'month', new Date('2026-06-01T00:00:00+08:00'))
      expect(draft.ok).toBe(true)
      return new Response('ok')
    })
    expect(historyScans(statements)).toEqual([])
    const period = statements.find((s) =>
      /from "donations" where \("donations"\."institution_id" = \? and "donations"\."received_at" >= \?/.test(s.source),
    )
    expect(period?.plan.join(' ')).toMatch(
      /USING INDEX donations_home_received_idx \(institution_id=\? AND received_at>\? AND received_at<\?\)/,
    )
    const uses = statements.find((s) =>
      /from "allocations" where \("allocations"\."institution_id" = \? and "allocations"\."used_at" >= \?/.test(s.source),
    )
    expect(uses?.plan.join(' ')).toMatch(/USING INDEX allocations_home_used_idx \(institution_id=\? AND used_at>\? AND used_at<\?\)/)
    // The previous period's balance is read inside SQLite, not by loading its summary.
    expect(statements.filter((s) => /"disclosures"\."summary"/.test(s.source) && !/json_extract/.test(s.source))).toEqual([])
  })

  test('the disclosure reminder job finds the homes with entries without reading the log', async () => {
    const statements = await statementsOf(() => {
      remindMissingDisclosures()
      return new Response('ok')
    })
    expect(historyScans(statements)).toEqual([])
  })

  test('the month list and disclosure figures come from tables kept in the write transaction', async () => {
    const distinctMonths = () =>
      (
        sqlite
          .prepare("SELECT DISTINCT strftime('%Y-%m', received_at / 1000, 'unixepoch', '+8 hours') AS m FROM donations ORDER BY m DESC")
          .all() as Array<{ m: string }>
      ).map((r) => r.m)
    expect(listLedgerMonths()).toEqual(distinctMonths())
    gift(homeB.id, '2023-01-31T17:30:00Z') // 2023-02-01 01:30 in Shanghai
    expect(listLedgerMonths()).toEqual(distinctMonths())
    expect(listLedgerMonths().at(-1)).toBe('2023-02')
    const [published] = listPublishedDisclosures().items
    expect(published).toMatchObject({ institutionSlug: homeA.slug, moneyFen: 20000, goodsValueFen: 45000, entryCount: 2 })
  })
})
