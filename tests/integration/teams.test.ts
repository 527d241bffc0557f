import { eq } from 'drizzle-orm'
import sharp from 'sharp'
import { beforeEach, describe, expect, test } from 'vitest'
import { db, sqlite } from '~db/client.server'
import { auditLog, donations, payments, teams, wishes } from '~db/schema'
import { action as giveAction, loader as giveLoader } from '~/routes/give'
import { loader as teamCardLoader } from '~/routes/teams.$id.card[.png]'
import { action as editAction } from '~/routes/teams.$id.edit'
import { loader as teamLoader } from '~/routes/teams.$id._index'
import { action as newTeamAction, loader as newTeamLoader } from '~/routes/teams.new'
import { action as staffTeamsAction } from '~/routes/staff.$slug.teams'
import { shareCardSvg } from '~/share/share-card.server'
import { teamShareCard } from '~/teams/card.server'
import { getPublicTeam, recountTeam } from '~/teams/teams.server'
import { STRIPE_TEST_SECRET_KEY } from '~tests/mocks/stripe'
import { chargeRefunded, checkoutCompleted, deliverSigned, stripeEvent, testIntent } from './stripe-events'
import {
  context,
  createPublishedWish,
  createTestInstitution,
  createUser,
  formRequest,
  getRequest,
  homeWithStaff,
  ORIGIN,
  run,
  signedInCookie,
} from './helpers'

// 一起捐 (issue 14): team pages that others give through. Gifts are completed only by signed
// webhook events (Stripe mocked with msw, signed here as Stripe signs them); the team's totals
// are kept on its row and must equal a recount from its payments and their corrections.

const WEBHOOK_SECRET = 'whsec_teams_test_secret'
const CHILD_NAME = '欧阳队捐'

beforeEach(() => {
  process.env.STRIPE_SECRET_KEY = STRIPE_TEST_SECRET_KEY
  process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
})

const deliver = (event: unknown) => deliverSigned(event, WEBHOOK_SECRET)
const completedEvent = (payment: { id: number; checkoutSessionId: string | null; amountFen: number }) => checkoutCompleted(payment, 'team')
const refundEvent = (paymentId: number, amountRefunded: number, refunded: boolean) =>
  chargeRefunded(testIntent(paymentId, 'team'), amountRefunded, refunded)

async function wishWithTeam(options: { goal?: string; starterDisplay?: string } = {}) {
  const { home, staff, cookie: staffCookie, actor } = await homeWithStaff({ name: '滨州一起捐福利院' })
  const wish = createPublishedWish(home.id, { pseudonym: '小禾', child: { realName: CHILD_NAME } })
  db.update(wishes).set({ estimatedValueFen: 30_000 }).where(eq(wishes.id, wish.id)).run()
  const starter = await createUser({ displayName: '陈发起' })
  const starterCookie = signedInCookie(starter.id)
  const res = await run(() =>
    newTeamAction({
      request: formRequest(
        `/teams/new?wish=${wish.id}`,
        {
          intent: 'save',
          name: '三年二班一起捐',
          goal: options.goal ?? '200',
          story: '我们班一起帮小禾实现心愿。',
          starterDisplay: options.starterDisplay ?? 'masked',
        },
        { cookie: starterCookie },
      ),
      params: {},
      context: context(),
    }),
  )
  expect(res.status).toBe(302)
  const teamId = Number(/\/teams\/(\d+)\?created=1$/.exec(res.headers.get('Location') ?? '')?.[1])
  expect(teamId).toBeGreaterThan(0)
  return { home, staff, staffCookie, actor, wish, starter, starterCookie, teamId }
}

