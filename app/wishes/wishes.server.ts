import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import { db, type Tx } from '~db/client.server'
import {
  campaignInstitutions,
  campaigns,
  children,
  claims,
  institutions,
  wishes,
  wishWaitlist,
  type NeedCategory,
  type WishStatus,
} from '~db/schema'
import { attemptAuditedWrite, auditedWrite, refuseWrite, type Actor, type AuditEntry } from '~/audit/audit.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { fenToYuan } from '~/utils/format'
import { ageBand } from './labels'
import { checkWishPrivacy, unconfirmedFlags, wishTextFieldLabels, type PrivacyFlag } from './privacy.server'
import type { FlagView, WishFormDefaults } from './wish-form'
import type { WishFormInput } from './wish-validation'

// Staff side of 微心愿: create, edit while unclaimed, publish after the privacy check, withdraw.
// Every query is scoped by the home's id (docs/product.md rule 7).

export type Wish = typeof wishes.$inferSelect

export type WishInput = {
  childId: number
  category: NeedCategory
  title: string
  story: string
  itemDetails?: string
  quantity: number
  estimatedValueFen: number | null
  campaignId?: number | null
}

export type WishField = keyof WishInput
export type Refusal = { ok: false; message: string; field?: WishField; flags?: PrivacyFlag[] }

function refuse(message: string, extra: Omit<Refusal, 'ok' | 'message'> = {}): never {
  refuseWrite({ ok: false, message, ...extra })
}

const attempt = <T>(actor: Actor, fn: (tx: Tx) => { result: T; audit: AuditEntry }) => attemptAuditedWrite<T, Refusal>(actor, fn)

export const EDITABLE_STATUSES: readonly WishStatus[] = ['draft', 'published']
const WITHDRAWABLE_STATUSES: readonly WishStatus[] = ['draft', 'published', 'claimed']

// ---- Reading ----------------------------------------------------------------------------------

export function listStaffWishes(institutionId: number, filter: { status?: WishStatus | null } = {}) {
  const at = now()
  const rows = db
    .select({
      id: wishes.id,
      title: wishes.title,
      category: wishes.category,
      status: wishes.status,
      quantity: wishes.quantity,
      estimatedValueFen: wishes.estimatedValueFen,
      publishedAt: wishes.publishedAt,
      updatedAt: wishes.updatedAt,
      createdAt: wishes.createdAt,
      privacyConfirmedFlags: wishes.privacyConfirmedFlags,
      story: wishes.story,
      itemDetails: wishes.itemDetails,
      childId: children.id,
      pseudonym: children.pseudonym,
      realName: children.realName,
      birthDate: children.birthDate,
      campaignName: campaigns.name,
      buyBy: claims.buyBy,
      deliverBy: claims.deliverBy,
      referenceCode: claims.referenceCode,
    })
    .from(wishes)
    .innerJoin(children, and(eq(children.id, wishes.childId), eq(children.institutionId, wishes.institutionId)))
    .leftJoin(campaigns, eq(campaigns.id, wishes.campaignId))
    .leftJoin(claims, and(eq(claims.wishId, wishes.id), eq(claims.status, 'active')))
    .where(and(eq(wishes.institutionId, institutionId), filter.status ? eq(wishes.status, filter.status) : undefined))
    .orderBy(desc(wishes.id))
    .all()
  return rows.map(({ realName, birthDate, story, itemDetails, privacyConfirmedFlags, ...row }) => {
    const pending =
      row.status === 'draft'
        ? unconfirmedFlags(checkWishPrivacy({ title: row.title, story, itemDetails }, { realName }), privacyConfirmedFlags).length
        : 0
    return { ...row, ageBand: ageBand(birthDate, at), pendingPrivacyFlags: pending }
  })
}

