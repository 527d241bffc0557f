import { and, eq, like } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import {
  families,
  memberships,
  notifications,
  pairingMembers,
  pairings,
  programmeApplications,
  programmes,
  serviceRecords,
  visits,
  volunteerProfiles,
} from '~db/schema'
import { loader as programmeLoader } from '~/routes/programmes.$slug'
import { loader as myPairingsLoader } from '~/routes/me.pairings'
import { action as visitAction, loader as visitLoader } from '~/routes/me.pairings_.$pairingId.visit'
import { action as staffAction, loader as staffLoader } from '~/routes/staff.$slug.visits'
import { testClock } from '~/utils/clock.server'
import {
  assignSubstitute,
  checkOverdueVisits,
  confirmVisit,
  logVisit,
  pairingProgress,
  queryVisit,
  updateVisit,
  type VisitInput,
} from '~/visits/visits.server'
import { addMember, context, createTestInstitution, createUser, formRequest, getRequest, run, signedInCookie, unique } from './helpers'

// 焕新乐园 visits: the lead logs each visit from a phone, staff confirm or query it, confirmed
// visits count toward the plan ("第 N / 12 次") and become service hours for each attendee.

// 2026-03-10 10:00 Asia/Shanghai
const T0 = new Date('2026-03-10T02:00:00Z')

async function verifiedVolunteer(displayName: string) {
  const user = await createUser({ displayName })
  db.insert(volunteerProfiles)
    .values({
      userId: user.id,
      realName: `${displayName}真名`,
      phone: '13900000000',
      backgroundCheckStatus: 'verified',
      backgroundCheckVerifiedAt: new Date(),
    })
    .run()
  return user
}

/** A home with staff, a programme, a family and an active pairing (lead + member), written straight into the tables. */
async function setup(options: { cadence?: 'monthly' | 'weekly'; kind?: 'companionship' | 'tutoring'; startDate?: string } = {}) {
  const home = createTestInstitution('东昌府区儿童福利院')
  const staff = await createUser({ displayName: '王社工' })
  addMember(staff.id, home.id, 'staff')
  const programme = db
    .insert(programmes)
    .values({
      institutionId: home.id,
      slug: unique('hx-'),
      name: '焕新乐园',
      kind: options.kind ?? 'companionship',
      cadence: options.cadence ?? 'monthly',
      plannedVisits: 12,
    })
    .returning()
    .get()
  const family = db
    .insert(families)
    .values({ institutionId: home.id, alias: '小雨家', address: '东昌府区某街道 8 号', contacts: '张女士 13800000000' })
    .returning()
    .get()
  const pairing = db
    .insert(pairings)
    .values({
      programmeId: programme.id,
      institutionId: home.id,
      familyId: family.id,
      startDate: options.startDate ?? '2026-03-01',
      plannedVisits: 12,
    })
    .returning()
    .get()
  const lead = await verifiedVolunteer('阿青')
  const member = await verifiedVolunteer('小周')
  db.insert(pairingMembers)
    .values([
      { pairingId: pairing.id, userId: lead.id, role: 'lead' },
      { pairingId: pairing.id, userId: member.id, role: 'member' },
    ])
    .run()
  return { home, staff, staffActor: { userId: staff.id, ip: null }, programme, family, pairing, lead, member }
}

/** A volunteer who applied to the home's programme: one of its own, so a possible substitute. */
function appliedTo(programmeId: number, userId: number) {
  db.insert(programmeApplications).values({ programmeId, userId, status: 'accepted' }).run()
}

function input(fields: Partial<VisitInput> & { attendeeIds: number[] }): VisitInput {
  return {
    visitedOn: '2026-03-08',
    durationMinutes: 120,
    activities: ['homework', 'reading'],
    note: '一起读了绘本',
    followUp: '',
    ...fields,
  }
}

/** POST the visit form like a phone without JavaScript: checkbox lists repeat their name. */
function postVisit(pairingId: number, cookie: string, fields: Record<string, string | string[]>, query = '') {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one)
  const request = new Request(`http://localhost:3000/me/pairings/${pairingId}/visit${query}`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
  })
  return run(() => visitAction({ request, params: { pairingId: String(pairingId) }, context: context() }))
}