/** A member gives through the team link (the /give form with ?team=), returning the open payment. */
async function giveThroughTeam(query: string, donor: { id: number }, amount: string, publicDisplay: 'name' | 'masked' | 'anonymous') {
  const res = await run(() =>
    giveAction({
      request: formRequest(
        `/give?${query}`,
        { amount: 'custom', customAmount: amount, publicDisplay },
        { cookie: signedInCookie(donor.id) },
      ),
      params: {},
      context: context(),
    }),
  )
  return { res, payment: db.select().from(payments).where(eq(payments.userId, donor.id)).orderBy(payments.id).all().at(-1) }
}

const teamRow = (id: number) => db.select().from(teams).where(eq(teams.id, id)).get()!

describe('starting a team', () => {
  test('a verified member starts a team for an open wish; an unverified one is sent to verify first', async () => {
    const { teamId, wish, starter } = await wishWithTeam()
    expect(teamRow(teamId)).toMatchObject({
      name: '三年二班一起捐',
      goalFen: 20_000,
      target: 'wish',
      wishId: wish.id,
      starterId: starter.id,
      status: 'open',
    })

    const unverified = await createUser({ verified: false })
    const page = await run(() =>
      newTeamLoader({ request: getRequest(`/teams/new?wish=${wish.id}`, signedInCookie(unverified.id)), params: {}, context: context() }),
    )
    expect(page.status).toBe(302)
    expect(page.headers.get('Location')).toMatch(/^\/account\/verify/)
  })

  test('a child’s real name in the text is refused next to the field, and nothing is written', async () => {
    const { wish, starterCookie } = await wishWithTeam()
    const before = db.select().from(teams).all().length
    const res = await run(() =>
      newTeamAction({
        request: formRequest(
          `/teams/new?wish=${wish.id}`,
          { intent: 'save', name: '一起帮帮', goal: '100', story: `为${CHILD_NAME}买一套书`, starterDisplay: 'masked' },
          { cookie: starterCookie },
        ),
        params: {},
        context: context(),
      }),
    )
    expect(res.status).toBe(400)
    const reply = (res.body as { result: { error: Record<string, string[]>; initialValue: Record<string, string> } }).result
    expect(reply.error.story?.[0]).toContain('儿童的真实姓名')
    expect(reply.initialValue.story).toBe(`为${CHILD_NAME}买一套书`)
    expect(db.select().from(teams).all().length).toBe(before)
  })

  test('goal bounds: at least ¥1, at most ¥500,000 and, for a wish, its estimated value', async () => {
    const { wish, starterCookie } = await wishWithTeam()
    const attempt = async (goal: string, target = `wish=${wish.id}`) => {
      const res = await run(() =>
        newTeamAction({
          request: formRequest(
            `/teams/new?${target}`,
            { intent: 'save', name: '目标测试', goal, starterDisplay: 'name' },
            { cookie: starterCookie },
          ),
          params: {},
          context: context(),
        }),
      )
      return { status: res.status, goalError: (res.body as { result?: { error?: Record<string, string[]> } })?.result?.error?.goal?.[0] }
    }
    expect(await attempt('0.50')).toMatchObject({ status: 400, goalError: expect.stringContaining('¥1') })
    expect(await attempt('301')).toMatchObject({ status: 400, goalError: expect.stringContaining('参考价值') })
    expect((await attempt('300')).status).toBe(302)
    const home = createTestInstitution('目标测试福利院')
    expect(await attempt('500000.01', `home=${home.slug}`)).toMatchObject({ status: 400, goalError: expect.stringContaining('500,000') })
    expect((await attempt('500000', `home=${home.slug}`)).status).toBe(302)
  })

  test('the target must accept gifts: a claimed wish cannot get a team', async () => {
    const home = createTestInstitution('已认领福利院')
    const wish = createPublishedWish(home.id)
    db.update(wishes).set({ status: 'claimed' }).where(eq(wishes.id, wish.id)).run()
    const starter = await createUser()
    const res = await run(() =>
      newTeamAction({
        request: formRequest(
          `/teams/new?wish=${wish.id}`,
          { intent: 'save', name: '来晚了', goal: '50', starterDisplay: 'name' },
          { cookie: signedInCookie(starter.id) },
        ),
        params: {},
        context: context(),
      }),
    )
    expect(res.status).toBe(404)
    expect(db.select().from(teams).where(eq(teams.wishId, wish.id)).all()).toEqual([])
  })
})

