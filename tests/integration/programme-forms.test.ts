import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { children, families, programmes, studyNeeds } from '~db/schema'
import { action as meTutoringAction } from '~/routes/me.tutoring'
import { action as editFamilyAction } from '~/routes/staff.$slug.families.$familyId'
import { action as newFamilyAction } from '~/routes/staff.$slug.families.new'
import { action as newPairingAction } from '~/routes/staff.$slug.pairings.new'
import { action as newProgrammeAction } from '~/routes/staff.$slug.programmes.new'
import { action as tutoringAction } from '~/routes/staff.$slug.tutoring'
import { context, createUser, formRequest, homeWithStaff, run, signedInCookie, unique } from './helpers'

// The programme-area forms went from a hand-written parser to zod parsed by Conform: a bad value
// comes back as a Chinese message under its own field, with what was typed.

type Reply = { result: { status?: string; error?: Record<string, string[] | null>; initialValue?: Record<string, unknown> } }
const reply = (body: unknown) => (body as Reply).result

function post(path: string, fields: Record<string, string | string[]>, cookie: string) {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const one of ([] as string[]).concat(v)) body.append(k, one)
  return new Request(`http://localhost:3000${path}`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
  })
}

const programmeFields = (slug: string) => ({
  intent: 'save',
  name: '焕新乐园',
  slug,
  kind: 'companionship',
  plannedVisits: '12',
  cadence: 'monthly',
  durationMonths: '12',
})

describe('programme-area forms answer bad input under the field', () => {
  test('a new programme: bad numbers and slug under their fields, typed values kept; a taken slug under the slug', async () => {
    const { home, cookie } = await homeWithStaff()
    const path = `/staff/${home.slug}/programmes/new`
    const bad = await run(() =>
      newProgrammeAction({
        request: post(
          path,
          { ...programmeFields('A!'), plannedVisits: '十二', durationMonths: '40', requiredQualifications: 'first_aid' },
          cookie,
        ),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(bad.status).toBe(400)
    expect(reply(bad.body).error).toMatchObject({
      plannedVisits: ['计划次数须为整数'],
      durationMonths: ['周期为 1–36 个月'],
      slug: ['网址标识为 3–50 个小写字母、数字或连字符'],
    })
    expect(reply(bad.body).initialValue).toMatchObject({ name: '焕新乐园', plannedVisits: '十二', requiredQualifications: 'first_aid' })

    const slug = unique('prog-')
    const created = await run(() =>
      newProgrammeAction({
        request: post(path, { ...programmeFields(slug), requiresBackgroundCheck: 'on' }, cookie),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(created.status).toBe(302)
    expect(db.select().from(programmes).where(eq(programmes.slug, slug)).get()).toMatchObject({
      requiresBackgroundCheck: true,
      acceptingApplications: false,
      plannedVisits: 12,
    })

    const taken = await run(() =>
      newProgrammeAction({ request: post(path, programmeFields(slug), cookie), params: { slug: home.slug }, context: context() }),
    )
    expect(taken.status).toBe(400)
    expect(reply(taken.body).error).toEqual({ slug: ['该网址标识已被使用，请换一个'] })
  })

  test('a family: a short alias under the alias; a tampered child id under the children; archive refusal above the form', async () => {
    const { home, cookie } = await homeWithStaff()
    const path = `/staff/${home.slug}/families/new`
    const bad = await run(() =>
      newFamilyAction({
        request: post(path, { intent: 'save', alias: '甲', address: '某路 1 号', childIds: ['abc'] }, cookie),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(bad.status).toBe(400)
    expect(reply(bad.body).error).toMatchObject({ alias: ['家庭化名为 2–10 个字'], 'childIds[0]': ['请选择本机构的儿童'] })
    expect(reply(bad.body).initialValue).toMatchObject({ alias: '甲', address: '某路 1 号' })

    const family = db.insert(families).values({ institutionId: home.id, alias: '小雨家', archivedAt: new Date() }).returning().get()
    const archived = await run(() =>
      editFamilyAction({
        request: formRequest(`/staff/${home.slug}/families/${family.id}`, { intent: 'archive' }, { cookie }),
        params: { slug: home.slug, familyId: String(family.id) },
        context: context(),
      }),
    )
    expect(archived.status).toBe(400)
    expect(archived.body).toMatchObject({ intent: 'archive', result: { error: { '': ['找不到该家庭，或已归档'] } } })
  })

  test('a study need names its child and at least one subject; a tutoring offer at least one grade', async () => {
    const { home, cookie } = await homeWithStaff()
    const child = db
      .insert(children)
      .values({ institutionId: home.id, realName: '王小明', birthDate: '2015-05-01', gender: 'male', pseudonym: '小星' })
      .returning()
      .get()
    const path = `/staff/${home.slug}/tutoring`
    const bad = await run(() =>
      tutoringAction({
        request: post(path, { childId: '', grade: '13', availability: 'sat-am' }, cookie),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(bad.status).toBe(400)
    expect(reply(bad.body).error).toMatchObject({ childId: ['请选择儿童'], subjects: ['请至少选择一个科目'], grade: ['年级为 1–12'] })

    const foreign = await homeWithStaff()
    const theirs = await run(() =>
      tutoringAction({
        request: post(
          `/staff/${foreign.home.slug}/tutoring`,
          { childId: String(child.id), subjects: '数学', grade: '3', availability: 'sat-am' },
          foreign.cookie,
        ),
        params: { slug: foreign.home.slug },
        context: context(),
      }),
    )
    expect(theirs.status).toBe(400)
    expect(reply(theirs.body).error).toEqual({ '': ['找不到该儿童档案'] })
    expect(db.select().from(studyNeeds).where(eq(studyNeeds.childId, child.id)).get()).toBeUndefined()

    const user = await createUser()
    const offer = await run(() =>
      meTutoringAction({
        request: post('/me/tutoring', { subjects: ['数学', '语文'], availability: 'sat-am' }, signedInCookie(user.id)),
        params: {},
        context: context(),
      }),
    )
    expect(offer.status).toBe(400)
    expect(reply(offer.body).error).toEqual({ grades: ['请至少选择一个年级'] })
    expect(reply(offer.body).initialValue).toMatchObject({ subjects: ['数学', '语文'] })
  })

  test('a new pairing: an impossible start date under the date', async () => {
    const { home, cookie } = await homeWithStaff()
    const path = `/staff/${home.slug}/pairings/new`
    const bad = await run(() =>
      newPairingAction({
        request: post(path, { programmeId: '1', startDate: '2026-02-30', leadUserId: '7', plannedVisits: '0' }, cookie),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(bad.status).toBe(400)
    expect(reply(bad.body).error).toMatchObject({ startDate: ['请输入有效日期，例如 2026-03-01'], plannedVisits: ['计划次数为 1–200'] })
  })
})
