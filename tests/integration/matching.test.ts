import crypto from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeEach, describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { auditLog, campaigns, donations, matchingMatches, matchingPledges, payments } from '~db/schema'
import { fromHex, leafHash, utf8Bytes, verifyInclusion } from '~/ledger/merkle'
import { proofForReceipt } from '~/ledger/tree.server'
import { chargeRefunded, checkoutCompleted, deliverSigned, testIntent } from './stripe-events'
import {
  applyForPartner,
  createPledge,
  decidePledge,
  liveMatchFor,
  matchAmount,
  publicPartner,
  recordSettlement,
  reverseSettlement,
  reviewPartner,
} from '~/matching/matching.server'
import { startGift } from '~/payments/payments.server'
import { shanghaiDateString, addShanghaiDays } from '~/utils/shanghai-date'
import { STRIPE_TEST_SECRET_KEY } from '~tests/mocks/stripe'
import { action as staffAction, loader as staffLoader } from '~/routes/staff.$slug.matching'
import { action as partnerAction } from '~/routes/me.partner'
import { action as adminAction } from '~/routes/admin.partners'
import { loader as publicLoader } from '~/routes/partners.$id'
import { context, createUser, formRequest, getRequest, homeWithStaff, ORIGIN, run, signedInCookie } from './helpers'
import { startCommandProcess, type CommandProcess } from './server-process'

// 配捐 (issue 14, docs/decisions/024-matching-pledges.md): partners, pledges, the matched entry
// written in the gift's webhook transaction, refunds, settlements, and a race at the cap.

const WEBHOOK_SECRET = 'whsec_matching_test_secret'

beforeEach(() => {
  process.env.STRIPE_SECRET_KEY = STRIPE_TEST_SECRET_KEY
  process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
})

const today = () => shanghaiDateString(new Date())
const VALID_USCC = '91350100M000100Y43'

const completedEvent = (payment: { id: number; checkoutSessionId: string | null; amountFen: number }) => checkoutCompleted(payment, 'match')
const refundEvent = (paymentId: number, amountRefunded: number, refunded: boolean) =>
  chargeRefunded(testIntent(paymentId, 'match'), amountRefunded, refunded)

async function deliver(event: unknown) {
  expect((await deliverSigned(event, WEBHOOK_SECRET)).status).toBe(200)
}

/** A verified partner organisation (applied by a member, verified by the platform admin). */
async function verifiedPartner(name = '暖阳科技有限公司') {
  const member = await createUser({ displayName: '合作方联系人' })
  const admin = await createUser({ isPlatformAdmin: true })
  const applied = applyForPartner(
    { userId: member.id, ip: null },
    { name, registrationNo: VALID_USCC, contactName: '李经理', contactPhone: '0543-1234567', description: '本地企业' },
  )
  if (!applied.ok) throw new Error(applied.message)
  const reviewed = reviewPartner({ userId: admin.id, ip: null }, applied.partner.id, 'verify')
  if (!reviewed.ok) throw new Error(reviewed.message)
  return { member, admin, partner: reviewed.partner, actor: { userId: member.id, ip: null } }
}

type PledgeOptions = {
  ratioPermille?: 1000 | 500
  capFen?: number
  perGiftCapFen?: number
  startsOn?: string
  endsOn?: string
  target?: string
}

/** A home with a manager and a live pledge to it (accepted by the manager). */
async function livePledge(options: PledgeOptions = {}) {
  const home = await homeWithStaff({ manager: true })
  const p = await verifiedPartner()
  const created = createPledge(p.actor, {
    target: options.target ?? `home:${home.home.id}`,
    ratioPermille: options.ratioPermille ?? 1000,
    capFen: options.capFen ?? 320_000,
    perGiftCapFen: options.perGiftCapFen ?? 50_000,
    startsOn: options.startsOn ?? today(),
    endsOn: options.endsOn ?? addShanghaiDays(today(), 30),
  })
  if (!created.ok) throw new Error(created.message)
  const accepted = decidePledge(home.managerActor, home.home.id, created.pledge.id, true)
  if (!accepted.ok) throw new Error(accepted.message)
  return { ...home, ...p, pledgeId: created.pledge.id }
}

