import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import { db, type Tx } from '~db/client.server'
import type { PairingStatus } from '~db/enums'
import {
  children,
  families,
  needs,
  pairingMembers,
  pairingNeeds,
  pairings,
  programmeApplications,
  programmes,
  users,
  volunteerProfiles,
} from '~db/schema'
import { attemptAuditedWrite, refuseWrite, type Actor } from '~/audit/audit.server'
import { needProgress } from '~/needs/progress.server'
import { now } from '~/utils/clock.server'
import { parseShanghaiDate, startOfShanghaiDay } from '~/utils/shanghai-date'
import { pairingProgress } from '~/visits/visits.server'
import { lapseWords, missingRequirements, type MissingRequirement } from '~/volunteers/eligibility.server'
import { volunteerNames } from '~/volunteers/home-volunteers.server'
import { RENOVATION_STEPS } from './labels'
import type { PairingInput } from './validation'

// Pairings: one family (companionship) or one child (tutoring) ↔ a team of 1–3 verified
// volunteers with one lead (rule 5). Scoped by home (rule 7); every write is audited.

export type Pairing = typeof pairings.$inferSelect
/** One team member who does not (or no longer) meet the programme's requirements. */
export type TeamProblem = { userId: number; name: string; missing: MissingRequirement[] }
export type PairingResult = { ok: true; pairing: Pairing } | { ok: false; message: string; problems?: TeamProblem[] }

/** Names nobody and says nothing about the person: the id may belong to another home's volunteer. */
export const NOT_AN_APPLICANT_MESSAGE = '只能从本项目已接受申请的志愿者中选择团队成员'

export type { PairingInput }

function nameOf(tx: Tx | typeof db, userId: number): string {
  const { displayName, realName } = volunteerNames(tx, userId)
  return realName ?? displayName
}

/** Who on a team does not meet the programme's requirements on a day, and why. */
export function teamProblems(
  tx: Tx | typeof db,
  programme: Pick<typeof programmes.$inferSelect, 'requiredQualifications' | 'requiresBackgroundCheck'>,
  userIds: number[],
  on: string | Date,
): TeamProblem[] {
  const requirements = {
    startsAt: typeof on === 'string' ? startOfShanghaiDay(on) : on,
    minAge: null,
    requiredQualifications: programme.requiredQualifications,
    requiresBackgroundCheck: programme.requiresBackgroundCheck,
  }
  return userIds.flatMap((userId) => {
    const missing = missingRequirements(userId, requirements, tx)
    return missing.length ? [{ userId, name: nameOf(tx, userId), missing }] : []
  })
}

/** The ids among `userIds` whose application to this programme was accepted. */
function acceptedAmong(tx: Tx, programmeId: number, userIds: number[]): Set<number> {
  const rows = tx
    .select({ userId: programmeApplications.userId })
    .from(programmeApplications)
    .where(
      and(
        eq(programmeApplications.programmeId, programmeId),
        eq(programmeApplications.status, 'accepted'),
        inArray(programmeApplications.userId, userIds),
      ),
    )
    .all()
  return new Set(rows.map((r) => r.userId))
}

