import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import { z } from 'zod'
import { db, writeTransaction, type Tx } from '~db/client.server'
import {
  bookings,
  institutions,
  programmeApplications,
  programmes,
  slots,
  users,
  volunteerProfiles,
  volunteerQualifications,
  qualificationKinds,
  type QualificationKind,
  type VerificationStatus,
} from '~db/schema'
import { auditedWrite, type Actor } from '~/audit/audit.server'
import { MAINLAND_MOBILE, normalizePhone } from '~/auth/validation'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { formatDate } from '~/utils/format'
import { endOfShanghaiDay, parseShanghaiDate, shanghaiDateString } from '~/utils/shanghai-date'
import { VOLUNTEER_PROFILE_PATH } from './eligibility.server'
import { qualificationLabels } from './labels'

// 志愿者资料 (志愿服务条例: volunteers register by real name). The real name, phone and birth
// date are private: only staff of homes the volunteer booked with or applied to may read them (docs/product.md
// rules 5 and 7). Volunteers write their own profile; staff verify, always through auditedWrite.

const DAY_MS = 24 * 60 * 60 * 1000
export const BACKGROUND_CHECK_VALID_DAYS = 365

export type ProfileResult<T = object> = ({ ok: true } & T) | { ok: false; message: string; field?: string }

// ---- Validation (server-side; the forms on /me/volunteer post plain HTML) -------------------

