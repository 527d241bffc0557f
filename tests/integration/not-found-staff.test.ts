import { describe, expect, test } from 'vitest'
import { action as adminInstitutionAction, loader as adminInstitutionLoader } from '~/routes/admin.institutions.$slug'
import { action as campaignAction, loader as campaignLoader } from '~/routes/staff.$slug.campaigns.$campaignId'
import { action as childAction, loader as childLoader } from '~/routes/staff.$slug.children.$childId'
import { action as needAction, loader as needLoader } from '~/routes/staff.$slug.needs.$needId'
import { action as releaseAction, loader as releaseLoader } from '~/routes/staff.$slug.needs.$needId_.pledges.$pledgeId.release'
import {
  context,
  createTestInstitution,
  createUser,
  formRequest,
  getRequest,
  homeWithStaff,
  NOT_AN_ID,
  run,
  signedInCookie,
} from './helpers'

// An id in the URL that names no row of this home answers 404, never 500: text, zero, a
// fraction, an exponent, a number beyond 2^53, or a well-formed id of no row.

const BAD_IDS = NOT_AN_ID

type Args = { request: Request; params: Record<string, string>; context: ReturnType<typeof context> }
type Handler = (args: Args) => unknown

describe('staff: allocations to settings, admin', () => {
  const idRoutes: Array<{
    name: string
    loader: Handler
    action: Handler
    path: (slug: string, id: string) => string
    params: (slug: string, id: string) => Record<string, string>
    fields: Record<string, string>
  }> = [
    {
      name: 'campaign',
      loader: campaignLoader as Handler,
      action: campaignAction as Handler,
      path: (s, id) => `/staff/${s}/campaigns/${id}`,
      params: (slug, campaignId) => ({ slug, campaignId }),
      fields: { name: '春季活动', startsOn: '2026-05-01', endsOn: '2026-06-01' },
    },
    {
      name: 'child',
      loader: childLoader as Handler,
      action: childAction as Handler,
      path: (s, id) => `/staff/${s}/children/${id}`,
      params: (slug, childId) => ({ slug, childId }),
      fields: { intent: 'archive' },
    },
    {
      name: 'need',
      loader: needLoader as Handler,
      action: needAction as Handler,
      path: (s, id) => `/staff/${s}/needs/${id}`,
      params: (slug, needId) => ({ slug, needId }),
      fields: { intent: 'close' },
    },
    {
      name: 'pledge release (pledge id)',
      loader: releaseLoader as Handler,
      action: releaseAction as Handler,
      path: (s, id) => `/staff/${s}/needs/1/pledges/${id}/release`,
      params: (slug, pledgeId) => ({ slug, needId: '1', pledgeId }),
      fields: { reason: '联系不上认捐人' },
    },
    {
      name: 'pledge release (need id)',
      loader: releaseLoader as Handler,
      action: releaseAction as Handler,
      path: (s, id) => `/staff/${s}/needs/${id}/pledges/1/release`,
      params: (slug, needId) => ({ slug, needId, pledgeId: '1' }),
      fields: { reason: '联系不上认捐人' },
    },
  ]

  for (const route of idRoutes) {
    test(`a ${route.name} id that names no row answers 404 to the page and to a post`, async () => {
      const { home, managerCookie } = await homeWithStaff({ manager: true })
      for (const id of BAD_IDS) {
        const page = await run(() =>
          route.loader({
            request: getRequest(route.path(home.slug, id), managerCookie),
            params: route.params(home.slug, id),
            context: context(),
          }),
        )
        expect({ id, status: page.status }).toEqual({ id, status: 404 })
        const post = await run(() =>
          route.action({
            request: formRequest(route.path(home.slug, id), route.fields, { cookie: managerCookie }),
            params: route.params(home.slug, id),
            context: context(),
          }),
        )
        expect({ id, status: post.status }).toEqual({ id, status: 404 })
      }
    })
  }

  test('admin: an unknown institution slug answers 404 to the page and to a post', async () => {
    const admin = await createUser({ isPlatformAdmin: true })
    const cookie = signedInCookie(admin.id)
    createTestInstitution()
    const params = { slug: 'no-such-home-anywhere' }
    const page = await run(() =>
      adminInstitutionLoader({ request: getRequest('/admin/institutions/no-such-home-anywhere', cookie), params, context: context() }),
    )
    expect(page.status).toBe(404)
    const post = await run(() =>
      adminInstitutionAction({
        request: formRequest('/admin/institutions/no-such-home-anywhere', { intent: 'invite', role: 'staff' }, { cookie }),
        params,
        context: context(),
      }),
    )
    expect(post.status).toBe(404)
  })
})
