import { describe, expect, test } from 'vitest'
import { testClock } from '~/utils/clock.server'
import { loader as consoleLoader } from '~/routes/staff.$slug'
import { loader as membersLoader, action as membersAction } from '~/routes/staff.$slug.members'
import { loader as adminLoader, action as adminAction } from '~/routes/admin._index'
import { action as acceptAction } from '~/routes/invite.$token'
import { listMembers, listOpenInvitations } from '~/institutions/institutions.server'
import { context, createUser, formRequest, getRequest, run, signedInCookie, unique } from './helpers'
import * as helpers from './helpers'

const homeWithStaff = () => helpers.homeWithStaff({ manager: true })

describe('per-home isolation', () => {
  test("staff of one home cannot open another home's console", async () => {
    const a = await homeWithStaff()
    const b = await homeWithStaff()
    const cookie = signedInCookie(a.staff.id)
    const own = await run(() =>
      consoleLoader({ request: getRequest(`/staff/${a.home.slug}`, cookie), params: { slug: a.home.slug }, context: context() }),
    )
    expect(own.status).toBe(200)
    const other = await run(() =>
      consoleLoader({ request: getRequest(`/staff/${b.home.slug}`, cookie), params: { slug: b.home.slug }, context: context() }),
    )
    expect(other.status).toBe(404)
    const otherMembers = await run(() =>
      membersLoader({
        request: getRequest(`/staff/${b.home.slug}/members`, signedInCookie(a.manager.id)),
        params: { slug: b.home.slug },
        context: context(),
      }),
    )
    expect(otherMembers.status).toBe(404)
  })

  test('a manager cannot invite into another home', async () => {
    const a = await homeWithStaff()
    const b = await homeWithStaff()
    const res = await run(() =>
      membersAction({
        request: formRequest(
          `/staff/${b.home.slug}/members`,
          { intent: 'invite', role: 'manager' },
          { cookie: signedInCookie(a.manager.id) },
        ),
        params: { slug: b.home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(404)
  })

  test('staff who are not managers cannot manage members', async () => {
    const a = await homeWithStaff()
    const res = await run(() =>
      membersLoader({
        request: getRequest(`/staff/${a.home.slug}/members`, signedInCookie(a.staff.id)),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(403)
  })

  test('an anonymous visitor is sent to sign in and brought back', async () => {
    const a = await homeWithStaff()
    const res = await run(() =>
      consoleLoader({ request: getRequest(`/staff/${a.home.slug}`), params: { slug: a.home.slug }, context: context() }),
    )
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/login?redirectTo=${encodeURIComponent(`/staff/${a.home.slug}`)}`)
  })
})

describe('platform admin', () => {
  test('only platform admins reach /admin', async () => {
    const member = await createUser()
    const res = await run(() => adminLoader({ request: getRequest('/admin', signedInCookie(member.id)), params: {}, context: context() }))
    expect(res.status).toBe(403)
  })

  test('an admin creates an institution; a duplicate slug is refused next to the field', async () => {
    const admin = await createUser({ isPlatformAdmin: true })
    const cookie = signedInCookie(admin.id)
    const slug = unique('new-home-')
    const fields = { name: '测试市儿童福利院', slug, kind: 'welfare_home', province: '河南省', city: '开封市' }
    const created = await run(() => adminAction({ request: formRequest('/admin', fields, { cookie }), params: {}, context: context() }))
    expect(created.status).toBe(302)
    expect(created.headers.get('Location')).toBe(`/admin/institutions/${slug}`)
    const dup = await run(() => adminAction({ request: formRequest('/admin', fields, { cookie }), params: {}, context: context() }))
    expect(dup.status).toBe(400)
    expect((dup.body as { result: { error: Record<string, string[]> } }).result.error.slug).toEqual(['该标识已被使用，请换一个'])
  })
})

describe('invitations', () => {
  async function invite(managerId: number, slug: string, role = 'staff') {
    const res = await run(() =>
      membersAction({
        request: formRequest(`/staff/${slug}/members`, { intent: 'invite', role }, { cookie: signedInCookie(managerId) }),
        params: { slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(200)
    const url = (res.body as { inviteUrl: string }).inviteUrl
    return url.split('/invite/')[1] as string
  }
  function accept(userId: number, token: string) {
    return run(() =>
      acceptAction({
        request: formRequest(`/invite/${token}`, {}, { cookie: signedInCookie(userId) }),
        params: { token },
        context: context(),
      }),
    )
  }

  test('a manager invites staff by a single-use link', async () => {
    const a = await homeWithStaff()
    const token = await invite(a.manager.id, a.home.slug)
    const newcomer = await createUser({ displayName: '新社工' })
    const res = await accept(newcomer.id, token)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe(`/staff/${a.home.slug}`)
    expect(listMembers(a.home.id).find((m) => m.userId === newcomer.id)?.role).toBe('staff')
    const someoneElse = await createUser()
    const reused = await accept(someoneElse.id, token)
    expect(reused.status).toBe(400)
    expect(listMembers(a.home.id).some((m) => m.userId === someoneElse.id)).toBe(false)
  })

  test('an invitation expires after 7 days', async () => {
    testClock.freeze('2026-03-01T00:00:00Z')
    const a = await homeWithStaff()
    const token = await invite(a.manager.id, a.home.slug)
    testClock.advance(7 * 86_400_000 + 1)
    const late = await createUser()
    const res = await accept(late.id, token)
    expect(res.status).toBe(400)
    expect((res.body as { message: string }).message).toMatch(/已过期/)
  })

  test('revoking an invitation says whether it worked, so the page never shows a failure as a success', async () => {
    const a = await homeWithStaff()
    await invite(a.manager.id, a.home.slug)
    const invitationId = listOpenInvitations(a.home.id)[0]!.id
    const revoke = () =>
      run(() =>
        membersAction({
          request: formRequest(
            `/staff/${a.home.slug}/members`,
            { intent: 'revoke', invitationId: String(invitationId) },
            { cookie: signedInCookie(a.manager.id) },
          ),
          params: { slug: a.home.slug },
          context: context(),
        }),
      )
    expect((await revoke()).body).toMatchObject({ ok: true, message: '邀请已撤销' })
    // "该邀请已失效" contains 已 like the success messages: the outcome, not the wording, sets the tone.
    expect((await revoke()).body).toMatchObject({ ok: false, message: '该邀请已失效' })
    const garbled = await run(() =>
      membersAction({
        request: formRequest(
          `/staff/${a.home.slug}/members`,
          { intent: 'remove', membershipId: '1e3' },
          { cookie: signedInCookie(a.manager.id) },
        ),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(garbled.status).toBe(400)
    expect(garbled.body).toMatchObject({ ok: false, message: '找不到该成员' })
  })

  test('a manager removes staff, but a home always keeps one manager', async () => {
    const a = await homeWithStaff()
    const cookie = signedInCookie(a.manager.id)
    const members = listMembers(a.home.id)
    const staffRow = members.find((m) => m.userId === a.staff.id)!
    const managerRow = members.find((m) => m.userId === a.manager.id)!
    const removeStaff = await run(() =>
      membersAction({
        request: formRequest(
          `/staff/${a.home.slug}/members`,
          { intent: 'remove', membershipId: String(staffRow.membershipId) },
          { cookie },
        ),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(removeStaff.status).toBe(200)
    const removeLast = await run(() =>
      membersAction({
        request: formRequest(
          `/staff/${a.home.slug}/members`,
          { intent: 'remove', membershipId: String(managerRow.membershipId) },
          { cookie },
        ),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(removeLast.status).toBe(400)
    expect((removeLast.body as { message: string }).message).toBe('机构至少需要保留一名管理员')
    expect(listMembers(a.home.id).map((m) => m.userId)).toEqual([a.manager.id])
  })
})
