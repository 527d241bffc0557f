import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import { db, writeTransaction, type Tx } from '~db/client.server'
import type { Cadence, VisitActivity } from '~db/enums'
import {
  children,
  families,
  memberships,
  notifications,
  pairingMembers,
  pairings,
  programmes,
  serviceRecords,
  users,
  visits,
  volunteerProfiles,
} from '~db/schema'
import { attemptAuditedWrite, refuseWrite, type Actor } from '~/audit/audit.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { addShanghaiDays, addShanghaiMonths, shanghaiDateString, shanghaiDaysBetween, shanghaiInstant } from '~/utils/shanghai-date'
import {
  lapseWords,
  missingRequirements,
  notifyEligibilityLapse,
  requirementWords,
  VOLUNTEER_PROFILE_PATH,
} from '~/volunteers/eligibility.server'
import { homeVolunteerIdsSql, isVolunteerOfHome, volunteerNames } from '~/volunteers/home-volunteers.server'
import { progressLabel } from './labels'
import { visitInputSchema } from './validation'

// 家庭陪伴 / 学业辅导 visits: the lead volunteer (or the substitute assigned for the next visit)
// logs each visit, staff of the pairing's home confirm or query it. Confirmed visits count
// toward the plan and become service_records (source 'visit') for every attending volunteer.
// Notes and follow-ups are for the team and staff only: never public, never in service records.

type Db = Tx | typeof db
/** Overdue by more than this many days past the due date alerts the lead; twice as many alerts staff. */
export const OVERDUE_GRACE_DAYS = 7

export type VisitInput = {
  visitedOn: string
  durationMinutes: number
  attendeeIds: number[]
  activities: VisitActivity[]
  note: string
  followUp: string
}
export type VisitField = keyof VisitInput
export type Refusal = { ok: false; reason: 'not_found' | 'forbidden' | 'invalid' | 'conflict'; message: string; field?: VisitField }

// ---- dates (YYYY-MM-DD in Asia/Shanghai) ------------------------------------------------

/** The day a visit is due after the last one (or the start): a week or a calendar month later. */
function nextDueAfter(day: string, cadence: Cadence): string {
  return cadence === 'weekly' ? addShanghaiDays(day, 7) : addShanghaiMonths(day, 1)
}

// ---- pairing context ----------------------------------------------------------------------

function loadPairing(tx: Db, pairingId: number) {
  return tx
    .select({
      id: pairings.id,
      institutionId: pairings.institutionId,
      startDate: pairings.startDate,
      plannedVisits: pairings.plannedVisits,
      status: pairings.status,
      familyAlias: families.alias,
      childPseudonym: children.pseudonym,
      programmeName: programmes.name,
      programmeKind: programmes.kind,
      cadence: programmes.cadence,
      requiredQualifications: programmes.requiredQualifications,
      requiresBackgroundCheck: programmes.requiresBackgroundCheck,
    })
    .from(pairings)
    .innerJoin(programmes, eq(programmes.id, pairings.programmeId))
    .leftJoin(families, eq(families.id, pairings.familyId))
    .leftJoin(children, eq(children.id, pairings.childId))
    .where(eq(pairings.id, pairingId))
    .get()
}
type PairingRow = NonNullable<ReturnType<typeof loadPairing>>

function pairingTitle(p: { familyAlias: string | null; childPseudonym: string | null; programmeName: string }): string {
  return `${p.programmeName} · ${p.familyAlias ?? (p.childPseudonym ? `${p.childPseudonym}（化名）` : '结对')}`
}

export function teamOf(tx: Db, pairingId: number) {
  return tx
    .select({ userId: pairingMembers.userId, role: pairingMembers.role, displayName: users.displayName })
    .from(pairingMembers)
    .innerJoin(users, eq(users.id, pairingMembers.userId))
    .where(eq(pairingMembers.pairingId, pairingId))
    .orderBy(desc(sql`${pairingMembers.role} = 'lead'`), asc(pairingMembers.userId))
    .all()
}

/** The substitute assigned for the next visit, if any (cleared once they log a visit). */
export function pendingSubstitute(tx: Db, pairing: { id: number; institutionId: number }): number | null {
  return tx.select({ id: pairings.substituteUserId }).from(pairings).where(eq(pairings.id, pairing.id)).get()?.id ?? null
}

