import { and, desc, eq, inArray } from 'drizzle-orm'
import { db, writeTransaction } from '~db/client.server'
import { institutions, programmeApplications, programmes, users, volunteerProfiles } from '~db/schema'
import { attemptAuditedWrite, refuseWrite, type Actor } from '~/audit/audit.server'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { missingRequirements } from '~/volunteers/eligibility.server'
import type { ApplicationInput } from './validation'

// A signed-in volunteer applies to a programme; the running home's staff accept or decline,
// and the volunteer is told either way.

export type { ApplicationInput }

export type ApplyResult = { ok: true; applicationId: number } | { ok: false; message: string }

export function applyToProgramme(userId: number, programmeId: number, input: ApplicationInput): ApplyResult {
  return writeTransaction((tx) => {
    const programme = tx.select().from(programmes).where(eq(programmes.id, programmeId)).get()
    if (!programme) return { ok: false as const, message: '找不到该项目' }
    if (!programme.acceptingApplications) return { ok: false as const, message: '该项目暂不接受申请' }
    const existing = tx
      .select({ status: programmeApplications.status })
      .from(programmeApplications)
      .where(
        and(
          eq(programmeApplications.programmeId, programmeId),
          eq(programmeApplications.userId, userId),
          inArray(programmeApplications.status, ['pending', 'accepted']),
        ),
      )
      .get()
    if (existing) return { ok: false as const, message: existing.status === 'pending' ? '您已提交申请，请等待机构审核' : '您已加入该项目' }
    const row = tx
      .insert(programmeApplications)
      .values({ programmeId, userId, motivation: input.motivation, availability: input.availability })
      .returning({ id: programmeApplications.id })
      .get()
    return { ok: true as const, applicationId: row.id }
  })
}

export function myApplication(userId: number, programmeId: number) {
  return db
    .select({ id: programmeApplications.id, status: programmeApplications.status, createdAt: programmeApplications.createdAt })
    .from(programmeApplications)
    .where(and(eq(programmeApplications.programmeId, programmeId), eq(programmeApplications.userId, userId)))
    .orderBy(desc(programmeApplications.id))
    .get()
}

export function listApplications(institutionId: number, programmeId: number) {
  return db
    .select({
      id: programmeApplications.id,
      userId: programmeApplications.userId,
      displayName: users.displayName,
      realName: volunteerProfiles.realName,
      motivation: programmeApplications.motivation,
      availability: programmeApplications.availability,
      status: programmeApplications.status,
      createdAt: programmeApplications.createdAt,
    })
    .from(programmeApplications)
    .innerJoin(programmes, eq(programmes.id, programmeApplications.programmeId))
    .innerJoin(users, eq(users.id, programmeApplications.userId))
    .leftJoin(volunteerProfiles, eq(volunteerProfiles.userId, programmeApplications.userId))
    .where(and(eq(programmes.institutionId, institutionId), eq(programmeApplications.programmeId, programmeId)))
    .orderBy(desc(programmeApplications.id))
    .all()
}

export type ReviewResult = { ok: true } | { ok: false; message: string }

export function reviewApplication(
  actor: Actor,
  institutionId: number,
  applicationId: number,
  decision: 'accepted' | 'declined',
): ReviewResult {
  return attemptAuditedWrite(actor, (tx) => {
    const row = tx
      .select({ app: programmeApplications, programmeName: programmes.name })
      .from(programmeApplications)
      .innerJoin(programmes, eq(programmes.id, programmeApplications.programmeId))
      .where(and(eq(programmeApplications.id, applicationId), eq(programmes.institutionId, institutionId)))
      .get()
    if (!row) refuseWrite({ ok: false, message: '找不到该申请' })
    if (row.app.status !== 'pending') refuseWrite({ ok: false, message: '该申请已处理' })
    tx.update(programmeApplications)
      .set({ status: decision, reviewedBy: actor.userId, reviewedAt: now() })
      .where(eq(programmeApplications.id, applicationId))
      .run()
    enqueueNotification(tx, {
      userId: row.app.userId,
      template: `programme.application.${decision}`,
      subject: decision === 'accepted' ? `您已加入「${row.programmeName}」` : `「${row.programmeName}」申请结果`,
      body:
        decision === 'accepted'
          ? `感谢报名「${row.programmeName}」，机构已接受您的申请，将与您联系安排结对。`
          : `感谢报名「${row.programmeName}」。这一次机构未能安排，欢迎关注其他志愿活动。`,
      dedupeKey: `programme-application-${applicationId}`,
    })
    return {
      result: { ok: true as const },
      audit: {
        institutionId,
        action: `programme_application.${decision === 'accepted' ? 'accept' : 'decline'}`,
        entityType: 'programme_application',
        entityId: applicationId,
        summary: { programme: row.programmeName },
      },
    }
  })
}

/** Volunteers whose application to this programme was accepted: the pool for pairings. */
export function acceptedApplicants(institutionId: number, programmeId: number) {
  return listApplications(institutionId, programmeId).filter((a) => a.status === 'accepted')
}

/**
 * What an applicant still lacks before the home can pair them (docs/product.md rule 5): the
 * real-name profile, a background check the home verifies, required qualifications — in a few
 * words each, with the home that checks them. Empty when nothing is missing.
 */
export function applicationReadiness(
  userId: number,
  programme: { requiresBackgroundCheck: boolean; requiredQualifications: (typeof programmes.$inferSelect)['requiredQualifications'] },
) {
  return missingRequirements(userId, {
    startsAt: now(),
    minAge: null,
    requiresBackgroundCheck: programme.requiresBackgroundCheck,
    requiredQualifications: programme.requiredQualifications,
  }).map((m) => ({ key: m.key, words: m.lapse }))
}

/** The volunteer's own applications (pending or accepted), each with what is still missing and who checks it. */
export function myOpenApplications(userId: number) {
  return db
    .select({
      id: programmeApplications.id,
      status: programmeApplications.status,
      programmeName: programmes.name,
      programmeSlug: programmes.slug,
      requiresBackgroundCheck: programmes.requiresBackgroundCheck,
      requiredQualifications: programmes.requiredQualifications,
      homeName: institutions.name,
    })
    .from(programmeApplications)
    .innerJoin(programmes, eq(programmes.id, programmeApplications.programmeId))
    .innerJoin(institutions, eq(institutions.id, programmes.institutionId))
    .where(and(eq(programmeApplications.userId, userId), inArray(programmeApplications.status, ['pending', 'accepted'])))
    .orderBy(desc(programmeApplications.id))
    .all()
    .map(({ requiresBackgroundCheck, requiredQualifications, ...a }) => ({
      ...a,
      missing: applicationReadiness(userId, { requiresBackgroundCheck, requiredQualifications }),
    }))
}