async function give(
  institutionId: number,
  amountFen: number,
  target: { target: 'institution' | 'campaign'; targetId: number } | null = null,
) {
  const donor = await createUser({ displayName: '王小明' })
  const started = await startGift({
    userId: donor.id,
    target: target?.target ?? 'institution',
    targetId: target?.targetId ?? institutionId,
    amountFen,
    publicDisplay: 'masked',
    origin: ORIGIN,
  })
  if (!started.ok) throw new Error(started.message)
  const payment = db.select().from(payments).where(eq(payments.id, started.paymentId)).get()!
  await deliver(completedEvent(payment))
  return db.select().from(payments).where(eq(payments.id, payment.id)).get()!
}

const pledgeRow = (id: number) => db.select().from(matchingPledges).where(eq(matchingPledges.id, id)).get()!
const matchOf = (giftDonationId: number) =>
  db.select().from(matchingMatches).where(eq(matchingMatches.giftDonationId, giftDonationId)).get()
const donation = (id: number) => db.select().from(donations).where(eq(donations.id, id)).get()!

describe('partners and pledges', () => {
  test('a member applies, the USCC is checked, the admin verifies with an audit row; only a verified partner pledges', async () => {
    const member = await createUser()
    const actor = { userId: member.id, ip: null }
    const home = await homeWithStaff({ manager: true })
    const pledgeInput = {
      target: `home:${home.home.id}`,
      ratioPermille: 1000 as const,
      capFen: 100_000,
      perGiftCapFen: 10_000,
      startsOn: today(),
      endsOn: today(),
    }
    expect(createPledge(actor, pledgeInput)).toMatchObject({ ok: false })
    const phoneInText = applyForPartner(actor, {
      name: '某公司',
      registrationNo: VALID_USCC,
      contactName: '李',
      contactPhone: '13800138000',
      description: '联系 13812345678',
    })
    expect(phoneInText).toMatchObject({ ok: false, field: 'description' })
    const applied = applyForPartner(actor, {
      name: '某公司',
      registrationNo: VALID_USCC,
      contactName: '李',
      contactPhone: '13800138000',
      description: '',
    })
    expect(applied.ok).toBe(true)
    if (!applied.ok) return
    expect(createPledge(actor, pledgeInput)).toMatchObject({ ok: false, message: '合作机构通过平台审核后才能发起配捐' })
    const admin = await createUser({ isPlatformAdmin: true })
    expect(reviewPartner({ userId: admin.id, ip: null }, applied.partner.id, 'refuse', '')).toMatchObject({ ok: false, field: 'reason' })
    expect(reviewPartner({ userId: admin.id, ip: null }, applied.partner.id, 'verify')).toMatchObject({ ok: true })
    const audit = db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(applied.partner.id)))
      .all()
    expect(audit.map((a) => a.action)).toContain('partner.verify')
    const created = createPledge(actor, pledgeInput)
    expect(created.ok).toBe(true)
    if (!created.ok) return
    // Not live before the manager accepts it.
    expect(liveMatchFor({ institutionId: home.home.id, campaignId: null })).toBeNull()
    // Another home's manager cannot accept it; a staff member is refused too at the route (manager role).
    const other = await homeWithStaff({ manager: true })
    expect(decidePledge(other.managerActor, other.home.id, created.pledge.id, true)).toMatchObject({ ok: false })
    expect(decidePledge(home.managerActor, home.home.id, created.pledge.id, true)).toMatchObject({ ok: true })
    expect(liveMatchFor({ institutionId: home.home.id, campaignId: null })).toMatchObject({ partnerName: '某公司', remainingFen: 100_000 })
  })

  test('settlements are append-only, reversed by a negative row; another home cannot record one', async () => {
    const p = await livePledge({ capFen: 100_000 })
    expect(
      recordSettlement(p.actor /* the partner, not staff: home check */, p.home.id + 100_000, {
        pledgeId: p.pledgeId,
        amountFen: 5_000,
        transferredOn: today(),
        bankReference: 'X',
        note: '',
      }),
    ).toMatchObject({ ok: false })
    expect(
      recordSettlement({ userId: p.staff.id, ip: null }, p.home.id, {
        pledgeId: p.pledgeId,
        amountFen: 30_000,
        transferredOn: today(),
        bankReference: 'B123',
        note: '',
      }),
    ).toEqual({ ok: true })
    expect(pledgeRow(p.pledgeId).settledFen).toBe(30_000)
    const id = db.select().from(auditLog).where(eq(auditLog.action, 'matching.settlement.record')).all().at(-1)!.entityId
    expect(reverseSettlement({ userId: p.staff.id, ip: null }, p.home.id, { settlementId: Number(id), reason: '金额登记错误' })).toEqual({
      ok: true,
    })
    expect(reverseSettlement({ userId: p.staff.id, ip: null }, p.home.id, { settlementId: Number(id), reason: '再来一次' })).toMatchObject({
      ok: false,
    })
    expect(pledgeRow(p.pledgeId).settledFen).toBe(0)
    const page = publicPartner(p.partner.id)!
    expect(page.pledges[0]!.pledge).toMatchObject({ capFen: 100_000, matchedFen: 0, settledFen: 0 })
  })
})

