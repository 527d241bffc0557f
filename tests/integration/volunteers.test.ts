import { and, desc, eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { auditLog, notifications, volunteerProfiles, volunteerQualifications } from '~db/schema'
import { loader as profileLoader, action as profileAction } from '~/routes/me.volunteer'
import { loader as listLoader } from '~/routes/staff.$slug.volunteers._index'
import { loader as reviewLoader, action as reviewAction } from '~/routes/staff.$slug.volunteers.$userId'
import { testClock } from '~/utils/clock.server'
import { missingRequirements } from '~/volunteers/eligibility.server'
import { getProfile, listVolunteersOfHome } from '~/volunteers/profiles.server'
import { context, createUser, formRequest, getRequest, insertTestBooking, insertTestSlot, run, signedInCookie } from './helpers'
import * as helpers from './helpers'

const DAY = 24 * 60 * 60 * 1000
const T0 = new Date('2026-03-02T02:00:00Z')

type FormReply = { intent: string; ok: boolean; message: string | null; errors: Record<string, string[]>; values: Record<string, string> }
/** The staff review page's reply: field errors in Conform's result. */
type StaffReply = { intent: string; ok: boolean; message: string | null; result?: { error?: Record<string, string[] | null> } }
/** The Conform reply of a form on /me/volunteer: errors by field ('' for the form), the typed values. */
type ProfileReply = { intent: string; result: { error: Record<string, string[]>; initialValue: Record<string, string> } }

const homeWithStaff = (name = '测试福利院') => helpers.homeWithStaff({ name })

async function postProfile(cookie: string, fields: Record<string, string>) {
  return run(() => profileAction({ request: formRequest('/me/volunteer', fields, { cookie }), params: {}, context: context() }))
}

/** A volunteer with a saved profile and a submitted background check who booked with `homeId`. */
async function volunteerWhoBooked(homeId: number, realName = '李志愿') {
  const volunteer = await createUser({ displayName: '小李' })
  const cookie = signedInCookie(volunteer.id)
  expect((await postProfile(cookie, { intent: 'profile', realName, phone: '139 1234 5678', birthDate: '1998-04-12' })).status).toBe(302)
  expect(
    (await postProfile(cookie, { intent: 'background', evidence: '无犯罪记录证明，滨州市公安局滨城分局开具，2026-02-20' })).status,
  ).toBe(302)
  const slot = insertTestSlot(homeId)
  insertTestBooking(slot, volunteer.id, { contactName: realName })
  return { volunteer, cookie }
}

function review(slug: string, userId: number, cookie: string, fields: Record<string, string>) {
  return run(() =>
    reviewAction({
      request: formRequest(`/staff/${slug}/volunteers/${userId}`, fields, { cookie }),
      params: { slug, userId: String(userId) },
      context: context(),
    }),
  )
}

function lastAudit(institutionId: number) {
  return db.select().from(auditLog).where(eq(auditLog.institutionId, institutionId)).orderBy(desc(auditLog.id)).get()
}

function notices(userId: number, template: string) {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.template, template)))
    .all()
}

const closeContactSlot = (startsAt: Date) => ({ startsAt, minAge: null, requiredQualifications: [], requiresBackgroundCheck: true })