export const profileSchema = z.object({
  realName: z
    .string({ required_error: '请填写真实姓名' })
    .trim()
    .min(2, '真实姓名为 2–20 个字')
    .max(20, '真实姓名为 2–20 个字')
    .regex(/^[\p{L}·•. ]+$/u, '真实姓名只能包含文字和间隔号（·）'),
  phone: z
    .string({ required_error: '请填写手机号' })
    .transform(normalizePhone)
    .refine((v) => MAINLAND_MOBILE.test(v), '请填写有效的中国大陆手机号（11 位）'),
  birthDate: z
    .string({ required_error: '请填写出生日期' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '请按 年-月-日 填写出生日期，例如 2000-05-20')
    .refine(parseShanghaiDate, '出生日期无效')
    .refine((v) => v >= '1900-01-01' && v <= shanghaiDateString(now()), '出生日期不能晚于今天'),
})
export type ProfileInput = z.infer<typeof profileSchema>

export const qualificationSchema = z.object({
  kind: z.enum(qualificationKinds, { errorMap: () => ({ message: '请选择资质类别' }) }),
  evidence: z
    .string({ required_error: '请填写证明材料说明，例如证书名称、编号和发证机构' })
    .trim()
    .min(4, '请填写证明材料说明，例如证书名称、编号和发证机构')
    .max(300, '证明材料说明最多 300 字'),
})

export const backgroundCheckSchema = z.object({
  evidence: z
    .string({ required_error: '请说明背景核验材料，例如无犯罪记录证明的开具机关和日期' })
    .trim()
    .min(6, '请说明背景核验材料，例如无犯罪记录证明的开具机关和日期')
    .max(300, '材料说明最多 300 字'),
})

// ---- The volunteer's own profile ------------------------------------------------------------

/** What the background check looks like today: a verified check past its expiry is 'expired'. */
export type BackgroundState = VerificationStatus | 'expired'

export function backgroundState(
  profile: { backgroundCheckStatus: VerificationStatus; backgroundCheckExpiresAt: Date | null } | undefined,
  at = now(),
): BackgroundState {
  if (!profile) return 'none'
  if (
    profile.backgroundCheckStatus === 'verified' &&
    profile.backgroundCheckExpiresAt &&
    profile.backgroundCheckExpiresAt.getTime() <= at.getTime()
  )
    return 'expired'
  return profile.backgroundCheckStatus
}

const verifierHome = alias(institutions, 'verifier_home')

function qualificationsOf(userId: number, tx: Tx | typeof db = db) {
  return tx
    .select({
      id: volunteerQualifications.id,
      kind: volunteerQualifications.kind,
      evidence: volunteerQualifications.evidence,
      status: volunteerQualifications.status,
      verifiedAt: volunteerQualifications.verifiedAt,
      note: volunteerQualifications.note,
      verifiedByHome: verifierHome.name,
      createdAt: volunteerQualifications.createdAt,
    })
    .from(volunteerQualifications)
    .leftJoin(verifierHome, eq(verifierHome.id, volunteerQualifications.institutionId))
    .where(eq(volunteerQualifications.userId, userId))
    .orderBy(volunteerQualifications.id)
    .all()
}

function profileRow(userId: number, tx: Tx | typeof db = db) {
  return tx
    .select({ profile: volunteerProfiles, verifiedByHome: institutions.name })
    .from(volunteerProfiles)
    .leftJoin(institutions, eq(institutions.id, volunteerProfiles.backgroundCheckInstitutionId))
    .where(eq(volunteerProfiles.userId, userId))
    .get()
}

export function getProfile(userId: number) {
  const row = profileRow(userId)
  return {
    profile: row?.profile ?? null,
    background: {
      state: backgroundState(row?.profile),
      evidence: row?.profile.backgroundCheckEvidence ?? '',
      verifiedByHome: row?.verifiedByHome ?? null,
      verifiedAt: row?.profile.backgroundCheckVerifiedAt ?? null,
      expiresAt: row?.profile.backgroundCheckExpiresAt ?? null,
      note: row?.profile.backgroundCheckNote ?? null,
    },
    qualifications: qualificationsOf(userId),
  }
}

/**
 * Create or update the profile. A new real name or birth date invalidates a background check
 * made for the old identity: it goes back to 待审核 with the same evidence.
 */
export function saveProfile(userId: number, input: ProfileInput): ProfileResult {
  return writeTransaction((tx): ProfileResult => {
    const at = now()
    const existing = tx.select().from(volunteerProfiles).where(eq(volunteerProfiles.userId, userId)).get()
    if (!existing) {
      tx.insert(volunteerProfiles)
        .values({ userId, realName: input.realName, phone: input.phone, birthDate: input.birthDate, updatedAt: at })
        .run()
      return { ok: true }
    }
    const identityChanged = existing.realName !== input.realName || existing.birthDate !== input.birthDate
    const recheck = identityChanged && existing.backgroundCheckStatus !== 'none'
    tx.update(volunteerProfiles)
      .set({
        realName: input.realName,
        phone: input.phone,
        birthDate: input.birthDate,
        updatedAt: at,
        ...(recheck
          ? {
              backgroundCheckStatus: 'pending',
              backgroundCheckVerifiedBy: null,
              backgroundCheckVerifiedAt: null,
              backgroundCheckInstitutionId: null,
              backgroundCheckExpiresAt: null,
              backgroundCheckNote: null,
            }
          : {}),
      })
      .where(eq(volunteerProfiles.userId, userId))
      .run()
    return { ok: true }
  })
}

/** Add a qualification (or replace the evidence of one already listed): it waits for a home to verify it. */
export function addQualification(userId: number, kind: QualificationKind, evidence: string): ProfileResult<{ qualificationId: number }> {
  return writeTransaction((tx) => {
    const row = tx
      .insert(volunteerQualifications)
      .values({ userId, kind, evidence, status: 'pending' })
      .onConflictDoUpdate({
        target: [volunteerQualifications.userId, volunteerQualifications.kind],
        set: { evidence, status: 'pending', verifiedBy: null, verifiedAt: null, institutionId: null, note: null },
      })
      .returning({ id: volunteerQualifications.id })
      .get()
    return { ok: true as const, qualificationId: row.id }
  })
}

export function removeQualification(userId: number, qualificationId: number): ProfileResult {
  const changes = db
    .delete(volunteerQualifications)
    .where(and(eq(volunteerQualifications.id, qualificationId), eq(volunteerQualifications.userId, userId)))
    .run().changes
  return changes ? { ok: true } : { ok: false, message: '没有找到这项资质' }
}

/** Submit (or resubmit) the evidence of a background check (e.g. 无犯罪记录证明): it waits for review. */
export function submitBackgroundCheck(userId: number, evidence: string): ProfileResult {
  return writeTransaction((tx): ProfileResult => {
    const changes = tx
      .update(volunteerProfiles)
      .set({
        backgroundCheckStatus: 'pending',
        backgroundCheckEvidence: evidence,
        backgroundCheckVerifiedBy: null,
        backgroundCheckVerifiedAt: null,
        backgroundCheckInstitutionId: null,
        backgroundCheckExpiresAt: null,
        backgroundCheckNote: null,
        updatedAt: now(),
      })
      .where(eq(volunteerProfiles.userId, userId))
      .run().changes
    return changes ? { ok: true } : { ok: false, message: '请先填写并保存实名资料，再提交背景核验材料' }
  })
}

// ---- Staff of a home ------------------------------------------------------------------------

/** SQL list of the people a home reviews: who booked one of its slots or applied to one of its programmes. */
function reviewableIdsSql(institutionId: number) {
  return sql`(
    SELECT b.user_id FROM bookings b WHERE b.institution_id = ${institutionId}
    UNION SELECT pa.user_id FROM programme_applications pa JOIN programmes pr ON pr.id = pa.programme_id WHERE pr.institution_id = ${institutionId}
  )`
}

/**
 * Whether this home may see and verify the volunteer: they booked with it or applied to one of
 * its programmes (焕新乐园 etc.). Anyone else is another home's business (docs/product.md rule 7).
 */
function isReviewableBy(tx: Tx | typeof db, institutionId: number, userId: number): boolean {
  return Boolean(tx.get<{ one: number } | undefined>(sql`SELECT 1 AS one WHERE ${userId} IN ${reviewableIdsSql(institutionId)}`))
}

export type VolunteerFilter = 'pending' | null

/** Volunteers who booked with this home or applied to its programmes, most recent first. */
export function listVolunteersOfHome(institutionId: number, options: { filter?: VolunteerFilter } = {}) {
  const known = db.all<{ user_id: number; last_at: number; booking_count: number; application_count: number }>(sql`
    SELECT k.user_id, max(k.at) AS last_at, sum(k.booking) AS booking_count, sum(k.application) AS application_count FROM (
      SELECT b.user_id, b.created_at AS at, 1 AS booking, 0 AS application FROM bookings b WHERE b.institution_id = ${institutionId}
      UNION ALL
      SELECT pa.user_id, pa.created_at AS at, 0 AS booking, 1 AS application
        FROM programme_applications pa JOIN programmes pr ON pr.id = pa.programme_id WHERE pr.institution_id = ${institutionId}
    ) k GROUP BY k.user_id ORDER BY last_at DESC, k.user_id DESC`)
  const ids = known.map((k) => k.user_id)
  const people = ids.length
    ? db
        .select({
          userId: users.id,
          displayName: users.displayName,
          realName: volunteerProfiles.realName,
          phone: volunteerProfiles.phone,
          backgroundCheckStatus: volunteerProfiles.backgroundCheckStatus,
          backgroundCheckExpiresAt: volunteerProfiles.backgroundCheckExpiresAt,
        })
        .from(users)
        .leftJoin(volunteerProfiles, eq(volunteerProfiles.userId, users.id))
        .where(inArray(users.id, ids))
        .all()
    : []
  const byId = new Map(people.map((p) => [p.userId, p]))
  const quals = ids.length
    ? db
        .select({
          userId: volunteerQualifications.userId,
          id: volunteerQualifications.id,
          kind: volunteerQualifications.kind,
          status: volunteerQualifications.status,
        })
        .from(volunteerQualifications)
        .where(inArray(volunteerQualifications.userId, ids))
        .orderBy(volunteerQualifications.id)
        .all()
    : []
  const at = now()
  const list = known.flatMap((k) => {
    const r = byId.get(k.user_id)
    if (!r) return []
    const qualifications = quals.filter((q) => q.userId === r.userId).map((q) => ({ id: q.id, kind: q.kind, status: q.status }))
    const background = r.backgroundCheckStatus
      ? backgroundState({ backgroundCheckStatus: r.backgroundCheckStatus, backgroundCheckExpiresAt: r.backgroundCheckExpiresAt }, at)
      : 'none'
    const pending = background === 'pending' || qualifications.some((q) => q.status === 'pending')
    return [
      {
        userId: r.userId,
        displayName: r.displayName,
        realName: r.realName,
        phone: r.phone,
        hasProfile: r.realName !== null,
        background,
        backgroundExpiresAt: r.backgroundCheckExpiresAt,
        qualifications,
        bookingCount: Number(k.booking_count),
        applicationCount: Number(k.application_count),
        pending,
      },
    ]
  })
  return options.filter === 'pending' ? list.filter((v) => v.pending) : list
}

/** Everything a home may see of one volunteer; null (→ 404) if they neither booked with it nor applied to its programmes. */
export function getVolunteerForStaff(institutionId: number, userId: number) {
  if (!isReviewableBy(db, institutionId, userId)) return null
  const user = db.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, userId)).get()
  if (!user) return null
  const own = getProfile(userId)
  return {
    user,
    ...own,
    // Only the bookings with this home: the volunteer's other homes are none of its business.
    bookings: db
      .select({
        id: bookings.id,
        slotId: bookings.slotId,
        slotTitle: slots.title,
        startsAt: slots.startsAt,
        status: bookings.status,
        partySize: bookings.partySize,
        code: bookings.code,
        checkedInAt: bookings.checkedInAt,
      })
      .from(bookings)
      .innerJoin(slots, eq(slots.id, bookings.slotId))
      .where(and(eq(bookings.institutionId, institutionId), eq(bookings.userId, userId)))
      .orderBy(desc(bookings.id))
      .limit(50)
      .all(),
    // Only the applications to this home's programmes.
    applications: db
      .select({
        id: programmeApplications.id,
        programmeId: programmes.id,
        programmeName: programmes.name,
        status: programmeApplications.status,
        createdAt: programmeApplications.createdAt,
      })
      .from(programmeApplications)
      .innerJoin(programmes, eq(programmes.id, programmeApplications.programmeId))
      .where(and(eq(programmes.institutionId, institutionId), eq(programmeApplications.userId, userId)))
      .orderBy(desc(programmeApplications.id))
      .all(),
  }
}