// ---- progress -------------------------------------------------------------------------------

export type PairingProgress = {
  confirmed: number
  planned: number
  label: string
  lastVisitOn: string | null
  nextDueOn: string | null
  overdueDays: number
}

/**
 * "第 7 / 12 次": confirmed visits against the plan. The next visit is due one cadence after
 * the latest logged visit (confirmed or awaiting confirmation), or after the start date.
 */
export function pairingProgress(pairingId: number, tx: Db = db): PairingProgress {
  const pairing = tx.select().from(pairings).where(eq(pairings.id, pairingId)).get()
  if (!pairing) throw new Error(`pairing ${pairingId} not found`)
  const programme = tx.select({ cadence: programmes.cadence }).from(programmes).where(eq(programmes.id, pairing.programmeId)).get()!
  const confirmed = tx
    .select({ n: sql<number>`count(*)` })
    .from(visits)
    .where(and(eq(visits.pairingId, pairingId), eq(visits.status, 'confirmed')))
    .get()!.n
  const last = tx
    .select({ on: sql<string | null>`max(${visits.visitedOn})` })
    .from(visits)
    .where(eq(visits.pairingId, pairingId))
    .get()!.on
  const finished = pairing.status !== 'active' || confirmed >= pairing.plannedVisits
  const nextDueOn = finished ? null : nextDueAfter(last ?? pairing.startDate, programme.cadence)
  const overdueDays = nextDueOn ? Math.max(0, shanghaiDaysBetween(nextDueOn, shanghaiDateString(now()))) : 0
  return {
    confirmed,
    planned: pairing.plannedVisits,
    label: progressLabel(confirmed, pairing.plannedVisits),
    lastVisitOn: last,
    nextDueOn,
    overdueDays,
  }
}

// ---- logging ----------------------------------------------------------------------------------

function refuse(reason: Refusal['reason'], message: string, field?: VisitField): Refusal {
  return field ? { ok: false, reason, message, field } : { ok: false, reason, message }
}

/** Who may log for this pairing, and whom they may list as attending. */
function loggingRights(tx: Db, pairing: PairingRow, userId: number) {
  const team = teamOf(tx, pairing.id)
  const substitute = pendingSubstitute(tx, pairing)
  const isLead = team.some((m) => m.userId === userId && m.role === 'lead')
  const isSubstitute = substitute === userId
  return { team, substitute, isLead, isSubstitute, canLog: isLead || isSubstitute }
}

function checkInput(pairing: PairingRow, input: VisitInput, allowed: Set<number>): Refusal | null {
  const parsed = visitInputSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return refuse('invalid', issue.message, issue.path[0] as VisitField)
  }
  if (input.visitedOn > shanghaiDateString(now())) return refuse('invalid', '走访日期不能晚于今天', 'visitedOn')
  if (input.visitedOn < pairing.startDate) return refuse('invalid', `走访日期不能早于结对开始日期（${pairing.startDate}）`, 'visitedOn')
  if (input.attendeeIds.some((id) => !allowed.has(id)))
    return refuse('invalid', '参加人员只能是本结对的志愿者团队成员或本次替班志愿者', 'attendeeIds')
  return null
}

/** Names the lapsed volunteer shows under: the real name for staff, the display name for the team. */
function namesOf(tx: Db, userId: number) {
  const { displayName, realName } = volunteerNames(tx, userId)
  return { displayName, staffName: realName ? `${realName}（${displayName}）` : displayName }
}

/**
 * Rule 5 at every visit log: the logger and everyone listed as attending must still meet the
 * programme's requirements on the visit day (a check that expired after it does not undo it; a
 * rejected or re-opened check does). A lapse is refused, and the volunteer and staff are told once.
 */
