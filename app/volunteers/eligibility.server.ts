import { and, eq } from 'drizzle-orm'
import type { Tx } from '~db/client.server'
import { db } from '~db/client.server'
import { memberships, volunteerProfiles, volunteerQualifications, type QualificationKind } from '~db/schema'
import { enqueueNotification } from '~/notifications/notifications.server'
import { now } from '~/utils/clock.server'
import { formatDate } from '~/utils/format'
import { ageOn } from '~/wishes/labels'
import { qualificationLabels } from './labels'

// docs/product.md rule 5: slots with close contact require a staff-verified background check, and
// a slot's required qualifications must be verified too. The booking flow asks this module,
// and shows the volunteer exactly what is missing and where to provide it.

export type SlotRequirements = {
  startsAt: Date
  minAge: number | null
  requiredQualifications: QualificationKind[]
  requiresBackgroundCheck: boolean
}

/** `message` speaks to the volunteer before booking; `lapse` says in a few words what is missing, for staff and notices. */
export type MissingRequirement = { key: string; message: string; lapse: string }

export const VOLUNTEER_PROFILE_PATH = '/me/volunteer'

export function missingRequirements(userId: number, slot: SlotRequirements, tx: Tx | typeof db = db): MissingRequirement[] {
  const needsProfile = slot.requiresBackgroundCheck || slot.minAge !== null || slot.requiredQualifications.length > 0
  if (!needsProfile) return []
  const profile = tx.select().from(volunteerProfiles).where(eq(volunteerProfiles.userId, userId)).get()
  if (!profile) {
    return [{ key: 'profile', message: '此活动需要实名志愿者资料：请先填写真实姓名、手机号和出生日期', lapse: '没有实名志愿者资料' }]
  }
  const missing: MissingRequirement[] = []
  if (slot.minAge !== null) {
    if (!profile.birthDate)
      missing.push({
        key: 'birth_date',
        message: `此活动要求年满 ${slot.minAge} 岁：请在志愿者资料中填写出生日期`,
        lapse: '未填写出生日期',
      })
    else if (ageOn(profile.birthDate, slot.startsAt) < slot.minAge)
      missing.push({ key: 'min_age', message: `此活动要求活动当天年满 ${slot.minAge} 岁`, lapse: `未满 ${slot.minAge} 岁` })
  }
  if (slot.requiresBackgroundCheck) {
    const valid =
      profile.backgroundCheckStatus === 'verified' &&
      (!profile.backgroundCheckExpiresAt || profile.backgroundCheckExpiresAt.getTime() > slot.startsAt.getTime())
    if (!valid) {
      const why =
        profile.backgroundCheckStatus === 'pending'
          ? '您的背景核验正在等待机构审核'
          : profile.backgroundCheckStatus === 'rejected'
            ? '您的背景核验未通过，请联系机构'
            : profile.backgroundCheckStatus === 'verified'
              ? '您的背景核验将在活动前过期，请重新提交'
              : '请在志愿者资料中提交无犯罪记录等背景核验材料，由机构核验'
      const expiresAt = profile.backgroundCheckExpiresAt
      const lapse =
        profile.backgroundCheckStatus === 'pending'
          ? '背景核验等待机构审核'
          : profile.backgroundCheckStatus === 'rejected'
            ? '背景核验未通过'
            : profile.backgroundCheckStatus === 'verified' && expiresAt
              ? `背景核验${expiresAt.getTime() <= now().getTime() ? '已于' : '将于'} ${formatDate(expiresAt)} 过期`
              : '未提交背景核验'
      missing.push({ key: 'background_check', message: `此活动需与儿童密切接触，须通过背景核验：${why}`, lapse })
    }
  }
  for (const kind of slot.requiredQualifications) {
    const q = tx
      .select({ status: volunteerQualifications.status })
      .from(volunteerQualifications)
      .where(and(eq(volunteerQualifications.userId, userId), eq(volunteerQualifications.kind, kind)))
      .get()
    if (q?.status !== 'verified') {
      const state =
        q?.status === 'pending'
          ? '（已提交，等待机构核验）'
          : q?.status === 'rejected'
            ? '（未通过核验）'
            : '：请在志愿者资料中添加并提交证明'
      const lapse = `「${qualificationLabels[kind]}」资质${q?.status === 'pending' ? '等待核验' : q?.status === 'rejected' ? '未通过核验' : '未核验'}`
      missing.push({ key: `qualification:${kind}`, message: `此活动需要已核验的「${qualificationLabels[kind]}」资质${state}`, lapse })
    }
  }
  return missing
}

/** Whether a slot or programme asks anything of its volunteers at all (rule 5). */
export function hasRequirements(requirements: Omit<SlotRequirements, 'startsAt'>): boolean {
  return requirements.requiresBackgroundCheck || requirements.minAge !== null || requirements.requiredQualifications.length > 0
}

/** What is missing, as told to the volunteer: each `message`, joined. */
export function requirementWords(missing: MissingRequirement[]): string {
  return missing.map((m) => m.message).join('；')
}

/** "背景核验已于 2026年5月1日 过期；「教师资格」资质未核验". */
export function lapseWords(missing: MissingRequirement[]): string {
  return missing.map((m) => m.lapse).join('；')
}

/**
 * A volunteer who was eligible has lapsed (rule 5 re-checked at a visit log or check-in): tell
 * them and the home's staff, once per lapse. The dedupe key names the lapse — what is missing and
 * the background check's last review — so a second attempt says nothing new, while a later lapse
 * (after a renewal) is announced again.
 */
export function notifyEligibilityLapse(
  tx: Tx,
  lapse: { institutionId: number; userId: number; volunteerName: string; missing: MissingRequirement[]; where: string },
): void {
  if (!lapse.missing.length) return
  const profile = tx
    .select({ reviewedAt: volunteerProfiles.backgroundCheckVerifiedAt, expiresAt: volunteerProfiles.backgroundCheckExpiresAt })
    .from(volunteerProfiles)
    .where(eq(volunteerProfiles.userId, lapse.userId))
    .get()
  const episode = `${lapse.missing
    .map((m) => m.key)
    .sort()
    .join(',')}@${profile?.reviewedAt?.getTime() ?? 0}-${profile?.expiresAt?.getTime() ?? 0}`
  const key = (recipientId: number) => `eligibility.lapse:${lapse.institutionId}:${lapse.userId}:${episode}:${recipientId}`
  const words = lapseWords(lapse.missing)
  enqueueNotification(tx, {
    userId: lapse.userId,
    template: 'eligibility.lapsed.volunteer',
    subject: '您的志愿者资格需要更新',
    body: `${lapse.where}需要与儿童密切接触的志愿者资格，您的资格已失效：${words}。在更新之前不能记录走访或签到。请在志愿者资料（${VOLUNTEER_PROFILE_PATH}）中更新，并联系机构重新核验。`,
    dedupeKey: key(lapse.userId),
  })
  const staff = tx.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.institutionId, lapse.institutionId)).all()
  for (const member of staff) {
    if (member.userId === lapse.userId) continue
    enqueueNotification(tx, {
      userId: member.userId,
      template: 'eligibility.lapsed.staff',
      subject: '志愿者资格已失效',
      body: `志愿者 ${lapse.volunteerName} 的资格已失效（${words}），${lapse.where}已暂停其走访记录和签到。请联系志愿者更新材料并重新核验，或安排其他志愿者。`,
      dedupeKey: key(member.userId),
    })
  }
}
