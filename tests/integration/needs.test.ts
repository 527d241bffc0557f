import { and, eq } from 'drizzle-orm'
import { afterEach, describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { auditLog, institutions, needs, notifications, pledges } from '~db/schema'
import { recordArrival } from '~/needs/intake.server'
import { cancelPledge, pledgeToNeed, reducePledge, releaseOverduePledges, releasePledge, sendPledgeReminders } from '~/needs/pledges.server'
import { needProgress, refreshNeedStatus } from '~/needs/progress.server'
import { writeTransaction } from '~db/client.server'
import { loader as institutionLoader } from '~/routes/institutions.$slug'
import { action as myDonationsAction, loader as myDonationsLoader } from '~/routes/me.donations'
import { action as needPageAction, loader as needPageLoader } from '~/routes/needs.$id._index'
import { loader as needsLoader } from '~/routes/needs._index'
import { action as staffNeedAction, loader as staffNeedLoader } from '~/routes/staff.$slug.needs.$needId'
import { action as newNeedAction } from '~/routes/staff.$slug.needs.new'
import { action as releaseAction, loader as releaseLoader } from '~/routes/staff.$slug.needs.$needId_.pledges.$pledgeId.release'
import { now, testClock } from '~/utils/clock.server'
import { replyErrors, replyValues } from './conform-reply'
import { addMember, context, createTestInstitution, createUser, formRequest, getRequest, run, signedInCookie, unique } from './helpers'

/** The Conform reply of a donor's form ({ result }): errors by field, the values that come back, the form-level message. */
function conformReply(body: unknown) {
  const { result } = body as { result: { error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> } }
  const errors = Object.fromEntries(Object.entries(result.error ?? {}).map(([k, v]) => [k, v ?? undefined])) as Record<
    string,
    string[] | undefined
  >
  return { errors, values: (result.initialValue ?? {}) as Record<string, string>, formError: errors['']?.join('；') ?? null }
}

const DAY = 24 * 60 * 60 * 1000
const T0 = new Date('2026-06-01T02:00:00Z') // 10:00 in Shanghai

afterEach(() => testClock.reset())

const needFields = (overrides: Record<string, string> = {}) => ({
  intent: 'save',
  title: '饮用水',
  category: 'material',
  itemDescription: '瓶装饮用水',
  specification: '550ml × 24 瓶',
  unit: '箱',
  quantityNeeded: '50',
  perPledgeMax: '',
  urgency: 'urgent',
  deadline: '',
  deliveryAddress: '开封市油坊社区',
  deliveryHours: '每天 8:00–20:00',
  ...overrides,
})

async function homeWithManager(name = '测试福利院') {
  const home = createTestInstitution(name)
  const manager = await createUser({ displayName: '王社工' })
  addMember(manager.id, home.id, 'manager')
  return { home, manager, cookie: signedInCookie(manager.id) }
}

function insertNeed(institutionId: number, fields: Partial<typeof needs.$inferInsert> = {}) {
  return db
    .insert(needs)
    .values({ institutionId, title: unique('大米'), category: 'material', unit: '袋', quantityNeeded: 10, status: 'open', ...fields })
    .returning()
    .get()
}

function needRow(id: number) {
  return db.select().from(needs).where(eq(needs.id, id)).get()!
}

function pledgeRow(id: number) {
  return db.select().from(pledges).where(eq(pledges.id, id)).get()!
}

function pledge(userId: number, needId: number, quantity: number, expectedAt = new Date(now().getTime() + 5 * DAY)) {
  return pledgeToNeed({ userId, needId, quantity, expectedAt, publicDisplay: 'masked' })
}

describe('staff manage needs', () => {
  test('a manager posts a need, edits it, and each write is audited', async () => {
    const { home, cookie } = await homeWithManager()
    const created = await run(() =>
      newNeedAction({
        request: formRequest(`/staff/${home.slug}/needs/new`, needFields(), { cookie }),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(created.status).toBe(302)
    const need = db.select().from(needs).where(eq(needs.institutionId, home.id)).get()!
    expect(created.headers.get('Location')).toBe(`/staff/${home.slug}/needs/${need.id}?created=1`)
    expect(need).toMatchObject({ title: '饮用水', unit: '箱', quantityNeeded: 50, urgency: 'urgent', status: 'open' })

    const edited = await run(() =>
      staffNeedAction({
        request: formRequest(`/staff/${home.slug}/needs/${need.id}`, needFields({ quantityNeeded: '60', deadline: '2026-12-31' }), {
          cookie,
        }),
        params: { slug: home.slug, needId: String(need.id) },
        context: context(),
      }),
    )
    expect(edited.status).toBe(302)
    expect(needRow(need.id).quantityNeeded).toBe(60)
    expect(needRow(need.id).deadline?.toISOString()).toBe('2026-12-31T15:59:59.999Z')
    const actions = db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.institutionId, home.id), eq(auditLog.entityId, String(need.id))))
      .all()
    expect(actions.map((a) => a.action)).toEqual(['need.create', 'need.update'])
  })

  test('the form keeps what was typed and explains each mistake in Chinese', async () => {
    const { home, cookie } = await homeWithManager()
    const res = await run(() =>
      newNeedAction({
        request: formRequest(`/staff/${home.slug}/needs/new`, needFields({ title: '', quantityNeeded: '0', perPledgeMax: 'x' }), {
          cookie,
        }),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(400)
    const errors = replyErrors(res.body)
    expect(errors.title).toEqual(['请填写需求名称'])
    expect(errors.quantityNeeded).toEqual(['需要数量至少为 1'])
    expect(errors.perPledgeMax?.[0]).toContain('整数')
    expect(replyValues(res.body).unit).toBe('箱')
  })

  test('the quantity cannot drop below what donors already pledged', async () => {
    const { home, cookie } = await homeWithManager()
    const need = insertNeed(home.id, { quantityNeeded: 20 })
    const donor = await createUser()
    expect(pledge(donor.id, need.id, 12).ok).toBe(true)
    const res = await run(() =>
      staffNeedAction({
        request: formRequest(`/staff/${home.slug}/needs/${need.id}`, needFields({ quantityNeeded: '10' }), { cookie }),
        params: { slug: home.slug, needId: String(need.id) },
        context: context(),
      }),
    )
    expect(res.status).toBe(409)
    expect(replyErrors(res.body).quantityNeeded).toEqual(['需要数量不能少于已认捐的 12 袋'])
    expect(needRow(need.id).quantityNeeded).toBe(20)
  })

  test('cancelling a need cancels its open pledges and tells each pledger, in one audited write', async () => {
    const { home, cookie } = await homeWithManager()
    const need = insertNeed(home.id, { quantityNeeded: 20, title: '棉被' })
    const a = await createUser()
    const b = await createUser()
    const pa = pledge(a.id, need.id, 5)
    const pb = pledge(b.id, need.id, 5)
    if (!pa.ok || !pb.ok) throw new Error('pledges failed')
    const res = await run(() =>
      staffNeedAction({
        request: formRequest(`/staff/${home.slug}/needs/${need.id}`, { intent: 'cancel', reason: '已由政府调拨' }, { cookie }),
        params: { slug: home.slug, needId: String(need.id) },
        context: context(),
      }),
    )
    expect(res.status).toBe(302)
    expect(needRow(need.id).status).toBe('cancelled')
    expect(pledgeRow(pa.pledgeId).status).toBe('cancelled')
    expect(pledgeRow(pb.pledgeId).status).toBe('cancelled')
    const notice = db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `need.cancelled:${pa.pledgeId}`))
      .get()
    expect(notice?.userId).toBe(a.id)
    expect(notice?.body).toContain('已由政府调拨')
    expect(
      db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'need.cancel'), eq(auditLog.entityId, String(need.id))))
        .get()?.summary,
    ).toMatchObject({ cancelledPledges: 2 })
    // A cancelled need no longer takes pledges and its public page is gone.
    expect(pledge(a.id, need.id, 1)).toMatchObject({ ok: false, reason: 'unavailable' })
    const page = await run(() =>
      needPageLoader({ request: getRequest(`/needs/${need.id}`), params: { id: String(need.id) }, context: context() }),
    )
    expect(page.status).toBe(404)
  })

  test('closing a need stops new pledges and is audited', async () => {
    const { home, cookie } = await homeWithManager()
    const need = insertNeed(home.id)
    const res = await run(() =>
      staffNeedAction({
        request: formRequest(`/staff/${home.slug}/needs/${need.id}`, { intent: 'close' }, { cookie }),
        params: { slug: home.slug, needId: String(need.id) },
        context: context(),
      }),
    )
    expect(res.status).toBe(302)
    expect(needRow(need.id).status).toBe('closed')
    expect(
      db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'need.close'), eq(auditLog.entityId, String(need.id))))
        .get(),
    ).toBeTruthy()
    const donor = await createUser()
    expect(pledge(donor.id, need.id, 1)).toMatchObject({ ok: false, message: '这项需求已不再接受认捐' })
  })

  test('staff of another home get 404 for a need that is not theirs and cannot change it', async () => {
    const { home } = await homeWithManager('甲福利院')
    const other = await homeWithManager('乙福利院')
    const need = insertNeed(home.id)
    const read = await run(() =>
      staffNeedLoader({
        request: getRequest(`/staff/${other.home.slug}/needs/${need.id}`, other.cookie),
        params: { slug: other.home.slug, needId: String(need.id) },
        context: context(),
      }),
    )
    expect(read.status).toBe(404)
    const viaOwnSlug = await run(() =>
      staffNeedLoader({
        request: getRequest(`/staff/${home.slug}/needs/${need.id}`, other.cookie),
        params: { slug: home.slug, needId: String(need.id) },
        context: context(),
      }),
    )
    expect(viaOwnSlug.status).toBe(404)
    const write = await run(() =>
      staffNeedAction({
        request: formRequest(`/staff/${other.home.slug}/needs/${need.id}`, { intent: 'cancel' }, { cookie: other.cookie }),
        params: { slug: other.home.slug, needId: String(need.id) },
        context: context(),
      }),
    )
    // Not this home's need: as unknown to the post as to the page.
    expect(write.status).toBe(404)
    expect(needRow(need.id).status).toBe('open')
  })
})