function lapsedVisitors(tx: Tx, pairing: PairingRow, loggerId: number, input: VisitInput): Refusal | null {
  const on = visitStartedAt(input.visitedOn)
  const requirements = {
    startsAt: on,
    minAge: null,
    requiredQualifications: pairing.requiredQualifications,
    requiresBackgroundCheck: pairing.requiresBackgroundCheck,
  }
  const people = [...new Set([loggerId, ...input.attendeeIds])]
  const lapsed = people.flatMap((userId) => {
    const missing = missingRequirements(userId, requirements, tx)
    return missing.length ? [{ userId, missing, ...namesOf(tx, userId) }] : []
  })
  if (!lapsed.length) return null
  for (const person of lapsed) {
    notifyEligibilityLapse(tx, {
      institutionId: pairing.institutionId,
      userId: person.userId,
      volunteerName: person.staffName,
      missing: person.missing,
      where: `结对「${pairingTitle(pairing)}」`,
    })
  }
  const self = lapsed.find((p) => p.userId === loggerId)
  if (self) {
    return refuse(
      'conflict',
      `您的志愿者资格已失效，暂不能记录走访：${lapseWords(self.missing)}。请在志愿者资料（${VOLUNTEER_PROFILE_PATH}）中更新，机构已收到通知。`,
    )
  }
  // Another person's check status is theirs and the home's: the team hears only that it needs renewing.
  return refuse(
    'invalid',
    `${lapsed.map((p) => p.displayName).join('、')} 的志愿者资格需要更新，暂不能作为参加人员记录；本人和机构已收到通知。`,
    'attendeeIds',
  )
}

/** The lead (or the substitute assigned for the next visit) logs a visit of an active pairing. */
export function logVisit(userId: number, pairingId: number, input: VisitInput): { ok: true; visitId: number } | Refusal {
  return writeTransaction((tx) => {
    const pairing = loadPairing(tx, pairingId)
    if (!pairing) return refuse('not_found', '结对不存在')
    const rights = loggingRights(tx, pairing, userId)
    if (!rights.canLog) return refuse('forbidden', '只有带队志愿者或本次替班志愿者可以记录走访')
    if (pairing.status !== 'active') return refuse('conflict', '这个结对目前不在进行中，不能记录走访')
    const allowed = new Set(rights.team.map((m) => m.userId))
    if (rights.substitute) allowed.add(rights.substitute)
    const problem = checkInput(pairing, input, allowed) ?? lapsedVisitors(tx, pairing, userId, input)
    if (problem) return problem
    const attendeeIds = [...new Set(input.attendeeIds)]
    const withSubstitute = rights.substitute !== null && (rights.isSubstitute || attendeeIds.includes(rights.substitute))
    const at = now()
    const visit = tx
      .insert(visits)
      .values({
        pairingId,
        visitedOn: input.visitedOn,
        durationMinutes: input.durationMinutes,
        attendeeIds,
        substituteUserId: withSubstitute ? rights.substitute : null,
        activities: [...new Set(input.activities)],
        note: input.note.trim(),
        followUp: input.followUp.trim(),
        status: 'logged',
        loggedBy: userId,
        createdAt: at,
      })
      .returning({ id: visits.id })
      .get()
    if (withSubstitute) {
      // The substitute covered this one visit: the assignment ends here.
      tx.update(pairings).set({ substituteUserId: null, updatedAt: now() }).where(eq(pairings.id, pairing.id)).run()
    }
    return { ok: true as const, visitId: visit.id }
  })
}

/** After a staff query (or before confirmation) the lead or the logger corrects and re-submits. */
export function updateVisit(userId: number, visitId: number, input: VisitInput): { ok: true; visitId: number } | Refusal {
  return writeTransaction((tx) => {
    const visit = tx.select().from(visits).where(eq(visits.id, visitId)).get()
    if (!visit) return refuse('not_found', '走访记录不存在')
    const pairing = loadPairing(tx, visit.pairingId)!
    const team = teamOf(tx, pairing.id)
    const isLead = team.some((m) => m.userId === userId && m.role === 'lead')
    if (!isLead && visit.loggedBy !== userId) return refuse('forbidden', '只有带队志愿者或记录人可以修改这次走访')
    if (visit.status === 'confirmed') return refuse('conflict', '这次走访已确认，不能再修改')
    const allowed = new Set(team.map((m) => m.userId))
    if (visit.substituteUserId) allowed.add(visit.substituteUserId)
    const problem = checkInput(pairing, input, allowed) ?? lapsedVisitors(tx, pairing, userId, input)
    if (problem) return problem
    tx.update(visits)
      .set({
        visitedOn: input.visitedOn,
        durationMinutes: input.durationMinutes,
        attendeeIds: [...new Set(input.attendeeIds)],
        activities: [...new Set(input.activities)],
        note: input.note.trim(),
        followUp: input.followUp.trim(),
        status: 'logged',
        updatedAt: now(),
      })
      .where(eq(visits.id, visitId))
      .run()
    return { ok: true as const, visitId }
  })
}

