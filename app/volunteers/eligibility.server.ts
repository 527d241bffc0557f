import { and, eq } from 'drizzle-orm'
import type { Tx } from '~db/client.server'
import { db } from '~db/client.server'
import { volunteerProfiles, volunteerQualifications, type QualificationKind } from '~db/schema'
import { ageOn } from '~/wishes/labels'
import { qualificationLabels } from './labels'

// PRODUCT.md rule 5: slots with close contact require a staff-verified background check, and
// a slot's required qualifications must be verified too. The booking flow asks this module,
// and shows the volunteer exactly what is missing and where to provide it.

export type SlotRequirements = {
  startsAt: Date
  minAge: number | null
  requiredQualifications: QualificationKind[]
  requiresBackgroundCheck: boolean
}

export type MissingRequirement = { key: string; message: string }

export const VOLUNTEER_PROFILE_PATH = '/me/volunteer'

export function missingRequirements(userId: number, slot: SlotRequirements, tx: Tx | typeof db = db): MissingRequirement[] {
  const needsProfile = slot.requiresBackgroundCheck || slot.minAge !== null || slot.requiredQualifications.length > 0
  if (!needsProfile) return []
  const profile = tx.select().from(volunteerProfiles).where(eq(volunteerProfiles.userId, userId)).get()
  if (!profile) {
    return [{ key: 'profile', message: '此活动需要实名志愿者资料：请先填写真实姓名、手机号和出生日期' }]
  }
  const missing: MissingRequirement[] = []
  if (slot.minAge !== null) {
    if (!profile.birthDate) missing.push({ key: 'birth_date', message: `此活动要求年满 ${slot.minAge} 岁：请在志愿者资料中填写出生日期` })
    else if (ageOn(profile.birthDate, slot.startsAt) < slot.minAge) missing.push({ key: 'min_age', message: `此活动要求活动当天年满 ${slot.minAge} 岁` })
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
      missing.push({ key: 'background_check', message: `此活动需与儿童密切接触，须通过背景核验：${why}` })
    }
  }
  for (const kind of slot.requiredQualifications) {
    const q = tx
      .select({ status: volunteerQualifications.status })
      .from(volunteerQualifications)
      .where(and(eq(volunteerQualifications.userId, userId), eq(volunteerQualifications.kind, kind)))
      .get()
    if (q?.status !== 'verified') {
      const state = q?.status === 'pending' ? '（已提交，等待机构核验）' : q?.status === 'rejected' ? '（未通过核验）' : '：请在志愿者资料中添加并提交证明'
      missing.push({ key: `qualification:${kind}`, message: `此活动需要已核验的「${qualificationLabels[kind]}」资质${state}` })
    }
  }
  return missing
}