describe('pledging part of a need', () => {
  test('a donor pledges through the need page and is sent to 我的捐赠 with a 6-character code', async () => {
    testClock.freeze(T0)
    const home = createTestInstitution()
    const need = insertNeed(home.id, { quantityNeeded: 50, unit: '箱' })
    const donor = await createUser({ displayName: '李爱心' })
    const res = await run(() =>
      needPageAction({
        request: formRequest(
          `/needs/${need.id}`,
          { quantity: '15', expectedAt: '2026-06-05', publicDisplay: 'masked' },
          { cookie: signedInCookie(donor.id) },
        ),
        params: { id: String(need.id) },
        context: context(),
      }),
    )
    expect(res.status).toBe(302)
    const row = db.select().from(pledges).where(eq(pledges.needId, need.id)).get()!
    expect(res.headers.get('Location')).toBe(`/me/donations?pledged=1#pledge-${row.id}`)
    expect(row).toMatchObject({ userId: donor.id, quantity: 15, status: 'active', publicDisplay: 'masked', institutionId: home.id })
    expect(row.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/)
    expect(row.expectedAt.toISOString()).toBe('2026-06-05T15:59:59.999Z')
    expect(
      db
        .select()
        .from(notifications)
        .where(eq(notifications.dedupeKey, `pledge.confirmed:${row.id}`))
        .get()?.body,
    ).toContain(row.code)
    expect(needProgress(db, need)).toEqual({ needed: 50, received: 0, outstanding: 15, pledged: 15, stillNeeded: 35 })
  })

  test('a pledge above what is still needed or above the per-pledge maximum is refused next to the field', async () => {
    testClock.freeze(T0)
    const home = createTestInstitution()
    const need = insertNeed(home.id, { quantityNeeded: 30, perPledgeMax: 10, unit: '件' })
    const donor = await createUser()
    const cookie = signedInCookie(donor.id)
    const post = (quantity: string) =>
      run(() =>
        needPageAction({
          request: formRequest(`/needs/${need.id}`, { quantity, expectedAt: '2026-06-05', publicDisplay: 'name' }, { cookie }),
          params: { id: String(need.id) },
          context: context(),
        }),
      )
    const overMax = await post('11')
    expect(overMax.status).toBe(409)
    expect(conformReply(overMax.body).errors.quantity).toEqual(['每份认捐最多 10 件'])
    expect(conformReply(overMax.body).values.quantity).toBe('11')

    for (const quantity of [10, 10, 5]) expect(pledge((await createUser()).id, need.id, quantity).ok).toBe(true)
    const overStill = await post('6')
    expect(overStill.status).toBe(409)
    expect(conformReply(overStill.body).errors.quantity).toEqual(['目前还需 5 件，请减少认捐数量'])
    expect((await post('0')).status).toBe(400)
    expect((await post('5')).status).toBe(302)
    expect(needRow(need.id).status).toBe('fully_pledged')
    expect(pledge(donor.id, need.id, 1)).toMatchObject({ ok: false, message: '这项需求已经认捐满了，感谢您的爱心' })
  })

  test('an anonymous visitor sees the need and is asked to sign in; posting sends them to login', async () => {
    const home = createTestInstitution()
    const need = insertNeed(home.id)
    const page = await run(() =>
      needPageLoader({ request: getRequest(`/needs/${need.id}`), params: { id: String(need.id) }, context: context() }),
    )
    expect(page.status).toBe(200)
    expect((page.body as { user: unknown }).user).toBeNull()
    const post = await run(() =>
      needPageAction({
        request: formRequest(`/needs/${need.id}`, { quantity: '1', expectedAt: '2026-12-01', publicDisplay: 'name' }),
        params: { id: String(need.id) },
        context: context(),
      }),
    )
    expect(post.status).toBe(302)
    expect(post.headers.get('Location')).toContain('/login')
  })

  test('a pledger reduces and cancels from 我的捐赠, and progress follows', async () => {
    const home = createTestInstitution()
    const need = insertNeed(home.id, { quantityNeeded: 10 })
    const donor = await createUser()
    const made = pledge(donor.id, need.id, 8)
    if (!made.ok) throw new Error(made.message)
    const cookie = signedInCookie(donor.id)
    const post = (fields: Record<string, string>) =>
      run(() => myDonationsAction({ request: formRequest('/me/donations', fields, { cookie }), params: {}, context: context() }))

    const tooMany = await post({ intent: 'reduce', pledgeId: String(made.pledgeId), quantity: '9' })
    expect(tooMany.status).toBe(409)
    expect(conformReply(tooMany.body).errors.quantity).toEqual(['新的数量须少于原认捐的 8'])
    expect((await post({ intent: 'reduce', pledgeId: String(made.pledgeId), quantity: '3' })).status).toBe(302)
    expect(pledgeRow(made.pledgeId).quantity).toBe(3)
    expect(needProgress(db, need).stillNeeded).toBe(7)

    // Somebody else's pledge reads as not found.
    const stranger = await createUser()
    const foreign = await run(() =>
      myDonationsAction({
        request: formRequest(
          '/me/donations',
          { intent: 'cancel', pledgeId: String(made.pledgeId) },
          { cookie: signedInCookie(stranger.id) },
        ),
        params: {},
        context: context(),
      }),
    )
    expect(foreign.status).toBe(404)

    expect((await post({ intent: 'cancel', pledgeId: String(made.pledgeId) })).status).toBe(302)
    expect(pledgeRow(made.pledgeId).status).toBe('cancelled')
    expect(needProgress(db, need)).toMatchObject({ pledged: 0, stillNeeded: 10 })
  })

  test('after part arrived, a reduction cannot go below it and cancelling closes the pledge at what arrived', async () => {
    const { home, manager } = await homeWithManager()
    const need = insertNeed(home.id, { quantityNeeded: 10 })
    const donor = await createUser()
    const made = pledge(donor.id, need.id, 6)
    if (!made.ok) throw new Error(made.message)
    const arrival = recordArrival({ userId: manager.id, ip: null }, home.id, made.pledgeId, { quantity: 2 })
    expect(arrival.ok).toBe(true)
    expect(reducePledge({ userId: donor.id, pledgeId: made.pledgeId, quantity: 1 })).toMatchObject({
      ok: false,
      message: '已收到 2，数量不能少于已收到的',
    })
    expect(cancelPledge({ userId: donor.id, pledgeId: made.pledgeId })).toEqual({ ok: true, status: 'fulfilled' })
    expect(pledgeRow(made.pledgeId)).toMatchObject({ status: 'fulfilled', quantity: 2 })
    expect(needProgress(db, need)).toEqual({ needed: 10, received: 2, outstanding: 0, pledged: 2, stillNeeded: 8 })
  })

  test('status moves open → fully pledged → open → fully received through refreshNeedStatus', async () => {
    const { home, manager } = await homeWithManager()
    const need = insertNeed(home.id, { quantityNeeded: 4 })
    const donor = await createUser()
    const made = pledge(donor.id, need.id, 4)
    if (!made.ok) throw new Error(made.message)
    expect(needRow(need.id).status).toBe('fully_pledged')
    expect(reducePledge({ userId: donor.id, pledgeId: made.pledgeId, quantity: 3 }).ok).toBe(true)
    expect(needRow(need.id).status).toBe('open')
    expect(pledge((await createUser()).id, need.id, 1).ok).toBe(true)
    expect(needRow(need.id).status).toBe('fully_pledged')
    const actor = { userId: manager.id, ip: null }
    recordArrival(actor, home.id, made.pledgeId, { quantity: 3 })
    const second = db
      .select()
      .from(pledges)
      .where(and(eq(pledges.needId, need.id), eq(pledges.quantity, 1)))
      .get()!
    recordArrival(actor, home.id, second.id, { quantity: 1 })
    expect(needRow(need.id).status).toBe('fully_received')
    expect(writeTransaction((tx) => refreshNeedStatus(tx, need.id))).toBe('fully_received')
  })
})