// ---- staff: confirm, query, substitute ----------------------------------------------------------

function visitOfHome(tx: Db, institutionId: number, visitId: number) {
  const row = tx
    .select({ visit: visits, institutionId: pairings.institutionId })
    .from(visits)
    .innerJoin(pairings, eq(pairings.id, visits.pairingId))
    .where(and(eq(visits.id, visitId), eq(pairings.institutionId, institutionId)))
    .get()
  return row?.visit ?? null
}

/** 10:00 Asia/Shanghai on the visit day: the start of the service record. */
export function visitStartedAt(visitedOn: string): Date {
  return shanghaiInstant(visitedOn, '10:00')
}

/** Staff of the pairing's home confirm a logged visit: it counts, and every attendee gets the hours. */
export function confirmVisit(actor: Actor, institutionId: number, visitId: number): { ok: true; ordinal: number } | Refusal {
  return attemptAuditedWrite(actor, (tx) => {
    const visit = visitOfHome(tx, institutionId, visitId)
    if (!visit) refuseWrite(refuse('not_found', '走访记录不存在'))
    if (visit.status !== 'logged')
      refuseWrite(refuse('conflict', visit.status === 'confirmed' ? '这次走访已经确认过了' : '这次走访正等待志愿者补充，补充后才能确认'))
    const pairing = loadPairing(tx, visit.pairingId)!
    const ordinal =
      tx
        .select({ n: sql<number>`count(*)` })
        .from(visits)
        .where(and(eq(visits.pairingId, visit.pairingId), eq(visits.status, 'confirmed')))
        .get()!.n + 1
    const at = now()
    tx.update(visits)
      .set({ status: 'confirmed', confirmedBy: actor.userId, confirmedAt: at, updatedAt: at })
      .where(eq(visits.id, visitId))
      .run()
    const description = pairing.programmeKind === 'tutoring' ? '学业辅导' : `${pairing.programmeName}家庭陪伴（第 ${ordinal} 次）`
    const startedAt = visitStartedAt(visit.visitedOn)
    const endedAt = new Date(startedAt.getTime() + visit.durationMinutes * 60_000)
    for (const userId of visit.attendeeIds) {
      tx.insert(serviceRecords)
        .values({
          userId,
          institutionId: pairing.institutionId,
          source: 'visit',
          sourceId: visit.id,
          description,
          startedAt,
          endedAt,
          minutes: visit.durationMinutes,
        })
        .onConflictDoNothing()
        .run()
    }
    if (visit.loggedBy) {
      enqueueNotification(tx, {
        userId: visit.loggedBy,
        template: 'visit.confirmed',
        subject: '走访记录已确认',
        body: `您记录的${pairingTitle(pairing)} ${visit.visitedOn} 的走访已由机构确认（${progressLabel(ordinal, pairing.plannedVisits)}），服务时长已计入参加的志愿者名下。`,
        dedupeKey: `visit.confirmed:${visit.id}`,
      })
    }
    return {
      result: { ok: true as const, ordinal },
      audit: {
        institutionId,
        action: 'visit.confirm',
        entityType: 'visit',
        entityId: visit.id,
        summary: { pairingId: visit.pairingId, attendees: visit.attendeeIds.length, minutes: visit.durationMinutes },
      },
    }
  }) as { ok: true; ordinal: number } | Refusal
}