describe('the pages: access', () => {
  test('apply and verify through the pages; an unverified partner cannot pledge; the public page appears only once verified', async () => {
    const member = await createUser()
    const cookie = signedInCookie(member.id)
    const bad = await run(() =>
      partnerAction({
        request: formRequest(
          '/me/partner',
          { intent: 'apply', name: '某公司', registrationNo: '91350100M000100Y44', contactName: '李', contactPhone: '13800138000' },
          { cookie },
        ),
        params: {},
        context: context(),
      }),
    )
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain('校验位')
    const ok = await run(() =>
      partnerAction({
        request: formRequest(
          '/me/partner',
          { intent: 'apply', name: '某公司', registrationNo: '9135 0100 M000 100Y 43', contactName: '李', contactPhone: '13800138000' },
          { cookie },
        ),
        params: {},
        context: context(),
      }),
    )
    expect(ok.status).toBe(302)
    const home = await homeWithStaff({ manager: true })
    const pledgeFields = {
      intent: 'pledge',
      target: `home:${home.home.id}`,
      ratioPermille: '1000',
      capFen: '1000',
      perGiftCapFen: '100',
      startsOn: today(),
      endsOn: today(),
    }
    const early = await run(() =>
      partnerAction({ request: formRequest('/me/partner', pledgeFields, { cookie }), params: {}, context: context() }),
    )
    expect(early.status).toBe(400)
    expect(JSON.stringify(early.body)).toContain('通过平台审核后才能发起配捐')
    const partnerId = db.select().from(auditLog).where(eq(auditLog.action, 'partner.apply')).all().at(-1)!.entityId!
    expect(
      (await run(() => publicLoader({ request: getRequest(`/partners/${partnerId}`), params: { id: partnerId }, context: context() })))
        .status,
    ).toBe(404)
    // A member who is not an admin cannot verify.
    expect(
      (
        await run(() =>
          adminAction({
            request: formRequest('/admin/partners', { partnerId, intent: 'verify' }, { cookie }),
            params: {},
            context: context(),
          }),
        )
      ).status,
    ).toBe(403)
    const admin = await createUser({ isPlatformAdmin: true })
    const verified = await run(() =>
      adminAction({
        request: formRequest('/admin/partners', { partnerId, intent: 'verify' }, { cookie: signedInCookie(admin.id) }),
        params: {},
        context: context(),
      }),
    )
    expect(verified.status).toBe(200)
    const pledged = await run(() =>
      partnerAction({ request: formRequest('/me/partner', pledgeFields, { cookie }), params: {}, context: context() }),
    )
    expect(pledged.status).toBe(302)
    expect(
      (await run(() => publicLoader({ request: getRequest(`/partners/${partnerId}`), params: { id: partnerId }, context: context() })))
        .status,
    ).toBe(200)
  })

  test("home B's staff neither see nor accept home A's pledge; a staff member cannot accept; a member cannot record a settlement", async () => {
    const a = await homeWithStaff({ manager: true })
    const b = await homeWithStaff({ manager: true })
    const p = await verifiedPartner()
    const created = createPledge(p.actor, {
      target: `home:${a.home.id}`,
      ratioPermille: 1000,
      capFen: 10_000,
      perGiftCapFen: 1_000,
      startsOn: today(),
      endsOn: today(),
    })
    if (!created.ok) throw new Error(created.message)
    const pledgeId = String(created.pledge.id)
    const seenByB = await run(() =>
      staffLoader({
        request: getRequest(`/staff/${b.home.slug}/matching`, b.managerCookie),
        params: { slug: b.home.slug },
        context: context(),
      }),
    )
    expect((seenByB.body as { pledges: unknown[] }).pledges).toEqual([])
    const acceptByB = await run(() =>
      staffAction({
        request: formRequest(`/staff/${b.home.slug}/matching`, { intent: 'accept', pledgeId }, { cookie: b.managerCookie }),
        params: { slug: b.home.slug },
        context: context(),
      }),
    )
    expect(acceptByB.status).toBe(400)
    const acceptByBOnA = await run(() =>
      staffAction({
        request: formRequest(`/staff/${a.home.slug}/matching`, { intent: 'accept', pledgeId }, { cookie: b.managerCookie }),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(acceptByBOnA.status).toBe(404)
    const acceptByStaff = await run(() =>
      staffAction({
        request: formRequest(`/staff/${a.home.slug}/matching`, { intent: 'accept', pledgeId }, { cookie: a.cookie }),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(acceptByStaff.status).toBe(403)
    expect(pledgeRow(created.pledge.id).status).toBe('proposed')
    const accepted = await run(() =>
      staffAction({
        request: formRequest(`/staff/${a.home.slug}/matching`, { intent: 'accept', pledgeId }, { cookie: a.managerCookie }),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(accepted.status).toBe(302)
    const settle = { intent: 'settle', pledgeId, amountFen: '50', transferredOn: today(), bankReference: 'B1', note: '' }
    const byMember = await run(() =>
      staffAction({
        request: formRequest(`/staff/${a.home.slug}/matching`, settle, { cookie: signedInCookie(p.member.id) }),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(byMember.status).toBe(404)
    const bad = await run(() =>
      staffAction({
        request: formRequest(`/staff/${a.home.slug}/matching`, { ...settle, amountFen: '5.001' }, { cookie: a.cookie }),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain('两位小数')
    const byStaff = await run(() =>
      staffAction({
        request: formRequest(`/staff/${a.home.slug}/matching`, settle, { cookie: a.cookie }),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(byStaff.status).toBe(302)
    expect(pledgeRow(created.pledge.id).settledFen).toBe(5_000)
    expect(db.select().from(auditLog).where(eq(auditLog.action, 'matching.settlement.record')).all().at(-1)!.institutionId).toBe(a.home.id)
  })
})

describe('the matched entry, in the gift transaction', () => {
  test('a qualifying gift gets its matched entry: same home and designation, 「<partner> 配捐」, naming the receipt; in the Merkle log', async () => {
    const p = await livePledge({ capFen: 320_000, perGiftCapFen: 50_000 })
    const paid = await give(p.home.id, 10_000)
    const gift = donation(paid.donationId!)
    const match = matchOf(gift.id)!
    expect(match.amountFen).toBe(10_000)
    const matched = donation(match.matchedDonationId)
    expect(matched).toMatchObject({
      kind: 'money',
      amountFen: 10_000,
      institutionId: p.home.id,
      designation: gift.designation,
      donorDisplay: '暖阳科技有限公司 配捐',
      description: `配捐：匹配收据 ${gift.receiptNo}`,
    })
    expect(pledgeRow(p.pledgeId).matchedFen).toBe(10_000)
    expect(liveMatchFor({ institutionId: p.home.id, campaignId: null })?.remainingFen).toBe(310_000)
    for (const receipt of [gift.receiptNo, matched.receiptNo]) {
      const proof = proofForReceipt(receipt)
      if (!proof || proof === 'bad-size') throw new Error('no proof')
      expect(proof.canonical).toContain(receipt)
      expect(
        verifyInclusion(
          leafHash(utf8Bytes(proof.canonical)),
          proof.leafIndex,
          proof.treeSize,
          proof.proof.map(fromHex),
          fromHex(proof.rootHash),
        ),
      ).toBe(true)
    }
  })

  test('per-gift cap, 1:0.5 rounding down to the fen, and the cap exhausted', async () => {
    const p = await livePledge({ ratioPermille: 500, capFen: 6_000, perGiftCapFen: 2_500 })
    const odd = await give(p.home.id, 333) // 333 × 0.5 = 166.5 → 166 fen
    expect(matchOf(odd.donationId!)?.amountFen).toBe(166)
    const big = await give(p.home.id, 20_000) // 10,000 → per-gift cap 2,500
    expect(matchOf(big.donationId!)?.amountFen).toBe(2_500)
    const third = await give(p.home.id, 20_000) // 2,500 again
    expect(matchOf(third.donationId!)?.amountFen).toBe(2_500)
    const last = await give(p.home.id, 20_000) // only 6,000 − 5,166 = 834 left
    expect(matchOf(last.donationId!)?.amountFen).toBe(834)
    expect(pledgeRow(p.pledgeId).matchedFen).toBe(6_000)
    const after = await give(p.home.id, 20_000)
    expect(matchOf(after.donationId!)).toBeUndefined()
    expect(liveMatchFor({ institutionId: p.home.id, campaignId: null })).toMatchObject({ remainingFen: 0 })
    expect(matchAmount({ ratioPermille: 1000, perGiftCapFen: 100, capFen: 1000, matchedFen: 0 }, 50)).toBe(50)
  })

  test('outside the period nothing is matched and nothing is shown', async () => {
    const future = addShanghaiDays(today(), 3)
    const p = await livePledge({ startsOn: future, endsOn: addShanghaiDays(future, 5) })
    const paid = await give(p.home.id, 10_000)
    expect(matchOf(paid.donationId!)).toBeUndefined()
    expect(liveMatchFor({ institutionId: p.home.id, campaignId: null })).toBeNull()
    const past = await livePledge({ startsOn: addShanghaiDays(today(), -10), endsOn: addShanghaiDays(today(), -1) })
    const paid2 = await give(past.home.id, 10_000)
    expect(matchOf(paid2.donationId!)).toBeUndefined()
  })

  test("a campaign gift is matched by the campaign's own pledge before the home's", async () => {
    const p = await livePledge({ capFen: 100_000 })
    const campaign = db
      .insert(campaigns)
      .values({
        slug: `match-c-${crypto.randomUUID().slice(0, 8)}`,
        name: '冬衣活动',
        ownerInstitutionId: p.home.id,
        startsAt: new Date(Date.now() - 86_400_000),
        endsAt: new Date(Date.now() + 10 * 86_400_000),
      })
      .returning()
      .get()
    const specific = createPledge(p.actor, {
      target: `campaign:${campaign.id}`,
      ratioPermille: 500,
      capFen: 50_000,
      perGiftCapFen: 50_000,
      startsOn: today(),
      endsOn: today(),
    })
    if (!specific.ok) throw new Error(specific.message)
    decidePledge(p.managerActor, p.home.id, specific.pledge.id, true)
    const paid = await give(p.home.id, 10_000, { target: 'campaign', targetId: campaign.id })
    expect(matchOf(paid.donationId!)).toMatchObject({ pledgeId: specific.pledge.id, amountFen: 5_000 })
    expect(donation(matchOf(paid.donationId!)!.matchedDonationId)).toMatchObject({ designation: 'campaign', campaignId: campaign.id })
    const general = await give(p.home.id, 10_000)
    expect(matchOf(general.donationId!)).toMatchObject({ pledgeId: p.pledgeId, amountFen: 10_000 })
  })

  test('a refund reverses the same share of the match and gives it back to the pledge', async () => {
    const p = await livePledge({ capFen: 100_000 })
    const paid = await give(p.home.id, 10_000)
    const match = matchOf(paid.donationId!)!
    await deliver(refundEvent(paid.id, 4_000, false)) // 40 % of the gift
    const corrections = () => db.select().from(donations).where(eq(donations.correctsId, match.matchedDonationId)).all()
    expect(corrections().map((c) => c.amountFen)).toEqual([-4_000])
    expect(corrections()[0]!.correctionReason).toContain(donation(paid.donationId!).receiptNo)
    expect(pledgeRow(p.pledgeId).matchedFen).toBe(6_000)
    await deliver(refundEvent(paid.id, 10_000, true))
    expect(corrections().map((c) => c.amountFen)).toEqual([-4_000, -6_000])
    expect(pledgeRow(p.pledgeId).matchedFen).toBe(0)
    const proof = proofForReceipt(corrections()[1]!.receiptNo)
    expect(proof && proof !== 'bad-size' && proof.canonical).toBeTruthy()
  })
})

describe('a race at the cap', () => {
  const workers: CommandProcess[] = []
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()))
  })

  test('many gifts completing at once in several processes: matched total exactly the cap, never over', async () => {
    const file = process.env.DATABASE_PATH as string
    workers.push(...(await Promise.all([0, 1, 2, 3].map(() => startCommandProcess('tests/integration/workers/complete-gifts.ts', file)))))
    // Cap ¥100 with ¥30 gifts matched 1:1: 40 gifts ask for ¥1,200 of matching.
    const p = await livePledge({ capFen: 10_000, perGiftCapFen: 10_000 })
    const donor = await createUser()
    const events: ReturnType<typeof completedEvent>[] = []
    for (let i = 0; i < 40; i++) {
      const payment = db
        .insert(payments)
        .values({
          provider: 'stripe',
          checkoutSessionId: `cs_race_${crypto.randomUUID()}`,
          idempotencyKey: crypto.randomUUID(),
          userId: donor.id,
          institutionId: p.home.id,
          target: 'institution',
          amountFen: 3_000,
          publicDisplay: 'anonymous',
          status: 'open',
          createdAt: new Date(),
        })
        .returning()
        .get()
      events.push(completedEvent(payment))
    }
    const answers = await Promise.all(
      workers.map((w, i) => w.send<Array<{ ok: boolean; outcome?: string }>>(events.filter((_, j) => j % 4 === i))),
    )
    expect(answers.flat().every((a) => a.ok && a.outcome === 'recorded')).toBe(true)
    const matches = db.select().from(matchingMatches).where(eq(matchingMatches.pledgeId, p.pledgeId)).all()
    expect(matches.reduce((s, m) => s + m.amountFen, 0)).toBe(10_000)
    expect(pledgeRow(p.pledgeId).matchedFen).toBe(10_000)
    // Three full matches and one of ¥10 take exactly the cap.
    expect(matches.map((m) => m.amountFen).sort((a, b) => a - b)).toEqual([1_000, 3_000, 3_000, 3_000])
  }, 60_000)

  test('the CHECK refuses a matched total over the cap whatever writes it', async () => {
    const p = await livePledge({ capFen: 1_000 })
    expect(() => db.update(matchingPledges).set({ matchedFen: 1_001 }).where(eq(matchingPledges.id, p.pledgeId)).run()).toThrow(/CHECK/)
  })
})
