import { and, desc, eq } from 'drizzle-orm'
import { afterEach, describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import {
  auditLog,
  children,
  families,
  needs,
  notifications,
  pairingMembers,
  pairings,
  programmeApplications,
  programmes,
  visits,
  volunteerProfiles,
  volunteerQualifications,
  type QualificationKind,
} from '~db/schema'
import { createFamily } from '~/programmes/families.server'
import { saveStudyNeed, saveTutoringOffer, suggestTutors } from '~/programmes/matching.server'
import { getPairing } from '~/programmes/pairings.server'
import { action as publicAction, loader as publicLoader } from '~/routes/programmes.$slug'
import { action as programmeAction } from '~/routes/staff.$slug.programmes.$programmeId'
import { action as pairingAction, loader as pairingLoader } from '~/routes/staff.$slug.pairings.$pairingId'
import { action as newPairingAction, loader as newPairingLoader } from '~/routes/staff.$slug.pairings.new'
import { loader as tutoringLoader } from '~/routes/staff.$slug.tutoring'
import { action as visitsAction, loader as visitsLoader } from '~/routes/staff.$slug.visits'
import { testClock } from '~/utils/clock.server'
import { context, createTestInstitution, createUser, formRequest, getRequest, run, signedInCookie, unique } from './helpers'
import * as helpers from './helpers'

type Reply = { result: { error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> } }
/** The form-level message of a Conform reply (a refusal that names no field). */
const formError = (body: unknown) => (body as Reply).result.error?.['']?.join('；')
const fieldErrors = (body: unknown) => (body as Reply).result.error ?? {}

afterEach(() => testClock.reset())

const homeWithStaff = (name = '测试社工中心') => helpers.homeWithStaff({ name })

function insertProgramme(
  institutionId: number,
  fields: {
    kind?: 'companionship' | 'tutoring'
    requiredQualifications?: QualificationKind[]
    requiresBackgroundCheck?: boolean
    plannedVisits?: number
  } = {},
) {
  return db
    .insert(programmes)
    .values({
      institutionId,
      slug: unique('prog-'),
      name: fields.kind === 'tutoring' ? '学业辅导' : '焕新乐园',
      kind: fields.kind ?? 'companionship',
      plannedVisits: fields.plannedVisits ?? 12,
      requiredQualifications: fields.requiredQualifications ?? [],
      requiresBackgroundCheck: fields.requiresBackgroundCheck ?? true,
    })
    .returning()
    .get()
}

/** A volunteer with a real-name profile; background check and qualifications as given. */
async function volunteer(
  realName: string,
  opts: { background?: 'verified' | 'pending' | 'none'; qualifications?: QualificationKind[]; profile?: boolean } = {},
) {
  const user = await createUser({ displayName: realName })
  if (opts.profile !== false) {
    db.insert(volunteerProfiles)
      .values({
        userId: user.id,
        realName,
        phone: '13912345678',
        birthDate: '1995-01-01',
        backgroundCheckStatus: opts.background ?? 'verified',
      })
      .run()
  }
  for (const kind of opts.qualifications ?? []) {
    db.insert(volunteerQualifications).values({ userId: user.id, kind, evidence: '证书编号 123', status: 'verified' }).run()
  }
  return user
}

/** Their applications to the programme were accepted: only such volunteers may be paired. */
function accepted(programmeId: number, ...users: Array<{ id: number }>) {
  for (const u of users) db.insert(programmeApplications).values({ programmeId, userId: u.id, status: 'accepted' }).run()
}

function insertFamily(institutionId: number, alias = '小雨家') {
  return db
    .insert(families)
    .values({ institutionId, alias, householdDescription: '祖孙二人', address: '东昌府区某路 1 号', contacts: '奶奶 13800000000' })
    .returning()
    .get()
}

function insertChild(institutionId: number, pseudonym = '小禾', realName = '张测试') {
  return db.insert(children).values({ institutionId, realName, birthDate: '2015-05-01', gender: 'female', pseudonym }).returning().get()
}

function postNewPairing(slug: string, cookie: string, fields: Record<string, string>, memberIds: number[] = []) {
  const body = new URLSearchParams(fields)
  for (const id of memberIds) body.append('memberUserIds', String(id))
  const request = new Request(`http://localhost:3000/staff/${slug}/pairings/new`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
  })
  return run(() => newPairingAction({ request, params: { slug }, context: context() }))
}