export function getStaffWish(institutionId: number, wishId: number) {
  const row = db
    .select({ wish: wishes, child: children, campaignName: campaigns.name })
    .from(wishes)
    .innerJoin(children, and(eq(children.id, wishes.childId), eq(children.institutionId, wishes.institutionId)))
    .leftJoin(campaigns, eq(campaigns.id, wishes.campaignId))
    .where(and(eq(wishes.id, wishId), eq(wishes.institutionId, institutionId)))
    .get()
  if (!row) return null
  const activeClaim =
    db
      .select({
        id: claims.id,
        referenceCode: claims.referenceCode,
        buyBy: claims.buyBy,
        deliverBy: claims.deliverBy,
        purchasedAt: claims.purchasedAt,
        shippedAt: claims.shippedAt,
        trackingNumber: claims.trackingNumber,
      })
      .from(claims)
      .where(and(eq(claims.wishId, wishId), eq(claims.institutionId, institutionId), eq(claims.status, 'active')))
      .get() ?? null
  const flags = checkWishPrivacy(row.wish, row.child)
  return {
    ...row,
    activeClaim,
    flags,
    unconfirmed: unconfirmedFlags(flags, row.wish.privacyConfirmedFlags),
    editable: EDITABLE_STATUSES.includes(row.wish.status) && !activeClaim,
  }
}

/** Children a new wish may be for: this home's, not archived. */
export function childOptions(institutionId: number) {
  const at = now()
  return db
    .select({ id: children.id, pseudonym: children.pseudonym, birthDate: children.birthDate })
    .from(children)
    .where(and(eq(children.institutionId, institutionId), isNull(children.archivedAt)))
    .orderBy(asc(children.pseudonym), asc(children.id))
    .all()
    .map((c) => ({ id: c.id, label: `${c.pseudonym}（${ageBand(c.birthDate, at)}）` }))
}

/** Campaigns a wish of this home may join: ones the home takes part in that have not ended. */
export function campaignOptions(institutionId: number, includeId?: number | null) {
  return db
    .select({ id: campaigns.id, name: campaigns.name })
    .from(campaigns)
    .innerJoin(
      campaignInstitutions,
      and(eq(campaignInstitutions.campaignId, campaigns.id), eq(campaignInstitutions.institutionId, institutionId)),
    )
    .where(or(sql`${campaigns.endsAt} > ${now().getTime()}`, includeId ? eq(campaigns.id, includeId) : undefined))
    .orderBy(desc(campaigns.startsAt), desc(campaigns.id))
    .all()
}

// ---- Writing ----------------------------------------------------------------------------------

function checkChildAndCampaign(tx: Tx, institutionId: number, input: WishInput, currentCampaignId: number | null = null) {
  const child = tx
    .select()
    .from(children)
    .where(and(eq(children.id, input.childId), eq(children.institutionId, institutionId)))
    .get()
  if (!child) refuse('请选择本机构的儿童', { field: 'childId' })
  if (child.archivedAt) refuse('该儿童档案已归档，不能再发布心愿', { field: 'childId' })
  if (input.campaignId) {
    const campaign = tx
      .select({ id: campaigns.id, endsAt: campaigns.endsAt })
      .from(campaigns)
      .innerJoin(
        campaignInstitutions,
        and(eq(campaignInstitutions.campaignId, campaigns.id), eq(campaignInstitutions.institutionId, institutionId)),
      )
      .where(eq(campaigns.id, input.campaignId))
      .get()
    if (!campaign) refuse('请选择本机构参与的活动', { field: 'campaignId' })
    if (campaign.endsAt <= now() && campaign.id !== currentCampaignId) refuse('该活动已结束', { field: 'campaignId' })
  }
  return child
}

function wishValues(input: WishInput) {
  return {
    childId: input.childId,
    category: input.category,
    title: input.title.trim(),
    story: input.story.trim(),
    itemDetails: (input.itemDetails ?? '').trim(),
    quantity: input.quantity,
    estimatedValueFen: input.estimatedValueFen,
    campaignId: input.campaignId ?? null,
  }
}

