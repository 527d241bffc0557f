import { sqlite, writeTransaction } from '~db/client.server'
import { ANONYMOUS_DONOR, donorPublicName } from '~/donations/display'
import { formatReceiptNo } from '~/donations/ledger.server'
import { publishDisclosure, saveDraftDisclosure, periodContaining } from '~/disclosures/disclosures.server'
import { leafHashHex } from '~/ledger/merkle'
import { allocationEntryCanonical, backfillLedgerNodes, donationEntryCanonical } from '~/ledger/tree.server'
import { now } from '~/utils/clock.server'
import { shanghaiDateString } from '~/utils/shanghai-date'

// A large, realistic public log for benchmarks and demos (issue 12): `scripts/seed --volume N`.
// Tops the log up to N donations spread over the last three years across the demo homes —
// money and goods, about 0.5 % corrections, and each home's monthly 用途 drawing on that month's
// gifts — with their Merkle leaves in log order and the stored subtree nodes, then publishes the
// last two months' disclosures through the app's own functions. Bulk inserts use prepared
// statements in transactions of CHUNK entries; the canonical bytes come from the same helpers
// as recordDonation / recordAllocation, so scripts/verify-ledger accepts the result.
// Donor names are invented; no demo account (nor its password) appears in any public entry.

const CHUNK = 20_000
const SPAN_MS = 3 * 365 * 24 * 3600_000

const GOODS = [
  { description: '冬季棉被', unit: '床', fen: 15_000 },
  { description: '儿童冬衣', unit: '件', fen: 12_000 },
  { description: '大米', unit: '袋', fen: 6_000 },
  { description: '牛奶', unit: '箱', fen: 5_500 },
  { description: '课外读物', unit: '本', fen: 3_000 },
  { description: '文具套装', unit: '套', fen: 2_500 },
  { description: '运动鞋', unit: '双', fen: 18_000 },
  { description: '纸尿裤', unit: '包', fen: 9_000 },
]
const MONEY_FEN = [2_000, 5_000, 10_000, 20_000, 30_000, 50_000, 100_000, 200_000]
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'
const GIVEN = ['善心', '爱心', '暖阳', '志远', '若水', '明德', '思源', '安然', '向善', '春晖']
const PURPOSES = ['购买冬季棉衣', '购买学习用品', '儿童营养餐补助', '康复训练器材', '图书角添置新书', '生活用品采购']
const CORRECTION_REASONS = ['金额登记错误，已重新登记', '物资数量登记有误', '重复登记']

export type VolumeResult = {
  donations: number
  corrections: number
  allocations: number
  leaves: number
  nodes: number
  disclosures: number
}