function pairingPost(slug: string, pairingId: number, cookie: string, fields: Record<string, string>) {
  return run(() =>
    pairingAction({
      request: formRequest(`/staff/${slug}/pairings/${pairingId}`, fields, { cookie }),
      params: { slug, pairingId: String(pairingId) },
      context: context(),
    }),
  )
}

function latestPairing(institutionId: number) {
  return db.select().from(pairings).where(eq(pairings.institutionId, institutionId)).orderBy(desc(pairings.id)).get()
}

/** A programme of this home whose accepted applicant leads a new pairing, made through the staff form. */
async function pairWithLead(home: { id: number; slug: string }, cookie: string, leadName: string) {
  const programme = insertProgramme(home.id)
  const lead = await volunteer(leadName)
  accepted(programme.id, lead)
  await postNewPairing(home.slug, cookie, {
    programmeId: String(programme.id),
    familyId: String(insertFamily(home.id).id),
    startDate: '2026-03-01',
    leadUserId: String(lead.id),
  })
  return { programme, lead, pairing: latestPairing(home.id)! }
}

describe('pairing a volunteer team with a family', () => {
  test('only verified volunteers with the programme’s qualifications can be paired, and staff see exactly who lacks what', async () => {
    const { home, cookie } = await homeWithStaff()
    const programme = insertProgramme(home.id, { requiredQualifications: ['teacher_certificate'] })
    const family = insertFamily(home.id)
    const ready = await volunteer('王老师', { qualifications: ['teacher_certificate'] })
    const noCertificate = await volunteer('李同学')
    const noProfile = await volunteer('赵路人', { profile: false })
    accepted(programme.id, ready, noCertificate, noProfile)

    const refused = await postNewPairing(
      home.slug,
      cookie,
      { programmeId: String(programme.id), familyId: String(family.id), startDate: '2026-03-01', leadUserId: String(ready.id) },
      [noCertificate.id, noProfile.id],
    )
    expect(refused.status).toBe(400)
    expect(formError(refused.body)).toBe(
      '以下志愿者尚不符合项目要求：李同学：此活动需要已核验的「教师资格」资质：请在志愿者资料中添加并提交证明\n' +
        '赵路人：此活动需要实名志愿者资料：请先填写真实姓名、手机号和出生日期',
    )
    expect(latestPairing(home.id)).toBeUndefined()

    const created = await postNewPairing(home.slug, cookie, {
      programmeId: String(programme.id),
      familyId: String(family.id),
      startDate: '2026-03-01',
      leadUserId: String(ready.id),
    })
    expect(created.status).toBe(302)
    const pairing = latestPairing(home.id)
    expect(pairing).toMatchObject({ familyId: family.id, plannedVisits: 12, status: 'active' })
    expect(db.select().from(pairingMembers).where(eq(pairingMembers.pairingId, pairing!.id)).all()).toEqual([
      { pairingId: pairing!.id, userId: ready.id, role: 'lead' },
    ])
  })

  test('a volunteer whose background check is still pending is refused', async () => {
    const { home, cookie } = await homeWithStaff()
    const programme = insertProgramme(home.id)
    const pending = await volunteer('孙待审', { background: 'pending' })
    accepted(programme.id, pending)
    const reply = await postNewPairing(home.slug, cookie, {
      programmeId: String(programme.id),
      familyId: String(insertFamily(home.id).id),
      startDate: '2026-03-01',
      leadUserId: String(pending.id),
    })
    expect(formError(reply.body)).toBe(
      '以下志愿者尚不符合项目要求：孙待审：此活动需与儿童密切接触，须通过背景核验：您的背景核验正在等待机构审核',
    )
  })

  test('a team has 1–3 volunteers with exactly one lead', async () => {
    const { home, cookie } = await homeWithStaff()
    const programme = insertProgramme(home.id)
    const family = insertFamily(home.id)
    const team = await Promise.all(['甲', '乙', '丙', '丁'].map((n) => volunteer(`志愿者${n}`)))
    accepted(programme.id, ...team)
    const base = { programmeId: String(programme.id), familyId: String(family.id), startDate: '2026-03-01' }

    const four = await postNewPairing(home.slug, cookie, { ...base, leadUserId: String(team[0]!.id) }, [
      team[1]!.id,
      team[2]!.id,
      team[3]!.id,
    ])
    expect(formError(four.body)).toBe('志愿者团队为 1–3 人（含一名带队志愿者）')
    const leadTwice = await postNewPairing(home.slug, cookie, { ...base, leadUserId: String(team[0]!.id) }, [team[0]!.id])
    expect(formError(leadTwice.body)).toBe('同一名志愿者不能重复加入团队')
    const noLead = await postNewPairing(home.slug, cookie, base, [team[1]!.id])
    expect(noLead.status).toBe(400)
    expect(fieldErrors(noLead.body).leadUserId).toEqual(['请选择带队志愿者'])

    const three = await postNewPairing(home.slug, cookie, { ...base, leadUserId: String(team[0]!.id) }, [team[1]!.id, team[2]!.id])
    expect(three.status).toBe(302)
    const members = db
      .select()
      .from(pairingMembers)
      .where(eq(pairingMembers.pairingId, latestPairing(home.id)!.id))
      .all()
    expect(members.filter((m) => m.role === 'lead').map((m) => m.userId)).toEqual([team[0]!.id])
    expect(members).toHaveLength(3)
  })

  test('staff of another home get 404 and cannot pair a family of another home', async () => {
    const { home, cookie } = await homeWithStaff()
    const other = await homeWithStaff('别家福利院')
    const { programme, lead, pairing } = await pairWithLead(home, cookie, '钱队长')

    const peek = await run(() =>
      pairingLoader({
        request: getRequest(`/staff/${home.slug}/pairings/${pairing.id}`, other.cookie),
        params: { slug: home.slug, pairingId: String(pairing.id) },
        context: context(),
      }),
    )
    expect(peek.status).toBe(404)
    const viaOwnConsole = await run(() =>
      pairingLoader({
        request: getRequest(`/staff/${other.home.slug}/pairings/${pairing.id}`, other.cookie),
        params: { slug: other.home.slug, pairingId: String(pairing.id) },
        context: context(),
      }),
    )
    expect(viaOwnConsole.status).toBe(404)

    const foreignFamily = insertFamily(other.home.id, '小林家')
    const reply = await postNewPairing(home.slug, cookie, {
      programmeId: String(programme.id),
      familyId: String(foreignFamily.id),
      startDate: '2026-03-01',
      leadUserId: String(lead.id),
    })
    expect(formError(reply.body)).toBe('找不到该家庭')
    const foreignProgramme = await postNewPairing(other.home.slug, other.cookie, {
      programmeId: String(programme.id),
      familyId: String(foreignFamily.id),
      startDate: '2026-03-01',
      leadUserId: String(lead.id),
    })
    expect(formError(foreignProgramme.body)).toBe('找不到该项目')
  })

  test('the new-pairing page shows accepted applicants and why one is not yet eligible', async () => {
    const { home, cookie } = await homeWithStaff()
    const programme = insertProgramme(home.id)
    const ok = await volunteer('周可以')
    const notYet = await volunteer('吴未审', { background: 'none' })
    for (const u of [ok, notYet])
      db.insert(programmeApplications).values({ programmeId: programme.id, userId: u.id, status: 'accepted' }).run()
    const page = await run(() =>
      newPairingLoader({
        request: getRequest(`/staff/${home.slug}/pairings/new?programme=${programme.id}`, cookie),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    const volunteers = (page.body as { volunteers: Array<{ name: string; problems: string[] }> }).volunteers
    expect(volunteers.find((v) => v.name === '周可以')?.problems).toEqual([])
    expect(volunteers.find((v) => v.name === '吴未审')?.problems).toEqual([
      '此活动需与儿童密切接触，须通过背景核验：请在志愿者资料中提交无犯罪记录等背景核验材料，由机构核验',
    ])
  })
})

describe('renovation, linked needs and status', () => {
  async function activePairing() {
    const ctx = await homeWithStaff()
    const programme = insertProgramme(ctx.home.id)
    const lead = await volunteer('郑带队')
    accepted(programme.id, lead)
    await postNewPairing(ctx.home.slug, ctx.cookie, {
      programmeId: String(programme.id),
      familyId: String(insertFamily(ctx.home.id).id),
      startDate: '2026-03-01',
      leadUserId: String(lead.id),
    })
    return { ...ctx, pairing: latestPairing(ctx.home.id)! }
  }

  test('a companionship pairing starts with the four renovation steps, each dated when done', async () => {
    const { home, cookie, pairing } = await activePairing()
    expect(pairing.renovation).toEqual([
      { step: '方案确定', doneOn: null },
      { step: '采购', doneOn: null },
      { step: '施工', doneOn: null },
      { step: '完成', doneOn: null },
    ])
    expect(
      (await pairingPost(home.slug, pairing.id, cookie, { intent: 'renovation', step: '方案确定', doneOn: '2026-03-10' })).status,
    ).toBe(302)
    expect(
      formError((await pairingPost(home.slug, pairing.id, cookie, { intent: 'renovation', step: '拆墙', doneOn: '2026-03-10' })).body),
    ).toBe('没有这个改造步骤')
    expect(latestPairing(home.id)!.renovation[0]).toEqual({ step: '方案确定', doneOn: '2026-03-10' })
    const audit = db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.institutionId, home.id), eq(auditLog.action, 'pairing.renovation')))
      .all()
    expect(audit).toHaveLength(1)
  })

  test('a tutoring pairing with a child has no renovation checklist', async () => {
    const { home, cookie } = await homeWithStaff()
    const programme = insertProgramme(home.id, { kind: 'tutoring' })
    const tutor = await volunteer('冯老师')
    accepted(programme.id, tutor)
    const child = insertChild(home.id)
    expect(
      (
        await postNewPairing(home.slug, cookie, {
          programmeId: String(programme.id),
          childId: String(child.id),
          startDate: '2026-03-01',
          leadUserId: String(tutor.id),
        })
      ).status,
    ).toBe(302)
    expect(latestPairing(home.id)).toMatchObject({ childId: child.id, familyId: null, renovation: [] })
    const both = await postNewPairing(home.slug, cookie, {
      programmeId: String(programme.id),
      childId: String(child.id),
      familyId: String(insertFamily(home.id).id),
      startDate: '2026-03-01',
      leadUserId: String(tutor.id),
    })
    expect(formError(both.body)).toBe('请选择一个家庭或一名儿童（二选一）')
  })

  test('only needs of the same home can be linked to a renovation, and their progress shows', async () => {
    const { home, cookie, pairing } = await activePairing()
    const other = createTestInstitution('别家')
    const own = db
      .insert(needs)
      .values({ institutionId: home.id, title: '书桌', category: 'study', unit: '张', quantityNeeded: 2 })
      .returning()
      .get()
    const foreign = db
      .insert(needs)
      .values({ institutionId: other.id, title: '衣柜', category: 'study', unit: '个', quantityNeeded: 1 })
      .returning()
      .get()
    expect(formError((await pairingPost(home.slug, pairing.id, cookie, { intent: 'link-need', needId: String(foreign.id) })).body)).toBe(
      '只能关联本机构的物资需求',
    )
    expect((await pairingPost(home.slug, pairing.id, cookie, { intent: 'link-need', needId: String(own.id) })).status).toBe(302)
    const detail = getPairing(home.id, pairing.id)!
    expect(detail.linkedNeeds).toHaveLength(1)
    expect(detail.linkedNeeds[0]).toMatchObject({ title: '书桌', progress: { needed: 2, received: 0 } })
    expect((await pairingPost(home.slug, pairing.id, cookie, { intent: 'unlink-need', needId: String(own.id) })).status).toBe(302)
    expect(getPairing(home.id, pairing.id)!.linkedNeeds).toEqual([])
  })

  test('status changes are audited, and ending early needs a reason', async () => {
    const { home, cookie, pairing } = await activePairing()
    expect(formError((await pairingPost(home.slug, pairing.id, cookie, { intent: 'status', status: 'ended', reason: '' })).body)).toBe(
      '提前结束须填写原因',
    )
    expect((await pairingPost(home.slug, pairing.id, cookie, { intent: 'status', status: 'paused', reason: '' })).status).toBe(302)
    expect((await pairingPost(home.slug, pairing.id, cookie, { intent: 'status', status: 'ended', reason: '家庭搬迁' })).status).toBe(302)
    expect(latestPairing(home.id)).toMatchObject({ status: 'ended', endReason: '家庭搬迁' })
    const audits = db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.institutionId, home.id), eq(auditLog.action, 'pairing.status')))
      .orderBy(auditLog.id)
      .all()
    expect(audits.map((a) => a.summary)).toEqual([
      { from: 'active', to: 'paused' },
      { from: 'paused', to: 'ended', reason: '家庭搬迁' },
    ])
    expect(formError((await pairingPost(home.slug, pairing.id, cookie, { intent: 'status', status: 'active', reason: '' })).body)).toBe(
      '已结束的结对不能再更改状态',
    )
  })
})