/** Staff ask about a logged visit; the logger is told and can correct and re-submit it. */
export function queryVisit(actor: Actor, institutionId: number, visitId: number, note: string): { ok: true } | Refusal {
  const text = note.trim()
  if (!text) return refuse('invalid', '请写明需要志愿者补充或更正的内容')
  if (text.length > 500) return refuse('invalid', '疑问说明不能超过 500 字')
  return attemptAuditedWrite(actor, (tx) => {
    const visit = visitOfHome(tx, institutionId, visitId)
    if (!visit) refuseWrite(refuse('not_found', '走访记录不存在'))
    if (visit.status !== 'logged') refuseWrite(refuse('conflict', '只能对待确认的走访提出疑问'))
    const pairing = loadPairing(tx, visit.pairingId)!
    tx.update(visits).set({ status: 'queried', queryNote: text, updatedAt: now() }).where(eq(visits.id, visitId)).run()
    const lead = teamOf(tx, pairing.id).find((m) => m.role === 'lead')
    for (const userId of new Set([visit.loggedBy, lead?.userId].filter((id): id is number => Boolean(id)))) {
      enqueueNotification(tx, {
        userId,
        template: 'visit.queried',
        subject: '走访记录需要补充',
        body: `机构对${pairingTitle(pairing)} ${visit.visitedOn} 的走访记录有疑问：${text}。请在“我的结对”中修改后重新提交。`,
      })
    }
    return {
      result: { ok: true as const },
      audit: { institutionId, action: 'visit.query', entityType: 'visit', entityId: visit.id, summary: { pairingId: visit.pairingId } },
    }
  }) as { ok: true } | Refusal
}

export const SUBSTITUTE_NOT_OURS_MESSAGE = '只能从本机构的志愿者（报名过本机构的项目或活动、或已在本机构服务）中选择替班志愿者'

/**
 * A volunteer who meets the programme's requirements may log and attend the next visit only,
 * so the family keeps its rhythm when the team cannot come.
 */
export function assignSubstitute(actor: Actor, institutionId: number, pairingId: number, userId: number): { ok: true } | Refusal {
  return attemptAuditedWrite(actor, (tx) => {
    const pairing = loadPairing(tx, pairingId)
    if (!pairing || pairing.institutionId !== institutionId) refuseWrite(refuse('not_found', '结对不存在'))
    if (pairing.status !== 'active') refuseWrite(refuse('conflict', '这个结对目前不在进行中'))
    // Only the home's own volunteers: any other id gets the same answer, whoever it belongs to.
    if (!isVolunteerOfHome(tx, institutionId, userId)) refuseWrite(refuse('invalid', SUBSTITUTE_NOT_OURS_MESSAGE))
    if (teamOf(tx, pairingId).some((m) => m.userId === userId)) refuseWrite(refuse('invalid', '这位志愿者已是结对团队成员，无需替班'))
    const missing = missingRequirements(
      userId,
      {
        startsAt: now(),
        minAge: null,
        requiredQualifications: pairing.requiredQualifications,
        requiresBackgroundCheck: pairing.requiresBackgroundCheck,
      },
      tx,
    )
    if (missing.length) refuseWrite(refuse('invalid', `这位志愿者尚不符合项目要求：${requirementWords(missing)}`))
    tx.update(pairings).set({ substituteUserId: userId, updatedAt: now() }).where(eq(pairings.id, pairingId)).run()
    enqueueNotification(tx, {
      userId,
      template: 'visit.substitute',
      subject: '请您替班一次走访',
      body: `机构请您替班${pairingTitle(pairing)}的下一次走访。走访后请在“我的结对”中记录这次走访。`,
    })
    return {
      result: { ok: true as const },
      audit: {
        institutionId,
        action: 'visit.substitute_assigned',
        entityType: 'pairing',
        entityId: pairingId,
        summary: { substituteUserId: userId },
      },
    }
  }) as { ok: true } | Refusal
}

// ---- overdue alerts (job) -------------------------------------------------------------------------

/**
 * More than OVERDUE_GRACE_DAYS past the due date the lead is alerted (once per due date); another
 * OVERDUE_GRACE_DAYS later, if still no visit, the home's staff are alerted (once each).
 */
