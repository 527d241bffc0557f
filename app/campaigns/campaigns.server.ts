import { randomBytes } from 'node:crypto'
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm'
import { z } from 'zod'
import { db, type Tx } from '~db/client.server'
import { campaignInstitutions, campaigns, institutions, wishes } from '~db/schema'
import { attemptAuditedWrite, refuseWrite, type Actor, type AuditEntry } from '~/audit/audit.server'
import { publicTextProblem } from '~/privacy/public-text.server'
import { now } from '~/utils/clock.server'
import { decodeCursor, pageOf, PAGE_SIZE } from '~/utils/pagination'
import { endOfShanghaiDay, startOfShanghaiDay } from '~/utils/shanghai-date'
import { parseSlugList, type CampaignInput } from './validation'

// Campaigns (活动) such as 六一「润心伴成长」. A campaign belongs to the home that created it and
// may include partner homes (a cross-region pairing such as 奉甘两地微心愿); every participating
// home, the owner included, has a campaign_institutions row.

export type Campaign = typeof campaigns.$inferSelect
export type CampaignResult = { ok: true; campaign: Campaign } | { ok: false; field?: keyof CampaignInput; message: string }

/** Wishes counted towards a campaign's progress: published at some point and not withdrawn. */
const counted = sql`${wishes.status} not in ('draft', 'withdrawn')`

export function listCampaignsForHome(institutionId: number) {
  const rows = db
    .select({
      id: campaigns.id,
      slug: campaigns.slug,
      name: campaigns.name,
      startsAt: campaigns.startsAt,
      endsAt: campaigns.endsAt,
      ownerInstitutionId: campaigns.ownerInstitutionId,
      total: sql<number>`(select count(*) from ${wishes} where ${wishes.campaignId} = ${campaigns.id} and ${counted})`,
      claimed: sql<number>`(select count(*) from ${wishes} where ${wishes.campaignId} = ${campaigns.id} and ${wishes.status} in ('claimed', 'received', 'fulfilled'))`,
      fulfilled: sql<number>`(select count(*) from ${wishes} where ${wishes.campaignId} = ${campaigns.id} and ${wishes.status} = 'fulfilled')`,
      ownWishes: sql<number>`(select count(*) from ${wishes} where ${wishes.campaignId} = ${campaigns.id} and ${wishes.institutionId} = ${institutionId})`,
    })
    .from(campaigns)
    .innerJoin(
      campaignInstitutions,
      and(eq(campaignInstitutions.campaignId, campaigns.id), eq(campaignInstitutions.institutionId, institutionId)),
    )
    .orderBy(desc(campaigns.startsAt), desc(campaigns.id))
    .all()
  const homes = participantsOf(rows.map((r) => r.id))
  return rows.map((r) => ({ ...r, isOwner: r.ownerInstitutionId === institutionId, homes: homes.get(r.id) ?? [] }))
}

function participantsOf(campaignIds: number[]) {
  const byCampaign = new Map<number, Array<{ slug: string; name: string }>>()
  if (!campaignIds.length) return byCampaign
  const rows = db
    .select({ campaignId: campaignInstitutions.campaignId, slug: institutions.slug, name: institutions.name })
    .from(campaignInstitutions)
    .innerJoin(institutions, eq(institutions.id, campaignInstitutions.institutionId))
    .where(inArray(campaignInstitutions.campaignId, campaignIds))
    .orderBy(asc(institutions.id))
    .all()
  for (const { campaignId, ...home } of rows) byCampaign.set(campaignId, [...(byCampaign.get(campaignId) ?? []), home])
  return byCampaign
}

/** A campaign this home takes part in, with its partner homes; null for any other campaign. */
export function getCampaignForHome(institutionId: number, campaignId: number) {
  const campaign = db
    .select({ campaign: campaigns })
    .from(campaigns)
    .innerJoin(
      campaignInstitutions,
      and(eq(campaignInstitutions.campaignId, campaigns.id), eq(campaignInstitutions.institutionId, institutionId)),
    )
    .where(eq(campaigns.id, campaignId))
    .get()?.campaign
  if (!campaign) return null
  const homes = participantsOf([campaign.id]).get(campaign.id) ?? []
  return {
    campaign,
    homes,
    isOwner: campaign.ownerInstitutionId === institutionId,
    partners: homes.filter((h) => h.slug !== ownSlug(campaign.ownerInstitutionId)),
  }
}