describe('pledge squatting (issue 10)', () => {
  function postPledge(needId: number, cookie: string, fields: Record<string, string>) {
    return run(() =>
      needPageAction({
        request: formRequest(`/needs/${needId}`, { quantity: '1', publicDisplay: 'masked', ...fields }, { cookie }),
        params: { id: String(needId) },
        context: context(),
      }),
    )
  }

  test('the expected date is bounded by the need’s deadline, refused next to the field', async () => {
    testClock.freeze(T0) // 2026-06-01
    const need = insertNeed(createTestInstitution().id, { quantityNeeded: 10, deadline: new Date('2026-06-20T15:59:59.999Z') })
    const cookie = signedInCookie((await createUser()).id)
    const late = await postPledge(need.id, cookie, { expectedAt: '2026-06-21' })
    expect(late.status).toBe(409)
    expect(conformReply(late.body).errors.expectedAt).toEqual(['预计送达日期不能晚于需求截止日期（2026-06-20）'])
    const far = await postPledge(need.id, cookie, { expectedAt: '2099-12-31' })
    expect(conformReply(far.body).errors.expectedAt).toEqual(['预计送达日期不能晚于需求截止日期（2026-06-20）'])
    const past = await postPledge(need.id, cookie, { expectedAt: '2026-05-31' })
    expect(conformReply(past.body).errors.expectedAt).toEqual(['预计送达日期不能早于今天'])
    const page = await run(() =>
      needPageLoader({ request: getRequest(`/needs/${need.id}`, cookie), params: { id: String(need.id) }, context: context() }),
    )
    expect(page.body).toMatchObject({ today: '2026-06-01', latest: '2026-06-20' })
    expect((await postPledge(need.id, cookie, { expectedAt: '2026-06-20' })).status).toBe(302)
  })

  test('without a deadline the expected date is at most 60 days away', async () => {
    testClock.freeze(T0) // 2026-06-01 + 60 days = 2026-07-31
    const need = insertNeed(createTestInstitution().id, { quantityNeeded: 10 })
    const cookie = signedInCookie((await createUser()).id)
    const far = await postPledge(need.id, cookie, { expectedAt: '2099-12-31' })
    expect(far.status).toBe(409)
    expect(conformReply(far.body).errors.expectedAt).toEqual(['预计送达日期须在 60 天以内（最晚 2026-07-31）'])
    expect((await postPledge(need.id, cookie, { expectedAt: '2026-08-01' })).status).toBe(409)
    expect(db.select().from(pledges).where(eq(pledges.needId, need.id)).all()).toHaveLength(0)
    expect((await postPledge(need.id, cookie, { expectedAt: '2026-07-31' })).status).toBe(302)
  })

  test('a member has one active pledge per need; after it is delivered they may pledge again', async () => {
    testClock.freeze(T0)
    const { home, manager } = await homeWithManager()
    const need = insertNeed(home.id, { quantityNeeded: 10 })
    const donor = await createUser()
    const cookie = signedInCookie(donor.id)
    expect((await postPledge(need.id, cookie, { quantity: '2', expectedAt: '2026-06-05' })).status).toBe(302)
    const first = db.select().from(pledges).where(eq(pledges.needId, need.id)).get()!
    const second = await postPledge(need.id, cookie, { quantity: '2', expectedAt: '2026-06-05' })
    expect(second.status).toBe(409)
    expect(conformReply(second.body).formError).toContain(`您已认捐这项需求（认捐编号 ${first.code}）`)
    expect(db.select().from(pledges).where(eq(pledges.needId, need.id)).all()).toHaveLength(1)
    recordArrival({ userId: manager.id, ip: null }, home.id, first.id, { quantity: 2 })
    expect(pledgeRow(first.id).status).toBe('fulfilled')
    expect((await postPledge(need.id, cookie, { quantity: '2', expectedAt: '2026-06-05' })).status).toBe(302)
  })

  test('staff of the need’s home release one pledge with a reason: audited, the pledger told why, the quantity back on the need', async () => {
    testClock.freeze(T0)
    const { home, manager, cookie } = await homeWithManager()
    const need = insertNeed(home.id, { quantityNeeded: 10, title: '棉被' })
    const squatter = await createUser({ displayName: '占位人' })
    const made = pledge(squatter.id, need.id, 10, new Date(T0.getTime() + 30 * DAY))
    if (!made.ok) throw new Error(made.message)
    expect(needRow(need.id).status).toBe('fully_pledged')
    const path = `/staff/${home.slug}/needs/${need.id}/pledges/${made.pledgeId}/release`
    const params = { slug: home.slug, needId: String(need.id), pledgeId: String(made.pledgeId) }

    const confirmPage = await run(() => releaseLoader({ request: getRequest(path, cookie), params, context: context() }))
    expect(confirmPage.status).toBe(200)
    expect(confirmPage.body).toMatchObject({ pledge: { code: made.code, quantity: 10, received: 0, status: 'active' } })

    const noReason = await run(() => releaseAction({ request: formRequest(path, { reason: ' ' }, { cookie }), params, context: context() }))
    expect(noReason.status).toBe(400)
    expect(replyErrors(noReason.body).reason).toEqual(['请填写释放原因，认捐人会收到这段说明'])
    expect(pledgeRow(made.pledgeId).status).toBe('active')

    // Another home's staff cannot see or release it.
    const other = await homeWithManager('别家福利院')
    for (const slug of [home.slug, other.home.slug]) {
      const otherParams = { ...params, slug }
      const asOther = await run(() =>
        releaseAction({
          request: formRequest(path, { reason: '别家想释放' }, { cookie: other.cookie }),
          params: otherParams,
          context: context(),
        }),
      )
      expect(asOther.status).toBe(404)
      expect(
        (await run(() => releaseLoader({ request: getRequest(path, other.cookie), params: otherParams, context: context() }))).status,
      ).toBe(404)
    }
    expect(releasePledge({ userId: other.manager.id, ip: null }, other.home.id, made.pledgeId, '别家想释放')).toMatchObject({
      ok: false,
      reason: 'not_found',
    })
    expect(pledgeRow(made.pledgeId).status).toBe('active')

    const released = await run(() =>
      releaseAction({ request: formRequest(path, { reason: '联系不上认捐人，日期过远' }, { cookie }), params, context: context() }),
    )
    expect(released.status).toBe(302)
    expect(released.headers.get('Location')).toBe(`/staff/${home.slug}/needs/${need.id}?released=1`)
    expect(pledgeRow(made.pledgeId)).toMatchObject({
      status: 'released',
      releaseReason: '联系不上认捐人，日期过远',
      releasedBy: manager.id,
    })
    expect(needRow(need.id).status).toBe('open')
    expect(needProgress(db, need).stillNeeded).toBe(10)
    const notice = db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, squatter.id), eq(notifications.template, 'pledge.released_by_staff')))
      .all()
    expect(notice).toHaveLength(1)
    expect(notice[0]!.body).toContain('联系不上认捐人，日期过远')
    const audit = db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.institutionId, home.id), eq(auditLog.action, 'pledge.release')))
      .all()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.summary).toMatchObject({ needId: need.id, code: made.code, quantityReleased: 10, reason: '联系不上认捐人，日期过远' })
    const again = await run(() =>
      releaseAction({ request: formRequest(path, { reason: '再释放一次' }, { cookie }), params, context: context() }),
    )
    expect(again.status).toBe(409)
    expect(
      db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.institutionId, home.id), eq(auditLog.action, 'pledge.release')))
        .all(),
    ).toHaveLength(1)
  })

  test('releasing a pledge that arrived in part closes it at what arrived and returns the rest', async () => {
    testClock.freeze(T0)
    const { home, manager } = await homeWithManager()
    const need = insertNeed(home.id, { quantityNeeded: 10 })
    const made = pledge((await createUser()).id, need.id, 6)
    if (!made.ok) throw new Error(made.message)
    recordArrival({ userId: manager.id, ip: null }, home.id, made.pledgeId, { quantity: 2 })
    expect(releasePledge({ userId: manager.id, ip: null }, home.id, made.pledgeId, '其余不需要了')).toEqual({
      ok: true,
      status: 'fulfilled',
      quantityReleased: 4,
    })
    expect(pledgeRow(made.pledgeId)).toMatchObject({ status: 'fulfilled', quantity: 2, releaseReason: '其余不需要了' })
    expect(needProgress(db, need)).toEqual({ needed: 10, received: 2, outstanding: 0, pledged: 2, stillNeeded: 8 })
  })
})

