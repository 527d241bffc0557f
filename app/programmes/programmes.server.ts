import { and, asc, desc, eq, gte, isNotNull, sql } from 'drizzle-orm'
import { db } from '~db/client.server'
import { institutions, pairingMembers, pairings, programmes, visits } from '~db/schema'
import { attemptAuditedWrite, type Actor } from '~/audit/audit.server'
import { now } from '~/utils/clock.server'
import { shanghaiParts } from '~/utils/shanghai-date'
import type { ProgrammeInput } from './validation'

// Programmes (焕新乐园, 学业辅导): run by one home or organisation, managed by its staff. The
// public page shows aggregates only: never a family, child or household detail (rule 1).

export type Programme = typeof programmes.$inferSelect
export type Result<T> = ({ ok: true } & T) | { ok: false; message: string; field?: string }

export type { ProgrammeInput }

export function listProgrammes(institutionId: number) {
  return db.select().from(programmes).where(eq(programmes.institutionId, institutionId)).orderBy(asc(programmes.id)).all()
}

export function getProgramme(institutionId: number, programmeId: number): Programme | undefined {
  return db
    .select()
    .from(programmes)
    .where(and(eq(programmes.id, programmeId), eq(programmes.institutionId, institutionId)))
    .get()
}

function slugTaken(slug: string, exceptId?: number): boolean {
  const row = db.select({ id: programmes.id }).from(programmes).where(eq(programmes.slug, slug)).get()
  return Boolean(row && row.id !== exceptId)
}

export function createProgramme(actor: Actor, institutionId: number, input: ProgrammeInput): Result<{ programme: Programme }> {
  if (slugTaken(input.slug)) return { ok: false, field: 'slug', message: '该网址标识已被使用，请换一个' }
  return attemptAuditedWrite(actor, (tx) => {
    const programme = tx
      .insert(programmes)
      .values({ ...input, institutionId })
      .returning()
      .get()
    return {
      result: { ok: true as const, programme },
      audit: {
        institutionId,
        action: 'programme.create',
        entityType: 'programme',
        entityId: programme.id,
        summary: { name: programme.name },
      },
    }
  })
}

export function updateProgramme(
  actor: Actor,
  institutionId: number,
  programmeId: number,
  input: ProgrammeInput,
): Result<{ programme: Programme }> {
  if (!getProgramme(institutionId, programmeId)) return { ok: false, message: '找不到该项目' }
  if (slugTaken(input.slug, programmeId)) return { ok: false, field: 'slug', message: '该网址标识已被使用，请换一个' }
  return attemptAuditedWrite(actor, (tx) => {
    const programme = tx
      .update(programmes)
      .set(input)
      .where(and(eq(programmes.id, programmeId), eq(programmes.institutionId, institutionId)))
      .returning()
      .get()
    return {
      result: { ok: true as const, programme },
      audit: {
        institutionId,
        action: 'programme.update',
        entityType: 'programme',
        entityId: programmeId,
        summary: { name: programme.name },
      },
    }
  })
}

export type ProgrammeAggregates = { familiesPaired: number; visitsThisYear: number; volunteers: number }

export function programmeAggregates(programmeId: number): ProgrammeAggregates {
  const familiesPaired =
    db
      .select({ n: sql<number>`count(distinct ${pairings.familyId})` })
      .from(pairings)
      .where(and(eq(pairings.programmeId, programmeId), isNotNull(pairings.familyId)))
      .get()?.n ?? 0
  const year = shanghaiParts(now()).year
  const visitsThisYear =
    db
      .select({ n: sql<number>`count(*)` })
      .from(visits)
      .innerJoin(pairings, eq(pairings.id, visits.pairingId))
      .where(
        and(
          eq(pairings.programmeId, programmeId),
          eq(visits.status, 'confirmed'),
          gte(visits.visitedOn, `${year}-01-01`),
          sql`${visits.visitedOn} <= ${`${year}-12-31`}`,
        ),
      )
      .get()?.n ?? 0
  const volunteers =
    db
      .select({ n: sql<number>`count(distinct ${pairingMembers.userId})` })
      .from(pairingMembers)
      .innerJoin(pairings, eq(pairings.id, pairingMembers.pairingId))
      .where(eq(pairings.programmeId, programmeId))
      .get()?.n ?? 0
  return { familiesPaired, visitsThisYear, volunteers }
}

/** The public view of a programme: what it asks and aggregates only, no family detail. */
export function getPublicProgramme(slug: string) {
  const row = db
    .select({ programme: programmes, institutionName: institutions.name, institutionSlug: institutions.slug })
    .from(programmes)
    .innerJoin(institutions, eq(institutions.id, programmes.institutionId))
    .where(eq(programmes.slug, slug))
    .get()
  if (!row) return null
  const p = row.programme
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    kind: p.kind,
    description: p.description,
    asksOfVolunteers: p.asksOfVolunteers,
    plannedVisits: p.plannedVisits,
    cadence: p.cadence,
    durationMonths: p.durationMonths,
    requiredQualifications: p.requiredQualifications,
    requiresBackgroundCheck: p.requiresBackgroundCheck,
    acceptingApplications: p.acceptingApplications,
    institution: { name: row.institutionName, slug: row.institutionSlug },
    aggregates: programmeAggregates(p.id),
  }
}

/**
 * Programmes (焕新乐园, 学业辅导 …) for public pages: those recruiting first, newest first; one
 * home's only when `institutionId` is given. Public fields only — never a family (rule 1).
 */
export function listPublicProgrammes(options: { institutionId?: number; limit?: number } = {}) {
  return db
    .select({
      slug: programmes.slug,
      name: programmes.name,
      kind: programmes.kind,
      description: programmes.description,
      acceptingApplications: programmes.acceptingApplications,
      homeName: institutions.name,
      homeSlug: institutions.slug,
    })
    .from(programmes)
    .innerJoin(institutions, eq(institutions.id, programmes.institutionId))
    .where(options.institutionId === undefined ? undefined : eq(programmes.institutionId, options.institutionId))
    .orderBy(desc(programmes.acceptingApplications), desc(programmes.id))
    .limit(options.limit ?? 12)
    .all()
}