type StaffOutcome = ProfileResult

function refused(
  institutionId: number,
  action: string,
  entityType: string,
  entityId: number,
  message: string,
  summary: Record<string, unknown> = {},
) {
  return { result: { ok: false as const, message }, audit: { institutionId, action, entityType, entityId, summary } }
}

function qualificationForReview(tx: Tx, institutionId: number, userId: number, qualificationId: number) {
  if (!isReviewableBy(tx, institutionId, userId)) return null
  return tx
    .select()
    .from(volunteerQualifications)
    .where(and(eq(volunteerQualifications.id, qualificationId), eq(volunteerQualifications.userId, userId)))
    .get()
}

function homeName(tx: Tx, institutionId: number): string {
  return tx.select({ name: institutions.name }).from(institutions).where(eq(institutions.id, institutionId)).get()?.name ?? '机构'
}

export function verifyQualification(actor: Actor, institutionId: number, userId: number, qualificationId: number): StaffOutcome {
  return auditedWrite<StaffOutcome>(actor, (tx) => {
    const q = qualificationForReview(tx, institutionId, userId, qualificationId)
    if (!q)
      return refused(
        institutionId,
        'volunteer.qualification_review_refused',
        'volunteer_qualification',
        qualificationId,
        '没有找到这项资质',
      )
    if (q.status !== 'pending')
      return refused(institutionId, 'volunteer.qualification_review_refused', 'volunteer_qualification', q.id, '这项资质不在待审核状态', {
        status: q.status,
      })
    const at = now()
    tx.update(volunteerQualifications)
      .set({ status: 'verified', verifiedBy: actor.userId, verifiedAt: at, institutionId, note: null })
      .where(eq(volunteerQualifications.id, q.id))
      .run()
    const home = homeName(tx, institutionId)
    enqueueNotification(tx, {
      userId,
      template: 'volunteer.qualification.verified',
      subject: '您的志愿者资质已核验',
      body: `${home}已核验您的「${qualificationLabels[q.kind]}」资质。需要该资质的志愿活动现在可以预约了。`,
    })
    return {
      result: { ok: true },
      audit: {
        institutionId,
        action: 'volunteer.qualification_verify',
        entityType: 'volunteer_qualification',
        entityId: q.id,
        summary: { userId, kind: q.kind },
      },
    }
  })
}