export function createPairing(actor: Actor, institutionId: number, input: PairingInput): PairingResult {
  return attemptAuditedWrite(actor, (tx) => {
    const programme = tx
      .select()
      .from(programmes)
      .where(and(eq(programmes.id, input.programmeId), eq(programmes.institutionId, institutionId)))
      .get()
    if (!programme) refuseWrite({ ok: false, message: '找不到该项目' })
    if (Boolean(input.familyId) === Boolean(input.childId)) refuseWrite({ ok: false, message: '请选择一个家庭或一名儿童（二选一）' })
    if (input.familyId) {
      const family = tx
        .select({ id: families.id, archivedAt: families.archivedAt })
        .from(families)
        .where(and(eq(families.id, input.familyId), eq(families.institutionId, institutionId)))
        .get()
      if (!family || family.archivedAt) refuseWrite({ ok: false, message: '找不到该家庭' })
    }
    if (input.childId) {
      const child = tx
        .select({ id: children.id })
        .from(children)
        .where(and(eq(children.id, input.childId), eq(children.institutionId, institutionId)))
        .get()
      if (!child) refuseWrite({ ok: false, message: '找不到该儿童档案' })
    }
    const members = [...new Set(input.memberUserIds)].filter((id) => id !== input.leadUserId)
    if (members.length !== input.memberUserIds.length) refuseWrite({ ok: false, message: '同一名志愿者不能重复加入团队' })
    const team = [input.leadUserId, ...members]
    if (team.length > 3) refuseWrite({ ok: false, message: '志愿者团队为 1–3 人（含一名带队志愿者）' })
    // Checked before anything about the people is read, so an id from outside the programme learns nothing.
    const accepted = acceptedAmong(tx, programme.id, team)
    if (team.some((id) => !accepted.has(id))) refuseWrite({ ok: false, message: NOT_AN_APPLICANT_MESSAGE })
    const problems = teamProblems(tx, programme, team, input.startDate)
    if (problems.length) refuseWrite({ ok: false, message: '以下志愿者尚不符合项目要求', problems })
    const pairing = tx
      .insert(pairings)
      .values({
        programmeId: programme.id,
        institutionId,
        familyId: input.familyId ?? null,
        childId: input.childId ?? null,
        startDate: input.startDate,
        plannedVisits: input.plannedVisits ?? programme.plannedVisits,
        renovation: programme.kind === 'companionship' ? RENOVATION_STEPS.map((step) => ({ step, doneOn: null })) : [],
        createdBy: actor.userId,
        updatedAt: now(),
      })
      .returning()
      .get()
    tx.insert(pairingMembers).values({ pairingId: pairing.id, userId: input.leadUserId, role: 'lead' }).run()
    for (const userId of members) tx.insert(pairingMembers).values({ pairingId: pairing.id, userId, role: 'member' }).run()
    return {
      result: { ok: true as const, pairing },
      audit: {
        institutionId,
        action: 'pairing.create',
        entityType: 'pairing',
        entityId: pairing.id,
        summary: { programme: programme.name, team: team.length },
      },
    }
  })
}

function ownPairing(tx: Tx, institutionId: number, pairingId: number): Pairing {
  const pairing = tx
    .select()
    .from(pairings)
    .where(and(eq(pairings.id, pairingId), eq(pairings.institutionId, institutionId)))
    .get()
  if (!pairing) refuseWrite({ ok: false, message: '找不到该结对' })
  return pairing
}

export function setRenovationStep(
  actor: Actor,
  institutionId: number,
  pairingId: number,
  step: string,
  doneOn: string | null,
): PairingResult {
  return attemptAuditedWrite(actor, (tx) => {
    const current = ownPairing(tx, institutionId, pairingId)
    if (!current.renovation.some((s) => s.step === step)) refuseWrite({ ok: false, message: '没有这个改造步骤' })
    if (doneOn !== null && !parseShanghaiDate(doneOn)) refuseWrite({ ok: false, message: '请输入有效日期，例如 2026-03-01' })
    const renovation = current.renovation.map((s) => (s.step === step ? { step, doneOn } : s))
    const pairing = tx.update(pairings).set({ renovation, updatedAt: now() }).where(eq(pairings.id, pairingId)).returning().get()
    return {
      result: { ok: true as const, pairing },
      audit: { institutionId, action: 'pairing.renovation', entityType: 'pairing', entityId: pairingId, summary: { step, doneOn } },
    }
  })
}

export function linkNeed(actor: Actor, institutionId: number, pairingId: number, needId: number): PairingResult {
  return attemptAuditedWrite(actor, (tx) => {
    const pairing = ownPairing(tx, institutionId, pairingId)
    const need = tx
      .select({ id: needs.id, title: needs.title })
      .from(needs)
      .where(and(eq(needs.id, needId), eq(needs.institutionId, institutionId)))
      .get()
    if (!need) refuseWrite({ ok: false, message: '只能关联本机构的物资需求' })
    tx.insert(pairingNeeds).values({ pairingId, needId }).onConflictDoNothing().run()
    return {
      result: { ok: true as const, pairing },
      audit: {
        institutionId,
        action: 'pairing.link_need',
        entityType: 'pairing',
        entityId: pairingId,
        summary: { needId, title: need.title },
      },
    }
  })
}

export function unlinkNeed(actor: Actor, institutionId: number, pairingId: number, needId: number): PairingResult {
  return attemptAuditedWrite(actor, (tx) => {
    const pairing = ownPairing(tx, institutionId, pairingId)
    tx.delete(pairingNeeds)
      .where(and(eq(pairingNeeds.pairingId, pairingId), eq(pairingNeeds.needId, needId)))
      .run()
    return {
      result: { ok: true as const, pairing },
      audit: { institutionId, action: 'pairing.unlink_need', entityType: 'pairing', entityId: pairingId, summary: { needId } },
    }
  })
}