describe('gifts through a team', () => {
  test('a completed gift counts exactly once (duplicate delivery), refunds and a lost dispute lower it, and the kept totals equal a recount', async () => {
    const { teamId, wish } = await wishWithTeam()
    const query = `wish=${wish.id}&team=${teamId}`
    const generationBefore = sqlite.prepare('SELECT generation FROM public_generation WHERE id = 1').pluck().get() as number

    const a = await createUser({ displayName: '李一' })
    const b = await createUser({ displayName: '王二' })
    const giftA = await giveThroughTeam(query, a, '80', 'name')
    const giftB = await giveThroughTeam(query, b, '50', 'anonymous')
    expect(giftA.res.status).toBe(302)
    expect(giftA.payment).toMatchObject({ teamId, amountFen: 8_000, status: 'open' })
    expect(teamRow(teamId)).toMatchObject({ raisedFen: 0, giftCount: 0 }) // nothing counts before the webhook

    const eventA = completedEvent(giftA.payment!)
    expect((await deliver(eventA)).body).toMatchObject({ outcome: 'recorded' })
    expect((await deliver(eventA)).body).toMatchObject({ outcome: 'duplicate' })
    expect((await deliver(completedEvent(giftA.payment!))).body).toMatchObject({ outcome: 'ignored' }) // another event, same session
    await deliver(completedEvent(giftB.payment!))
    expect(teamRow(teamId)).toMatchObject({ raisedFen: 13_000, giftCount: 2 })
    expect(recountTeam(teamId)).toEqual({ raisedFen: 13_000, giftCount: 2 })
    expect(sqlite.prepare('SELECT generation FROM public_generation WHERE id = 1').pluck().get() as number).toBeGreaterThan(
      generationBefore,
    )

    // The team gift is an ordinary donation in the log.
    const donation = db
      .select()
      .from(donations)
      .where(eq(donations.id, db.select().from(payments).where(eq(payments.id, giftA.payment!.id)).get()!.donationId!))
      .get()!
    expect(donation).toMatchObject({ kind: 'money', amountFen: 8_000, designation: 'wish', wishId: wish.id })

    // Partial refund of A, then the rest of it (cumulative amounts), delivered twice.
    const partial = refundEvent(giftA.payment!.id, 3_000, false)
    await deliver(partial)
    await deliver(partial)
    expect(teamRow(teamId)).toMatchObject({ raisedFen: 10_000, giftCount: 2 })
    await deliver(refundEvent(giftA.payment!.id, 8_000, true))
    expect(teamRow(teamId)).toMatchObject({ raisedFen: 5_000, giftCount: 1 })
    expect(recountTeam(teamId)).toEqual({ raisedFen: 5_000, giftCount: 1 })

    // A lost dispute of B takes the rest.
    await deliver(
      stripeEvent('charge.dispute.closed', {
        id: 'dp_team_b',
        object: 'dispute',
        payment_intent: testIntent(giftB.payment!.id, 'team'),
        amount: 5_000,
        currency: 'cny',
        status: 'lost',
      }),
    )
    expect(teamRow(teamId)).toMatchObject({ raisedFen: 0, giftCount: 0 })
    expect(recountTeam(teamId)).toEqual({ raisedFen: 0, giftCount: 0 })
  })

  test('a gift through a closed team, or a team of another target, is refused; the gift without the team still works', async () => {
    const { teamId, wish, starterCookie, home } = await wishWithTeam()
    const donor = await createUser()
    const other = createPublishedWish(home.id)
    const wrong = await giveThroughTeam(`wish=${other.id}&team=${teamId}`, donor, '10', 'name')
    expect(wrong.res.status).toBe(409)
    expect(wrong.payment).toBeUndefined()

    const closed = await run(() =>
      editAction({
        request: formRequest(`/teams/${teamId}/edit`, { intent: 'close' }, { cookie: starterCookie }),
        params: { id: String(teamId) },
        context: context(),
      }),
    )
    expect(closed.status).toBe(302)
    expect(teamRow(teamId).status).toBe('closed')
    const late = await giveThroughTeam(`wish=${wish.id}&team=${teamId}`, donor, '10', 'name')
    expect(late.res.status).toBe(409)
    expect(JSON.stringify(late.res.body)).toContain('一起捐已结束')
    const plain = await giveThroughTeam(`wish=${wish.id}`, donor, '10', 'name')
    expect(plain.res.status).toBe(302)
    expect(plain.payment).toMatchObject({ teamId: null })
  })
})