function ownSlug(institutionId: number): string | undefined {
  return db.select({ slug: institutions.slug }).from(institutions).where(eq(institutions.id, institutionId)).get()?.slug
}

function resolvePartners(
  tx: Tx,
  institutionId: number,
  text: string | undefined,
): { ok: true; ids: number[] } | { ok: false; message: string } {
  const slugs = parseSlugList(text)
  if (!slugs.length) return { ok: true, ids: [] }
  const found = tx
    .select({ id: institutions.id, slug: institutions.slug })
    .from(institutions)
    .where(inArray(institutions.slug, slugs))
    .all()
  const missing = slugs.filter((s) => !found.some((f) => f.slug === s))
  if (missing.length) return { ok: false, message: `找不到这些机构标识：${missing.join('、')}` }
  return { ok: true, ids: found.map((f) => f.id).filter((id) => id !== institutionId) }
}

function dates(input: CampaignInput) {
  // The end date is inclusive: the campaign runs until the end of that day in Asia/Shanghai.
  return { startsAt: startOfShanghaiDay(input.startsOn), endsAt: endOfShanghaiDay(input.endsOn) }
}

type CampaignRefusal = Extract<CampaignResult, { ok: false }>

const attempt = (actor: Actor, fn: (tx: Tx) => { result: CampaignResult; audit: AuditEntry }) =>
  attemptAuditedWrite<CampaignResult, CampaignRefusal>(actor, fn)

function refuse(refusal: { field?: keyof CampaignInput; message: string }): never {
  refuseWrite({ ok: false, ...refusal })
}

/** A campaign's name and description are public: no child of the participating homes may be identifiable. */
function refuseIdentifyingText(tx: Tx, homeIds: number[], input: CampaignInput): void {
  const problem = publicTextProblem(tx, homeIds, [
    ['name', input.name],
    ['description', input.description],
  ] as const)
  if (problem) refuse(problem)
}

export function createCampaign(actor: Actor, institutionId: number, input: CampaignInput): CampaignResult {
  return attempt(actor, (tx) => {
    const partners = resolvePartners(tx, institutionId, input.partnerSlugs)
    if (!partners.ok) refuse({ field: 'partnerSlugs', message: partners.message })
    refuseIdentifyingText(tx, [institutionId, ...partners.ids], input)
    const campaign = tx
      .insert(campaigns)
      .values({
        slug: `c-${randomBytes(5).toString('hex')}`,
        name: input.name,
        description: input.description ?? '',
        ownerInstitutionId: institutionId,
        ...dates(input),
      })
      .returning()
      .get()
    tx.insert(campaignInstitutions)
      .values([institutionId, ...partners.ids].map((id) => ({ campaignId: campaign.id, institutionId: id })))
      .run()
    return {
      result: { ok: true, campaign },
      audit: {
        institutionId,
        action: 'campaign.create',
        entityType: 'campaign',
        entityId: campaign.id,
        summary: { name: campaign.name, partners: partners.ids },
      },
    }
  })
}