/** Keep only confirmations that still match a flag of the current text. */
function stillValid(flags: PrivacyFlag[], confirmed: Iterable<string>): string[] {
  const keys = new Set(flags.map((f) => f.key))
  return [...new Set(confirmed)].filter((k) => keys.has(k))
}

export function createWish(
  actor: Actor,
  institutionId: number,
  input: WishInput,
  confirmedFlags: string[] = [],
): { ok: true; wish: Wish } | Refusal {
  return attempt(actor, (tx) => {
    const child = checkChildAndCampaign(tx, institutionId, input)
    const values = wishValues(input)
    const flags = checkWishPrivacy(values, child)
    const wish = tx
      .insert(wishes)
      .values({
        ...values,
        institutionId,
        status: 'draft',
        privacyConfirmedFlags: stillValid(flags, confirmedFlags),
        createdBy: actor.userId,
      })
      .returning()
      .get()
    return {
      result: { ok: true as const, wish },
      audit: {
        institutionId,
        action: 'wish.create',
        entityType: 'wish',
        entityId: wish.id,
        summary: { title: wish.title, category: wish.category },
      },
    }
  })
}

/** This home's wish, still open to edits (draft or published, nobody's active claim). */
function editableWish(tx: Tx, institutionId: number, wishId: number, closedMessage: string) {
  const wish = tx
    .select()
    .from(wishes)
    .where(and(eq(wishes.id, wishId), eq(wishes.institutionId, institutionId)))
    .get()
  if (!wish) refuse('找不到该心愿')
  const activeClaim = tx
    .select({ id: claims.id })
    .from(claims)
    .where(and(eq(claims.wishId, wishId), eq(claims.status, 'active')))
    .get()
  if (activeClaim || !EDITABLE_STATUSES.includes(wish.status)) refuse(closedMessage)
  return wish
}

/**
 * Edit a wish while it is a draft or published and nobody has claimed it. A published wish
 * stays public, so new text must pass the privacy check (fixed or confirmed) to be saved.
 * `confirmedFlags` is the full set of confirmations; omitted, the stored ones are kept.
 */
export function updateWish(
  actor: Actor,
  institutionId: number,
  wishId: number,
  input: WishInput,
  confirmedFlags?: string[],
): { ok: true; wish: Wish } | Refusal {
  return attempt(actor, (tx) => {
    const current = editableWish(tx, institutionId, wishId, '该心愿已被认领或已结束，不能再修改')
    const child = checkChildAndCampaign(tx, institutionId, input, current.campaignId)
    const values = wishValues(input)
    const flags = checkWishPrivacy(values, child)
    // The form sends the full set of ticked boxes; without it, earlier confirmations stand.
    const confirmed = stillValid(flags, confirmedFlags ?? current.privacyConfirmedFlags)
    const pending = unconfirmedFlags(flags, confirmed)
    if (current.status === 'published' && pending.length) {
      refuse('该心愿已公开展示，请先修改或逐条确认下列隐私提示再保存', { flags })
    }
    const wish = tx
      .update(wishes)
      .set({ ...values, privacyConfirmedFlags: confirmed, updatedAt: now() })
      .where(eq(wishes.id, wishId))
      .returning()
      .get()
    return {
      result: { ok: true as const, wish },
      audit: {
        institutionId,
        action: 'wish.update',
        entityType: 'wish',
        entityId: wishId,
        summary: { title: wish.title, status: wish.status },
      },
    }
  })
}

export type PublishOutcome = { published: number[]; refused: Array<{ id: number; title: string; message: string }> }

/**
 * Publish drafts (one or many). Each wish is checked on its own: a child's archived record,
 * or privacy flags not yet fixed or confirmed, keep that wish a draft and are reported.
 */