describe('overdue pledges', () => {
  test('a pledger is reminded two days before, then an undelivered pledge is released after the grace days', async () => {
    testClock.freeze(T0)
    const home = createTestInstitution()
    db.update(institutions).set({ pledgeGraceDays: 3 }).where(eq(institutions.id, home.id)).run()
    const need = insertNeed(home.id, { quantityNeeded: 10, title: '面粉' })
    const donor = await createUser()
    const expectedAt = new Date(T0.getTime() + 5 * DAY)
    const made = pledge(donor.id, need.id, 10, expectedAt)
    if (!made.ok) throw new Error(made.message)
    expect(needRow(need.id).status).toBe('fully_pledged')

    const reminders = () =>
      db
        .select()
        .from(notifications)
        .where(eq(notifications.dedupeKey, `reminder:pledge:${made.pledgeId}`))
        .all()
    sendPledgeReminders()
    expect(reminders()).toHaveLength(0) // five days ahead: too early
    testClock.advance(3 * DAY + 60_000) // now less than two days before
    sendPledgeReminders()
    sendPledgeReminders()
    expect(reminders()).toHaveLength(1) // once only
    expect(reminders()[0]!.userId).toBe(donor.id)

    testClock.freeze(new Date(expectedAt.getTime() + 3 * DAY - 60_000))
    releaseOverduePledges()
    expect(pledgeRow(made.pledgeId).status).toBe('active') // still within the grace days
    testClock.advance(2 * 60_000)
    expect(releaseOverduePledges().released).toBeGreaterThanOrEqual(1)
    expect(pledgeRow(made.pledgeId)).toMatchObject({ status: 'released', quantity: 10 })
    expect(needRow(need.id).status).toBe('open')
    expect(needProgress(db, need).stillNeeded).toBe(10)
    const released = db
      .select()
      .from(notifications)
      .where(eq(notifications.dedupeKey, `pledge.released:${made.pledgeId}`))
      .all()
    expect(released).toHaveLength(1)
    expect(released[0]!.body).toContain(made.code)
    releaseOverduePledges()
    expect(
      db
        .select()
        .from(notifications)
        .where(eq(notifications.dedupeKey, `pledge.released:${made.pledgeId}`))
        .all(),
    ).toHaveLength(1)
  })

  test('a pledge that arrived in part is closed at what arrived when it runs out of time', async () => {
    testClock.freeze(T0)
    const { home, manager } = await homeWithManager()
    const need = insertNeed(home.id, { quantityNeeded: 10 })
    const donor = await createUser()
    const expectedAt = new Date(T0.getTime() + 2 * DAY)
    const made = pledge(donor.id, need.id, 6, expectedAt)
    if (!made.ok) throw new Error(made.message)
    recordArrival({ userId: manager.id, ip: null }, home.id, made.pledgeId, { quantity: 2 })
    recordArrival({ userId: manager.id, ip: null }, home.id, made.pledgeId, { quantity: 1 })
    testClock.freeze(new Date(expectedAt.getTime() + 7 * DAY + 1000)) // default grace 7 days
    expect(releaseOverduePledges().closedAtReceived).toBeGreaterThanOrEqual(1)
    expect(pledgeRow(made.pledgeId)).toMatchObject({ status: 'fulfilled', quantity: 3 })
    expect(needProgress(db, need)).toEqual({ needed: 10, received: 3, outstanding: 0, pledged: 3, stillNeeded: 7 })
  })
})

