import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { z } from 'zod'
import { db, type Tx } from '~db/client.server'
import { institutions, needCategories, needs, pledgeArrivals, pledges, users, type NeedStatus } from '~db/schema'
import { attemptAuditedWrite, refuse, refuseWrite, type Actor, type AuditEntry, type Refusal as FieldRefusal } from '~/audit/audit.server'
import { donorPublicName } from '~/donations/display'
import { enqueueNotification } from '~/notifications/notifications.server'
import { publicTextProblem } from '~/privacy/public-text.server'
import { now } from '~/utils/clock.server'
import { decodeCursor, pageOf, PAGE_SIZE } from '~/utils/pagination'
import { endOfShanghaiDay } from '~/utils/shanghai-date'
import { needStatusLabels } from './labels'
import { needProgress, refreshNeedStatus } from './progress.server'
import type { NeedFormValue } from './validation'

// Staff side of 物资需求 and the public listing. Every staff query is scoped by the home's id
// (docs/product.md rule 7); a 临时救助点 posts its own needs, shown under its 救助站.

export type Need = typeof needs.$inferSelect
/** Refusals of a staff write; `reason: 'not_found'` when the need is not this home's. */
export type Refusal = FieldRefusal & { reason?: 'not_found' }

const attempt = <T>(actor: Actor, fn: (tx: Tx) => { result: T; audit: AuditEntry }) => attemptAuditedWrite<T, Refusal>(actor, fn)

// ---- Form ---------------------------------------------------------------------------------------

export type NeedInput = Omit<NeedFormValue, 'deadline' | 'perPledgeMax'> & { deadline: Date | null; perPledgeMax: number | null }

/** What the parsed need form (validation.ts) stores: the deadline is the end of that Shanghai day. */
export function needInputFrom(value: NeedFormValue): NeedInput {
  return { ...value, deadline: value.deadline ? endOfShanghaiDay(value.deadline) : null, perPledgeMax: value.perPledgeMax ?? null }
}

// ---- Staff writes -------------------------------------------------------------------------------

function ownNeed(tx: Tx, institutionId: number, needId: number): Need {
  const need = tx
    .select()
    .from(needs)
    .where(and(eq(needs.id, needId), eq(needs.institutionId, institutionId)))
    .get()
  if (!need) refuseWrite<Refusal>({ ok: false, reason: 'not_found', message: '没有找到这项需求' })
  return need
}

/** A need's title and descriptions are public: no child of the home may be identifiable. */
function refuseIdentifyingText(tx: Tx, institutionId: number, input: NeedInput): void {
  const problem = publicTextProblem(tx, [institutionId], [
    ['title', input.title],
    ['itemDescription', input.itemDescription],
    ['specification', input.specification],
  ] as const)
  if (problem) refuse(problem.message, problem.field)
}

export function createNeed(actor: Actor, institutionId: number, input: NeedInput): { ok: true; need: Need } | Refusal {
  return attempt(actor, (tx) => {
    refuseIdentifyingText(tx, institutionId, input)
    const at = now()
    const need = tx
      .insert(needs)
      .values({ ...input, institutionId, status: 'open', createdBy: actor.userId, createdAt: at, updatedAt: at })
      .returning()
      .get()
    return {
      result: { ok: true as const, need },
      audit: {
        institutionId,
        action: 'need.create',
        entityType: 'need',
        entityId: need.id,
        summary: { title: need.title, quantityNeeded: need.quantityNeeded, unit: need.unit },
      },
    }
  })
}

/** Edit an open or fully pledged need; the quantity may not drop below what is already pledged. */
export function updateNeed(actor: Actor, institutionId: number, needId: number, input: NeedInput): { ok: true; need: Need } | Refusal {
  return attempt(actor, (tx) => {
    const before = ownNeed(tx, institutionId, needId)
    if (before.status === 'closed' || before.status === 'cancelled') refuse(`这项需求${needStatusLabels[before.status]}，不能再修改`)
    refuseIdentifyingText(tx, institutionId, input)
    const progress = needProgress(tx, before)
    if (input.quantityNeeded < progress.pledged) refuse(`需要数量不能少于已认捐的 ${progress.pledged} ${before.unit}`, 'quantityNeeded')
    const need = tx
      .update(needs)
      .set({ ...input, updatedAt: now() })
      .where(eq(needs.id, needId))
      .returning()
      .get()
    refreshNeedStatus(tx, needId)
    const changed = (Object.keys(input) as Array<keyof NeedInput>).filter((k) => String(before[k] ?? '') !== String(input[k] ?? ''))
    return {
      result: { ok: true as const, need },
      audit: { institutionId, action: 'need.update', entityType: 'need', entityId: needId, summary: { changed } },
    }
  })
}

