import { randomInt } from 'node:crypto'
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm'
import { db } from '~db/client.server'
import { children, wishes } from '~db/schema'
import { auditedWrite, type Actor } from '~/audit/audit.server'
import { now } from '~/utils/clock.server'
import { ageBand } from '~/wishes/labels'
import { withdrawWishInTx } from '~/wishes/wishes.server'
import { birthDateIsPast, type ChildInput } from './validation'

// Children's records: staff-only (docs/product.md rule 1). The real name, birth date and notes never
// leave the staff console; the public sees the pseudonym and an age band. Every query is scoped
// by the home's id (rule 7).

export type Child = typeof children.$inferSelect
export type ChildResult = { ok: true; child: Child } | { ok: false; field?: keyof ChildInput; message: string }

// Gentle characters for suggested pseudonyms. Never derived from the real name.
const PSEUDONYM_CHARACTERS = Array.from('雨星禾苗安乐阳月朵果溪云帆晴暖萌蕾芽桃麦豆竹松悦宁希晨夏秋冬橙柚茉杉')

/** A suggested 化名 (小 + a gentle character), preferring ones not yet used in this home. */
export function suggestPseudonym(institutionId: number): string {
  const used = new Set(
    db
      .select({ pseudonym: children.pseudonym })
      .from(children)
      .where(eq(children.institutionId, institutionId))
      .all()
      .map((c) => c.pseudonym),
  )
  const candidates = PSEUDONYM_CHARACTERS.map((c) => `小${c}`)
  const free = candidates.filter((p) => !used.has(p))
  const pool = free.length ? free : candidates
  return pool[randomInt(pool.length)] as string
}

const OPEN_WISH_STATUSES = ['draft', 'published', 'claimed'] as const

export function listChildren(institutionId: number, filter: { archived?: boolean } = {}) {
  const at = now()
  // Open wishes per child, counted in one grouped query. (A correlated subquery in the select
  // list rendered `children.id` unqualified, so it matched the wishes row's own id and every
  // child showed the same count: issue 13 item 6.)
  const open = new Map(
    db
      .select({ childId: wishes.childId, count: sql<number>`count(*)` })
      .from(wishes)
      .where(and(eq(wishes.institutionId, institutionId), inArray(wishes.status, [...OPEN_WISH_STATUSES])))
      .groupBy(wishes.childId)
      .all()
      .map((r) => [r.childId, Number(r.count)]),
  )
  return db
    .select({
      id: children.id,
      realName: children.realName,
      pseudonym: children.pseudonym,
      gender: children.gender,
      birthDate: children.birthDate,
      archivedAt: children.archivedAt,
    })
    .from(children)
    .where(and(eq(children.institutionId, institutionId), filter.archived ? isNotNull(children.archivedAt) : isNull(children.archivedAt)))
    .orderBy(filter.archived ? desc(children.archivedAt) : asc(children.pseudonym), asc(children.id))
    .all()
    .map(({ birthDate, ...c }) => ({ ...c, openWishes: open.get(c.id) ?? 0, ageBand: ageBand(birthDate, at) }))
}

export function getChild(institutionId: number, childId: number): Child | undefined {
  return db
    .select()
    .from(children)
    .where(and(eq(children.id, childId), eq(children.institutionId, institutionId)))
    .get()
}

export function listWishesOfChild(institutionId: number, childId: number) {
  return db
    .select({ id: wishes.id, title: wishes.title, category: wishes.category, status: wishes.status, createdAt: wishes.createdAt })
    .from(wishes)
    .where(and(eq(wishes.institutionId, institutionId), eq(wishes.childId, childId)))
    .orderBy(desc(wishes.id))
    .all()
}

function values(input: ChildInput) {
  return {
    realName: input.realName.trim(),
    birthDate: input.birthDate,
    gender: input.gender,
    pseudonym: input.pseudonym.trim(),
    privateNotes: (input.privateNotes ?? '').trim(),
  }
}

export function createChild(actor: Actor, institutionId: number, input: ChildInput): ChildResult {
  if (!birthDateIsPast(input.birthDate, now())) return { ok: false, field: 'birthDate', message: '出生日期不能晚于今天' }
  const child = auditedWrite(actor, (tx) => {
    const row = tx
      .insert(children)
      .values({ ...values(input), institutionId })
      .returning()
      .get()
    // The audit summary names the child by pseudonym only.
    return {
      result: row,
      audit: { institutionId, action: 'child.create', entityType: 'child', entityId: row.id, summary: { pseudonym: row.pseudonym } },
    }
  })
  return { ok: true, child }
}

export function updateChild(actor: Actor, institutionId: number, childId: number, input: ChildInput): ChildResult {
  if (!birthDateIsPast(input.birthDate, now())) return { ok: false, field: 'birthDate', message: '出生日期不能晚于今天' }
  const child = auditedWrite(actor, (tx) => {
    const row = tx
      .update(children)
      .set({ ...values(input), updatedAt: now() })
      .where(and(eq(children.id, childId), eq(children.institutionId, institutionId)))
      .returning()
      .get()
    return {
      result: row,
      audit: {
        institutionId,
        action: 'child.update',
        entityType: 'child',
        entityId: childId,
        summary: { pseudonym: row?.pseudonym ?? null },
      },
    }
  })
  return child ? { ok: true, child } : { ok: false, message: '找不到该儿童档案' }
}

export type ArchiveResult = { ok: true; withdrawnWishIds: number[]; releasedClaimIds: number[] } | { ok: false; message: string }

/**
 * A child has left the home: archive the record and withdraw their open wishes in the same
 * transaction, releasing any active claim and telling its donor.
 */
export function archiveChild(actor: Actor, institutionId: number, childId: number): ArchiveResult {
  return auditedWrite<ArchiveResult>(actor, (tx) => {
    const at = now()
    const child = tx
      .update(children)
      .set({ archivedAt: at, updatedAt: at })
      .where(and(eq(children.id, childId), eq(children.institutionId, institutionId), isNull(children.archivedAt)))
      .returning()
      .get()
    const audit = { institutionId, action: 'child.archive', entityType: 'child', entityId: childId }
    if (!child)
      return { result: { ok: false, message: '找不到该儿童档案，或已归档' }, audit: { ...audit, action: 'child.archive_refused' } }
    const open = tx
      .select()
      .from(wishes)
      .where(and(eq(wishes.institutionId, institutionId), eq(wishes.childId, childId), inArray(wishes.status, [...OPEN_WISH_STATUSES])))
      .all()
    const releasedClaimIds: number[] = []
    for (const wish of open) releasedClaimIds.push(...withdrawWishInTx(tx, wish).releasedClaimIds)
    const withdrawnWishIds = open.map((w) => w.id)
    return {
      result: { ok: true, withdrawnWishIds, releasedClaimIds },
      audit: { ...audit, summary: { pseudonym: child.pseudonym, withdrawnWishIds, releasedClaimIds } },
    }
  })
}