export function publishWishes(actor: Actor, institutionId: number, wishIds: number[]): PublishOutcome {
  const outcome: PublishOutcome = { published: [], refused: [] }
  for (const wishId of [...new Set(wishIds)]) {
    let title = `#${wishId}`
    const result = attempt(actor, (tx) => {
      const row = tx
        .select({ wish: wishes, child: children })
        .from(wishes)
        .innerJoin(children, eq(children.id, wishes.childId))
        .where(and(eq(wishes.id, wishId), eq(wishes.institutionId, institutionId)))
        .get()
      if (!row) refuse('找不到该心愿')
      title = row.wish.title
      if (row.wish.status !== 'draft') refuse(row.wish.status === 'published' ? '已经发布' : '只有草稿可以发布')
      if (row.child.archivedAt) refuse('该儿童档案已归档')
      const pending = unconfirmedFlags(checkWishPrivacy(row.wish, row.child), row.wish.privacyConfirmedFlags)
      if (pending.length) refuse(`有 ${pending.length} 条隐私提示待处理，请修改或确认后再发布`, { flags: pending })
      const at = now()
      tx.update(wishes).set({ status: 'published', publishedAt: at, updatedAt: at }).where(eq(wishes.id, wishId)).run()
      return {
        result: { ok: true as const },
        audit: { institutionId, action: 'wish.publish', entityType: 'wish', entityId: wishId, summary: { title: row.wish.title } },
      }
    })
    if (result.ok) outcome.published.push(wishId)
    else outcome.refused.push({ id: wishId, title, message: result.message })
  }
  return outcome
}

/**
 * Withdraw a wish inside the caller's transaction. An active claim is released with reason
 * 'withdrawn' and its donor told; anyone queueing for the wish is told the queue is closed.
 */
export function withdrawWishInTx(tx: Tx, wish: Pick<Wish, 'id' | 'institutionId' | 'title' | 'childId'>): { releasedClaimIds: number[] } {
  const at = now()
  const home = tx.select({ name: institutions.name }).from(institutions).where(eq(institutions.id, wish.institutionId)).get()
  const child = tx.select({ pseudonym: children.pseudonym }).from(children).where(eq(children.id, wish.childId)).get()
  const label = `${child?.pseudonym ?? ''}的心愿「${wish.title}」`
  const released = tx
    .update(claims)
    .set({ status: 'released', releasedAt: at, releaseReason: 'withdrawn' })
    .where(and(eq(claims.wishId, wish.id), eq(claims.status, 'active')))
    .returning({ id: claims.id, userId: claims.userId, referenceCode: claims.referenceCode })
    .all()
  for (const claim of released) {
    enqueueNotification(tx, {
      userId: claim.userId,
      template: 'claim.released.withdrawn',
      subject: '您认领的微心愿已被机构撤回',
      body: `您认领的${label}已由${home?.name ?? '机构'}撤回，认领（编号 ${claim.referenceCode}）随之取消，无需再购买或寄送。若您已购买，请与机构联系商量处理。感谢您的爱心！`,
      dedupeKey: `claim:withdrawn:${claim.id}`,
    })
  }
  const queued = tx
    .update(wishWaitlist)
    .set({ status: 'lapsed' })
    .where(and(eq(wishWaitlist.wishId, wish.id), inArray(wishWaitlist.status, ['waiting', 'offered'])))
    .returning({ id: wishWaitlist.id, userId: wishWaitlist.userId })
    .all()
  for (const entry of queued) {
    enqueueNotification(tx, {
      userId: entry.userId,
      template: 'waitlist.closed.withdrawn',
      subject: '您候补的微心愿已被撤回',
      body: `您候补的${label}已由${home?.name ?? '机构'}撤回，候补随之结束。欢迎看看其他待认领的心愿。`,
      dedupeKey: `waitlist:withdrawn:${entry.id}`,
    })
  }
  tx.update(wishes).set({ status: 'withdrawn', closedAt: at, updatedAt: at }).where(eq(wishes.id, wish.id)).run()
  return { releasedClaimIds: released.map((c) => c.id) }
}