/** A small deterministic PRNG: the same N gives the same log. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Entry = {
  id: number
  receiptNo: string
  institutionId: number
  kind: 'money' | 'goods'
  description: string
  quantity: number | null
  unit: string | null
  estimatedValueFen: number | null
  amountFen: number | null
  donorDisplay: string
  designation: 'general'
  wishId: null
  campaignId: null
  designationRef: null
  channel: 'desk' | 'bank_transfer' | 'online'
  receivedAt: Date
  correctsId: number | null
  correctionReason: string | null
}

export function seedVolume(target: number, log: (message: string) => void = () => {}): VolumeResult {
  if (process.env.NODE_ENV === 'production') throw new Error('Refusing to seed demo data when NODE_ENV=production')
  const result: VolumeResult = { donations: 0, corrections: 0, allocations: 0, leaves: 0, nodes: 0, disclosures: 0 }
  const homes = sqlite.prepare('SELECT id, slug FROM institutions ORDER BY id').all() as Array<{ id: number; slug: string }>
  if (!homes.length) throw new Error('no institutions: run the demo seed first')
  const existing = (sqlite.prepare('SELECT count(*) AS n FROM donations').get() as { n: number }).n
  if (existing >= target) {
    log(`volume: the log already has ${existing} donations (≥ ${target}); nothing added`)
    return result
  }
  const slugOf = new Map(homes.map((h) => [h.id, h.slug]))
  // Bigger homes get more gifts: weights 1..homes.length.
  const weighted = homes.flatMap((h, i) => Array<number>(i + 1).fill(h.id))
  const random = prng(target)
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!

  const insertDonation = sqlite.prepare(
    `INSERT INTO donations (id, receipt_no, institution_id, kind, description, quantity, unit, estimated_value_fen, amount_fen, donor_display, designation, channel, received_at, corrects_id, correction_reason)
     VALUES (@id, @receiptNo, @institutionId, @kind, @description, @quantity, @unit, @estimatedValueFen, @amountFen, @donorDisplay, @designation, @channel, @receivedAt, @correctsId, @correctionReason)`,
  )
  const insertAllocation = sqlite.prepare(
    `INSERT INTO allocations (id, institution_id, used_at, purpose, amount_fen, items, beneficiary_description) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertSource = sqlite.prepare('INSERT INTO allocation_sources (allocation_id, donation_id) VALUES (?, ?)')
  const insertLeaf = sqlite.prepare('INSERT INTO ledger_leaves (leaf_index, kind, ref_id, canonical, leaf_hash) VALUES (?, ?, ?, ?, ?)')
  const maxOf = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n

  let nextDonationId = maxOf('SELECT coalesce(max(id), 0) + 1 AS n FROM donations')
  let nextAllocationId = maxOf('SELECT coalesce(max(id), 0) + 1 AS n FROM allocations')
  let nextLeaf = maxOf('SELECT coalesce(max(leaf_index), -1) + 1 AS n FROM ledger_leaves')
  const toAdd = target - existing
  const end = now().getTime() - 24 * 3600_000
  const start = end - SPAN_MS

  const appendLeaf = (kind: 'donation' | 'allocation', refId: number, canonical: string) => {
    insertLeaf.run(nextLeaf++, kind, refId, canonical, leafHashHex(canonical))
    result.leaves++
  }
  const addDonation = (e: Entry, correctsReceipt: string | null) => {
    insertDonation.run({ ...e, receivedAt: e.receivedAt.getTime() })
    appendLeaf('donation', e.id, donationEntryCanonical(e, slugOf.get(e.institutionId)!, correctsReceipt))
    result.donations++
  }

  // Recent entries that may still be corrected or named as a 用途 source.
  const recent: Entry[] = []
  const usedOrCorrected = new Set<number>()
  let month = ''
  let monthGifts = new Map<number, Entry[]>()
  const closeMonth = (at: Date) => {
    for (const [institutionId, gifts] of monthGifts) {
      const money = gifts.filter((g) => g.kind === 'money' && !usedOrCorrected.has(g.id))
      for (let a = 0; a < 2 && money.length >= 4; a++) {
        const sources = money.splice(0, 4)
        for (const s of sources) usedOrCorrected.add(s.id)
        const allocation = {
          id: nextAllocationId++,
          usedAt: new Date(at.getTime() - 3600_000),
          purpose: pick(PURPOSES),
          amountFen: sources.reduce((sum, s) => sum + (s.amountFen ?? 0), 0),
          items: '',
          beneficiaryDescription: '本院儿童',
        }
        insertAllocation.run(
          allocation.id,
          institutionId,
          allocation.usedAt.getTime(),
          allocation.purpose,
          allocation.amountFen,
          allocation.items,
          allocation.beneficiaryDescription,
        )
        for (const s of sources) insertSource.run(allocation.id, s.id)
        appendLeaf(
          'allocation',
          allocation.id,
          allocationEntryCanonical(allocation, slugOf.get(institutionId)!, sources.map((s) => s.receiptNo).sort()),
        )
        result.allocations++
      }
    }
    monthGifts = new Map()
  }

  const addOne = (i: number) => {
    const receivedAt = new Date(start + Math.floor(((i + random()) / toAdd) * SPAN_MS))
    const key = shanghaiDateString(receivedAt).slice(0, 7)
    if (key !== month) {
      if (month) closeMonth(receivedAt)
      month = key
    }
    const id = nextDonationId++
    const receiptNo = formatReceiptNo(id, receivedAt)
    // About one entry in 200 reverses a recent mistake instead of recording a new gift.
    const original = recent.length > 100 && random() < 0.005 ? recent[Math.floor(random() * recent.length)]! : null
    if (original && !usedOrCorrected.has(original.id)) {
      usedOrCorrected.add(original.id)
      const negate = (n: number | null) => (n === null ? null : -n)
      addDonation(
        {
          ...original,
          id,
          receiptNo,
          description: `更正：${original.description}`,
          quantity: negate(original.quantity),
          estimatedValueFen: negate(original.estimatedValueFen),
          amountFen: negate(original.amountFen),
          receivedAt,
          correctsId: original.id,
          correctionReason: pick(CORRECTION_REASONS),
        },
        original.receiptNo,
      )
      result.corrections++
      return
    }
    const institutionId = pick(weighted)
    const goods = random() < 0.4 ? pick(GOODS) : null
    const quantity = goods ? 1 + Math.floor(random() * 30) : null
    const choice = random()
    const entry: Entry = {
      id,
      receiptNo,
      institutionId,
      kind: goods ? 'goods' : 'money',
      description: goods ? goods.description : '爱心捐款',
      quantity,
      unit: goods ? goods.unit : null,
      estimatedValueFen: goods ? goods.fen * quantity! : null,
      amountFen: goods ? null : pick(MONEY_FEN),
      donorDisplay:
        choice < 0.3 ? ANONYMOUS_DONOR : donorPublicName(`${pick([...SURNAMES])}${pick(GIVEN)}`, choice < 0.8 ? 'masked' : 'name'),
      designation: 'general',
      wishId: null,
      campaignId: null,
      designationRef: null,
      channel: goods ? 'desk' : random() < 0.7 ? 'online' : 'bank_transfer',
      receivedAt,
      correctsId: null,
      correctionReason: null,
    }
    addDonation(entry, null)
    recent.push(entry)
    if (recent.length > 2000) recent.shift()
    const list = monthGifts.get(institutionId) ?? []
    list.push(entry)
    monthGifts.set(institutionId, list)
  }

  const began = Date.now()
  for (let done = 0; done < toAdd;) {
    const upto = Math.min(toAdd, done + CHUNK)
    writeTransaction(() => {
      for (let i = done; i < upto; i++) addOne(i)
      if (upto === toAdd) closeMonth(new Date(end))
    })
    done = upto
    if (done % 100_000 === 0 || done === toAdd) log(`volume: ${done} / ${toAdd} donations (${((Date.now() - began) / 1000).toFixed(1)} s)`)
  }
  result.nodes = writeTransaction(() => backfillLedgerNodes())
  log(`volume: ${result.nodes} Merkle nodes stored (${((Date.now() - began) / 1000).toFixed(1)} s)`)
  result.disclosures = publishRecentDisclosures(homes)
  log(`volume: ${result.disclosures} disclosures published (${((Date.now() - began) / 1000).toFixed(1)} s)`)
  return result
}

/** Each home's last two full months, drafted and published by its demo manager. */
function publishRecentDisclosures(homes: Array<{ id: number }>): number {
  const manager = sqlite.prepare(
    "SELECT user_id AS userId FROM memberships WHERE institution_id = ? AND role = 'manager' ORDER BY id LIMIT 1",
  )
  const current = periodContaining('month', now())
  const months = [1, 2].map((back) => periodContaining('month', new Date(current.start.getTime() - 1 - (back - 1) * 31 * 24 * 3600_000)))
  let published = 0
  for (const home of homes) {
    const userId = (manager.get(home.id) as { userId: number } | undefined)?.userId
    if (!userId) continue
    for (const m of months) {
      const actor = { userId, ip: null }
      const draft = saveDraftDisclosure(actor, home.id, 'month', m.start)
      if (!draft.ok) continue
      if (publishDisclosure(actor, home.id, draft.disclosureId).ok) published++
    }
  }
  return published
}