describe('the team page', () => {
  test('members appear by their own display choice; an anonymous donor is 爱心人士, never the account name', async () => {
    const { teamId, wish } = await wishWithTeam({ starterDisplay: 'name' })
    const query = `wish=${wish.id}&team=${teamId}`
    const named = await createUser({ displayName: '赵公开' })
    const masked = await createUser({ displayName: '钱半隐' })
    const hidden = await createUser({ displayName: '孙匿名' })
    const twice = await createUser({ displayName: '周两次' })
    for (const [user, display] of [
      [named, 'name'],
      [masked, 'masked'],
      [hidden, 'anonymous'],
      [twice, 'name'],
      [twice, 'anonymous'],
    ] as const) {
      const { payment } = await giveThroughTeam(query, user, '10', display)
      await deliver(completedEvent(payment!))
    }
    const res = await run(() => teamLoader({ request: getRequest(`/teams/${teamId}`), params: { id: String(teamId) }, context: context() }))
    expect(res.status).toBe(200)
    const body = res.body as { team: { starter: string; raisedFen: number; giftCount: number }; members: string[] }
    expect(body.team).toMatchObject({ starter: '陈发起', raisedFen: 5_000, giftCount: 5 })
    expect(body.members).toEqual(['赵公开', '钱**', '爱心人士', '爱心人士'])
    const text = JSON.stringify(body)
    for (const secret of ['孙匿名', '钱半隐', '周两次', CHILD_NAME]) expect(text).not.toContain(secret)
  })

  test('the home’s feedback shows once the wish is fulfilled', async () => {
    const { teamId, wish } = await wishWithTeam()
    const before = getPublicTeam(teamId)!
    expect(before.target.feedback.status).toBeNull()
    db.update(wishes).set({ status: 'fulfilled', fulfilledAt: new Date() }).where(eq(wishes.id, wish.id)).run()
    expect(getPublicTeam(teamId)!.target.feedback.status).toContain('心愿已实现')
  })

  test('the share card: og:image is the team card, a 1200×630 PNG with no real name on it', async () => {
    const { teamId } = await wishWithTeam({ starterDisplay: 'name' })
    const res = await run(() => teamLoader({ request: getRequest(`/teams/${teamId}`), params: { id: String(teamId) }, context: context() }))
    const data = res.body as { shareImage: { url: string; width: number; height: number } }
    expect(data.shareImage.url).toMatch(new RegExp(`/teams/${teamId}/card\\.png\\?v=`))
    const svg = shareCardSvg(teamShareCard(getPublicTeam(teamId)!, `${ORIGIN}/teams/${teamId}`))
    expect(svg).toContain('三年二班一起捐')
    expect(svg).toContain('滨州一起捐福利院')
    for (const name of ['陈发起', CHILD_NAME]) expect(svg).not.toContain(name)
    expect(svg).not.toMatch(/<image/)

    const card = await teamCardLoader({
      request: new Request(`${ORIGIN}/teams/${teamId}/card.png`),
      params: { id: String(teamId) },
      context: context(),
    })
    expect(card.headers.get('Content-Type')).toBe('image/png')
    const png = await sharp(Buffer.from(await card.arrayBuffer())).metadata()
    expect([png.width, png.height]).toEqual([1200, 630])
  })

  test('the /give page names the team the gift goes through', async () => {
    const { teamId, wish } = await wishWithTeam()
    const donor = await createUser()
    const res = await run(() =>
      giveLoader({ request: getRequest(`/give?wish=${wish.id}&team=${teamId}`, signedInCookie(donor.id)), params: {}, context: context() }),
    )
    expect(res.body).toMatchObject({ kind: 'give', team: { id: teamId, name: '三年二班一起捐', acceptsGifts: true } })
  })
})