export function withdrawWish(actor: Actor, institutionId: number, wishId: number): { ok: true; releasedClaimIds: number[] } | Refusal {
  return attempt(actor, (tx) => {
    const wish = tx
      .select()
      .from(wishes)
      .where(and(eq(wishes.id, wishId), eq(wishes.institutionId, institutionId)))
      .get()
    if (!wish) refuse('找不到该心愿')
    if (!WITHDRAWABLE_STATUSES.includes(wish.status)) {
      refuse(wish.status === 'received' || wish.status === 'fulfilled' ? '礼物已经送达，不能撤回' : '该心愿已经结束')
    }
    const { releasedClaimIds } = withdrawWishInTx(tx, wish)
    return {
      result: { ok: true as const, releasedClaimIds },
      audit: {
        institutionId,
        action: 'wish.withdraw',
        entityType: 'wish',
        entityId: wishId,
        summary: { title: wish.title, from: wish.status, releasedClaimIds },
      },
    }
  })
}

/** Attach (or replace) a wish's image; the caller deletes the previous file after commit. */
export function setWishImage(
  actor: Actor,
  institutionId: number,
  wishId: number,
  imageKey: string | null,
): { ok: true; previousKey: string | null } | Refusal {
  return attempt(actor, (tx) => {
    const wish = editableWish(tx, institutionId, wishId, '该心愿已被认领或已结束，不能再更换图片')
    tx.update(wishes).set({ imageKey, updatedAt: now() }).where(eq(wishes.id, wishId)).run()
    return {
      result: { ok: true as const, previousKey: wish.imageKey },
      audit: {
        institutionId,
        action: imageKey ? 'wish.image' : 'wish.image_remove',
        entityType: 'wish',
        entityId: wishId,
        summary: { imageKey },
      },
    }
  })
}

/** A home's claim deadlines (docs/product.md rule 6); applies to claims made from now on. */
export function updateClaimDeadlines(actor: Actor, institutionId: number, values: { claimBuyDays: number; claimDeliverDays: number }) {
  return auditedWrite(actor, (tx) => {
    const before = tx
      .select({ claimBuyDays: institutions.claimBuyDays, claimDeliverDays: institutions.claimDeliverDays })
      .from(institutions)
      .where(eq(institutions.id, institutionId))
      .get()
    tx.update(institutions).set(values).where(eq(institutions.id, institutionId)).run()
    return {
      result: { ok: true as const },
      audit: {
        institutionId,
        action: 'institution.claim_deadlines',
        entityType: 'institution',
        entityId: institutionId,
        summary: { before, after: values },
      },
    }
  })
}

// ---- Form glue for the staff routes ----------------------------------------------------------

export function wishInputFrom(value: WishFormInput): WishInput {
  return {
    childId: value.childId,
    category: value.category,
    title: value.title,
    story: value.story,
    itemDetails: value.itemDetails ?? '',
    quantity: value.quantity,
    estimatedValueFen: value.estimatedValue ?? null,
    campaignId: value.campaignId ?? null,
  }
}

export function wishFormDefaults(wish: Wish): WishFormDefaults {
  return {
    childId: String(wish.childId),
    category: wish.category,
    title: wish.title,
    story: wish.story,
    itemDetails: wish.itemDetails,
    quantity: String(wish.quantity),
    estimatedValue: wish.estimatedValueFen === null ? '' : fenToYuan(wish.estimatedValueFen),
    campaignId: wish.campaignId ? String(wish.campaignId) : '',
  }
}

export function flagViews(flags: PrivacyFlag[], confirmed: readonly string[]): FlagView[] {
  return flags.map((f) => ({
    key: f.key,
    message: f.message,
    match: f.match,
    fieldLabels: f.fields.map((field) => wishTextFieldLabels[field]).join('、'),
    confirmed: confirmed.includes(f.key),
  }))
}