/** 结束: the home needs no more; active pledges stay so what is on its way can still be received. */
export function closeNeed(actor: Actor, institutionId: number, needId: number): { ok: true } | Refusal {
  return attempt(actor, (tx) => {
    const need = ownNeed(tx, institutionId, needId)
    if (need.status === 'closed' || need.status === 'cancelled') refuse(`这项需求${needStatusLabels[need.status]}`)
    const at = now()
    tx.update(needs).set({ status: 'closed', closedAt: at, updatedAt: at }).where(eq(needs.id, needId)).run()
    return {
      result: { ok: true as const },
      audit: { institutionId, action: 'need.close', entityType: 'need', entityId: needId, summary: { title: need.title } },
    }
  })
}

/** 取消: the need is withdrawn; active pledges are cancelled and each pledger is told. */
export function cancelNeed(
  actor: Actor,
  institutionId: number,
  needId: number,
  reason = '',
): { ok: true; cancelledPledges: number } | Refusal {
  return attempt(actor, (tx) => {
    const need = ownNeed(tx, institutionId, needId)
    if (need.status === 'closed' || need.status === 'cancelled') refuse(`这项需求${needStatusLabels[need.status]}`)
    const at = now()
    tx.update(needs).set({ status: 'cancelled', closedAt: at, updatedAt: at }).where(eq(needs.id, needId)).run()
    const home = tx.select({ name: institutions.name }).from(institutions).where(eq(institutions.id, institutionId)).get()
    const active = tx
      .select({ id: pledges.id, userId: pledges.userId, quantity: pledges.quantity, code: pledges.code })
      .from(pledges)
      .where(and(eq(pledges.needId, needId), eq(pledges.status, 'active')))
      .all()
    for (const pledge of active) {
      const received = Number(
        tx
          .select({ n: sql<number>`coalesce(sum(${pledgeArrivals.quantity}), 0)` })
          .from(pledgeArrivals)
          .where(eq(pledgeArrivals.pledgeId, pledge.id))
          .get()?.n ?? 0,
      )
      // What already arrived stays a completed gift; the rest of the promise is lifted.
      tx.update(pledges)
        .set(
          received > 0
            ? { status: 'fulfilled', quantity: received, updatedAt: at }
            : { status: 'cancelled', cancelledAt: at, updatedAt: at },
        )
        .where(eq(pledges.id, pledge.id))
        .run()
      enqueueNotification(tx, {
        userId: pledge.userId,
        template: 'need.cancelled',
        subject: '您认捐的物资需求已取消',
        body: `${home?.name ?? '机构'}已取消物资需求「${need.title}」${reason.trim() ? `（${reason.trim()}）` : ''}。您的认捐（编号 ${pledge.code}）已随之取消，无需再送达${received > 0 ? `；已收到的 ${received} ${need.unit} 仍记入捐赠公示` : ''}。感谢您的爱心！`,
        dedupeKey: `need.cancelled:${pledge.id}`,
      })
    }
    return {
      result: { ok: true as const, cancelledPledges: active.length },
      audit: {
        institutionId,
        action: 'need.cancel',
        entityType: 'need',
        entityId: needId,
        summary: { title: need.title, cancelledPledges: active.length, reason: reason.trim() },
      },
    }
  })
}

// ---- Staff reads --------------------------------------------------------------------------------

export function listStaffNeeds(institutionId: number) {
  const rows = db.select().from(needs).where(eq(needs.institutionId, institutionId)).orderBy(desc(needs.id)).all()
  return rows.map((need) => ({ ...need, progress: needProgress(db, need) }))
}

export function getStaffNeed(institutionId: number, needId: number) {
  const need = db
    .select()
    .from(needs)
    .where(and(eq(needs.id, needId), eq(needs.institutionId, institutionId)))
    .get()
  if (!need) return null
  const rows = db
    .select({
      id: pledges.id,
      code: pledges.code,
      quantity: pledges.quantity,
      status: pledges.status,
      expectedAt: pledges.expectedAt,
      publicDisplay: pledges.publicDisplay,
      createdAt: pledges.createdAt,
      releaseReason: pledges.releaseReason,
      pledgerName: users.displayName,
      received: sql<number>`coalesce((select sum(a.quantity) from pledge_arrivals a where a.pledge_id = ${pledges.id}), 0)`,
    })
    .from(pledges)
    .innerJoin(users, eq(users.id, pledges.userId))
    .where(and(eq(pledges.needId, needId), eq(pledges.institutionId, institutionId)))
    .orderBy(desc(pledges.id))
    .all()
  return {
    need,
    progress: needProgress(db, need),
    pledges: rows.map((p) => ({ ...p, received: Number(p.received), publicName: donorPublicName(p.pledgerName, p.publicDisplay) })),
  }
}

// ---- Public reads -------------------------------------------------------------------------------