describe('applications and the public programme page', () => {
  test('a volunteer applies once, staff accept, and the volunteer is told', async () => {
    const { home, cookie } = await homeWithStaff()
    const programme = insertProgramme(home.id)
    const applicant = await createUser({ displayName: '小陈' })
    const applicantCookie = signedInCookie(applicant.id)
    const apply = (fields: Record<string, string>, c?: string) =>
      run(() =>
        publicAction({
          request: formRequest(`/programmes/${programme.slug}`, fields, { cookie: c }),
          params: { slug: programme.slug },
          context: context(),
        }),
      )

    const anonymous = await apply({ motivation: '想陪伴孩子成长', availability: '周末' })
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toContain('/login')
    const tooShort = await apply({ motivation: '想', availability: '周末' }, applicantCookie)
    expect(fieldErrors(tooShort.body).motivation).toEqual(['请至少写 5 个字'])
    expect((tooShort.body as Reply).result.initialValue).toMatchObject({ motivation: '想', availability: '周末' })
    expect((await apply({ motivation: '想陪伴孩子成长', availability: '每月第二个周六' }, applicantCookie)).status).toBe(302)
    expect(formError((await apply({ motivation: '想陪伴孩子成长', availability: '每月第二个周六' }, applicantCookie)).body)).toBe(
      '您已提交申请，请等待机构审核',
    )

    const application = db.select().from(programmeApplications).where(eq(programmeApplications.userId, applicant.id)).get()!
    const accept = await run(() =>
      programmeAction({
        request: formRequest(
          `/staff/${home.slug}/programmes/${programme.id}`,
          { intent: 'accept', applicationId: String(application.id) },
          { cookie },
        ),
        params: { slug: home.slug, programmeId: String(programme.id) },
        context: context(),
      }),
    )
    expect(accept.status).toBe(302)
    expect(db.select().from(programmeApplications).where(eq(programmeApplications.id, application.id)).get()?.status).toBe('accepted')
    expect(
      db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, applicant.id), eq(notifications.template, 'programme.application.accepted')))
        .all(),
    ).toHaveLength(1)
    const again = await run(() =>
      programmeAction({
        request: formRequest(
          `/staff/${home.slug}/programmes/${programme.id}`,
          { intent: 'decline', applicationId: String(application.id) },
          { cookie },
        ),
        params: { slug: home.slug, programmeId: String(programme.id) },
        context: context(),
      }),
    )
    expect(formError(again.body)).toBe('该申请已处理')
    const page = await run(() =>
      publicLoader({
        request: getRequest(`/programmes/${programme.slug}`, applicantCookie),
        params: { slug: programme.slug },
        context: context(),
      }),
    )
    expect((page.body as { applicationStatus: string }).applicationStatus).toBe('accepted')
  })

  test('the public page shows aggregates only — never an alias, household, address, contact or child name', async () => {
    testClock.freeze('2026-06-01T04:00:00Z')
    const { home, cookie, actor } = await homeWithStaff()
    const programme = insertProgramme(home.id)
    const child = insertChild(home.id, '化名甲秘', '欧阳秘密名')
    const family = createFamily(actor, home.id, {
      alias: '秘家别名X',
      householdDescription: '家境秘密描述Y',
      address: '秘密地址Z路',
      contacts: '秘密电话13911112222',
      childIds: [child.id],
    })
    if (!family.ok) throw new Error(family.message)
    const [a, b] = [await volunteer('公开甲'), await volunteer('公开乙')]
    accepted(programme.id, a, b)
    await postNewPairing(
      home.slug,
      cookie,
      { programmeId: String(programme.id), familyId: String(family.family.id), startDate: '2026-03-01', leadUserId: String(a.id) },
      [b.id],
    )
    const pairing = latestPairing(home.id)!
    const visit = (visitedOn: string, status: 'confirmed' | 'logged') =>
      db
        .insert(visits)
        .values({
          pairingId: pairing.id,
          visitedOn,
          durationMinutes: 90,
          attendeeIds: [a.id],
          activities: ['homework'],
          note: '私密走访备注W',
          followUp: '私密跟进V',
          status,
        })
        .run()
    visit('2026-04-01', 'confirmed')
    visit('2026-05-01', 'confirmed')
    visit('2026-05-20', 'logged')
    visit('2025-12-20', 'confirmed')

    const page = await run(() =>
      publicLoader({ request: getRequest(`/programmes/${programme.slug}`), params: { slug: programme.slug }, context: context() }),
    )
    const body = page.body as { programme: { aggregates: unknown } }
    expect(body.programme.aggregates).toEqual({ familiesPaired: 1, visitsThisYear: 2, volunteers: 2 })
    const json = JSON.stringify(page.body)
    for (const secret of [
      '秘家别名X',
      '家境秘密描述Y',
      '秘密地址Z路',
      '13911112222',
      '化名甲秘',
      '欧阳秘密名',
      '私密走访备注W',
      '私密跟进V',
      '公开甲',
      '公开乙',
    ]) {
      expect(json).not.toContain(secret)
    }
  })
})

