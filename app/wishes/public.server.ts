import { and, asc, count, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { z } from 'zod'
import { db } from '~db/client.server'
import {
  campaignInstitutions,
  campaigns,
  children,
  donations,
  institutions,
  needCategories,
  wishes,
  type NeedCategory,
  type WishStatus,
} from '~db/schema'
import { now } from '~/utils/clock.server'
import { decodeCursor, PAGE_SIZE, pageOf } from '~/utils/pagination'
import { shanghaiParts } from '~/utils/shanghai-date'
import { isOpenToClaim, openToClaimSql } from './claimable.server'
import { AGE_BANDS, ageBand, type AgeBand } from './labels'

// The public face of wishes (docs/product.md rule 1). Every function here selects public columns
// explicitly and maps rows by hand, so a private field (real name, birth date, notes) can never
// ride along by accident. The birth date is read only to compute the age band, then dropped.

/** Statuses anyone may see. Drafts, withdrawn and expired wishes are never listed or shown. */
export const PUBLIC_WISH_STATUSES = ['published', 'claimed', 'received', 'fulfilled'] as const satisfies readonly WishStatus[]
export type PublicWishStatus = (typeof PUBLIC_WISH_STATUSES)[number]

/** Wishes that were published at some point and count towards totals (expired ones did run). */
const COUNTED_STATUSES = [...PUBLIC_WISH_STATUSES, 'expired'] as const satisfies readonly WishStatus[]
const CLAIMED_OR_LATER = ['claimed', 'received', 'fulfilled'] as const satisfies readonly WishStatus[]

/** What public lists show: wishes open to claim, and those claimed or delivered. */
function listedSql(at: Date): SQL {
  return or(openToClaimSql(at), inArray(wishes.status, [...CLAIMED_OR_LATER])) as SQL
}

/** The list filter for one status: 'published' means open to claim. */
function statusSql(status: PublicWishStatus | undefined, at: Date): SQL {
  if (!status) return listedSql(at)
  return status === 'published' ? openToClaimSql(at) : eq(wishes.status, status)
}

/** Age band filter values for URLs, e.g. "6-8". */
export const ageBandOptions = AGE_BANDS.map((b) => ({ value: `${b.min}-${b.max}`, label: b.label }))

export type PublicWishCard = {
  id: number
  pseudonym: string
  ageBand: AgeBand
  category: NeedCategory
  title: string
  status: PublicWishStatus
  homeName: string
  homeSlug: string
  city: string
}

export type PublicWish = PublicWishCard & {
  story: string
  itemDetails: string
  quantity: number
  estimatedValueFen: number | null
  imageKey: string | null
  publishedAt: Date | null
  home: {
    name: string
    slug: string
    province: string
    city: string
    district: string
    publicAddress: string
    claimBuyDays: number
    claimDeliverDays: number
  }
  campaign: { name: string; slug: string } | null
  /** Open to claim now (claimable.server.ts): a published wish whose campaign has ended is not. */
  open: boolean
  /** The public log entries for this wish's gift (receipt number and the donor's frozen public display). */
  receipts: Array<{ receiptNo: string; donorDisplay: string }>
}

// ---- Filters -------------------------------------------------------------------------------

/** Query-string filters; anything unknown or malformed reads as "no filter". */
export const wishFilterSchema = z.object({
  category: z.enum(needCategories).optional().catch(undefined),
  home: z.string().trim().max(100).optional().catch(undefined),
  city: z.string().trim().max(50).optional().catch(undefined),
  age: z
    .enum(ageBandOptions.map((o) => o.value) as [string, ...string[]])
    .optional()
    .catch(undefined),
  campaign: z.string().trim().max(100).optional().catch(undefined),
  status: z.enum(PUBLIC_WISH_STATUSES).optional().catch(undefined),
})
export type WishFilters = z.infer<typeof wishFilterSchema>

/** Today's date in Asia/Shanghai shifted back `years`, as YYYY-MM-DD (string-comparable with birth dates). */
function shanghaiDateYearsAgo(years: number, on: Date): string {
  const today = shanghaiParts(on)
  return `${String(today.year - years).padStart(4, '0')}${today.date.slice(4)}`
}

/** SQL condition on the child's birth date equivalent to ageBand(birthDate, now()) === band. */
function ageBandCondition(value: string, on: Date): SQL | undefined {
  const band = AGE_BANDS.find((b) => `${b.min}-${b.max}` === value)
  if (!band) return undefined
  // age >= min  ⇔ born on or before today−min years; age <= max ⇔ born after today−(max+1) years.
  return and(
    sql`${children.birthDate} <= ${shanghaiDateYearsAgo(band.min, on)}`,
    sql`${children.birthDate} > ${shanghaiDateYearsAgo(band.max + 1, on)}`,
  )
}

// Drafts never have published_at; a public row missing it still sorts by creation time.
const publishedKey = sql<number>`coalesce(${wishes.publishedAt}, ${wishes.createdAt})`

const cardColumns = {
  id: wishes.id,
  pseudonym: children.pseudonym,
  birthDate: children.birthDate,
  category: wishes.category,
  title: wishes.title,
  status: wishes.status,
  homeName: institutions.name,
  homeSlug: institutions.slug,
  city: institutions.city,
  sortKey: publishedKey,
}
type CardSource = {
  id: number
  pseudonym: string
  birthDate: string
  category: NeedCategory
  title: string
  status: WishStatus
  homeName: string
  homeSlug: string
  city: string
}

function toCard(row: CardSource, on: Date): PublicWishCard {
  return {
    id: row.id,
    pseudonym: row.pseudonym,
    ageBand: ageBand(row.birthDate, on),
    category: row.category,
    title: row.title,
    status: row.status as PublicWishStatus,
    homeName: row.homeName,
    homeSlug: row.homeSlug,
    city: row.city,
  }
}

function cardQuery(where: SQL | undefined) {
  return db
    .select(cardColumns)
    .from(wishes)
    .innerJoin(children, eq(children.id, wishes.childId))
    .innerJoin(institutions, eq(institutions.id, wishes.institutionId))
    .leftJoin(campaigns, eq(campaigns.id, wishes.campaignId))
    .where(where)
}

// ---- Listing -------------------------------------------------------------------------------

/**
 * Public wishes, newest published first, one keyset page at a time: the next page starts
 * strictly after the last (published_at, id) seen, so wishes published meanwhile (which sort
 * first) never shift, repeat or hide what the reader pages through.
 */
export function listPublicWishes({
  filters = {},
  cursor,
  limit = PAGE_SIZE,
}: { filters?: WishFilters; cursor?: string | null; limit?: number } = {}): {
  items: PublicWishCard[]
  next: string | null
} {
  const on = now()
  const after = decodeCursor(cursor)
  const conditions: Array<SQL | undefined> = [statusSql(filters.status, on)]
  if (filters.category) conditions.push(eq(wishes.category, filters.category))
  if (filters.home) conditions.push(eq(institutions.slug, filters.home))
  if (filters.city) conditions.push(eq(institutions.city, filters.city))
  if (filters.campaign) conditions.push(eq(campaigns.slug, filters.campaign))
  if (filters.age) conditions.push(ageBandCondition(filters.age, on))
  if (after) conditions.push(or(sql`${publishedKey} < ${after.k}`, and(sql`${publishedKey} = ${after.k}`, sql`${wishes.id} < ${after.id}`)))

  const rows = cardQuery(and(...conditions))
    .orderBy(desc(publishedKey), desc(wishes.id))
    .limit(limit + 1)
    .all()
  const page = pageOf(rows, limit, (r) => ({ k: Number(r.sortKey), id: r.id }))
  return { items: page.items.map((r) => toCard(r, on)), next: page.next }
}

/** The newest wishes still waiting for a donor (home page, a home's profile). */
export function newestOpenWishes({ limit = 6, homeSlug }: { limit?: number; homeSlug?: string } = {}): PublicWishCard[] {
  return listPublicWishes({ filters: { status: 'published', home: homeSlug }, limit }).items
}

/** Open wishes like this one (same category or same home), for a donor who just missed it. */
export function similarOpenWishes(wishId: number, limit = 4): PublicWishCard[] {
  const wish = db.select({ category: wishes.category, institutionId: wishes.institutionId }).from(wishes).where(eq(wishes.id, wishId)).get()
  if (!wish) return []
  const on = now()
  const rows = cardQuery(
    and(openToClaimSql(on), ne(wishes.id, wishId), or(eq(wishes.category, wish.category), eq(wishes.institutionId, wish.institutionId))),
  )
    // Same kind of need first, then the same home, then the newest.
    .orderBy(
      desc(sql`${wishes.category} = ${wish.category}`),
      desc(sql`${wishes.institutionId} = ${wish.institutionId}`),
      desc(publishedKey),
      desc(wishes.id),
    )
    .limit(limit)
    .all()
  return rows.map((r) => toCard(r, on))
}

// ---- One wish ------------------------------------------------------------------------------

/** One public wish with only public fields, or null when it does not exist or is not public. */
export function getPublicWish(id: number): PublicWish | null {
  if (!Number.isSafeInteger(id) || id <= 0) return null
  const row = db
    .select({
      id: wishes.id,
      pseudonym: children.pseudonym,
      birthDate: children.birthDate,
      category: wishes.category,
      title: wishes.title,
      status: wishes.status,
      story: wishes.story,
      itemDetails: wishes.itemDetails,
      quantity: wishes.quantity,
      estimatedValueFen: wishes.estimatedValueFen,
      imageKey: wishes.imageKey,
      publishedAt: wishes.publishedAt,
      homeName: institutions.name,
      homeSlug: institutions.slug,
      city: institutions.city,
      province: institutions.province,
      district: institutions.district,
      publicAddress: institutions.publicAddress,
      claimBuyDays: institutions.claimBuyDays,
      claimDeliverDays: institutions.claimDeliverDays,
      campaignName: campaigns.name,
      campaignSlug: campaigns.slug,
      campaignEndsAt: campaigns.endsAt,
    })
    .from(wishes)
    .innerJoin(children, eq(children.id, wishes.childId))
    .innerJoin(institutions, eq(institutions.id, wishes.institutionId))
    .leftJoin(campaigns, eq(campaigns.id, wishes.campaignId))
    .where(and(eq(wishes.id, id), inArray(wishes.status, [...PUBLIC_WISH_STATUSES])))
    .get()
  if (!row) return null
  const on = now()
  return {
    ...toCard(row, on),
    open: isOpenToClaim(row, on),
    story: row.story,
    itemDetails: row.itemDetails,
    quantity: row.quantity,
    estimatedValueFen: row.estimatedValueFen,
    imageKey: row.imageKey,
    publishedAt: row.publishedAt,
    home: {
      name: row.homeName,
      slug: row.homeSlug,
      province: row.province,
      city: row.city,
      district: row.district,
      publicAddress: row.publicAddress,
      claimBuyDays: row.claimBuyDays,
      claimDeliverDays: row.claimDeliverDays,
    },
    campaign: row.campaignName && row.campaignSlug ? { name: row.campaignName, slug: row.campaignSlug } : null,
    receipts: wishReceipts(row.id),
  }
}

const correction = alias(donations, 'correction')

/** Public log entries recorded for a wish, leaving out any that a later entry reversed. */
function wishReceipts(wishId: number) {
  return db
    .select({ receiptNo: donations.receiptNo, donorDisplay: donations.donorDisplay })
    .from(donations)
    .leftJoin(correction, eq(correction.correctsId, donations.id))
    .where(and(eq(donations.wishId, wishId), isNull(donations.correctsId), isNull(correction.id)))
    .orderBy(asc(donations.id))
    .all()
}

// ---- Totals and campaigns ------------------------------------------------------------------

export type WishProgress = {
  /** Wishes ever published (including those since claimed, fulfilled or expired; never drafts or withdrawn). */
  total: number
  /** Still waiting for a donor. */
  open: number
  /** Claimed at some point: claimed, received or fulfilled. */
  claimed: number
  fulfilled: number
}

function progressWhere(where: SQL | undefined): WishProgress {
  const rows = db
    .select({ status: wishes.status, n: count(), open: sql<number>`coalesce(sum(${openToClaimSql(now())}), 0)` })
    .from(wishes)
    .where(and(inArray(wishes.status, [...COUNTED_STATUSES]), where))
    .groupBy(wishes.status)
    .all()
  const by = (statuses: readonly WishStatus[]) => rows.filter((r) => statuses.includes(r.status)).reduce((sum, r) => sum + r.n, 0)
  const open = rows.reduce((sum, r) => sum + Number(r.open), 0)
  return { total: by(COUNTED_STATUSES), open, claimed: by(CLAIMED_OR_LATER), fulfilled: by(['fulfilled']) }
}

/** Site-wide totals for the home page: published (ever), claimed (ever), fulfilled, and open now. */
export function wishTotals(): { published: number; open: number; claimed: number; fulfilled: number } {
  const p = progressWhere(undefined)
  return { published: p.total, open: p.open, claimed: p.claimed, fulfilled: p.fulfilled }
}

export type PublicCampaign = {
  slug: string
  name: string
  description: string
  startsAt: Date
  endsAt: Date
  homes: Array<{ name: string; slug: string; city: string }>
  progress: WishProgress
}

/** A campaign's public page data: dates, participating homes and progress (claimed / fulfilled of total). */
export function getPublicCampaign(slug: string): PublicCampaign | null {
  const campaign = db
    .select({
      id: campaigns.id,
      slug: campaigns.slug,
      name: campaigns.name,
      description: campaigns.description,
      startsAt: campaigns.startsAt,
      endsAt: campaigns.endsAt,
      ownerInstitutionId: campaigns.ownerInstitutionId,
    })
    .from(campaigns)
    .where(eq(campaigns.slug, slug))
    .get()
  if (!campaign) return null
  const partners = db
    .select({ id: institutions.id, name: institutions.name, slug: institutions.slug, city: institutions.city })
    .from(campaignInstitutions)
    .innerJoin(institutions, eq(institutions.id, campaignInstitutions.institutionId))
    .where(eq(campaignInstitutions.campaignId, campaign.id))
    .orderBy(asc(institutions.id))
    .all()
  const owner = db
    .select({ id: institutions.id, name: institutions.name, slug: institutions.slug, city: institutions.city })
    .from(institutions)
    .where(eq(institutions.id, campaign.ownerInstitutionId))
    .get()
  const homes = [...(owner ? [owner] : []), ...partners.filter((p) => p.id !== owner?.id)].map(({ name, slug: s, city }) => ({
    name,
    slug: s,
    city,
  }))
  return {
    slug: campaign.slug,
    name: campaign.name,
    description: campaign.description,
    startsAt: campaign.startsAt,
    endsAt: campaign.endsAt,
    homes,
    progress: campaignProgress(campaign.id),
  }
}

export function campaignProgress(campaignId: number): WishProgress {
  return progressWhere(eq(wishes.campaignId, campaignId))
}

// ---- Filter choices ------------------------------------------------------------------------

/** Choices for the filter form: homes, cities and campaigns that have public wishes. */
export function wishFilterChoices() {
  const visible = listedSql(now())
  const homes = db
    .selectDistinct({ slug: institutions.slug, name: institutions.name, city: institutions.city })
    .from(institutions)
    .innerJoin(wishes, eq(wishes.institutionId, institutions.id))
    .where(visible)
    .orderBy(asc(institutions.name))
    .all()
  const cities = [...new Set(homes.map((h) => h.city))].sort((a, b) => a.localeCompare(b, 'zh-CN'))
  const campaignList = db
    .selectDistinct({ slug: campaigns.slug, name: campaigns.name, startsAt: campaigns.startsAt })
    .from(campaigns)
    .innerJoin(wishes, eq(wishes.campaignId, campaigns.id))
    .where(visible)
    .orderBy(desc(campaigns.startsAt))
    .all()
  return {
    homes: homes.map(({ slug, name }) => ({ slug, name })),
    cities,
    campaigns: campaignList.map(({ slug, name }) => ({ slug, name })),
  }
}