const parent = alias(institutions, 'parent')

/** Public columns only: nothing about pledgers. */
const publicNeedColumns = {
  id: needs.id,
  title: needs.title,
  category: needs.category,
  itemDescription: needs.itemDescription,
  specification: needs.specification,
  unit: needs.unit,
  quantityNeeded: needs.quantityNeeded,
  perPledgeMax: needs.perPledgeMax,
  urgency: needs.urgency,
  deadline: needs.deadline,
  deliveryAddress: needs.deliveryAddress,
  deliveryHours: needs.deliveryHours,
  status: needs.status,
  homeName: institutions.name,
  homeSlug: institutions.slug,
  homeKind: institutions.kind,
  city: institutions.city,
  homeAddress: institutions.publicAddress,
  parentName: parent.name,
  parentSlug: parent.slug,
}

export const PUBLIC_NEED_STATUSES: NeedStatus[] = ['open', 'fully_pledged']

/** The public list's filters, read by listQuery: an unknown category or urgency reads as "all". */
export const needFilterSchema = z.object({
  category: z.enum(needCategories).optional().catch(undefined),
  home: z.string().trim().max(100).optional().catch(undefined),
  city: z.string().trim().max(50).optional().catch(undefined),
  urgency: z.enum(['normal', 'urgent']).optional().catch(undefined),
})
export type NeedFilters = z.infer<typeof needFilterSchema>

const urgencyRank = sql<number>`(case when ${needs.urgency} = 'urgent' then 1 else 0 end)`

/** Open needs, urgent first then newest, keyset-paginated on (urgency rank, id). */
export function listPublicNeeds({ filters, cursor, limit = PAGE_SIZE }: { filters: NeedFilters; cursor?: string | null; limit?: number }) {
  const conditions: Array<SQL | undefined> = [inArray(needs.status, PUBLIC_NEED_STATUSES)]
  if (filters.category) conditions.push(eq(needs.category, filters.category))
  if (filters.urgency) conditions.push(eq(needs.urgency, filters.urgency))
  if (filters.city) conditions.push(eq(institutions.city, filters.city))
  // A 救助站's filter includes the needs its 临时救助点 post.
  if (filters.home) conditions.push(or(eq(institutions.slug, filters.home), eq(parent.slug, filters.home)))
  const after = decodeCursor(cursor)
  if (after) conditions.push(or(lt(urgencyRank, after.k), and(eq(urgencyRank, after.k), lt(needs.id, after.id))))
  const rows = db
    .select({ ...publicNeedColumns, rank: urgencyRank })
    .from(needs)
    .innerJoin(institutions, eq(institutions.id, needs.institutionId))
    .leftJoin(parent, eq(parent.id, institutions.parentId))
    .where(and(...conditions))
    .orderBy(desc(urgencyRank), desc(needs.id))
    .limit(limit + 1)
    .all()
  const page = pageOf(rows, limit, (r) => ({ k: Number(r.rank), id: r.id }))
  return { next: page.next, items: page.items.map(({ rank: _rank, ...r }) => ({ ...r, progress: needProgress(db, r) })) }
}

export function needFilterChoices() {
  const homes = db
    .selectDistinct({ slug: institutions.slug, name: institutions.name, city: institutions.city })
    .from(needs)
    .innerJoin(institutions, eq(institutions.id, needs.institutionId))
    .where(inArray(needs.status, PUBLIC_NEED_STATUSES))
    .orderBy(institutions.name)
    .all()
  const cities = [...new Set(homes.map((h) => h.city))].sort()
  return { homes: homes.map(({ slug, name }) => ({ slug, name })), cities }
}

/** One need for its public page (any status but hidden from the list once closed). */
export function getPublicNeed(needId: number) {
  const row = db
    .select(publicNeedColumns)
    .from(needs)
    .innerJoin(institutions, eq(institutions.id, needs.institutionId))
    .leftJoin(parent, eq(parent.id, institutions.parentId))
    .where(eq(needs.id, needId))
    .get()
  if (!row) return null
  return { ...row, progress: needProgress(db, row) }
}

/** Open needs of a home and of the 临时救助点 under it, for the home's public page. */
export function openNeedsOfHome(institutionId: number, limit = 20) {
  const rows = db
    .select(publicNeedColumns)
    .from(needs)
    .innerJoin(institutions, eq(institutions.id, needs.institutionId))
    .leftJoin(parent, eq(parent.id, institutions.parentId))
    .where(
      and(inArray(needs.status, PUBLIC_NEED_STATUSES), or(eq(institutions.id, institutionId), eq(institutions.parentId, institutionId))),
    )
    .orderBy(desc(urgencyRank), desc(needs.id))
    .limit(limit)
    .all()
  return rows.map((r) => ({ ...r, progress: needProgress(db, r) }))
}