describe('tutoring matching', () => {
  test('suggestions rank by subject, then grade, then shared time, and only eligible tutors appear', async () => {
    const { home, actor } = await homeWithStaff()
    const programme = insertProgramme(home.id, { kind: 'tutoring', requiredQualifications: ['teacher_certificate'] })
    const child = insertChild(home.id)
    expect(
      saveStudyNeed(actor, home.id, child.id, { subjects: ['数学', '英语'], grade: 5, availability: ['sat-am', 'sat-pm', 'sun-pm'] }),
    ).toEqual({ ok: true })

    const bothSubjects = await volunteer('两科老师', { qualifications: ['teacher_certificate'] })
    const mathGradeFit = await volunteer('数学对口', { qualifications: ['teacher_certificate'] })
    const mathManyTimes = await volunteer('数学时间多', { qualifications: ['teacher_certificate'] })
    const uncertified = await volunteer('没证书', {})
    const noOverlap = await volunteer('只教美术', { qualifications: ['teacher_certificate'] })
    saveTutoringOffer(bothSubjects.id, { subjects: ['数学', '英语'], grades: [9], availability: ['mon-pm'] })
    saveTutoringOffer(mathGradeFit.id, { subjects: ['数学'], grades: [4, 5, 6], availability: ['sat-am'] })
    saveTutoringOffer(mathManyTimes.id, { subjects: ['数学'], grades: [7], availability: ['sat-am', 'sat-pm', 'sun-pm'] })
    saveTutoringOffer(uncertified.id, { subjects: ['数学', '英语'], grades: [5], availability: ['sat-am', 'sat-pm', 'sun-pm'] })
    saveTutoringOffer(noOverlap.id, { subjects: ['美术'], grades: [5], availability: ['sat-am'] })

    // They applied to this home's tutoring programme: the home knows them by name.
    for (const u of [bothSubjects, mathGradeFit, mathManyTimes, uncertified, noOverlap])
      db.insert(programmeApplications).values({ programmeId: programme.id, userId: u.id }).run()
    const suggestions = suggestTutors(home.id, child.id).tutors
    expect(suggestions.map((s) => s.name)).toEqual(['两科老师', '数学对口', '数学时间多'])
    expect(suggestions[0]).toMatchObject({ subjectOverlap: ['数学', '英语'], gradeFit: false, availabilityOverlap: [] })
    expect(suggestions[1]).toMatchObject({ subjectOverlap: ['数学'], gradeFit: true, availabilityOverlap: ['sat-am'] })
    expect(suggestions[2]).toMatchObject({ subjectOverlap: ['数学'], gradeFit: false, availabilityOverlap: ['sat-am', 'sat-pm', 'sun-pm'] })
    const other = await homeWithStaff('别家')
    expect(suggestTutors(other.home.id, child.id)).toEqual({ tutors: [], othersEligible: 0, invitePath: null })
  })
})