describe('public needs pages', () => {
  test("a 临时救助点's needs appear under its 救助站 and in the station's filter", async () => {
    const station = db
      .insert(institutions)
      .values({ slug: unique('station-'), name: '测试救助管理站', kind: 'rescue_station', province: '河南省', city: unique('开封') })
      .returning()
      .get()
    const point = db
      .insert(institutions)
      .values({
        slug: unique('point-'),
        name: '测试社区临时救助点',
        kind: 'community_point',
        province: '河南省',
        city: station.city,
        parentId: station.id,
      })
      .returning()
      .get()
    const water = insertNeed(point.id, { title: unique('饮用水'), urgency: 'urgent' })
    const rice = insertNeed(station.id, { title: unique('大米') })

    const stationPage = await run(() =>
      institutionLoader({ request: getRequest(`/institutions/${station.slug}`), params: { slug: station.slug }, context: context() }),
    )
    const shown = (stationPage.body as { openNeeds: Array<{ id: number; homeName: string; parentName: string | null }> }).openNeeds
    expect(shown.map((n) => n.id).sort()).toEqual([water.id, rice.id].sort())
    expect(shown.find((n) => n.id === water.id)).toMatchObject({ homeName: '测试社区临时救助点', parentName: '测试救助管理站' })

    const list = await run(() => needsLoader({ request: getRequest(`/needs?home=${station.slug}`), params: {}, context: context() }))
    const items = (list.body as { page: { items: Array<{ id: number }> } }).page.items
    expect(items.map((n) => n.id)).toEqual([water.id, rice.id]) // urgent first
    const urgentOnly = await run(() =>
      needsLoader({
        request: getRequest(`/needs?city=${encodeURIComponent(station.city)}&urgency=urgent`),
        params: {},
        context: context(),
      }),
    )
    expect((urgentOnly.body as { page: { items: Array<{ id: number }> } }).page.items.map((n) => n.id)).toEqual([water.id])
  })

  test('the list pages with a keyset cursor without repeating a need', async () => {
    const home = createTestInstitution()
    db.update(institutions)
      .set({ city: unique('城') })
      .where(eq(institutions.id, home.id))
      .run()
    const city = db.select().from(institutions).where(eq(institutions.id, home.id)).get()!.city
    const made = Array.from({ length: 23 }, () => insertNeed(home.id).id)
    const first = await run(() =>
      needsLoader({ request: getRequest(`/needs?city=${encodeURIComponent(city)}`), params: {}, context: context() }),
    )
    const page1 = (first.body as { page: { items: Array<{ id: number }>; next: string | null } }).page
    expect(page1.items).toHaveLength(20)
    const second = await run(() =>
      needsLoader({ request: getRequest(`/needs?city=${encodeURIComponent(city)}&cursor=${page1.next}`), params: {}, context: context() }),
    )
    const page2 = (second.body as { page: { items: Array<{ id: number }>; next: string | null } }).page
    expect([...page1.items, ...page2.items].map((n) => n.id).sort((a, b) => a - b)).toEqual(made)
    expect(page2.next).toBeNull()
  })

  test('public pages show progress but nothing about pledgers; the staff page shows their names and codes', async () => {
    const { home, cookie } = await homeWithManager()
    const need = insertNeed(home.id, { quantityNeeded: 50 })
    const donor = await createUser({ displayName: '赵秘密' })
    const made = pledge(donor.id, need.id, 15)
    if (!made.ok) throw new Error(made.message)
    const email = donor.email!
    for (const body of [
      (await run(() => needsLoader({ request: getRequest('/needs'), params: {}, context: context() }))).body,
      (await run(() => needPageLoader({ request: getRequest(`/needs/${need.id}`), params: { id: String(need.id) }, context: context() })))
        .body,
      (
        await run(() =>
          institutionLoader({ request: getRequest(`/institutions/${home.slug}`), params: { slug: home.slug }, context: context() }),
        )
      ).body,
    ]) {
      const text = JSON.stringify(body)
      expect(text).not.toContain(email)
      expect(text).not.toContain('赵秘密')
      expect(text).not.toContain(made.code)
      expect(text).not.toMatch(new RegExp(`"userId":${donor.id}\\b`))
    }
    const page = (
      await run(() => needPageLoader({ request: getRequest(`/needs/${need.id}`), params: { id: String(need.id) }, context: context() }))
    ).body as {
      need: { progress: { needed: number; pledged: number; received: number; stillNeeded: number } }
    }
    expect(page.need.progress).toMatchObject({ needed: 50, pledged: 15, received: 0, stillNeeded: 35 })
    const staff = await run(() =>
      staffNeedLoader({
        request: getRequest(`/staff/${home.slug}/needs/${need.id}`, cookie),
        params: { slug: home.slug, needId: String(need.id) },
        context: context(),
      }),
    )
    const rows = (staff.body as { pledges: Array<{ code: string; pledgerName: string; publicName: string }> }).pledges
    expect(rows).toEqual([expect.objectContaining({ code: made.code, pledgerName: '赵秘密', publicName: '赵**' })])
  })

  test('我的捐赠 lists the pledge with its code, QR for the intake page, what arrived and the receipt links', async () => {
    const { home, manager } = await homeWithManager()
    const need = insertNeed(home.id, { quantityNeeded: 10, title: '食用油', unit: '桶' })
    const donor = await createUser()
    const made = pledge(donor.id, need.id, 5)
    if (!made.ok) throw new Error(made.message)
    const arrival = recordArrival({ userId: manager.id, ip: null }, home.id, made.pledgeId, { quantity: 2 })
    if (!arrival.ok) throw new Error(arrival.message)
    const res = await run(() =>
      myDonationsLoader({ request: getRequest('/me/donations', signedInCookie(donor.id)), params: {}, context: context() }),
    )
    const body = res.body as {
      pledges: Array<{ code: string; received: number; status: string; qrSvg: string | null; receipts: Array<{ receiptNo: string }> }>
      others: unknown[]
    }
    expect(body.pledges).toHaveLength(1)
    expect(body.pledges[0]).toMatchObject({
      code: made.code,
      received: 2,
      status: 'active',
      receipts: [expect.objectContaining({ receiptNo: arrival.receiptNo })],
    })
    expect(body.pledges[0]!.qrSvg).toContain('<svg')
    // The arrival's ledger entry is shown with its pledge, not again among other gifts.
    expect(body.others).toEqual([])
  })
})
