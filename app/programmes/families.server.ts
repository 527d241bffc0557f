import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm'
import { db, type Tx } from '~db/client.server'
import { children, families, familyChildren } from '~db/schema'
import { attemptAuditedWrite, refuseWrite, type Actor } from '~/audit/audit.server'
import { now } from '~/utils/clock.server'
import type { FamilyInput } from './validation'

// Families are staff-only, like children (rule 1): household, address and contacts never leave
// the staff console; the public sees at most the alias. Every query is scoped by home (rule 7).

export type Family = typeof families.$inferSelect

export type { FamilyInput }

export function listFamilies(institutionId: number, filter: { archived?: boolean } = {}) {
  const rows = db
    .select({ id: families.id, alias: families.alias, archivedAt: families.archivedAt })
    .from(families)
    .where(and(eq(families.institutionId, institutionId), filter.archived ? isNotNull(families.archivedAt) : isNull(families.archivedAt)))
    .orderBy(asc(families.alias), asc(families.id))
    .all()
  return rows.map((f) => ({ ...f, children: childrenOf(f.id) }))
}

function childrenOf(familyId: number, tx: Tx | typeof db = db) {
  return tx
    .select({ id: children.id, pseudonym: children.pseudonym, realName: children.realName })
    .from(familyChildren)
    .innerJoin(children, eq(children.id, familyChildren.childId))
    .where(eq(familyChildren.familyId, familyId))
    .orderBy(asc(children.pseudonym))
    .all()
}

export function getFamily(institutionId: number, familyId: number) {
  const family = db
    .select()
    .from(families)
    .where(and(eq(families.id, familyId), eq(families.institutionId, institutionId)))
    .get()
  if (!family) return null
  return { ...family, children: childrenOf(family.id) }
}

function setChildren(tx: Tx, institutionId: number, familyId: number, childIds: number[]) {
  const ids = [...new Set(childIds)]
  if (ids.length) {
    const own = tx
      .select({ id: children.id })
      .from(children)
      .where(and(eq(children.institutionId, institutionId), inArray(children.id, ids)))
      .all()
    if (own.length !== ids.length) refuseWrite({ ok: false, message: '只能关联本机构的儿童档案' })
  }
  tx.delete(familyChildren).where(eq(familyChildren.familyId, familyId)).run()
  for (const childId of ids) tx.insert(familyChildren).values({ familyId, childId }).run()
}

export type FamilyResult = { ok: true; family: Family } | { ok: false; message: string }

export function createFamily(actor: Actor, institutionId: number, input: FamilyInput): FamilyResult {
  return attemptAuditedWrite(actor, (tx) => {
    const { childIds, ...fields } = input
    const family = tx
      .insert(families)
      .values({ ...fields, institutionId })
      .returning()
      .get()
    setChildren(tx, institutionId, family.id, childIds)
    return {
      result: { ok: true as const, family },
      audit: { institutionId, action: 'family.create', entityType: 'family', entityId: family.id, summary: { alias: family.alias } },
    }
  })
}

export function updateFamily(actor: Actor, institutionId: number, familyId: number, input: FamilyInput): FamilyResult {
  return attemptAuditedWrite(actor, (tx) => {
    const { childIds, ...fields } = input
    const family = tx
      .update(families)
      .set(fields)
      .where(and(eq(families.id, familyId), eq(families.institutionId, institutionId)))
      .returning()
      .get()
    if (!family) refuseWrite({ ok: false, message: '找不到该家庭' })
    setChildren(tx, institutionId, family.id, childIds)
    return {
      result: { ok: true as const, family },
      audit: { institutionId, action: 'family.update', entityType: 'family', entityId: family.id, summary: { alias: family.alias } },
    }
  })
}

export function archiveFamily(actor: Actor, institutionId: number, familyId: number): FamilyResult {
  return attemptAuditedWrite(actor, (tx) => {
    const family = tx
      .update(families)
      .set({ archivedAt: now() })
      .where(and(eq(families.id, familyId), eq(families.institutionId, institutionId), isNull(families.archivedAt)))
      .returning()
      .get()
    if (!family) refuseWrite({ ok: false, message: '找不到该家庭，或已归档' })
    return {
      result: { ok: true as const, family },
      audit: { institutionId, action: 'family.archive', entityType: 'family', entityId: family.id, summary: { alias: family.alias } },
    }
  })
}