describe('another home’s volunteers stay private (rule 7)', () => {
  /** A volunteer known only to `home`: applied to its programme; background check rejected there. */
  async function volunteerOfOtherHome(homeId: number, realName: string) {
    const user = await volunteer(realName, { background: 'none' })
    db.update(volunteerProfiles)
      .set({ backgroundCheckStatus: 'rejected', backgroundCheckNote: '有不良记录' })
      .where(eq(volunteerProfiles.userId, user.id))
      .run()
    db.insert(programmeApplications)
      .values({ programmeId: insertProgramme(homeId).id, userId: user.id, status: 'accepted' })
      .run()
    return user
  }

  test('staff cannot pair, or learn anything about, someone who never applied to this programme; a pending applicant is refused and the accepted one is paired', async () => {
    const { home, cookie } = await homeWithStaff()
    const other = await homeWithStaff('别家福利院')
    const programme = insertProgramme(home.id)
    const family = insertFamily(home.id)
    const stranger = await volunteerOfOtherHome(other.home.id, '欧阳秘名')
    const base = { programmeId: String(programme.id), familyId: String(family.id), startDate: '2026-03-01' }

    for (const attempt of [
      await postNewPairing(home.slug, cookie, { ...base, leadUserId: String(stranger.id) }),
      await postNewPairing(home.slug, cookie, { ...base, leadUserId: String((await volunteer('本院队长')).id) }, [stranger.id]),
    ]) {
      expect(attempt.status).toBe(400)
      const text = JSON.stringify(attempt.body)
      expect(formError(attempt.body)).toBe('只能从本项目已接受申请的志愿者中选择团队成员')
      for (const secret of ['欧阳秘名', '背景核验', '未通过', '不良记录']) expect(text).not.toContain(secret)
    }

    const pendingApplicant = await volunteer('孙申请中')
    db.insert(programmeApplications).values({ programmeId: programme.id, userId: pendingApplicant.id, status: 'pending' }).run()
    const pendingReply = await postNewPairing(home.slug, cookie, { ...base, leadUserId: String(pendingApplicant.id) })
    expect(formError(pendingReply.body)).toBe('只能从本项目已接受申请的志愿者中选择团队成员')
    expect(latestPairing(home.id)).toBeUndefined()

    const applicant = await volunteer('李已接受')
    accepted(programme.id, applicant)
    expect((await postNewPairing(home.slug, cookie, { ...base, leadUserId: String(applicant.id) })).status).toBe(302)
    expect(latestPairing(home.id)).toMatchObject({ familyId: family.id })
  })

  test('the substitute form refuses another home’s volunteer without naming them or their check', async () => {
    const { home, cookie } = await homeWithStaff()
    const other = await homeWithStaff('别家福利院')
    const { pairing } = await pairWithLead(home, cookie, '钱队长')
    const stranger = await volunteerOfOtherHome(other.home.id, '欧阳秘名')
    const verifiedStranger = await volunteer('上官核验')
    db.insert(programmeApplications)
      .values({ programmeId: insertProgramme(other.home.id).id, userId: verifiedStranger.id, status: 'accepted' })
      .run()

    for (const userId of [stranger.id, verifiedStranger.id, 999_999]) {
      const reply = await run(() =>
        visitsAction({
          request: formRequest(
            `/staff/${home.slug}/visits`,
            { intent: 'substitute', pairingId: String(pairing.id), userId: String(userId) },
            { cookie },
          ),
          params: { slug: home.slug },
          context: context(),
        }),
      )
      expect(reply.status).toBe(400)
      const text = JSON.stringify(reply.body)
      expect(text).toContain('只能从本机构的志愿者')
      for (const secret of ['欧阳秘名', '上官核验', '背景核验', '未通过', '不良记录']) expect(text).not.toContain(secret)
    }
    expect(db.select().from(pairings).where(eq(pairings.id, pairing.id)).get()?.substituteUserId).toBeNull()
    const dashboard = await run(() =>
      visitsLoader({ request: getRequest(`/staff/${home.slug}/visits`, cookie), params: { slug: home.slug }, context: context() }),
    )
    const text = JSON.stringify(dashboard.body)
    for (const secret of ['欧阳秘名', '上官核验']) expect(text).not.toContain(secret)
  })

  test('tutor suggestions name only this home’s own volunteers; other homes’ tutors are a count, never a name', async () => {
    const { home, actor, cookie } = await homeWithStaff()
    const other = await homeWithStaff('别家')
    const programme = insertProgramme(home.id, { kind: 'tutoring' })
    const child = insertChild(home.id)
    saveStudyNeed(actor, home.id, child.id, { subjects: ['数学'], grade: 5, availability: ['sat-am'] })
    const ours = await volunteer('本院数学老师')
    db.insert(programmeApplications).values({ programmeId: programme.id, userId: ours.id, status: 'pending' }).run()
    const theirs = await volunteer('别院秘密老师')
    db.insert(programmeApplications)
      .values({ programmeId: insertProgramme(other.home.id, { kind: 'tutoring' }).id, userId: theirs.id, status: 'accepted' })
      .run()
    const nobodys = await volunteer('无归属秘密老师')
    for (const u of [ours, theirs, nobodys]) saveTutoringOffer(u.id, { subjects: ['数学'], grades: [5], availability: ['sat-am'] })

    const suggestions = suggestTutors(home.id, child.id)
    expect(suggestions.tutors.map((t) => t.name)).toEqual(['本院数学老师'])
    expect(suggestions.othersEligible).toBeGreaterThanOrEqual(2) // other test files' tutors share this database
    expect(suggestions.invitePath).toBe(`/programmes/${programme.slug}`)

    const page = await run(() =>
      tutoringLoader({ request: getRequest(`/staff/${home.slug}/tutoring`, cookie), params: { slug: home.slug }, context: context() }),
    )
    expect(page.status).toBe(200)
    const text = JSON.stringify(page.body)
    expect(text).toContain('本院数学老师')
    for (const secret of ['别院秘密老师', '无归属秘密老师', `"userId":${theirs.id}`, `"userId":${nobodys.id}`])
      expect(text).not.toContain(secret)

    accepted(programme.id, ours)
    await postNewPairing(home.slug, cookie, {
      programmeId: String(programme.id),
      childId: String(child.id),
      startDate: '2026-03-01',
      leadUserId: String(ours.id),
    })
    const pairing = latestPairing(home.id)!
    const detail = await run(() =>
      pairingLoader({
        request: getRequest(`/staff/${home.slug}/pairings/${pairing.id}`, cookie),
        params: { slug: home.slug, pairingId: String(pairing.id) },
        context: context(),
      }),
    )
    const detailText = JSON.stringify(detail.body)
    for (const secret of ['别院秘密老师', '无归属秘密老师']) expect(detailText).not.toContain(secret)
  })
})