describe('the volunteer profile', () => {
  test('a volunteer who mistypes sees each error next to its field and keeps what they typed', async () => {
    const volunteer = await createUser()
    const cookie = signedInCookie(volunteer.id)
    const bad = await postProfile(cookie, { intent: 'profile', realName: '李', phone: '12345', birthDate: '2099-01-01' })
    expect(bad.status).toBe(400)
    const reply = (bad.body as ProfileReply).result
    expect(reply.error.realName).toEqual(['真实姓名为 2–20 个字'])
    expect(reply.error.phone).toEqual(['请填写有效的中国大陆手机号（11 位）'])
    expect(reply.error.birthDate).toEqual(['出生日期不能晚于今天'])
    expect(reply.initialValue).toMatchObject({ realName: '李', phone: '12345', birthDate: '2099-01-01' })
    expect(getProfile(volunteer.id).profile).toBeNull()

    const good = await postProfile(cookie, { intent: 'profile', realName: '李志愿', phone: '+86 139-1234-5678', birthDate: '1998-04-12' })
    expect(good.status).toBe(302)
    const page = await run(() => profileLoader({ request: getRequest('/me/volunteer', cookie), params: {}, context: context() }))
    expect((page.body as { profile: unknown }).profile).toEqual({ realName: '李志愿', phone: '13912345678', birthDate: '1998-04-12' })
  })

  test('an impossible birth date and a real name longer than 20 characters are refused', async () => {
    const cookie = signedInCookie((await createUser()).id)
    const reply = (
      (await postProfile(cookie, { intent: 'profile', realName: '李'.repeat(21), phone: '13912345678', birthDate: '2001-02-30' }))
        .body as ProfileReply
    ).result
    expect(reply.error.realName).toEqual(['真实姓名为 2–20 个字'])
    expect(reply.error.birthDate).toEqual(['出生日期无效'])
  })

  test('a qualification is added as 待审核 and a background check needs a profile first', async () => {
    const volunteer = await createUser()
    const cookie = signedInCookie(volunteer.id)
    const early = await postProfile(cookie, { intent: 'background', evidence: '无犯罪记录证明，某市公安局，2026-01-05' })
    expect(early.status).toBe(409)
    expect((early.body as ProfileReply).result.error['']).toEqual(['请先填写并保存实名资料，再提交背景核验材料'])

    const missingKind = await postProfile(cookie, { intent: 'qualification', kind: '', evidence: '教师资格证' })
    expect((missingKind.body as ProfileReply).result.error.kind).toEqual(['请选择资质类别'])
    expect(
      (
        await postProfile(cookie, {
          intent: 'qualification',
          kind: 'special_education',
          evidence: '特殊教育教师资格证 2019-0001，滨州市教育局',
        })
      ).status,
    ).toBe(302)
    expect(getProfile(volunteer.id).qualifications).toMatchObject([{ kind: 'special_education', status: 'pending' }])
  })
})

describe('what a home may see', () => {
  test('a home cannot see a volunteer who never booked with it', async () => {
    const a = await homeWithStaff('甲福利院')
    const b = await homeWithStaff('乙福利院')
    const { volunteer } = await volunteerWhoBooked(a.home.id, '王实名')

    const own = await run(() =>
      reviewLoader({
        request: getRequest(`/staff/${a.home.slug}/volunteers/${volunteer.id}`, a.cookie),
        params: { slug: a.home.slug, userId: String(volunteer.id) },
        context: context(),
      }),
    )
    expect(own.status).toBe(200)
    expect((own.body as { volunteer: { profile: { realName: string } } }).volunteer.profile.realName).toBe('王实名')

    const other = await run(() =>
      reviewLoader({
        request: getRequest(`/staff/${b.home.slug}/volunteers/${volunteer.id}`, b.cookie),
        params: { slug: b.home.slug, userId: String(volunteer.id) },
        context: context(),
      }),
    )
    expect(other.status).toBe(404)
    const otherList = await run(() =>
      listLoader({ request: getRequest(`/staff/${b.home.slug}/volunteers`, b.cookie), params: { slug: b.home.slug }, context: context() }),
    )
    expect(JSON.stringify(otherList.body)).not.toContain('王实名')
    // Nor can it act on them.
    expect((await review(b.home.slug, volunteer.id, b.cookie, { intent: 'verify-background' })).status).toBe(404)
    // And staff of B cannot use A's console to look.
    const viaA = await run(() =>
      reviewLoader({
        request: getRequest(`/staff/${a.home.slug}/volunteers/${volunteer.id}`, b.cookie),
        params: { slug: a.home.slug, userId: String(volunteer.id) },
        context: context(),
      }),
    )
    expect(viaA.status).toBe(404)
  })

  test('the list shows the volunteers who booked here, and 待审核 filters to those awaiting review', async () => {
    const a = await homeWithStaff()
    const { volunteer: pending } = await volunteerWhoBooked(a.home.id, '赵待审')
    const { volunteer: done } = await volunteerWhoBooked(a.home.id, '钱已核')
    expect((await review(a.home.slug, done.id, a.cookie, { intent: 'verify-background' })).status).toBe(200)

    const all = listVolunteersOfHome(a.home.id)
    expect(all.map((v) => v.realName).sort()).toEqual(['赵待审', '钱已核'].sort())
    const waiting = listVolunteersOfHome(a.home.id, { filter: 'pending' })
    expect(waiting.map((v) => v.userId)).toEqual([pending.id])
    expect(all.find((v) => v.userId === done.id)?.background).toBe('verified')
  })
})