/** Only the owner home edits a campaign. A partner home that already has wishes in it stays. */
export function updateCampaign(actor: Actor, institutionId: number, campaignId: number, input: CampaignInput): CampaignResult {
  return attempt(actor, (tx) => {
    const current = tx
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.ownerInstitutionId, institutionId)))
      .get()
    if (!current) refuse({ message: '只有发起机构可以修改该活动' })
    const partners = resolvePartners(tx, institutionId, input.partnerSlugs)
    if (!partners.ok) refuse({ field: 'partnerSlugs', message: partners.message })
    refuseIdentifyingText(tx, [institutionId, ...partners.ids], input)
    const keep = new Set([institutionId, ...partners.ids])
    const dropped = tx
      .select({ institutionId: campaignInstitutions.institutionId, name: institutions.name })
      .from(campaignInstitutions)
      .innerJoin(institutions, eq(institutions.id, campaignInstitutions.institutionId))
      .where(eq(campaignInstitutions.campaignId, campaignId))
      .all()
      .filter((p) => !keep.has(p.institutionId))
    for (const p of dropped) {
      const used = tx
        .select({ id: wishes.id })
        .from(wishes)
        .where(and(eq(wishes.campaignId, campaignId), eq(wishes.institutionId, p.institutionId)))
        .get()
      if (used) refuse({ field: 'partnerSlugs', message: `${p.name} 已有心愿加入该活动，不能移除` })
      tx.delete(campaignInstitutions)
        .where(and(eq(campaignInstitutions.campaignId, campaignId), eq(campaignInstitutions.institutionId, p.institutionId)))
        .run()
    }
    for (const id of keep) tx.insert(campaignInstitutions).values({ campaignId, institutionId: id }).onConflictDoNothing().run()
    const campaign = tx
      .update(campaigns)
      .set({ name: input.name, description: input.description ?? '', ...dates(input) })
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.ownerInstitutionId, institutionId)))
      .returning()
      .get()
    return {
      result: { ok: true, campaign },
      audit: {
        institutionId,
        action: 'campaign.update',
        entityType: 'campaign',
        entityId: campaignId,
        summary: { name: campaign.name, partners: partners.ids, removed: dropped.map((d) => d.institutionId) },
      },
    }
  })
}

/** Other homes that could be invited as partners (for the form's hint list). */
export function partnerCandidates(institutionId: number) {
  return db
    .select({ slug: institutions.slug, name: institutions.name })
    .from(institutions)
    .where(ne(institutions.id, institutionId))
    .orderBy(asc(institutions.id))
    .all()
}

/** /campaigns takes no filters, only the keyset cursor (listQuery). */
export const campaignIndexQuery = z.object({})

/** How long an ended campaign stays on the public /campaigns index. */
export const RECENT_CAMPAIGN_DAYS = 180

/**
 * The public /campaigns index: campaigns running now or ended within RECENT_CAMPAIGN_DAYS, the
 * latest start first, keyset-paged on (startsAt, id). Public fields only.
 */
export function listPublicCampaigns(options: { cursor?: string | null; limit?: number } = {}) {
  const limit = options.limit ?? PAGE_SIZE
  const at = now()
  const since = new Date(at.getTime() - RECENT_CAMPAIGN_DAYS * 24 * 60 * 60 * 1000)
  const after = decodeCursor(options.cursor)
  const rows = db
    .select({
      id: campaigns.id,
      slug: campaigns.slug,
      name: campaigns.name,
      description: campaigns.description,
      startsAt: campaigns.startsAt,
      endsAt: campaigns.endsAt,
      homeName: institutions.name,
      homeSlug: institutions.slug,
    })
    .from(campaigns)
    .innerJoin(institutions, eq(institutions.id, campaigns.ownerInstitutionId))
    .where(
      and(
        sql`${campaigns.endsAt} > ${since.getTime()}`,
        after
          ? sql`(${campaigns.startsAt} < ${after.k} OR (${campaigns.startsAt} = ${after.k} AND ${campaigns.id} < ${after.id}))`
          : undefined,
      ),
    )
    .orderBy(desc(campaigns.startsAt), desc(campaigns.id))
    .limit(limit + 1)
    .all()
  const page = pageOf(rows, limit, (r) => ({ k: r.startsAt.getTime(), id: r.id }))
  return {
    items: page.items.map(({ id: _id, ...r }) => ({
      ...r,
      current: r.startsAt.getTime() <= at.getTime() && r.endsAt.getTime() > at.getTime(),
      upcoming: r.startsAt.getTime() > at.getTime(),
    })),
    next: page.next,
  }
}