describe('eligibility lapses show on the pairing page', () => {
  test('a team member whose background check expired is marked with what lapsed', async () => {
    testClock.freeze('2026-03-01T02:00:00Z')
    const { home, cookie, staff } = await homeWithStaff()
    const programme = insertProgramme(home.id)
    const lead = await volunteer('钱队长')
    db.update(volunteerProfiles)
      .set({ backgroundCheckExpiresAt: new Date('2026-06-30T15:59:59Z') })
      .where(eq(volunteerProfiles.userId, lead.id))
      .run()
    accepted(programme.id, lead)
    await postNewPairing(home.slug, cookie, {
      programmeId: String(programme.id),
      familyId: String(insertFamily(home.id).id),
      startDate: '2026-03-01',
      leadUserId: String(lead.id),
    })
    const pairing = latestPairing(home.id)!
    const load = async () =>
      (
        await run(() =>
          pairingLoader({
            request: getRequest(`/staff/${home.slug}/pairings/${pairing.id}`, signedInCookie(staff.id)),
            params: { slug: home.slug, pairingId: String(pairing.id) },
            context: context(),
          }),
        )
      ).body as {
        team: Array<{ userId: number; lapse: string | null }>
      }
    expect((await load()).team).toEqual([expect.objectContaining({ userId: lead.id, lapse: null })])
    testClock.freeze('2026-07-02T02:00:00Z')
    const after = await load()
    expect(after.team[0]?.lapse).toBe('背景核验已于 2026/06/30 过期')
  })
})
