import { and, eq, inArray, sql } from 'drizzle-orm'
import { db, writeTransaction } from '~db/client.server'
import { children, programmes, studyNeeds, tutoringOffers, users, volunteerProfiles } from '~db/schema'
import { attemptAuditedWrite, refuseWrite, type Actor } from '~/audit/audit.server'
import { now } from '~/utils/clock.server'
import { missingRequirements } from '~/volunteers/eligibility.server'
import { homeVolunteerIdsSql } from '~/volunteers/home-volunteers.server'
import type { StudyNeedInput, TutoringOfferInput } from './validation'

// Tutoring matching: a child's study need and volunteers' offers, ranked by subject overlap
// (most weight), grade fit, then overlapping availability. Only eligible volunteers appear, and
// only the home's own volunteers by name.

export type { StudyNeedInput, TutoringOfferInput }

export function saveStudyNeed(
  actor: Actor,
  institutionId: number,
  childId: number,
  input: StudyNeedInput,
): { ok: true } | { ok: false; message: string } {
  return attemptAuditedWrite(actor, (tx) => {
    const child = tx
      .select({ id: children.id })
      .from(children)
      .where(and(eq(children.id, childId), eq(children.institutionId, institutionId)))
      .get()
    if (!child) refuseWrite({ ok: false, message: '找不到该儿童档案' })
    const values = { subjects: input.subjects, grade: input.grade, availability: input.availability, updatedAt: now() }
    tx.insert(studyNeeds)
      .values({ childId, ...values })
      .onConflictDoUpdate({ target: studyNeeds.childId, set: values })
      .run()
    return {
      result: { ok: true as const },
      audit: {
        institutionId,
        action: 'study_need.save',
        entityType: 'child',
        entityId: childId,
        summary: { subjects: input.subjects, grade: input.grade },
      },
    }
  })
}

/** A volunteer's own offer (not a staff write). */
export function saveTutoringOffer(userId: number, input: TutoringOfferInput): { ok: true } {
  writeTransaction((tx) => {
    const values = { subjects: input.subjects, grades: input.grades, availability: input.availability, updatedAt: now() }
    tx.insert(tutoringOffers)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: tutoringOffers.userId, set: values })
      .run()
  })
  return { ok: true }
}

export function getTutoringOffer(userId: number) {
  return db.select().from(tutoringOffers).where(eq(tutoringOffers.userId, userId)).get() ?? null
}

export function listStudyNeeds(institutionId: number) {
  return db
    .select({
      childId: studyNeeds.childId,
      pseudonym: children.pseudonym,
      realName: children.realName,
      subjects: studyNeeds.subjects,
      grade: studyNeeds.grade,
      availability: studyNeeds.availability,
    })
    .from(studyNeeds)
    .innerJoin(children, eq(children.id, studyNeeds.childId))
    .where(eq(children.institutionId, institutionId))
    .all()
}

export type TutorSuggestion = {
  userId: number
  name: string
  subjectOverlap: string[]
  gradeFit: boolean
  availabilityOverlap: string[]
  score: number
}

export type TutorSuggestions = {
  /** This home's own volunteers (applied, booked, on a team or served here), ranked, by real name. */
  tutors: TutorSuggestion[]
  /** How many other eligible, matching tutors exist: never who they are (rule 7). */
  othersEligible: number
  /** Where staff can invite them: the public page of the home's tutoring programme. */
  invitePath: string | null
}

/**
 * Ranked tutors for a child: subject overlap weighs most, then grade fit, then availability.
 * Only volunteers meeting the tutoring programme's requirements (rule 5) are suggested, and only
 * the home's own volunteers by name; the rest are a count and an invitation link, because a
 * home may not learn who volunteers elsewhere.
 */
export function suggestTutors(institutionId: number, childId: number, programmeId?: number): TutorSuggestions {
  const none: TutorSuggestions = { tutors: [], othersEligible: 0, invitePath: null }
  const need = db
    .select({ need: studyNeeds })
    .from(studyNeeds)
    .innerJoin(children, eq(children.id, studyNeeds.childId))
    .where(and(eq(studyNeeds.childId, childId), eq(children.institutionId, institutionId)))
    .get()?.need
  if (!need) return none
  const programme = db
    .select()
    .from(programmes)
    .where(and(eq(programmes.institutionId, institutionId), programmeId ? eq(programmes.id, programmeId) : eq(programmes.kind, 'tutoring')))
    .get()
  const requirements = {
    startsAt: now(),
    minAge: null,
    requiredQualifications: programme?.requiredQualifications ?? [],
    requiresBackgroundCheck: programme?.requiresBackgroundCheck ?? true,
  }
  const offers = db
    .select({
      offer: tutoringOffers,
      ours: sql<number>`${tutoringOffers.userId} IN ${homeVolunteerIdsSql(institutionId)}`,
    })
    .from(tutoringOffers)
    .all()
  const matching = offers
    .filter((o) => missingRequirements(o.offer.userId, requirements).length === 0)
    .map((o) => {
      const subjectOverlap = need.subjects.filter((s) => o.offer.subjects.includes(s))
      const gradeFit = o.offer.grades.includes(need.grade)
      const availabilityOverlap = need.availability.filter((s) => o.offer.availability.includes(s))
      const score = subjectOverlap.length * 100 + (gradeFit ? 10 : 0) + availabilityOverlap.length
      return { ours: Boolean(o.ours), userId: o.offer.userId, subjectOverlap, gradeFit, availabilityOverlap, score }
    })
    .filter((s) => s.subjectOverlap.length > 0)
  const ourIds = matching.filter((m) => m.ours).map((m) => m.userId)
  // Names are read for the home's own volunteers only.
  const names = new Map(
    ourIds.length
      ? db
          .select({ userId: users.id, displayName: users.displayName, realName: volunteerProfiles.realName })
          .from(users)
          .leftJoin(volunteerProfiles, eq(volunteerProfiles.userId, users.id))
          .where(inArray(users.id, ourIds))
          .all()
          .map((u) => [u.userId, u.realName ?? u.displayName])
      : [],
  )
  const tutors = matching
    .filter((m) => m.ours)
    .map(({ ours: _ours, ...m }) => ({ ...m, name: names.get(m.userId) ?? `用户 ${m.userId}` }))
    .sort((a, b) => b.score - a.score || a.userId - b.userId)
  return {
    tutors,
    othersEligible: matching.length - tutors.length,
    invitePath: programme?.acceptingApplications ? `/programmes/${programme.slug}` : null,
  }
}