export function rejectQualification(
  actor: Actor,
  institutionId: number,
  userId: number,
  qualificationId: number,
  note: string,
): StaffOutcome {
  return auditedWrite<StaffOutcome>(actor, (tx) => {
    const q = qualificationForReview(tx, institutionId, userId, qualificationId)
    if (!q)
      return refused(
        institutionId,
        'volunteer.qualification_review_refused',
        'volunteer_qualification',
        qualificationId,
        '没有找到这项资质',
      )
    if (q.status !== 'pending')
      return refused(institutionId, 'volunteer.qualification_review_refused', 'volunteer_qualification', q.id, '这项资质不在待审核状态', {
        status: q.status,
      })
    tx.update(volunteerQualifications)
      .set({ status: 'rejected', verifiedBy: actor.userId, verifiedAt: now(), institutionId, note })
      .where(eq(volunteerQualifications.id, q.id))
      .run()
    const home = homeName(tx, institutionId)
    enqueueNotification(tx, {
      userId,
      template: 'volunteer.qualification.rejected',
      subject: '您的志愿者资质未通过核验',
      body: `${home}未能核验您的「${qualificationLabels[q.kind]}」资质：${note}。您可以在志愿者资料（${VOLUNTEER_PROFILE_PATH}）中补充证明后重新提交。`,
    })
    return {
      result: { ok: true },
      audit: {
        institutionId,
        action: 'volunteer.qualification_reject',
        entityType: 'volunteer_qualification',
        entityId: q.id,
        summary: { userId, kind: q.kind, note },
      },
    }
  })
}