export function checkOverdueVisits(): { leadAlerts: number; staffAlerts: number } {
  const active = db.select({ id: pairings.id }).from(pairings).where(eq(pairings.status, 'active')).all()
  let leadAlerts = 0
  let staffAlerts = 0
  for (const { id } of active) {
    writeTransaction((tx) => {
      const pairing = loadPairing(tx, id)
      if (!pairing || pairing.status !== 'active') return
      const progress = pairingProgress(id, tx)
      if (!progress.nextDueOn || progress.overdueDays <= OVERDUE_GRACE_DAYS) return
      const title = pairingTitle(pairing)
      const lead = teamOf(tx, id).find((m) => m.role === 'lead')
      const leadKey = `visit.overdue.lead:${id}:${progress.nextDueOn}`
      const leadAlerted = tx.select({ id: notifications.id }).from(notifications).where(eq(notifications.dedupeKey, leadKey)).get()
      if (!leadAlerted && lead) {
        enqueueNotification(tx, {
          userId: lead.userId,
          template: 'visit.overdue.lead',
          subject: '走访已逾期',
          body: `${title}的下一次走访应在 ${progress.nextDueOn} 前完成，已逾期 ${progress.overdueDays} 天。请尽快安排走访并在“我的结对”中记录；如无法前往，请联系机构安排替班。`,
          dedupeKey: leadKey,
        })
        leadAlerts++
        return
      }
      if (progress.overdueDays <= 2 * OVERDUE_GRACE_DAYS) return
      const staff = tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(eq(memberships.institutionId, pairing.institutionId))
        .all()
      for (const member of staff) {
        const key = `visit.overdue.staff:${id}:${progress.nextDueOn}:${member.userId}`
        const already = tx.select({ id: notifications.id }).from(notifications).where(eq(notifications.dedupeKey, key)).get()
        if (already) continue
        enqueueNotification(tx, {
          userId: member.userId,
          template: 'visit.overdue.staff',
          subject: '结对走访逾期提醒',
          body: `${title}（${progress.label}）的走访应在 ${progress.nextDueOn} 前完成，已逾期 ${progress.overdueDays} 天，带队志愿者已于一周前收到提醒。请联系志愿者团队或在工作台安排替班。`,
          dedupeKey: key,
        })
        staffAlerts++
      }
    })
  }
  return { leadAlerts, staffAlerts }
}

// ---- read models ------------------------------------------------------------------------------------

/** The volunteer's pairings (as team member or pending substitute) with progress and their visits. */
export function listMyPairings(userId: number) {
  const memberOf = db
    .select({ pairingId: pairingMembers.pairingId, role: pairingMembers.role })
    .from(pairingMembers)
    .where(eq(pairingMembers.userId, userId))
    .all()
  const substituteFor = db.select({ pairingId: pairings.id }).from(pairings).where(eq(pairings.substituteUserId, userId)).all()
  const ids = new Map<number, 'lead' | 'member' | 'substitute'>(memberOf.map((m) => [m.pairingId, m.role]))
  for (const s of substituteFor) if (!ids.has(s.pairingId)) ids.set(s.pairingId, 'substitute')
  return [...ids.entries()]
    .map(([pairingId, role]) => {
      const pairing = loadPairing(db, pairingId)!
      const team = teamOf(db, pairingId)
      const myVisits = db
        .select({
          id: visits.id,
          visitedOn: visits.visitedOn,
          durationMinutes: visits.durationMinutes,
          status: visits.status,
          queryNote: visits.queryNote,
          activities: visits.activities,
        })
        .from(visits)
        .where(eq(visits.pairingId, pairingId))
        .orderBy(desc(visits.visitedOn), desc(visits.id))
        .all()
      return {
        id: pairingId,
        title: pairingTitle(pairing),
        programmeName: pairing.programmeName,
        status: pairing.status,
        startDate: pairing.startDate,
        cadence: pairing.cadence,
        role,
        canLog: pairing.status === 'active' && (role === 'lead' || role === 'substitute'),
        canEdit: role === 'lead',
        team: team.map((m) => ({ displayName: m.displayName, role: m.role })),
        progress: pairingProgress(pairingId),
        visits: myVisits,
      }
    })
    .sort((a, b) => a.id - b.id)
}
export type MyPairing = ReturnType<typeof listMyPairings>[number]