function leadNotices(userId: number, template: string) {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.template, template)))
    .all()
}

describe('logging a visit', () => {
  test('the lead logs a visit from the form; a team member who is not the lead cannot', async () => {
    testClock.freeze(T0)
    const s = await setup()
    const ok = await postVisit(s.pairing.id, signedInCookie(s.lead.id), {
      visitedOn: '2026-03-08',
      durationMinutes: '90',
      attendeeIds: [String(s.lead.id), String(s.member.id)],
      activities: ['homework', 'games'],
      note: '作业完成得很好',
      followUp: '妈妈提到房顶漏水',
    })
    expect(ok.status).toBe(302)
    const saved = db.select().from(visits).where(eq(visits.pairingId, s.pairing.id)).all()
    expect(saved).toHaveLength(1)
    expect(saved[0]).toMatchObject({
      status: 'logged',
      durationMinutes: 90,
      attendeeIds: [s.lead.id, s.member.id],
      activities: ['homework', 'games'],
      followUp: '妈妈提到房顶漏水',
      loggedBy: s.lead.id,
    })

    expect(
      (
        await run(() =>
          visitLoader({
            request: getRequest(`/me/pairings/${s.pairing.id}/visit`, signedInCookie(s.member.id)),
            params: { pairingId: String(s.pairing.id) },
            context: context(),
          }),
        )
      ).status,
    ).toBe(404)
    const refused = logVisit(s.member.id, s.pairing.id, input({ attendeeIds: [s.member.id] }))
    expect(refused).toMatchObject({ ok: false, reason: 'forbidden' })
    const stranger = await verifiedVolunteer('路人')
    expect(logVisit(stranger.id, s.pairing.id, input({ attendeeIds: [stranger.id] }))).toMatchObject({ ok: false, reason: 'forbidden' })
  })

  test('invalid visits are refused with the reason next to the field and the typed values kept', async () => {
    testClock.freeze(T0)
    const s = await setup()
    const cookie = signedInCookie(s.lead.id)
    const res = await postVisit(s.pairing.id, cookie, { visitedOn: '2026-03-08', durationMinutes: '5', activities: [], note: '保留我' })
    expect(res.status).toBe(400)
    const { result } = res.body as { result: { error: Record<string, string[]>; initialValue: { note: string } } }
    expect(result.error.durationMinutes).toEqual(['时长至少 15 分钟'])
    expect(result.error.attendeeIds).toEqual(['请至少勾选一位参加的志愿者'])
    expect(result.error.activities).toEqual(['请至少勾选一项活动内容'])
    expect(result.initialValue.note).toBe('保留我')

    expect(logVisit(s.lead.id, s.pairing.id, input({ visitedOn: '2026-03-11', attendeeIds: [s.lead.id] }))).toMatchObject({
      ok: false,
      field: 'visitedOn',
      message: '走访日期不能晚于今天',
    })
    expect(logVisit(s.lead.id, s.pairing.id, input({ visitedOn: '2026-02-27', attendeeIds: [s.lead.id] }))).toMatchObject({
      ok: false,
      field: 'visitedOn',
    })
    expect(logVisit(s.lead.id, s.pairing.id, input({ durationMinutes: 601, attendeeIds: [s.lead.id] }))).toMatchObject({
      ok: false,
      field: 'durationMinutes',
    })
    const outsider = await verifiedVolunteer('外人')
    expect(logVisit(s.lead.id, s.pairing.id, input({ attendeeIds: [s.lead.id, outsider.id] }))).toMatchObject({
      ok: false,
      field: 'attendeeIds',
    })
    expect(logVisit(s.lead.id, s.pairing.id, input({ note: '长'.repeat(501), attendeeIds: [s.lead.id] }))).toMatchObject({
      ok: false,
      field: 'note',
    })
    expect(db.select().from(visits).where(eq(visits.pairingId, s.pairing.id)).all()).toHaveLength(0)
  })

  test('a paused pairing takes no visits', async () => {
    testClock.freeze(T0)
    const s = await setup()
    db.update(pairings).set({ status: 'paused' }).where(eq(pairings.id, s.pairing.id)).run()
    expect(logVisit(s.lead.id, s.pairing.id, input({ attendeeIds: [s.lead.id] }))).toMatchObject({ ok: false, reason: 'conflict' })
  })
})