describe('editing and hiding', () => {
  test('the starter’s edit is privacy-checked again; someone else cannot edit', async () => {
    const { teamId, starterCookie } = await wishWithTeam()
    const edit = (cookie: string, fields: Record<string, string>) =>
      run(() =>
        editAction({
          request: formRequest(`/teams/${teamId}/edit`, fields, { cookie }),
          params: { id: String(teamId) },
          context: context(),
        }),
      )
    const refused = await edit(starterCookie, { intent: 'save', name: `${CHILD_NAME}的心愿`, goal: '250', starterDisplay: 'masked' })
    expect(refused.status).toBe(400)
    expect(JSON.stringify(refused.body)).toContain('儿童的真实姓名')
    expect(teamRow(teamId).goalFen).toBe(20_000)

    const saved = await edit(starterCookie, {
      intent: 'save',
      name: '三年二班（更新）',
      goal: '250',
      story: '',
      starterDisplay: 'anonymous',
    })
    expect(saved.status).toBe(302)
    expect(teamRow(teamId)).toMatchObject({ name: '三年二班（更新）', goalFen: 25_000, starterDisplay: 'anonymous' })
    expect(getPublicTeam(teamId)!.starter).toBe('爱心人士')

    const stranger = await createUser()
    const other = await edit(signedInCookie(stranger.id), { intent: 'close' })
    expect(other.status).toBe(404)
    expect(teamRow(teamId).status).toBe('open')
  })

  test('staff of another home cannot hide the team; staff of its home can, with the reason kept and audited', async () => {
    const { teamId, home, staffCookie } = await wishWithTeam()
    const otherHome = await homeWithStaff({ name: '别的福利院' })
    const hide = (slug: string, cookie: string, reason: string) =>
      run(() =>
        staffTeamsAction({
          request: formRequest(`/staff/${slug}/teams`, { teamId: String(teamId), reason }, { cookie }),
          params: { slug },
          context: context(),
        }),
      )
    expect((await hide(otherHome.home.slug, otherHome.cookie, '冒用我们的名义')).status).toBe(404)
    expect((await hide(home.slug, otherHome.cookie, '冒用我们的名义')).status).toBe(404) // not their console
    expect(teamRow(teamId).status).toBe('open')

    const short = await hide(home.slug, staffCookie, '不')
    expect(short.status).toBe(400)
    const hidden = await hide(home.slug, staffCookie, '冒用本院名义募捐')
    expect(hidden.status).toBe(302)
    expect(teamRow(teamId)).toMatchObject({ status: 'hidden', hiddenReason: '冒用本院名义募捐' })
    const audit = db.select().from(auditLog).where(eq(auditLog.entityType, 'team')).all()
    expect(audit).toEqual([expect.objectContaining({ action: 'team.hide', entityId: String(teamId), institutionId: home.id })])

    const page = await run(() =>
      teamLoader({ request: getRequest(`/teams/${teamId}`), params: { id: String(teamId) }, context: context() }),
    )
    expect(page.status).toBe(410)
    const card = await run(() =>
      teamCardLoader({ request: getRequest(`/teams/${teamId}/card.png`), params: { id: String(teamId) }, context: context() }),
    )
    expect(card.status).toBe(404)
  })
})