export function changeStatus(actor: Actor, institutionId: number, pairingId: number, status: PairingStatus, reason = ''): PairingResult {
  return attemptAuditedWrite(actor, (tx) => {
    const current = ownPairing(tx, institutionId, pairingId)
    if (status === 'ended' && !reason.trim()) refuseWrite({ ok: false, message: '提前结束须填写原因' })
    if (current.status === status) refuseWrite({ ok: false, message: '状态没有变化' })
    if (current.status === 'completed' || current.status === 'ended') refuseWrite({ ok: false, message: '已结束的结对不能再更改状态' })
    const pairing = tx
      .update(pairings)
      .set({ status, endReason: status === 'ended' ? reason.trim() : null, updatedAt: now() })
      .where(eq(pairings.id, pairingId))
      .returning()
      .get()
    return {
      result: { ok: true as const, pairing },
      audit: {
        institutionId,
        action: 'pairing.status',
        entityType: 'pairing',
        entityId: pairingId,
        summary: { from: current.status, to: status, reason: reason.trim() || undefined },
      },
    }
  })
}

function teamOf(pairingId: number) {
  return db
    .select({
      userId: pairingMembers.userId,
      role: pairingMembers.role,
      displayName: users.displayName,
      realName: volunteerProfiles.realName,
    })
    .from(pairingMembers)
    .innerJoin(users, eq(users.id, pairingMembers.userId))
    .leftJoin(volunteerProfiles, eq(volunteerProfiles.userId, pairingMembers.userId))
    .where(eq(pairingMembers.pairingId, pairingId))
    .orderBy(desc(sql`${pairingMembers.role} = 'lead'`), asc(pairingMembers.userId))
    .all()
}

export function listPairings(institutionId: number) {
  const rows = db
    .select({
      id: pairings.id,
      programmeName: programmes.name,
      programmeKind: programmes.kind,
      familyAlias: families.alias,
      childPseudonym: children.pseudonym,
      startDate: pairings.startDate,
      plannedVisits: pairings.plannedVisits,
      status: pairings.status,
    })
    .from(pairings)
    .innerJoin(programmes, eq(programmes.id, pairings.programmeId))
    .leftJoin(families, eq(families.id, pairings.familyId))
    .leftJoin(children, eq(children.id, pairings.childId))
    .where(eq(pairings.institutionId, institutionId))
    .orderBy(desc(pairings.id))
    .all()
  return rows.map((r) => {
    const progress = pairingProgress(r.id)
    return {
      ...r,
      confirmedVisits: progress.confirmed,
      nextDueOn: progress.nextDueOn,
      overdueDays: progress.overdueDays,
      team: teamOf(r.id),
    }
  })
}

export function getPairing(institutionId: number, pairingId: number) {
  const row = db
    .select({ pairing: pairings, programme: programmes, familyAlias: families.alias, childPseudonym: children.pseudonym })
    .from(pairings)
    .innerJoin(programmes, eq(programmes.id, pairings.programmeId))
    .leftJoin(families, eq(families.id, pairings.familyId))
    .leftJoin(children, eq(children.id, pairings.childId))
    .where(and(eq(pairings.id, pairingId), eq(pairings.institutionId, institutionId)))
    .get()
  if (!row) return null
  const linkedNeeds = db
    .select({ id: needs.id, title: needs.title, unit: needs.unit, quantityNeeded: needs.quantityNeeded, status: needs.status })
    .from(pairingNeeds)
    .innerJoin(needs, eq(needs.id, pairingNeeds.needId))
    .where(and(eq(pairingNeeds.pairingId, pairingId), eq(needs.institutionId, institutionId)))
    .all()
    .map((n) => ({ ...n, progress: needProgress(db, n) }))
  const progress = pairingProgress(pairingId)
  const team = teamOf(pairingId)
  // Rule 5 re-checked today: a lapsed check or qualification shows beside the person.
  const lapses = new Map(
    teamProblems(
      db,
      row.programme,
      team.map((m) => m.userId),
      now(),
    ).map((p) => [p.userId, lapseWords(p.missing)]),
  )
  return {
    ...row,
    team: team.map((m) => ({ ...m, lapse: lapses.get(m.userId) ?? null })),
    progress,
    confirmedVisits: progress.confirmed,
    linkedNeeds,
  }
}

/** Needs of this home that could be linked to a renovation. */
export function linkableNeeds(institutionId: number) {
  return db
    .select({ id: needs.id, title: needs.title })
    .from(needs)
    .where(eq(needs.institutionId, institutionId))
    .orderBy(desc(needs.id))
    .limit(100)
    .all()
}