describe('verification', () => {
  test('staff verify a background check: recorded with who, when and which home, audited, the volunteer told, and a close-contact slot accepts them', async () => {
    testClock.freeze(T0)
    const a = await homeWithStaff('滨州市福利院')
    const { volunteer } = await volunteerWhoBooked(a.home.id)
    const slotDay = new Date(T0.getTime() + 30 * DAY)
    expect(missingRequirements(volunteer.id, closeContactSlot(slotDay)).map((m) => m.key)).toEqual(['background_check'])

    const res = await review(a.home.slug, volunteer.id, a.cookie, { intent: 'verify-background', expiresOn: '2027-03-01' })
    expect(res.status).toBe(200)
    expect((res.body as FormReply).message).toBe('背景核验已通过，已通知志愿者')

    const profile = db.select().from(volunteerProfiles).where(eq(volunteerProfiles.userId, volunteer.id)).get()!
    expect(profile.backgroundCheckStatus).toBe('verified')
    expect(profile.backgroundCheckVerifiedBy).toBe(a.staff.id)
    expect(profile.backgroundCheckInstitutionId).toBe(a.home.id)
    expect(profile.backgroundCheckVerifiedAt).toEqual(T0)
    // Valid through 2027-03-01 in Shanghai: until the last millisecond before 2027-03-01 16:00 UTC.
    expect(profile.backgroundCheckExpiresAt).toEqual(new Date('2027-03-01T15:59:59.999Z'))

    const audit = lastAudit(a.home.id)!
    expect(audit).toMatchObject({
      action: 'volunteer.background_verify',
      actorId: a.staff.id,
      entityType: 'volunteer_profile',
      entityId: String(volunteer.id),
    })
    const [notice] = notices(volunteer.id, 'volunteer.background.verified')
    expect(notice?.body).toContain('滨州市福利院已核验您的背景核验材料，有效期至 2027/03/01')
    expect(missingRequirements(volunteer.id, closeContactSlot(slotDay))).toEqual([])

    const page = await run(() =>
      profileLoader({ request: getRequest('/me/volunteer', signedInCookie(volunteer.id)), params: {}, context: context() }),
    )
    expect((page.body as { background: { state: string; verifiedByHome: string } }).background).toMatchObject({
      state: 'verified',
      verifiedByHome: '滨州市福利院',
    })
  })

  test('a rejection needs a reason, which the volunteer receives; a second review of the same evidence is refused', async () => {
    const a = await homeWithStaff()
    const { volunteer } = await volunteerWhoBooked(a.home.id)
    const blank = await review(a.home.slug, volunteer.id, a.cookie, { intent: 'reject-background', note: ' ' })
    expect(blank.status).toBe(400)
    expect((blank.body as StaffReply).result?.error?.note).toEqual(['请填写未通过的原因，志愿者会收到这段说明'])

    const res = await review(a.home.slug, volunteer.id, a.cookie, { intent: 'reject-background', note: '证明已超过三个月，请重新开具' })
    expect(res.status).toBe(200)
    expect(getProfile(volunteer.id).background).toMatchObject({ state: 'rejected', note: '证明已超过三个月，请重新开具' })
    expect(lastAudit(a.home.id)).toMatchObject({ action: 'volunteer.background_reject' })
    expect(notices(volunteer.id, 'volunteer.background.rejected')[0]?.body).toContain('证明已超过三个月，请重新开具')
    expect(missingRequirements(volunteer.id, closeContactSlot(new Date(Date.now() + DAY)))[0]?.message).toContain(
      '您的背景核验未通过，请联系机构',
    )

    const again = await review(a.home.slug, volunteer.id, a.cookie, { intent: 'verify-background' })
    expect(again.status).toBe(409)
    expect((again.body as FormReply).message).toBe('没有待审核的背景核验材料')
  })

  test('staff verify one qualification and reject another with a note', async () => {
    const a = await homeWithStaff()
    const { volunteer, cookie } = await volunteerWhoBooked(a.home.id)
    await postProfile(cookie, { intent: 'qualification', kind: 'rehabilitation', evidence: '康复治疗师资格证 KF-2020-88' })
    await postProfile(cookie, { intent: 'qualification', kind: 'psychology', evidence: '心理咨询培训结业证' })
    const quals = db.select().from(volunteerQualifications).where(eq(volunteerQualifications.userId, volunteer.id)).all()
    const rehab = quals.find((q) => q.kind === 'rehabilitation')!
    const psych = quals.find((q) => q.kind === 'psychology')!

    expect(
      (await review(a.home.slug, volunteer.id, a.cookie, { intent: 'verify-qualification', qualificationId: String(rehab.id) })).status,
    ).toBe(200)
    expect(
      (
        await review(a.home.slug, volunteer.id, a.cookie, {
          intent: 'reject-qualification',
          qualificationId: String(psych.id),
          note: '请提供国家职业资格证书',
        })
      ).status,
    ).toBe(200)

    const after = getProfile(volunteer.id).qualifications
    expect(after.find((q) => q.kind === 'rehabilitation')).toMatchObject({ status: 'verified', verifiedByHome: '测试福利院' })
    expect(after.find((q) => q.kind === 'psychology')).toMatchObject({ status: 'rejected', note: '请提供国家职业资格证书' })
    expect(notices(volunteer.id, 'volunteer.qualification.verified')).toHaveLength(1)
    expect(notices(volunteer.id, 'volunteer.qualification.rejected')[0]?.body).toContain('请提供国家职业资格证书')
    const actions = db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.institutionId, a.home.id))
      .all()
      .map((r) => r.action)
    expect(actions).toEqual(expect.arrayContaining(['volunteer.qualification_verify', 'volunteer.qualification_reject']))

    const slot = {
      startsAt: new Date(Date.now() + DAY),
      minAge: null,
      requiresBackgroundCheck: false,
      requiredQualifications: ['rehabilitation', 'psychology'] as const,
    }
    expect(
      missingRequirements(volunteer.id, { ...slot, requiredQualifications: [...slot.requiredQualifications] }).map((m) => m.key),
    ).toEqual(['qualification:psychology'])
  })

  test('a background check expires: after the default year a close-contact slot says so and the staff list shows 已过期', async () => {
    testClock.freeze(T0)
    const a = await homeWithStaff()
    const { volunteer } = await volunteerWhoBooked(a.home.id)
    expect((await review(a.home.slug, volunteer.id, a.cookie, { intent: 'verify-background', expiresOn: '' })).status).toBe(200)
    const expiresAt = getProfile(volunteer.id).background.expiresAt!
    expect(expiresAt).toEqual(new Date(T0.getTime() + 365 * DAY))

    const beforeExpiry = new Date(expiresAt.getTime() - DAY)
    expect(missingRequirements(volunteer.id, closeContactSlot(beforeExpiry))).toEqual([])
    // A slot after the expiry is refused even today.
    expect(missingRequirements(volunteer.id, closeContactSlot(new Date(expiresAt.getTime() + DAY)))[0]?.message).toContain('过期')

    testClock.advance(366 * DAY)
    expect(getProfile(volunteer.id).background.state).toBe('expired')
    expect(listVolunteersOfHome(a.home.id)[0]?.background).toBe('expired')
  })

  test('an expiry date in the past is refused next to the field', async () => {
    testClock.freeze(T0)
    const a = await homeWithStaff()
    const { volunteer } = await volunteerWhoBooked(a.home.id)
    const res = await review(a.home.slug, volunteer.id, a.cookie, { intent: 'verify-background', expiresOn: '2026-03-02' })
    expect(res.status).toBe(400)
    expect((res.body as StaffReply).result?.error?.expiresOn).toEqual(['有效期须晚于今天'])
    expect(getProfile(volunteer.id).background.state).toBe('pending')
  })

  test('a new real name sends a verified background check back to 待审核', async () => {
    const a = await homeWithStaff()
    const { volunteer, cookie } = await volunteerWhoBooked(a.home.id, '孙原名')
    await review(a.home.slug, volunteer.id, a.cookie, { intent: 'verify-background' })
    expect(getProfile(volunteer.id).background.state).toBe('verified')
    await postProfile(cookie, { intent: 'profile', realName: '孙原名', phone: '13700001111', birthDate: '1998-04-12' })
    expect(getProfile(volunteer.id).background.state).toBe('verified')
    await postProfile(cookie, { intent: 'profile', realName: '孙新名', phone: '13700001111', birthDate: '1998-04-12' })
    expect(getProfile(volunteer.id).background).toMatchObject({ state: 'pending', verifiedByHome: null })
  })
})