function profileForReview(tx: Tx, institutionId: number, userId: number) {
  if (!isReviewableBy(tx, institutionId, userId)) return null
  return tx.select().from(volunteerProfiles).where(eq(volunteerProfiles.userId, userId)).get() ?? null
}

/** 核验通过: valid until the end of `expiresOn` (YYYY-MM-DD, Asia/Shanghai), by default one year from today. */
export function verifyBackgroundCheck(actor: Actor, institutionId: number, userId: number, expiresOn?: string): StaffOutcome {
  return auditedWrite<StaffOutcome>(actor, (tx) => {
    const profile = profileForReview(tx, institutionId, userId)
    if (!profile)
      return refused(institutionId, 'volunteer.background_review_refused', 'volunteer_profile', userId, '没有找到这位志愿者的实名资料')
    if (profile.backgroundCheckStatus !== 'pending') {
      return refused(institutionId, 'volunteer.background_review_refused', 'volunteer_profile', userId, '没有待审核的背景核验材料', {
        status: profile.backgroundCheckStatus,
      })
    }
    const at = now()
    const expiresAt = expiresOn ? endOfShanghaiDay(expiresOn) : new Date(at.getTime() + BACKGROUND_CHECK_VALID_DAYS * DAY_MS)
    if (expiresAt.getTime() <= at.getTime())
      return refused(institutionId, 'volunteer.background_review_refused', 'volunteer_profile', userId, '有效期须晚于今天')
    tx.update(volunteerProfiles)
      .set({
        backgroundCheckStatus: 'verified',
        backgroundCheckVerifiedBy: actor.userId,
        backgroundCheckVerifiedAt: at,
        backgroundCheckInstitutionId: institutionId,
        backgroundCheckExpiresAt: expiresAt,
        backgroundCheckNote: null,
        updatedAt: at,
      })
      .where(eq(volunteerProfiles.userId, userId))
      .run()
    const home = homeName(tx, institutionId)
    enqueueNotification(tx, {
      userId,
      template: 'volunteer.background.verified',
      subject: '您的背景核验已通过',
      body: `${home}已核验您的背景核验材料，有效期至 ${formatDate(expiresAt)}。需要与儿童密切接触的志愿活动现在可以预约了。`,
    })
    return {
      result: { ok: true },
      audit: {
        institutionId,
        action: 'volunteer.background_verify',
        entityType: 'volunteer_profile',
        entityId: userId,
        summary: { expiresAt: expiresAt.toISOString() },
      },
    }
  })
}

export function rejectBackgroundCheck(actor: Actor, institutionId: number, userId: number, note: string): StaffOutcome {
  return auditedWrite<StaffOutcome>(actor, (tx) => {
    const profile = profileForReview(tx, institutionId, userId)
    if (!profile)
      return refused(institutionId, 'volunteer.background_review_refused', 'volunteer_profile', userId, '没有找到这位志愿者的实名资料')
    if (profile.backgroundCheckStatus !== 'pending') {
      return refused(institutionId, 'volunteer.background_review_refused', 'volunteer_profile', userId, '没有待审核的背景核验材料', {
        status: profile.backgroundCheckStatus,
      })
    }
    const at = now()
    tx.update(volunteerProfiles)
      .set({
        backgroundCheckStatus: 'rejected',
        backgroundCheckVerifiedBy: actor.userId,
        backgroundCheckVerifiedAt: at,
        backgroundCheckInstitutionId: institutionId,
        backgroundCheckExpiresAt: null,
        backgroundCheckNote: note,
        updatedAt: at,
      })
      .where(eq(volunteerProfiles.userId, userId))
      .run()
    const home = homeName(tx, institutionId)
    enqueueNotification(tx, {
      userId,
      template: 'volunteer.background.rejected',
      subject: '您的背景核验未通过',
      body: `${home}未能通过您的背景核验：${note}。如有疑问请联系${home}，补充材料后可在志愿者资料（${VOLUNTEER_PROFILE_PATH}）中重新提交。`,
    })
    return {
      result: { ok: true },
      audit: { institutionId, action: 'volunteer.background_reject', entityType: 'volunteer_profile', entityId: userId, summary: { note } },
    }
  })
}
