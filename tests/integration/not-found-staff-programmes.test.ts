import { describe, expect, test } from 'vitest'
import { action as familyAction, loader as familyLoader } from '~/routes/staff.$slug.families.$familyId'
import { action as pairingAction, loader as pairingLoader } from '~/routes/staff.$slug.pairings.$pairingId'
import { action as programmeAction, loader as programmeLoader } from '~/routes/staff.$slug.programmes.$programmeId'
import { action as seriesAction, loader as seriesLoader } from '~/routes/staff.$slug.series.$seriesId'
import { action as checkinAction, loader as checkinLoader } from '~/routes/staff.$slug.slots.$slotId.checkin'
import { action as slotAction, loader as slotLoader } from '~/routes/staff.$slug.slots.$slotId._index'
import { action as volunteerAction, loader as volunteerLoader } from '~/routes/staff.$slug.volunteers.$userId'
import { action as wishAction, loader as wishLoader } from '~/routes/staff.$slug.wishes.$wishId'
import { action as publicProgrammeAction, loader as publicProgrammeLoader } from '~/routes/programmes.$slug'
import { context, formRequest, getRequest, homeWithStaff, NOT_AN_ID, run } from './helpers'

type Route = { loader: (args: never) => unknown; action: (args: never) => unknown }
type Args = { request: Request; params: Record<string, string>; context: ReturnType<typeof context> }
const call = (fn: Route['loader'], args: Args) => run(() => (fn as unknown as (a: Args) => unknown)(args))

// Not a positive id, beyond 2^53, or an id that names no row: all "not found", never 500.
const badIds = NOT_AN_ID

describe('staff: families to wishes, programmes', () => {
  const routes: Array<{
    name: string
    param: string
    path: (slug: string, id: string) => string
    route: Route
    body: Record<string, string>
  }> = [
    {
      name: 'family',
      param: 'familyId',
      path: (s, id) => `/staff/${s}/families/${id}`,
      route: { loader: familyLoader, action: familyAction },
      body: { intent: 'archive' },
    },
    {
      name: 'pairing',
      param: 'pairingId',
      path: (s, id) => `/staff/${s}/pairings/${id}`,
      route: { loader: pairingLoader, action: pairingAction },
      body: { intent: 'status', status: 'paused' },
    },
    {
      name: 'programme',
      param: 'programmeId',
      path: (s, id) => `/staff/${s}/programmes/${id}`,
      route: { loader: programmeLoader, action: programmeAction },
      body: { intent: 'accept', applicationId: '1' },
    },
    {
      name: 'series',
      param: 'seriesId',
      path: (s, id) => `/staff/${s}/series/${id}`,
      route: { loader: seriesLoader, action: seriesAction },
      body: { intent: 'publish-all' },
    },
    {
      name: 'slot',
      param: 'slotId',
      path: (s, id) => `/staff/${s}/slots/${id}`,
      route: { loader: slotLoader, action: slotAction },
      body: { intent: 'publish' },
    },
    {
      name: 'slot check-in',
      param: 'slotId',
      path: (s, id) => `/staff/${s}/slots/${id}/checkin`,
      route: { loader: checkinLoader, action: checkinAction },
      body: { intent: 'no-shows' },
    },
    {
      name: 'volunteer',
      param: 'userId',
      path: (s, id) => `/staff/${s}/volunteers/${id}`,
      route: { loader: volunteerLoader, action: volunteerAction },
      body: { intent: 'verify-background' },
    },
    {
      name: 'wish',
      param: 'wishId',
      path: (s, id) => `/staff/${s}/wishes/${id}`,
      route: { loader: wishLoader, action: wishAction },
      body: { intent: 'withdraw' },
    },
  ]

  for (const r of routes) {
    test(`the ${r.name} page answers 404 for an id that is not one, or names no row`, async () => {
      const { home, cookie } = await homeWithStaff()
      for (const id of badIds) {
        const params = { slug: home.slug, [r.param]: id }
        const page = await call(r.route.loader, { request: getRequest(r.path(home.slug, id), cookie), params, context: context() })
        expect(page.status, `GET ${r.path(home.slug, id)}`).toBe(404)
        const post = await call(r.route.action, {
          request: formRequest(r.path(home.slug, id), r.body, { cookie }),
          params,
          context: context(),
        })
        expect(post.status, `POST ${r.path(home.slug, id)}`).toBe(404)
      }
    })
  }

  test('a programme slug that names no programme answers 404', async () => {
    const { cookie } = await homeWithStaff()
    const params = { slug: 'no-such-programme' }
    expect(
      (await call(publicProgrammeLoader, { request: getRequest('/programmes/no-such-programme'), params, context: context() })).status,
    ).toBe(404)
    const post = await call(publicProgrammeAction, {
      request: formRequest('/programmes/no-such-programme', { motivation: '想陪伴孩子成长', availability: '周末' }, { cookie }),
      params,
      context: context(),
    })
    expect(post.status).toBe(404)
  })
})