describe('confirming and querying', () => {
  test('staff confirm: the visit counts and every attendee gets a service record with the visit minutes', async () => {
    testClock.freeze(T0)
    const s = await setup()
    const logged = logVisit(
      s.lead.id,
      s.pairing.id,
      input({ durationMinutes: 150, attendeeIds: [s.lead.id, s.member.id], followUp: '需要联系社区' }),
    )
    if (!logged.ok) throw new Error(logged.message)
    const res = await run(() =>
      staffAction({
        request: formRequest(
          `/staff/${s.home.slug}/visits`,
          { intent: 'confirm', visitId: String(logged.visitId) },
          { cookie: signedInCookie(s.staff.id) },
        ),
        params: { slug: s.home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(302)
    const records = db
      .select()
      .from(serviceRecords)
      .where(and(eq(serviceRecords.source, 'visit'), eq(serviceRecords.sourceId, logged.visitId)))
      .all()
    expect(records.map((r) => r.userId).sort()).toEqual([s.lead.id, s.member.id].sort())
    for (const r of records) {
      expect(r.minutes).toBe(150)
      expect(r.institutionId).toBe(s.home.id)
      expect(r.description).toBe('焕新乐园家庭陪伴（第 1 次）')
      expect(r.startedAt.toISOString()).toBe('2026-03-08T02:00:00.000Z') // 10:00 in Shanghai
      expect(r.endedAt.getTime() - r.startedAt.getTime()).toBe(150 * 60_000)
    }
    expect(pairingProgress(s.pairing.id).label).toBe('第 1 / 12 次')
    expect(confirmVisit(s.staffActor, s.home.id, logged.visitId)).toMatchObject({ ok: false, message: '这次走访已经确认过了' })
  })

  test('staff query a visit; the lead is told, corrects it and re-submits, then staff confirm', async () => {
    testClock.freeze(T0)
    const s = await setup()
    const logged = logVisit(s.lead.id, s.pairing.id, input({ durationMinutes: 400, attendeeIds: [s.lead.id] }))
    if (!logged.ok) throw new Error(logged.message)
    expect(queryVisit(s.staffActor, s.home.id, logged.visitId, '   ')).toMatchObject({ ok: false })
    expect(queryVisit(s.staffActor, s.home.id, logged.visitId, '时长 400 分钟是否填错？')).toEqual({ ok: true })
    expect(db.select().from(visits).where(eq(visits.id, logged.visitId)).get()).toMatchObject({
      status: 'queried',
      queryNote: '时长 400 分钟是否填错？',
    })
    expect(leadNotices(s.lead.id, 'visit.queried')).toHaveLength(1)
    expect(confirmVisit(s.staffActor, s.home.id, logged.visitId)).toMatchObject({ ok: false })

    const mine = await run(() =>
      myPairingsLoader({ request: getRequest('/me/pairings', signedInCookie(s.lead.id)), params: {}, context: context() }),
    )
    const listed = (mine.body as { pairings: Array<{ visits: Array<{ status: string; queryNote: string }> }> }).pairings[0]!
    expect(listed.visits[0]).toMatchObject({ status: 'queried', queryNote: '时长 400 分钟是否填错？' })

    const resubmit = await postVisit(
      s.pairing.id,
      signedInCookie(s.lead.id),
      { visitedOn: '2026-03-08', durationMinutes: '120', attendeeIds: [String(s.lead.id)], activities: ['listening'] },
      `?visit=${logged.visitId}`,
    )
    expect(resubmit.status).toBe(302)
    expect(db.select().from(visits).where(eq(visits.id, logged.visitId)).get()).toMatchObject({
      status: 'logged',
      durationMinutes: 120,
      activities: ['listening'],
    })
    expect(updateVisit(s.member.id, logged.visitId, input({ attendeeIds: [s.lead.id] }))).toMatchObject({ ok: false, reason: 'forbidden' })
    expect(confirmVisit(s.staffActor, s.home.id, logged.visitId)).toMatchObject({ ok: true, ordinal: 1 })
    expect(
      db
        .select()
        .from(serviceRecords)
        .where(and(eq(serviceRecords.source, 'visit'), eq(serviceRecords.sourceId, logged.visitId)))
        .get()?.minutes,
    ).toBe(120)
  })

  test("another home's staff get 404 and cannot confirm", async () => {
    testClock.freeze(T0)
    const s = await setup()
    const other = createTestInstitution('另一家福利院')
    const otherStaff = await createUser({ displayName: '别家社工' })
    addMember(otherStaff.id, other.id, 'manager')
    const logged = logVisit(s.lead.id, s.pairing.id, input({ attendeeIds: [s.lead.id] }))
    if (!logged.ok) throw new Error(logged.message)
    const cookie = signedInCookie(otherStaff.id)
    expect(
      (
        await run(() =>
          staffLoader({ request: getRequest(`/staff/${s.home.slug}/visits`, cookie), params: { slug: s.home.slug }, context: context() }),
        )
      ).status,
    ).toBe(404)
    const viaOwnConsole = await run(() =>
      staffAction({
        request: formRequest(`/staff/${other.slug}/visits`, { intent: 'confirm', visitId: String(logged.visitId) }, { cookie }),
        params: { slug: other.slug },
        context: context(),
      }),
    )
    expect(viaOwnConsole.status).toBe(404)
    const board = await run(() =>
      staffLoader({ request: getRequest(`/staff/${other.slug}/visits`, cookie), params: { slug: other.slug }, context: context() }),
    )
    expect((board.body as { pending: unknown[] }).pending).toHaveLength(0)
    expect(db.select().from(visits).where(eq(visits.id, logged.visitId)).get()?.status).toBe('logged')
  })

  test('hours of a tutoring visit are described as 学业辅导 and total exactly the confirmed visits', async () => {
    testClock.freeze(T0)
    const s = await setup({ kind: 'tutoring', cadence: 'weekly' })
    const a = logVisit(s.lead.id, s.pairing.id, input({ visitedOn: '2026-03-03', durationMinutes: 60, attendeeIds: [s.lead.id] }))
    const b = logVisit(
      s.lead.id,
      s.pairing.id,
      input({ visitedOn: '2026-03-09', durationMinutes: 90, attendeeIds: [s.lead.id, s.member.id] }),
    )
    const c = logVisit(s.lead.id, s.pairing.id, input({ visitedOn: '2026-03-10', durationMinutes: 45, attendeeIds: [s.lead.id] }))
    if (!a.ok || !b.ok || !c.ok) throw new Error('log failed')
    confirmVisit(s.staffActor, s.home.id, a.visitId)
    confirmVisit(s.staffActor, s.home.id, b.visitId)
    // c stays unconfirmed: it must not count.
    const leadRecords = db
      .select()
      .from(serviceRecords)
      .where(and(eq(serviceRecords.userId, s.lead.id), eq(serviceRecords.source, 'visit')))
      .all()
    expect(leadRecords.reduce((sum, r) => sum + r.minutes, 0)).toBe(150)
    expect(leadRecords.every((r) => r.description === '学业辅导')).toBe(true)
    const memberRecords = db.select().from(serviceRecords).where(eq(serviceRecords.userId, s.member.id)).all()
    expect(memberRecords.map((r) => r.minutes)).toEqual([90])
    expect(pairingProgress(s.pairing.id)).toMatchObject({ confirmed: 2, label: '第 2 / 12 次' })
  })
})

describe('progress and overdue alerts', () => {
  test('monthly: next visit due one month after the start, then one month after the last visit', async () => {
    testClock.freeze(T0)
    const s = await setup({ startDate: '2026-01-31' })
    expect(pairingProgress(s.pairing.id)).toMatchObject({
      confirmed: 0,
      planned: 12,
      label: '第 0 / 12 次',
      lastVisitOn: null,
      nextDueOn: '2026-02-28',
      overdueDays: 10,
    })
    const logged = logVisit(s.lead.id, s.pairing.id, input({ visitedOn: '2026-03-08', attendeeIds: [s.lead.id] }))
    if (!logged.ok) throw new Error(logged.message)
    confirmVisit(s.staffActor, s.home.id, logged.visitId)
    expect(pairingProgress(s.pairing.id)).toMatchObject({
      confirmed: 1,
      label: '第 1 / 12 次',
      lastVisitOn: '2026-03-08',
      nextDueOn: '2026-04-08',
      overdueDays: 0,
    })
  })

  test('weekly: next visit due seven days after the last one', async () => {
    testClock.freeze(T0)
    const s = await setup({ cadence: 'weekly', startDate: '2026-03-02' })
    expect(pairingProgress(s.pairing.id).nextDueOn).toBe('2026-03-09')
    logVisit(s.lead.id, s.pairing.id, input({ visitedOn: '2026-03-06', attendeeIds: [s.lead.id] }))
    expect(pairingProgress(s.pairing.id)).toMatchObject({ nextDueOn: '2026-03-13', overdueDays: 0, label: '第 0 / 12 次' })
  })

  test('overdue by more than cadence + 7 days alerts the lead once, and 7 days later the staff once', async () => {
    const s = await setup({ startDate: '2026-03-01' }) // first visit due 2026-04-01
    const staffNotices = () =>
      leadNotices(s.staff.id, 'visit.overdue.staff').filter((n) => n.dedupeKey?.startsWith(`visit.overdue.staff:${s.pairing.id}:`))
    testClock.freeze(new Date('2026-04-08T02:00:00Z')) // 7 days late: not yet
    checkOverdueVisits()
    expect(leadNotices(s.lead.id, 'visit.overdue.lead')).toHaveLength(0)

    testClock.freeze(new Date('2026-04-09T02:00:00Z')) // 8 days late
    checkOverdueVisits()
    checkOverdueVisits()
    expect(leadNotices(s.lead.id, 'visit.overdue.lead')).toHaveLength(1)
    expect(staffNotices()).toHaveLength(0)

    testClock.freeze(new Date('2026-04-15T02:00:00Z')) // 14 days late: staff not yet
    checkOverdueVisits()
    expect(staffNotices()).toHaveLength(0)

    testClock.freeze(new Date('2026-04-16T02:00:00Z')) // 7 days after the lead's alert
    checkOverdueVisits()
    checkOverdueVisits()
    expect(staffNotices()).toHaveLength(1)
    expect(leadNotices(s.lead.id, 'visit.overdue.lead')).toHaveLength(1)

    const board = await run(() =>
      staffLoader({
        request: getRequest(`/staff/${s.home.slug}/visits`, signedInCookie(s.staff.id)),
        params: { slug: s.home.slug },
        context: context(),
      }),
    )
    const overdue = (board.body as { pairings: Array<{ id: number; progress: { overdueDays: number } }> }).pairings.find(
      (p) => p.id === s.pairing.id,
    )
    expect(overdue?.progress.overdueDays).toBe(15)
  })

  test('a logged visit resets the due date and stops the alerts', async () => {
    const s = await setup({ startDate: '2026-03-01' })
    testClock.freeze(new Date('2026-04-07T02:00:00Z'))
    expect(pairingProgress(s.pairing.id)).toMatchObject({ nextDueOn: '2026-04-01', overdueDays: 6, lastVisitOn: null })
    expect(logVisit(s.lead.id, s.pairing.id, input({ visitedOn: '2026-04-06', attendeeIds: [s.lead.id] }))).toMatchObject({ ok: true })
    // Due one month after the visit, not after the start date.
    expect(pairingProgress(s.pairing.id)).toMatchObject({ nextDueOn: '2026-05-06', overdueDays: 0, lastVisitOn: '2026-04-06' })
    testClock.freeze(new Date('2026-04-20T02:00:00Z')) // 19 days past the old due date: the lead would be alerted
    expect(pairingProgress(s.pairing.id)).toMatchObject({ nextDueOn: '2026-05-06', overdueDays: 0 })
    checkOverdueVisits()
    expect(leadNotices(s.lead.id, 'visit.overdue.lead')).toHaveLength(0)
  })
})

describe('substitutes', () => {
  test('a substitute who meets the requirements logs and attends the next visit only', async () => {
    testClock.freeze(T0)
    const s = await setup()
    const unverified = await createUser({ displayName: '未核验' })
    appliedTo(s.programme.id, unverified.id)
    expect(assignSubstitute(s.staffActor, s.home.id, s.pairing.id, unverified.id)).toMatchObject({
      ok: false,
      message: expect.stringContaining('尚不符合项目要求'),
    })
    const sub = await verifiedVolunteer('替班小林')
    appliedTo(s.programme.id, sub.id)
    expect(assignSubstitute(s.staffActor, s.home.id, s.pairing.id, sub.id)).toEqual({ ok: true })

    const first = logVisit(sub.id, s.pairing.id, input({ attendeeIds: [sub.id] }))
    expect(first).toMatchObject({ ok: true })
    if (!first.ok) return
    expect(db.select().from(visits).where(eq(visits.id, first.visitId)).get()?.substituteUserId).toBe(sub.id)
    confirmVisit(s.staffActor, s.home.id, first.visitId)
    expect(
      db
        .select()
        .from(serviceRecords)
        .where(and(eq(serviceRecords.userId, sub.id), eq(serviceRecords.sourceId, first.visitId)))
        .get()?.minutes,
    ).toBe(120)

    // The assignment is used up: no second visit by the substitute, and the lead cannot list them.
    expect(logVisit(sub.id, s.pairing.id, input({ visitedOn: '2026-03-09', attendeeIds: [sub.id] }))).toMatchObject({
      ok: false,
      reason: 'forbidden',
    })
    expect(logVisit(s.lead.id, s.pairing.id, input({ visitedOn: '2026-03-09', attendeeIds: [s.lead.id, sub.id] }))).toMatchObject({
      ok: false,
      field: 'attendeeIds',
    })
  })

  test('the lead may bring the assigned substitute along; the assignment then ends', async () => {
    testClock.freeze(T0)
    const s = await setup()
    const sub = await verifiedVolunteer('替班小赵')
    appliedTo(s.programme.id, sub.id)
    const res = await run(() =>
      staffAction({
        request: formRequest(
          `/staff/${s.home.slug}/visits`,
          { intent: 'substitute', pairingId: String(s.pairing.id), userId: String(sub.id) },
          { cookie: signedInCookie(s.staff.id) },
        ),
        params: { slug: s.home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(302)
    const mine = await run(() =>
      myPairingsLoader({ request: getRequest('/me/pairings', signedInCookie(sub.id)), params: {}, context: context() }),
    )
    expect((mine.body as { pairings: Array<{ id: number; canLog: boolean }> }).pairings).toEqual([
      expect.objectContaining({ id: s.pairing.id, canLog: true }),
    ])
    expect(logVisit(s.lead.id, s.pairing.id, input({ attendeeIds: [s.lead.id, sub.id] }))).toMatchObject({ ok: true })
    expect(logVisit(sub.id, s.pairing.id, input({ attendeeIds: [sub.id] }))).toMatchObject({ ok: false, reason: 'forbidden' })
  })
})

describe('privacy', () => {
  test('notes and follow-ups never reach the public programme page, service records or notices', async () => {
    testClock.freeze(T0)
    const s = await setup()
    const logged = logVisit(
      s.lead.id,
      s.pairing.id,
      input({ attendeeIds: [s.lead.id, s.member.id], note: '秘密记录XYZ', followUp: '私密跟进ABC' }),
    )
    if (!logged.ok) throw new Error(logged.message)
    confirmVisit(s.staffActor, s.home.id, logged.visitId)
    const page = await run(() =>
      programmeLoader({ request: getRequest(`/programmes/${s.programme.slug}`), params: { slug: s.programme.slug }, context: context() }),
    )
    expect(page.status).toBe(200)
    const text = JSON.stringify(page.body)
    for (const secret of ['秘密记录XYZ', '私密跟进ABC', '小雨家', '东昌府区某街道', '13800000000']) expect(text).not.toContain(secret)
    const records = db.select().from(serviceRecords).where(eq(serviceRecords.sourceId, logged.visitId)).all()
    expect(records.length).toBe(2)
    for (const r of records) expect(r.description).not.toMatch(/秘密|私密/)
    expect(db.select().from(notifications).where(like(notifications.body, '%私密跟进%')).all()).toHaveLength(0)
  })
})

describe('eligibility is re-checked at every visit log (rule 5)', () => {
  // The lead's background check is valid through 2026-03-20 (Asia/Shanghai).
  const EXPIRES = new Date('2026-03-20T15:59:59.999Z')

  function lapseNotices(userId: number) {
    return db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), like(notifications.template, 'eligibility.lapsed%')))
      .all()
  }

  test('after the lead’s check expires a visit on a later day is refused with what lapsed, and the lead and staff are told once', async () => {
    testClock.freeze(T0)
    const s = await setup()
    db.update(volunteerProfiles).set({ backgroundCheckExpiresAt: EXPIRES }).where(eq(volunteerProfiles.userId, s.lead.id)).run()
    expect(logVisit(s.lead.id, s.pairing.id, input({ visitedOn: '2026-03-08', attendeeIds: [s.lead.id] }))).toMatchObject({ ok: true })

    testClock.freeze(new Date('2026-03-25T02:00:00Z'))
    const cookie = signedInCookie(s.lead.id)
    const refused = await postVisit(s.pairing.id, cookie, {
      visitedOn: '2026-03-24',
      durationMinutes: '90',
      attendeeIds: [String(s.lead.id)],
      activities: ['reading'],
    })
    expect(refused.status).toBe(409)
    expect(JSON.stringify(refused.body)).toContain('您的志愿者资格已失效，暂不能记录走访：背景核验已于 2026/03/20 过期')
    expect(db.select().from(visits).where(eq(visits.pairingId, s.pairing.id)).all()).toHaveLength(1)

    const mine = lapseNotices(s.lead.id)
    expect(mine).toHaveLength(1)
    expect(mine[0]!.body).toContain('背景核验已于 2026/03/20 过期')
    const staffNotices = lapseNotices(s.staff.id)
    expect(staffNotices).toHaveLength(1)
    expect(staffNotices[0]!.body).toContain('阿青真名')

    // A second attempt is refused again but tells nobody anything new.
    expect(logVisit(s.lead.id, s.pairing.id, input({ visitedOn: '2026-03-25', attendeeIds: [s.lead.id] }))).toMatchObject({
      ok: false,
      reason: 'conflict',
    })
    expect(lapseNotices(s.lead.id)).toHaveLength(1)
    expect(lapseNotices(s.staff.id)).toHaveLength(1)

    // A visit made while the check was still valid can still be logged.
    expect(logVisit(s.lead.id, s.pairing.id, input({ visitedOn: '2026-03-19', attendeeIds: [s.lead.id] }))).toMatchObject({ ok: true })

    // Renewed, then lapsed again: that is a new lapse, announced again.
    db.update(volunteerProfiles)
      .set({ backgroundCheckVerifiedAt: new Date('2026-03-26T02:00:00Z'), backgroundCheckExpiresAt: new Date('2026-04-30T15:59:59.999Z') })
      .where(eq(volunteerProfiles.userId, s.lead.id))
      .run()
    testClock.freeze(new Date('2026-05-05T02:00:00Z'))
    expect(logVisit(s.lead.id, s.pairing.id, input({ visitedOn: '2026-05-04', attendeeIds: [s.lead.id] }))).toMatchObject({
      ok: false,
      reason: 'conflict',
    })
    expect(lapseNotices(s.lead.id)).toHaveLength(2)
  })

  test('a team member whose check was rejected cannot be listed as attending; the lead is not told why, the member and staff are', async () => {
    testClock.freeze(T0)
    const s = await setup()
    db.update(volunteerProfiles)
      .set({ backgroundCheckStatus: 'rejected', backgroundCheckNote: '记录不符' })
      .where(eq(volunteerProfiles.userId, s.member.id))
      .run()
    const refused = logVisit(s.lead.id, s.pairing.id, input({ attendeeIds: [s.lead.id, s.member.id] }))
    expect(refused).toMatchObject({ ok: false, field: 'attendeeIds' })
    const message = refused.ok ? '' : refused.message
    expect(message).toContain('小周 的志愿者资格需要更新')
    expect(message).not.toContain('未通过')
    expect(lapseNotices(s.member.id)[0]?.body).toContain('背景核验未通过')
    expect(lapseNotices(s.staff.id)[0]?.body).toContain('小周真名')
    // Without them the visit is logged.
    expect(logVisit(s.lead.id, s.pairing.id, input({ attendeeIds: [s.lead.id] }))).toMatchObject({ ok: true })
    expect(db.select().from(memberships).where(eq(memberships.institutionId, s.home.id)).all()).toHaveLength(1)
  })
})
