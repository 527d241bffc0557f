import { and, eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { auditLog, claims, institutions, notifications, wishes } from '~db/schema'
import { claimWish } from '~/claims/claims.server'
import { testClock } from '~/utils/clock.server'
import { checkWishPrivacy } from '~/wishes/privacy.server'
import { loader as childrenLoader } from '~/routes/staff.$slug.children._index'
import { action as newChildAction, loader as newChildLoader } from '~/routes/staff.$slug.children.new'
import { action as childAction, loader as childLoader } from '~/routes/staff.$slug.children.$childId'
import { action as newWishAction } from '~/routes/staff.$slug.wishes.new'
import { action as wishAction, loader as wishLoader } from '~/routes/staff.$slug.wishes.$wishId'
import { action as wishesAction, loader as wishesLoader } from '~/routes/staff.$slug.wishes._index'
import { action as settingsAction, loader as settingsLoader } from '~/routes/staff.$slug.settings'
import { action as newCampaignAction } from '~/routes/staff.$slug.campaigns.new'
import { loader as campaignsLoader } from '~/routes/staff.$slug.campaigns._index'
import { context, createUser, getRequest, ORIGIN, run } from './helpers'
import * as helpers from './helpers'

// ---- Story helpers --------------------------------------------------------------------------

const homeWithStaff = (name = '测试福利院') => helpers.homeWithStaff({ name, manager: true })

type Home = Awaited<ReturnType<typeof homeWithStaff>>

/** A POST with repeatable fields (several wishIds or confirmedFlags). */
function post(path: string, fields: Record<string, string | string[]>, cookie: string): Request {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) body.append(k, value)
  return new Request(ORIGIN + path, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
  })
}

async function createChild(h: Home, fields: Partial<Record<string, string>> = {}) {
  const res = await run(() =>
    newChildAction({
      request: post(
        `/staff/${h.home.slug}/children/new`,
        { realName: '赵晓雯', birthDate: '2017-09-01', gender: 'female', pseudonym: '小禾', ...fields } as Record<string, string>,
        h.cookie,
      ),
      params: { slug: h.home.slug },
      context: context(),
    }),
  )
  expect(res.status).toBe(302)
  return Number(/children\/(\d+)/.exec(res.headers.get('Location') ?? '')?.[1])
}

const cleanWish = {
  category: 'study',
  title: '一套《十万个为什么》',
  story: '她最喜欢问为什么，想自己在书里找到答案。',
  itemDetails: '少儿彩图版，全 8 册',
  quantity: '1',
  estimatedValue: '128',
}

async function createWish(h: Home, childId: number, fields: Record<string, string> = {}) {
  const res = await run(() =>
    newWishAction({
      request: post(`/staff/${h.home.slug}/wishes/new`, { childId: String(childId), ...cleanWish, ...fields }, h.cookie),
      params: { slug: h.home.slug },
      context: context(),
    }),
  )
  expect(res.status).toBe(302)
  return Number(/wishes\/(\d+)/.exec(res.headers.get('Location') ?? '')?.[1])
}

function wishPost(h: Home, wishId: number, fields: Record<string, string | string[]>, cookie = h.cookie) {
  return run(() =>
    wishAction({
      request: post(`/staff/${h.home.slug}/wishes/${wishId}`, fields, cookie),
      params: { slug: h.home.slug, wishId: String(wishId) },
      context: context(),
    }),
  )
}

function wishRow(wishId: number) {
  return db.select().from(wishes).where(eq(wishes.id, wishId)).get()!
}

async function publishedWish(h: Home, childId: number) {
  const wishId = await createWish(h, childId)
  const res = await wishPost(h, wishId, { intent: 'publish', childId: String(childId), ...cleanWish })
  expect(res.status).toBe(200)
  expect(wishRow(wishId).status).toBe('published')
  return wishId
}

// ---- Children ---------------------------------------------------------------------------------

