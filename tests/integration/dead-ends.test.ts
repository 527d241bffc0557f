import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { campaigns, programmes, volunteerProfiles } from '~db/schema'
import { eq } from 'drizzle-orm'
import { applyToProgramme, reviewApplication } from '~/programmes/applications.server'
import { loader as campaignsLoader } from '~/routes/campaigns._index'
import { loader as homeLoader } from '~/routes/_index'
import { loader as volunteerIndexLoader } from '~/routes/volunteer._index'
import { loader as myClaimsLoader } from '~/routes/me.claims'
import { loader as myVolunteerLoader } from '~/routes/me.volunteer'
import { loader as programmeLoader } from '~/routes/programmes.$slug'
import { loader as volunteersLoader } from '~/routes/staff.$slug.volunteers._index'
import { action as volunteerAction, loader as volunteerLoader } from '~/routes/staff.$slug.volunteers.$userId'
import { action as claimAction } from '~/routes/wishes.$id.claim'
import {
  context,
  createPublishedWish,
  createTestInstitution,
  createUser,
  formRequest,
  getRequest,
  homeWithStaff,
  run,
  signedInCookie,
  unique,
} from './helpers'

// Dead ends of issue 13: each test fails on the code before its fix.

describe('认领成功 after claiming (issue 13, item 12)', () => {
  test('claiming sends the donor to 我的认领 with a confirmation of that claim, its deadlines and code', async () => {
    const home = createTestInstitution('认领确认福利院')
    const wish = createPublishedWish(home.id, { title: '一盒彩色铅笔' })
    const donor = await createUser()
    const posted = await run(() =>
      claimAction({
        request: formRequest(`/wishes/${wish.id}/claim`, { publicDisplay: 'masked' }, { cookie: signedInCookie(donor.id) }),
        params: { id: String(wish.id) },
        context: context(),
      }),
    )
    expect(posted.status).toBe(302)
    const location = posted.headers.get('Location')!
    expect(location).toMatch(/^\/me\/claims\?claimed=\d+#claim-\d+$/)

    const page = await run(() =>
      myClaimsLoader({ request: getRequest(location.split('#')[0]!, signedInCookie(donor.id)), params: {}, context: context() }),
    )
    const body = page.body as { justClaimed: { title: string; referenceCode: string; buyBy: unknown; deliverBy: unknown } | null }
    expect(body.justClaimed?.title).toBe('一盒彩色铅笔')
    expect(body.justClaimed?.referenceCode).toMatch(/^WX-/)
    expect(body.justClaimed?.buyBy).toBeTruthy()

    // Another person's claim id confirms nothing.
    const other = await createUser()
    const foreign = await run(() =>
      myClaimsLoader({ request: getRequest(location.split('#')[0]!, signedInCookie(other.id)), params: {}, context: context() }),
    )
    expect((foreign.body as { justClaimed: unknown }).justClaimed).toBeNull()
  })
})

describe('an accepted 焕新乐园 applicant who never booked a slot (issue 13, item 3)', () => {
  test('the home lists and verifies them; another home cannot see them; the volunteer sees what is missing and who checks it', async () => {
    const a = await homeWithStaff({ name: '聊城焕新福利院' })
    const b = await homeWithStaff({ name: '别家福利院' })
    const programme = db
      .insert(programmes)
      .values({ institutionId: a.home.id, slug: unique('hx-'), name: '焕新乐园', kind: 'companionship', requiresBackgroundCheck: true })
      .returning()
      .get()
    const volunteer = await createUser({ displayName: '小周' })
    const applied = applyToProgramme(volunteer.id, programme.id, { motivation: '想陪孩子读书', availability: '周末' })
    if (!applied.ok) throw new Error(applied.message)
    expect(reviewApplication(a.actor, a.home.id, applied.applicationId, 'accepted').ok).toBe(true)

    // The volunteer is told what is missing and who checks it, on the programme page and /me/volunteer.
    const cookie = signedInCookie(volunteer.id)
    const programmePage = await run(() =>
      programmeLoader({
        request: getRequest(`/programmes/${programme.slug}`, cookie),
        params: { slug: programme.slug },
        context: context(),
      }),
    )
    expect((programmePage.body as { missing: { key: string }[] }).missing.map((m) => m.key)).toEqual(['profile'])
    const mePage = await run(() => myVolunteerLoader({ request: getRequest('/me/volunteer', cookie), params: {}, context: context() }))
    const [mine] = (mePage.body as { applications: { homeName: string; status: string; missing: { key: string; words: string }[] }[] })
      .applications
    expect(mine).toMatchObject({
      homeName: '聊城焕新福利院',
      status: 'accepted',
      missing: [{ key: 'profile', words: '没有实名志愿者资料' }],
    })

    // Profile and background check submitted: still missing the home's verification.
    db.insert(volunteerProfiles)
      .values({
        userId: volunteer.id,
        realName: '周实名',
        phone: '13912345678',
        backgroundCheckStatus: 'pending',
        backgroundCheckEvidence: '无犯罪记录证明',
      })
      .run()
    const mePending = await run(() => myVolunteerLoader({ request: getRequest('/me/volunteer', cookie), params: {}, context: context() }))
    expect((mePending.body as { applications: { missing: { words: string }[] }[] }).applications[0]!.missing.map((m) => m.words)).toEqual([
      '背景核验等待机构审核',
    ])

    // The home lists them (no booking at all) and opens their page.
    const list = await run(() =>
      volunteersLoader({
        request: getRequest(`/staff/${a.home.slug}/volunteers`, a.cookie),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    const listed = (
      list.body as {
        volunteers: { userId: number; realName: string | null; applicationCount: number; bookingCount: number; pending: boolean }[]
      }
    ).volunteers
    expect(listed).toContainEqual(
      expect.objectContaining({ userId: volunteer.id, realName: '周实名', applicationCount: 1, bookingCount: 0, pending: true }),
    )
    const detail = await run(() =>
      volunteerLoader({
        request: getRequest(`/staff/${a.home.slug}/volunteers/${volunteer.id}`, a.cookie),
        params: { slug: a.home.slug, userId: String(volunteer.id) },
        context: context(),
      }),
    )
    expect(detail.status).toBe(200)
    expect((detail.body as { volunteer: { applications: { programmeName: string; status: string }[] } }).volunteer.applications).toEqual([
      expect.objectContaining({ programmeName: '焕新乐园', status: 'accepted' }),
    ])

    // … and verifies the background check.
    const verified = await run(() =>
      volunteerAction({
        request: formRequest(`/staff/${a.home.slug}/volunteers/${volunteer.id}`, { intent: 'verify-background' }, { cookie: a.cookie }),
        params: { slug: a.home.slug, userId: String(volunteer.id) },
        context: context(),
      }),
    )
    expect(verified.status).toBe(200)
    expect(db.select().from(volunteerProfiles).where(eq(volunteerProfiles.userId, volunteer.id)).get()?.backgroundCheckStatus).toBe(
      'verified',
    )
    const meDone = await run(() => myVolunteerLoader({ request: getRequest('/me/volunteer', cookie), params: {}, context: context() }))
    expect((meDone.body as { applications: { missing: unknown[] }[] }).applications[0]!.missing).toEqual([])

    // Rule 7: the other home neither lists nor opens them.
    const otherList = await run(() =>
      volunteersLoader({
        request: getRequest(`/staff/${b.home.slug}/volunteers`, b.cookie),
        params: { slug: b.home.slug },
        context: context(),
      }),
    )
    expect((otherList.body as { volunteers: { userId: number }[] }).volunteers.map((v) => v.userId)).not.toContain(volunteer.id)
    const otherDetail = await run(() =>
      volunteerLoader({
        request: getRequest(`/staff/${b.home.slug}/volunteers/${volunteer.id}`, b.cookie),
        params: { slug: b.home.slug, userId: String(volunteer.id) },
        context: context(),
      }),
    )
    expect(otherDetail.status).toBe(404)
  })
})

describe('焕新乐园 and campaigns can be found (issue 13, item 2)', () => {
  test('/campaigns lists current and recent campaigns, not long-ended ones; programmes are linked from / and /volunteer', async () => {
    const home = createTestInstitution('活动索引福利院')
    const day = 24 * 60 * 60 * 1000
    const t = Date.now()
    db.insert(campaigns)
      .values({
        slug: unique('now-'),
        name: '六一润心伴成长',
        ownerInstitutionId: home.id,
        startsAt: new Date(t - day),
        endsAt: new Date(t + 30 * day),
      })
      .run()
    db.insert(campaigns)
      .values({
        slug: unique('old-'),
        name: '很久以前的活动',
        ownerInstitutionId: home.id,
        startsAt: new Date(t - 400 * day),
        endsAt: new Date(t - 300 * day),
      })
      .run()
    const page = await run(() => campaignsLoader({ request: getRequest('/campaigns'), params: {}, context: context() }))
    const names = (page.body as { page: { items: { name: string; current: boolean }[] } }).page.items.map((c) => c.name)
    expect(names).toContain('六一润心伴成长')
    expect(names).not.toContain('很久以前的活动')

    const slug = unique('hx-')
    db.insert(programmes).values({ institutionId: home.id, slug, name: '焕新乐园', kind: 'companionship' }).run()
    const front = await run(() => homeLoader())
    expect((front.body as { programmes: { slug: string }[] }).programmes.map((p) => p.slug)).toContain(slug)
    const volunteer = await run(() => volunteerIndexLoader({ request: getRequest('/volunteer'), params: {}, context: context() }))
    expect((volunteer.body as { programmes: { slug: string }[] }).programmes.map((p) => p.slug)).toContain(slug)
  })
})
