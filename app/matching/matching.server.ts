import { and, asc, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm'
import { db, type Tx } from '~db/client.server'
import { campaigns, donations, institutions, matchingMatches, matchingPledges, matchingSettlements, partners, users } from '~db/schema'
import { attemptAuditedWrite, refuse, type Actor, type Refusal } from '~/audit/audit.server'
import { correctedSoFar, recordCorrection, recordDonation } from '~/donations/ledger.server'
import { publicTextProblem } from '~/privacy/public-text.server'
import { now } from '~/utils/clock.server'
import { formatFen } from '~/utils/format'
import { endOfShanghaiDay, startOfShanghaiDay } from '~/utils/shanghai-date'
import type { MatchRatio } from './labels'

// 配捐: matching pledges by partner organisations (issue 14, docs/decisions/024-matching-pledges.md).
// A verified partner pledges to a home or a campaign; the home's manager accepts; every
// qualifying money gift then gets its matched entry in the gift's own transaction
// (applyMatching), until the cap. A refund or lost dispute reverses the same share of the match
// (reverseMatching). The home's staff record the partner's bank transfers (settlements).

export type Partner = typeof partners.$inferSelect
export type MatchingPledge = typeof matchingPledges.$inferSelect
type Donation = typeof donations.$inferSelect

// ---- Partners ---------------------------------------------------------------------------------

export function getPartnerForUser(userId: number): Partner | null {
  return db.select().from(partners).where(eq(partners.userId, userId)).get() ?? null
}

type PartnerField = 'name' | 'registrationNo' | 'contactName' | 'contactPhone' | 'description'

/** A member applies to act for an organisation (again after a refusal: the application is replaced). */
export function applyForPartner(
  actor: Actor,
  input: { name: string; registrationNo: string; contactName: string; contactPhone: string; description: string },
): { ok: true; partner: Partner } | Refusal<PartnerField> {
  return attemptAuditedWrite(actor, (tx) => {
    const problem = publicTextProblem(tx, [], [
      ['name', input.name],
      ['description', input.description],
    ] as const)
    if (problem) refuse(problem.message, problem.field)
    const existing = tx.select().from(partners).where(eq(partners.userId, actor.userId)).get()
    if (existing && existing.status !== 'refused') refuse('您已提交过合作机构申请')
    const values = { ...input, status: 'pending' as const, reviewedBy: null, reviewedAt: null, refusalReason: '' }
    const partner = existing
      ? tx.update(partners).set(values).where(eq(partners.id, existing.id)).returning().get()
      : tx
          .insert(partners)
          .values({ ...values, userId: actor.userId })
          .returning()
          .get()
    return {
      result: { ok: true as const, partner },
      audit: { institutionId: null, action: 'partner.apply', entityType: 'partner', entityId: partner.id, summary: { name: partner.name } },
    }
  })
}

export function listPartners() {
  return db
    .select({ partner: partners, applicant: users.displayName })
    .from(partners)
    .innerJoin(users, eq(users.id, partners.userId))
    .orderBy(sql`${partners.status} <> 'pending'`, desc(partners.id))
    .all()
}

/** The platform admin verifies or refuses an application (audited). */
export function reviewPartner(
  actor: Actor,
  partnerId: number,
  decision: 'verify' | 'refuse',
  reason = '',
): { ok: true; partner: Partner } | Refusal<'reason'> {
  return attemptAuditedWrite(actor, (tx) => {
    const partner = tx.select().from(partners).where(eq(partners.id, partnerId)).get()
    if (!partner) refuse('找不到这个申请')
    if (partner.status !== 'pending') refuse('这个申请已经审核过')
    if (decision === 'refuse' && !reason.trim()) refuse('请填写不通过的原因', 'reason')
    const updated = tx
      .update(partners)
      .set({
        status: decision === 'verify' ? 'verified' : 'refused',
        reviewedBy: actor.userId,
        reviewedAt: now(),
        refusalReason: decision === 'verify' ? '' : reason.trim(),
      })
      .where(eq(partners.id, partnerId))
      .returning()
      .get()
    return {
      result: { ok: true as const, partner: updated },
      audit: {
        institutionId: null,
        action: decision === 'verify' ? 'partner.verify' : 'partner.refuse',
        entityType: 'partner',
        entityId: partnerId,
        summary: { name: partner.name, registrationNo: partner.registrationNo, ...(reason ? { reason: reason.trim() } : {}) },
      },
    }
  })
}

// ---- Pledges ----------------------------------------------------------------------------------

/** What a partner may pledge to: every home, and every campaign not yet ended. */
export function pledgeTargets() {
  const homes = db.select({ id: institutions.id, name: institutions.name }).from(institutions).orderBy(asc(institutions.name)).all()
  const open = db
    .select({ id: campaigns.id, name: campaigns.name, homeName: institutions.name })
    .from(campaigns)
    .innerJoin(institutions, eq(institutions.id, campaigns.ownerInstitutionId))
    .where(gt(campaigns.endsAt, now()))
    .orderBy(asc(campaigns.name))
    .all()
  return [
    ...homes.map((h) => ({ value: `home:${h.id}`, label: `机构：${h.name}` })),
    ...open.map((c) => ({ value: `campaign:${c.id}`, label: `活动：${c.name}（${c.homeName}）` })),
  ]
}

type PledgeField = 'target' | 'ratioPermille' | 'capFen' | 'perGiftCapFen' | 'startsOn' | 'endsOn'

/** A verified partner proposes a pledge; it goes live when the home's manager accepts it. */
export function createPledge(
  actor: Actor,
  input: { target: string; ratioPermille: MatchRatio; capFen: number; perGiftCapFen: number; startsOn: string; endsOn: string },
): { ok: true; pledge: MatchingPledge } | Refusal<PledgeField> {
  return attemptAuditedWrite(actor, (tx) => {
    const partner = tx.select().from(partners).where(eq(partners.userId, actor.userId)).get()
    if (!partner || partner.status !== 'verified') refuse('合作机构通过平台审核后才能发起配捐')
    const [kind, rawId] = input.target.split(':') as ['home' | 'campaign', string]
    const id = Number(rawId)
    let institutionId: number
    let campaignId: number | null = null
    if (kind === 'campaign') {
      const campaign = tx.select().from(campaigns).where(eq(campaigns.id, id)).get()
      if (!campaign || campaign.endsAt.getTime() <= now().getTime()) refuse('这个活动已结束或不存在', 'target')
      institutionId = campaign.ownerInstitutionId
      campaignId = campaign.id
    } else {
      const home = tx.select({ id: institutions.id }).from(institutions).where(eq(institutions.id, id)).get()
      if (!home) refuse('找不到这家机构', 'target')
      institutionId = home.id
    }
    const pledge = tx
      .insert(matchingPledges)
      .values({
        partnerId: partner.id,
        institutionId,
        campaignId,
        ratioPermille: input.ratioPermille,
        capFen: input.capFen,
        perGiftCapFen: input.perGiftCapFen,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        startsAt: startOfShanghaiDay(input.startsOn),
        endsAt: new Date(endOfShanghaiDay(input.endsOn).getTime() + 1),
        createdBy: actor.userId,
      })
      .returning()
      .get()
    return {
      result: { ok: true as const, pledge },
      audit: {
        institutionId,
        action: 'matching.pledge.create',
        entityType: 'matching_pledge',
        entityId: pledge.id,
        summary: { partner: partner.name, capFen: input.capFen, ratioPermille: input.ratioPermille },
      },
    }
  })
}

/** The home's manager accepts or declines a proposed pledge to this home (per-home isolation). */
export function decidePledge(
  actor: Actor,
  institutionId: number,
  pledgeId: number,
  accept: boolean,
): { ok: true; pledge: MatchingPledge } | Refusal {
  return attemptAuditedWrite(actor, (tx) => {
    const pledge = tx
      .select()
      .from(matchingPledges)
      .where(and(eq(matchingPledges.id, pledgeId), eq(matchingPledges.institutionId, institutionId)))
      .get()
    if (!pledge) refuse('找不到这项配捐')
    if (pledge.status !== 'proposed') refuse('这项配捐已经处理过')
    const updated = tx
      .update(matchingPledges)
      .set({ status: accept ? 'accepted' : 'declined', decidedBy: actor.userId, decidedAt: now() })
      .where(eq(matchingPledges.id, pledgeId))
      .returning()
      .get()
    return {
      result: { ok: true as const, pledge: updated },
      audit: {
        institutionId,
        action: accept ? 'matching.pledge.accept' : 'matching.pledge.decline',
        entityType: 'matching_pledge',
        entityId: pledgeId,
      },
    }
  })
}

const pledgeColumns = {
  pledge: matchingPledges,
  partnerName: partners.name,
  partnerId: partners.id,
  homeName: institutions.name,
  homeSlug: institutions.slug,
  campaignName: campaigns.name,
  campaignSlug: campaigns.slug,
}

function pledgesWhere(where: ReturnType<typeof eq>) {
  return db
    .select(pledgeColumns)
    .from(matchingPledges)
    .innerJoin(partners, eq(partners.id, matchingPledges.partnerId))
    .innerJoin(institutions, eq(institutions.id, matchingPledges.institutionId))
    .leftJoin(campaigns, eq(campaigns.id, matchingPledges.campaignId))
    .where(where)
    .orderBy(desc(matchingPledges.id))
    .all()
}

/** A home's pledges, for its staff page, with the partner's contact and each pledge's settlements. */
export function listHomePledges(institutionId: number) {
  return pledgesWhere(eq(matchingPledges.institutionId, institutionId)).map((row) => ({
    ...row,
    contact: db
      .select({ name: partners.contactName, phone: partners.contactPhone })
      .from(partners)
      .where(eq(partners.id, row.partnerId))
      .get(),
    settlements: db
      .select()
      .from(matchingSettlements)
      .where(eq(matchingSettlements.pledgeId, row.pledge.id))
      .orderBy(asc(matchingSettlements.id))
      .all(),
  }))
}

/** A partner's own pledges (its page). */
export function listPartnerPledges(partnerId: number) {
  return pledgesWhere(eq(matchingPledges.partnerId, partnerId))
}

/** The public pledge page: a verified partner and its accepted pledges' figures; null otherwise. */
export function publicPartner(partnerId: number) {
  const partner = db
    .select({ id: partners.id, name: partners.name, description: partners.description, status: partners.status })
    .from(partners)
    .where(eq(partners.id, partnerId))
    .get()
  if (!partner || partner.status !== 'verified') return null
  const pledges = pledgesWhere(eq(matchingPledges.partnerId, partnerId)).filter((r) => r.pledge.status === 'accepted')
  return { partner, pledges }
}

/** 待结算: matched but not yet transferred (a prepayment leaves nothing outstanding). */
export function outstandingFen(pledge: Pick<MatchingPledge, 'matchedFen' | 'settledFen'>): number {
  return Math.max(0, pledge.matchedFen - pledge.settledFen)
}

// ---- Settlements ------------------------------------------------------------------------------

type SettlementField = 'amountFen' | 'transferredOn' | 'bankReference' | 'note' | 'reason'

/** Staff record a bank transfer from the partner for a pledge to their home (append-only). */
export function recordSettlement(
  actor: Actor,
  institutionId: number,
  input: { pledgeId: number; amountFen: number; transferredOn: string; bankReference: string; note: string },
): { ok: true } | Refusal<SettlementField> {
  return attemptAuditedWrite(actor, (tx) => {
    const pledge = tx
      .select()
      .from(matchingPledges)
      .where(and(eq(matchingPledges.id, input.pledgeId), eq(matchingPledges.institutionId, institutionId)))
      .get()
    if (!pledge || pledge.status !== 'accepted') refuse('只能为已接受的配捐登记到账')
    const row = tx
      .insert(matchingSettlements)
      .values({ ...input, recordedBy: actor.userId })
      .returning()
      .get()
    tx.update(matchingPledges)
      .set({ settledFen: sql`${matchingPledges.settledFen} + ${input.amountFen}` })
      .where(eq(matchingPledges.id, pledge.id))
      .run()
    return {
      result: { ok: true as const },
      audit: {
        institutionId,
        action: 'matching.settlement.record',
        entityType: 'matching_settlement',
        entityId: row.id,
        summary: { pledgeId: pledge.id, amountFen: input.amountFen, transferredOn: input.transferredOn },
      },
    }
  })
}

/** A mistaken settlement row is reversed by a negative row with a reason, never edited. */
export function reverseSettlement(
  actor: Actor,
  institutionId: number,
  input: { settlementId: number; reason: string },
): { ok: true } | Refusal<SettlementField> {
  return attemptAuditedWrite(actor, (tx) => {
    const row = tx
      .select({ settlement: matchingSettlements, pledge: matchingPledges })
      .from(matchingSettlements)
      .innerJoin(matchingPledges, eq(matchingPledges.id, matchingSettlements.pledgeId))
      .where(and(eq(matchingSettlements.id, input.settlementId), eq(matchingPledges.institutionId, institutionId)))
      .get()
    if (!row) refuse('找不到这条到账记录')
    if (row.settlement.correctsId !== null) refuse('更正记录不能再被更正，请另行登记', 'reason')
    const already = tx
      .select({ id: matchingSettlements.id })
      .from(matchingSettlements)
      .where(eq(matchingSettlements.correctsId, row.settlement.id))
      .get()
    if (already) refuse('这条到账记录已经更正过', 'reason')
    const reversal = tx
      .insert(matchingSettlements)
      .values({
        pledgeId: row.pledge.id,
        amountFen: -row.settlement.amountFen,
        transferredOn: row.settlement.transferredOn,
        bankReference: row.settlement.bankReference,
        note: '',
        correctsId: row.settlement.id,
        correctionReason: input.reason,
        recordedBy: actor.userId,
      })
      .returning()
      .get()
    tx.update(matchingPledges)
      .set({ settledFen: sql`${matchingPledges.settledFen} - ${row.settlement.amountFen}` })
      .where(eq(matchingPledges.id, row.pledge.id))
      .run()
    return {
      result: { ok: true as const },
      audit: {
        institutionId,
        action: 'matching.settlement.reverse',
        entityType: 'matching_settlement',
        entityId: reversal.id,
        summary: { corrects: row.settlement.id, amountFen: -row.settlement.amountFen, reason: input.reason },
      },
    }
  })
}

// ---- Matching a gift, in the gift's transaction ----------------------------------------------

/** Pledges live at `at` for a gift to this home (and campaign): the campaign's own first. */
function livePledges(tx: Tx | typeof db, target: { institutionId: number; campaignId: number | null }, at: Date) {
  return tx
    .select({ pledge: matchingPledges, partnerName: partners.name })
    .from(matchingPledges)
    .innerJoin(partners, eq(partners.id, matchingPledges.partnerId))
    .where(
      and(
        eq(matchingPledges.institutionId, target.institutionId),
        eq(matchingPledges.status, 'accepted'),
        lte(matchingPledges.startsAt, at),
        gt(matchingPledges.endsAt, at),
        target.campaignId === null
          ? isNull(matchingPledges.campaignId)
          : or(isNull(matchingPledges.campaignId), eq(matchingPledges.campaignId, target.campaignId)),
      ),
    )
    .orderBy(sql`${matchingPledges.campaignId} IS NULL`, asc(matchingPledges.id))
    .all()
}

/** The matched amount of one gift: min(floor(gift × ratio), per-gift cap, what is left of the cap). */
export function matchAmount(
  pledge: Pick<MatchingPledge, 'ratioPermille' | 'perGiftCapFen' | 'capFen' | 'matchedFen'>,
  giftFen: number,
): number {
  return Math.max(0, Math.min(Math.floor((giftFen * pledge.ratioPermille) / 1000), pledge.perGiftCapFen, pledge.capFen - pledge.matchedFen))
}

/**
 * Record the matched entry of a money gift just written to the log, in the same transaction
 * (BEGIN IMMEDIATE: one writer at a time across processes, so the cap read here holds until
 * commit; the CHECK on matched_fen is the backstop). The most specific live pledge with money
 * left matches (a campaign's own before the home's), one pledge per gift. Plain arguments, so the
 * one-off and monthly gift paths both call it. Returns the matched entry or null.
 */
export function applyMatching(tx: Tx, input: { institutionId: number; campaignId: number | null; gift: Donation }): Donation | null {
  const { gift } = input
  if (gift.kind !== 'money' || gift.amountFen === null || gift.amountFen <= 0 || gift.correctsId !== null) return null
  const candidate = livePledges(tx, input, gift.receivedAt).find((r) => r.pledge.matchedFen < r.pledge.capFen)
  if (!candidate) return null
  const amount = matchAmount(candidate.pledge, gift.amountFen)
  if (amount <= 0) return null
  const claimed = tx
    .update(matchingPledges)
    .set({ matchedFen: sql`${matchingPledges.matchedFen} + ${amount}` })
    .where(and(eq(matchingPledges.id, candidate.pledge.id), sql`${matchingPledges.matchedFen} + ${amount} <= ${matchingPledges.capFen}`))
    .run()
  if (claimed.changes !== 1) return null
  const matched = recordDonation(tx, {
    institutionId: gift.institutionId,
    kind: 'money',
    description: `配捐：匹配收据 ${gift.receiptNo}`,
    amountFen: amount,
    donor: { displayName: `${candidate.partnerName} 配捐`, choice: 'name', userId: null },
    designation: gift.designation,
    wishId: gift.wishId,
    campaignId: gift.campaignId,
    designationRef: gift.designationRef,
    channel: gift.channel,
    receivedAt: gift.receivedAt,
    recordedBy: null,
    paymentReference: `matching-pledge-${candidate.pledge.id}`,
  })
  tx.insert(matchingMatches)
    .values({ pledgeId: candidate.pledge.id, giftDonationId: gift.id, matchedDonationId: matched.id, amountFen: amount })
    .run()
  return matched
}

/**
 * After a correction of a matched gift (refund, lost dispute), reverse the same share of its
 * match: what stays matched is floor(match × what is left of the gift ÷ the gift), so a full
 * refund reverses the whole match. The reversed part goes back to the pledge's balance. Call in
 * the correction's transaction. Returns the amount reversed (0 when the gift was not matched).
 */
export function reverseMatching(tx: Tx, input: { giftDonationId: number; reason: string }): number {
  const match = tx.select().from(matchingMatches).where(eq(matchingMatches.giftDonationId, input.giftDonationId)).get()
  if (!match) return 0
  const gift = tx.select().from(donations).where(eq(donations.id, match.giftDonationId)).get()
  const matched = tx.select().from(donations).where(eq(donations.id, match.matchedDonationId)).get()
  if (!gift?.amountFen || !matched) return 0
  const giftLeft = gift.amountFen - correctedSoFar(tx, gift.id).amountFen
  const keep = Math.floor((match.amountFen * Math.max(0, giftLeft)) / gift.amountFen)
  const matchLeft = match.amountFen - correctedSoFar(tx, matched.id).amountFen
  const part = matchLeft - keep
  if (part <= 0) return 0
  const correction = recordCorrection(tx, {
    originalReceipt: matched.receiptNo,
    reason: `原捐款 ${gift.receiptNo} ${input.reason}，配捐相应退回 ${formatFen(part)}`,
    recordedBy: null,
    amountFen: part,
  })
  if (!correction.ok) return 0
  tx.update(matchingPledges)
    .set({ matchedFen: sql`${matchingPledges.matchedFen} - ${part}` })
    .where(eq(matchingPledges.id, match.pledgeId))
    .run()
  return part
}

// ---- The live line --------------------------------------------------------------------------

export type LiveMatch = { partnerId: number; partnerName: string; ratioPermille: number; remainingFen: number }

/**
 * The pledge a gift to this home/campaign would be matched by now (read from the pledge row),
 * or an exhausted one in its period (remainingFen 0: 「配捐额度已用完」); null outside every period.
 */
export function liveMatchFor(target: { institutionId: number; campaignId: number | null }): LiveMatch | null {
  const rows = livePledges(db, target, now())
  const row = rows.find((r) => r.pledge.matchedFen < r.pledge.capFen) ?? rows[0]
  if (!row) return null
  return {
    partnerId: row.pledge.partnerId,
    partnerName: row.partnerName,
    ratioPermille: row.pledge.ratioPermille,
    remainingFen: row.pledge.capFen - row.pledge.matchedFen,
  }
}

/** Matched entries of a pledge (for tests and the partner's page): gift and matched receipts. */
export function listMatches(pledgeId: number) {
  return db
    .select({
      amountFen: matchingMatches.amountFen,
      giftDonationId: matchingMatches.giftDonationId,
      matchedDonationId: matchingMatches.matchedDonationId,
    })
    .from(matchingMatches)
    .where(eq(matchingMatches.pledgeId, pledgeId))
    .orderBy(asc(matchingMatches.id))
    .all()
}

/** liveMatchFor a campaign named by its slug (the campaign page). */
export function liveMatchForCampaign(slug: string): LiveMatch | null {
  const campaign = db
    .select({ id: campaigns.id, institutionId: campaigns.ownerInstitutionId })
    .from(campaigns)
    .where(eq(campaigns.slug, slug))
    .get()
  return campaign ? liveMatchFor({ institutionId: campaign.institutionId, campaignId: campaign.id }) : null
}