describe('children records', () => {
  test('staff create a child; the list shows the pseudonym and age band, and the form suggests a pseudonym', async () => {
    testClock.freeze('2026-06-01T04:00:00Z')
    const h = await homeWithStaff()
    const form = await run(() =>
      newChildLoader({
        request: getRequest(`/staff/${h.home.slug}/children/new`, h.cookie),
        params: { slug: h.home.slug },
        context: context(),
      }),
    )
    expect((form.body as { suggestedPseudonym: string }).suggestedPseudonym).toMatch(/^小.$/)

    const childId = await createChild(h, { realName: '钱多多', birthDate: '2018-03-10', pseudonym: '小星' })
    const list = await run(() =>
      childrenLoader({
        request: getRequest(`/staff/${h.home.slug}/children`, h.cookie),
        params: { slug: h.home.slug },
        context: context(),
      }),
    )
    const rows = (list.body as { children: Array<Record<string, unknown>> }).children
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ id: childId, pseudonym: '小星', realName: '钱多多', ageBand: '6–8岁' })
    expect(rows[0]).not.toHaveProperty('birthDate')
  })

  test('a pseudonym that repeats the real name is refused next to the field', async () => {
    const h = await homeWithStaff()
    const res = await run(() =>
      newChildAction({
        request: post(
          `/staff/${h.home.slug}/children/new`,
          { realName: '欧阳晨曦', birthDate: '2015-01-01', gender: 'male', pseudonym: '小晨曦' },
          h.cookie,
        ),
        params: { slug: h.home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(400)
    expect((res.body as { result: { error: Record<string, string[]> } }).result.error.pseudonym).toEqual([
      '化名不能包含儿童的真实姓名，请换一个',
    ])
  })

  test('a birth date in the future is refused', async () => {
    testClock.freeze('2026-06-01T04:00:00Z')
    const h = await homeWithStaff()
    const res = await run(() =>
      newChildAction({
        request: post(
          `/staff/${h.home.slug}/children/new`,
          { realName: '孙未来', birthDate: '2026-06-02', gender: 'male', pseudonym: '小阳' },
          h.cookie,
        ),
        params: { slug: h.home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(400)
    expect((res.body as { result: { error: Record<string, string[]> } }).result.error.birthDate).toEqual(['出生日期不能晚于今天'])
  })

  test("staff of another home can neither see nor change a child's record or wish (404)", async () => {
    const a = await homeWithStaff()
    const b = await homeWithStaff()
    const childId = await createChild(a, { realName: '李秘密' })
    const wishId = await createWish(a, childId)
    const params = { slug: a.home.slug, childId: String(childId) }
    const seen = await run(() =>
      childLoader({ request: getRequest(`/staff/${a.home.slug}/children/${childId}`, b.cookie), params, context: context() }),
    )
    expect(seen.status).toBe(404)
    const edited = await run(() =>
      childAction({
        request: post(`/staff/${a.home.slug}/children/${childId}`, { intent: 'archive' }, b.cookie),
        params,
        context: context(),
      }),
    )
    expect(edited.status).toBe(404)
    // Even through their own console's URL, the child id of another home is not found.
    const viaOwn = await run(() =>
      childLoader({
        request: getRequest(`/staff/${b.home.slug}/children/${childId}`, b.cookie),
        params: { slug: b.home.slug, childId: String(childId) },
        context: context(),
      }),
    )
    expect(viaOwn.status).toBe(404)
    const wishViaOwn = await run(() =>
      wishLoader({
        request: getRequest(`/staff/${b.home.slug}/wishes/${wishId}`, b.cookie),
        params: { slug: b.home.slug, wishId: String(wishId) },
        context: context(),
      }),
    )
    expect(wishViaOwn.status).toBe(404)
    const withdrawViaOwn = await run(() =>
      wishAction({
        request: post(`/staff/${b.home.slug}/wishes/${wishId}`, { intent: 'withdraw' }, b.cookie),
        params: { slug: b.home.slug, wishId: String(wishId) },
        context: context(),
      }),
    )
    expect(withdrawViaOwn.status).toBe(404)
    expect(wishRow(wishId).status).toBe('draft')
    // And a wish cannot be created for another home's child.
    const borrowed = await run(() =>
      newWishAction({
        request: post(`/staff/${b.home.slug}/wishes/new`, { childId: String(childId), ...cleanWish }, b.cookie),
        params: { slug: b.home.slug },
        context: context(),
      }),
    )
    expect(borrowed.status).toBe(400)
    expect((borrowed.body as { result: { error: Record<string, string[]> } }).result.error.childId).toEqual(['请选择本机构的儿童'])
  })

  test('archiving a child who left withdraws their open wishes and releases a claim, telling the donor', async () => {
    const h = await homeWithStaff()
    const childId = await createChild(h)
    const draft = await createWish(h, childId, { title: '一盒水彩笔' })
    const open = await publishedWish(h, childId)
    const claimed = await publishedWish(h, childId)
    const donor = await createUser({ displayName: '王爱心' })
    const claim = claimWish({ userId: donor.id, wishId: claimed, publicDisplay: 'masked' })
    expect(claim.ok).toBe(true)

    const res = await run(() =>
      childAction({
        request: post(`/staff/${h.home.slug}/children/${childId}`, { intent: 'archive' }, h.cookie),
        params: { slug: h.home.slug, childId: String(childId) },
        context: context(),
      }),
    )
    expect(res.status).toBe(200)
    expect((res.body as { message: string }).message).toBe('档案已归档，3 个进行中的心愿已撤回')
    for (const id of [draft, open, claimed]) expect(wishRow(id).status).toBe('withdrawn')
    const claimRow = db.select().from(claims).where(eq(claims.wishId, claimed)).get()!
    expect(claimRow).toMatchObject({ status: 'released', releaseReason: 'withdrawn' })
    const notice = db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, donor.id), eq(notifications.template, 'claim.released.withdrawn')))
      .get()
    expect(notice?.body).toContain('一套《十万个为什么》')
    expect(notice?.body).not.toContain('赵晓雯')

    const active = await run(() =>
      childrenLoader({
        request: getRequest(`/staff/${h.home.slug}/children`, h.cookie),
        params: { slug: h.home.slug },
        context: context(),
      }),
    )
    expect((active.body as { children: unknown[] }).children).toHaveLength(0)
    const archived = await run(() =>
      childrenLoader({
        request: getRequest(`/staff/${h.home.slug}/children?archived=1`, h.cookie),
        params: { slug: h.home.slug },
        context: context(),
      }),
    )
    expect((archived.body as { children: Array<{ id: number }> }).children.map((c) => c.id)).toEqual([childId])
  })
})

// ---- Privacy check ----------------------------------------------------------------------------

describe('privacy check before publishing', () => {
  test('flags the real name, the given name, phone and ID numbers and school names', () => {
    const child = { realName: '周子涵' }
    const kinds = (text: Partial<{ title: string; story: string; itemDetails: string }>) =>
      checkWishPrivacy({ title: '', story: '', itemDetails: '', ...text }, child).map((f) => [f.kind, f.match])
    expect(kinds({ story: '周子涵想要一个书包' })).toEqual([['real_name', '周子涵']])
    expect(kinds({ title: '子涵的画笔' })).toEqual([['given_name', '子涵']])
    expect(kinds({ itemDetails: '收件电话 138 1234 5678' })).toEqual([['phone', '13812345678']])
    expect(kinds({ story: '证件号 11010520150301123X' })).toEqual([['id_number', '11010520150301123X']])
    expect(kinds({ story: '旧号码 110105150301123' })).toEqual([['id_number', '110105150301123']])
    expect(kinds({ story: '她在滨城区第一实验小学读三年级' })).toEqual([['school', '滨城区第一实验小学']])
    expect(kinds({ title: '一套《十万个为什么》', story: '想要 2 本字典，尺码 150，预算 128 元', itemDetails: '规格 16 开' })).toEqual([])
  })

  test('the same text gives the same flag keys, so confirmations survive a reload', () => {
    const text = { title: '书包', story: '电话13912345678', itemDetails: '' }
    expect(checkWishPrivacy(text, { realName: '甲乙' })[0]!.key).toBe(checkWishPrivacy(text, { realName: '甲乙' })[0]!.key)
  })

  test('publishing is refused while a flag is neither fixed nor confirmed; confirming publishes it', async () => {
    const h = await homeWithStaff()
    const childId = await createChild(h)
    const story = '晓雯在育才小学读书，想要一本字典。'
    const wishId = await createWish(h, childId, { story })
    const page = await run(() =>
      wishLoader({
        request: getRequest(`/staff/${h.home.slug}/wishes/${wishId}`, h.cookie),
        params: { slug: h.home.slug, wishId: String(wishId) },
        context: context(),
      }),
    )
    const flags = (page.body as { flags: Array<{ key: string; message: string; match: string; confirmed: boolean }> }).flags
    expect(flags.map((f) => [f.message, f.match])).toEqual([
      ['出现了儿童的名字（不含姓）', '晓雯'],
      ['疑似学校名称', '育才小学'],
    ])

    const refused = await wishPost(h, wishId, {
      intent: 'publish',
      childId: String(childId),
      ...cleanWish,
      story,
      confirmedFlags: [flags[0]!.key],
    })
    expect(refused.status).toBe(400)
    expect((refused.body as { message: string }).message).toBe('已保存，但未发布：有 1 条隐私提示待处理，请修改或确认后再发布')
    expect(wishRow(wishId).status).toBe('draft')

    const published = await wishPost(h, wishId, {
      intent: 'publish',
      childId: String(childId),
      ...cleanWish,
      story,
      confirmedFlags: flags.map((f) => f.key),
    })
    expect(published.status).toBe(200)
    expect(wishRow(wishId)).toMatchObject({ status: 'published', privacyConfirmedFlags: flags.map((f) => f.key) })
  })

  test('fixing the text instead of confirming also lets the wish be published', async () => {
    const h = await homeWithStaff()
    const childId = await createChild(h)
    const wishId = await createWish(h, childId, { itemDetails: '有问题请打 13712345678' })
    const refused = await wishPost(h, wishId, {
      intent: 'publish',
      childId: String(childId),
      ...cleanWish,
      itemDetails: '有问题请打 13712345678',
    })
    expect(refused.status).toBe(400)
    expect(wishRow(wishId).status).toBe('draft')
    const fixed = await wishPost(h, wishId, { intent: 'publish', childId: String(childId), ...cleanWish, itemDetails: '有问题请联系机构' })
    expect(fixed.status).toBe(200)
    expect(wishRow(wishId).status).toBe('published')
  })

  test('a published wish cannot be edited to add an unconfirmed flag', async () => {
    const h = await homeWithStaff()
    const childId = await createChild(h)
    const wishId = await publishedWish(h, childId)
    const res = await wishPost(h, wishId, {
      intent: 'save',
      childId: String(childId),
      ...cleanWish,
      story: '赵晓雯想要这套书，她最喜欢问为什么。',
    })
    expect(res.status).toBe(400)
    expect((res.body as { flags: Array<{ match: string }> }).flags.map((f) => f.match)).toEqual(['赵晓雯'])
    expect(wishRow(wishId).story).toBe(cleanWish.story)
  })
})

// ---- Staff wish list --------------------------------------------------------------------------

describe('staff wish list', () => {
  test('bulk publish publishes the clean drafts and reports the ones with privacy flags', async () => {
    const h = await homeWithStaff()
    const childId = await createChild(h)
    const clean1 = await createWish(h, childId, { title: '学习书桌' })
    const clean2 = await createWish(h, childId, { title: '冬季棉衣', category: 'material' })
    const flagged = await createWish(h, childId, { title: '篮球', story: '晓雯想和伙伴们一起打篮球。' })
    const res = await run(() =>
      wishesAction({
        request: post(
          `/staff/${h.home.slug}/wishes`,
          { intent: 'publish', wishIds: [String(clean1), String(clean2), String(flagged)] },
          h.cookie,
        ),
        params: { slug: h.home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(200)
    expect((res.body as { messages: string[] }).messages).toEqual([
      '已发布 2 个心愿',
      '「篮球」未发布：有 1 条隐私提示待处理，请修改或确认后再发布',
    ])
    expect([clean1, clean2, flagged].map((id) => wishRow(id).status)).toEqual(['published', 'published', 'draft'])

    const list = await run(() =>
      wishesLoader({
        request: getRequest(`/staff/${h.home.slug}/wishes?status=published`, h.cookie),
        params: { slug: h.home.slug },
        context: context(),
      }),
    )
    const rows = (list.body as { wishes: Array<{ id: number; pseudonym: string; ageBand: string }> }).wishes
    expect(rows.map((r) => r.id).sort()).toEqual([clean1, clean2].sort())
    expect(rows[0]).toMatchObject({ pseudonym: '小禾' })
  })

  test('withdrawing a claimed wish releases the claim and queues a notice for the donor in the outbox', async () => {
    const h = await homeWithStaff()
    const childId = await createChild(h)
    const wishId = await publishedWish(h, childId)
    const donor = await createUser({ displayName: '陈爱心' })
    const claim = claimWish({ userId: donor.id, wishId, publicDisplay: 'name' })
    if (!claim.ok) throw new Error(claim.message)
    expect(wishRow(wishId).status).toBe('claimed')

    const res = await wishPost(h, wishId, { intent: 'withdraw' })
    expect(res.status).toBe(200)
    expect((res.body as { message: string }).message).toBe('心愿已撤回，认领已取消并已通知爱心人士')
    expect(wishRow(wishId)).toMatchObject({ status: 'withdrawn' })
    expect(db.select().from(claims).where(eq(claims.id, claim.claimId)).get()).toMatchObject({
      status: 'released',
      releaseReason: 'withdrawn',
    })
    const outbox = db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, donor.id))
      .all()
      .filter((n) => n.template === 'claim.released.withdrawn')
    expect(outbox).toHaveLength(1)
    expect(outbox[0]).toMatchObject({
      status: 'pending',
      subject: '您认领的微心愿已被机构撤回',
      dedupeKey: `claim:withdrawn:${claim.claimId}`,
    })
    expect(outbox[0]!.body).toContain(claim.referenceCode)
  })

  test('once a wish is claimed, staff can no longer edit it', async () => {
    const h = await homeWithStaff()
    const childId = await createChild(h)
    const wishId = await publishedWish(h, childId)
    const donor = await createUser()
    expect(claimWish({ userId: donor.id, wishId, publicDisplay: 'anonymous' }).ok).toBe(true)
    const res = await wishPost(h, wishId, { intent: 'save', childId: String(childId), ...cleanWish, title: '换成别的东西' })
    expect(res.status).toBe(400)
    expect((res.body as { result: { error: Record<string, string[]> } }).result.error['']).toEqual(['该心愿已被认领或已结束，不能再修改'])
    expect(wishRow(wishId).title).toBe(cleanWish.title)
    const page = await run(() =>
      wishLoader({
        request: getRequest(`/staff/${h.home.slug}/wishes/${wishId}`, h.cookie),
        params: { slug: h.home.slug, wishId: String(wishId) },
        context: context(),
      }),
    )
    expect((page.body as { editable: boolean }).editable).toBe(false)
  })

  test('every staff change writes an audit row naming the child only by pseudonym', async () => {
    const h = await homeWithStaff()
    const childId = await createChild(h, { realName: '吴审计' })
    const wishId = await publishedWish(h, childId)
    await wishPost(h, wishId, { intent: 'withdraw' })
    const rows = db.select().from(auditLog).where(eq(auditLog.institutionId, h.home.id)).all()
    expect(rows.map((r) => r.action)).toEqual(['child.create', 'wish.create', 'wish.update', 'wish.publish', 'wish.withdraw'])
    expect(rows.every((r) => r.actorId === h.staff.id)).toBe(true)
    expect(JSON.stringify(rows.map((r) => r.summary))).not.toContain('吴审计')
  })
})

// ---- Settings and campaigns -------------------------------------------------------------------

describe('claim deadlines and campaigns', () => {
  test('a manager sets the claim deadlines (1–60 days); other staff cannot', async () => {
    const h = await homeWithStaff()
    const params = { slug: h.home.slug }
    const staffTry = await run(() =>
      settingsLoader({ request: getRequest(`/staff/${h.home.slug}/settings`, h.cookie), params, context: context() }),
    )
    expect(staffTry.status).toBe(403)
    const tooLong = await run(() =>
      settingsAction({
        request: post(`/staff/${h.home.slug}/settings`, { claimBuyDays: '61', claimDeliverDays: '14' }, h.managerCookie),
        params,
        context: context(),
      }),
    )
    expect(tooLong.status).toBe(400)
    expect((tooLong.body as { result: { error: Record<string, string[]> } }).result.error.claimBuyDays).toEqual(['最多 60 天'])
    const ok = await run(() =>
      settingsAction({
        request: post(`/staff/${h.home.slug}/settings`, { claimBuyDays: '3', claimDeliverDays: '10' }, h.managerCookie),
        params,
        context: context(),
      }),
    )
    expect(ok.status).toBe(200)
    expect(db.select().from(institutions).where(eq(institutions.id, h.home.id)).get()).toMatchObject({
      claimBuyDays: 3,
      claimDeliverDays: 10,
    })
  })

  test('a cross-region campaign includes a partner home, whose staff can add wishes to it', async () => {
    testClock.freeze('2026-05-20T02:00:00Z')
    const owner = await homeWithStaff('奉化测试中心')
    const partner = await homeWithStaff('甘肃测试福利院')
    const outsider = await homeWithStaff('无关福利院')
    const created = await run(() =>
      newCampaignAction({
        request: post(
          `/staff/${owner.home.slug}/campaigns/new`,
          { name: '奉甘两地微心愿', startsOn: '2026-05-20', endsOn: '2026-06-30', partnerSlugs: partner.home.slug },
          owner.cookie,
        ),
        params: { slug: owner.home.slug },
        context: context(),
      }),
    )
    expect(created.status).toBe(302)
    const campaignId = Number(/campaigns\/(\d+)/.exec(created.headers.get('Location') ?? '')?.[1])

    const partnerList = await run(() =>
      campaignsLoader({
        request: getRequest(`/staff/${partner.home.slug}/campaigns`, partner.cookie),
        params: { slug: partner.home.slug },
        context: context(),
      }),
    )
    const seen = (partnerList.body as { campaigns: Array<{ id: number; isOwner: boolean; homes: Array<{ slug: string }> }> }).campaigns
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ id: campaignId, isOwner: false })
    expect(seen[0]!.homes.map((x) => x.slug).sort()).toEqual([owner.home.slug, partner.home.slug].sort())

    const partnerChild = await createChild(partner)
    const wishId = await createWish(partner, partnerChild, { campaignId: String(campaignId) })
    expect(wishRow(wishId).campaignId).toBe(campaignId)

    const outsiderChild = await createChild(outsider)
    const refused = await run(() =>
      newWishAction({
        request: post(
          `/staff/${outsider.home.slug}/wishes/new`,
          { childId: String(outsiderChild), ...cleanWish, campaignId: String(campaignId) },
          outsider.cookie,
        ),
        params: { slug: outsider.home.slug },
        context: context(),
      }),
    )
    expect(refused.status).toBe(400)
    expect((refused.body as { result: { error: Record<string, string[]> } }).result.error.campaignId).toEqual(['请选择本机构参与的活动'])
  })

  test('an unknown partner slug is refused next to the field', async () => {
    const h = await homeWithStaff()
    const res = await run(() =>
      newCampaignAction({
        request: post(
          `/staff/${h.home.slug}/campaigns/new`,
          { name: '六一活动', startsOn: '2026-05-25', endsOn: '2026-06-01', partnerSlugs: 'no-such-home' },
          h.cookie,
        ),
        params: { slug: h.home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(400)
    expect((res.body as { result: { error: Record<string, string[]> } }).result.error.partnerSlugs).toEqual([
      '找不到这些机构标识：no-such-home',
    ])
  })
})