/** What the visit form needs: the team to tick, and the visit being corrected (if any). Null: not allowed. */
export function visitFormFor(userId: number, pairingId: number, visitId: number | null) {
  const pairing = loadPairing(db, pairingId)
  if (!pairing) return null
  const rights = loggingRights(db, pairing, userId)
  const people = rights.team.map((m) => ({
    userId: m.userId,
    displayName: m.displayName,
    role: m.role as 'lead' | 'member' | 'substitute',
  }))
  if (visitId !== null) {
    const visit = db
      .select()
      .from(visits)
      .where(and(eq(visits.id, visitId), eq(visits.pairingId, pairingId)))
      .get()
    if (!visit || (!rights.isLead && visit.loggedBy !== userId) || visit.status === 'confirmed') return null
    if (visit.substituteUserId) {
      const sub = db.select({ displayName: users.displayName }).from(users).where(eq(users.id, visit.substituteUserId)).get()
      if (sub) people.push({ userId: visit.substituteUserId, displayName: sub.displayName, role: 'substitute' })
    }
    return {
      pairing: { id: pairing.id, title: pairingTitle(pairing), startDate: pairing.startDate },
      people,
      visit,
      progress: pairingProgress(pairingId),
    }
  }
  if (!rights.canLog || pairing.status !== 'active') return null
  if (rights.substitute) {
    const sub = db.select({ displayName: users.displayName }).from(users).where(eq(users.id, rights.substitute)).get()
    if (sub) people.push({ userId: rights.substitute, displayName: sub.displayName, role: 'substitute' })
  }
  return {
    pairing: { id: pairing.id, title: pairingTitle(pairing), startDate: pairing.startDate },
    people,
    visit: null,
    progress: pairingProgress(pairingId),
  }
}

/** Staff dashboard: visits to confirm, every pairing's progress (overdue first), substitutes. */
export function staffVisitsDashboard(institutionId: number) {
  const homePairings = db
    .select({ id: pairings.id })
    .from(pairings)
    .where(and(eq(pairings.institutionId, institutionId), inArray(pairings.status, ['active', 'paused'])))
    .orderBy(asc(pairings.id))
    .all()
  const rows = homePairings.map(({ id }) => {
    const pairing = loadPairing(db, id)!
    const team = teamOf(db, id)
    const substituteId = pendingSubstitute(db, pairing)
    const substitute = substituteId
      ? db.select({ displayName: users.displayName }).from(users).where(eq(users.id, substituteId)).get()
      : null
    return {
      id,
      title: pairingTitle(pairing),
      status: pairing.status,
      team,
      substitute: substitute?.displayName ?? null,
      progress: pairingProgress(id),
    }
  })
  const pending = db
    .select({
      id: visits.id,
      pairingId: visits.pairingId,
      visitedOn: visits.visitedOn,
      durationMinutes: visits.durationMinutes,
      attendeeIds: visits.attendeeIds,
      activities: visits.activities,
      note: visits.note,
      followUp: visits.followUp,
      status: visits.status,
      queryNote: visits.queryNote,
      loggedBy: users.displayName,
    })
    .from(visits)
    .innerJoin(pairings, eq(pairings.id, visits.pairingId))
    .leftJoin(users, eq(users.id, visits.loggedBy))
    .where(and(eq(pairings.institutionId, institutionId), inArray(visits.status, ['logged', 'queried'])))
    .orderBy(asc(visits.visitedOn), asc(visits.id))
    .all()
  const names = new Map<number, string>()
  const allIds = [...new Set(pending.flatMap((v) => v.attendeeIds))]
  if (allIds.length)
    for (const u of db.select({ id: users.id, displayName: users.displayName }).from(users).where(inArray(users.id, allIds)).all())
      names.set(u.id, u.displayName)
  const titles = new Map(rows.map((r) => [r.id, r.title]))
  // Substitute candidates: this home's own volunteers with a background check valid today.
  const candidates = db
    .selectDistinct({ userId: volunteerProfiles.userId, realName: volunteerProfiles.realName, displayName: users.displayName })
    .from(volunteerProfiles)
    .innerJoin(users, eq(users.id, volunteerProfiles.userId))
    .where(
      and(
        eq(volunteerProfiles.backgroundCheckStatus, 'verified'),
        sql`(${volunteerProfiles.backgroundCheckExpiresAt} IS NULL OR ${volunteerProfiles.backgroundCheckExpiresAt} > ${now().getTime()})`,
        sql`${volunteerProfiles.userId} IN ${homeVolunteerIdsSql(institutionId)}`,
      ),
    )
    .orderBy(asc(volunteerProfiles.realName))
    .all()
  return {
    pending: pending.map((v) => ({
      ...v,
      pairingTitle: titles.get(v.pairingId) ?? `结对 #${v.pairingId}`,
      attendees: v.attendeeIds.map((id) => names.get(id) ?? `#${id}`),
    })),
    pairings: rows.sort((a, b) => b.progress.overdueDays - a.progress.overdueDays || a.id - b.id),
    candidates,
  }
}
