import { describe, expect, test } from 'vitest'
import { action as loginAction } from '~/routes/login'
import { addMember, context, createTestInstitution, createUser, formRequest, homeWithStaff, run, TEST_PASSWORD } from './helpers'

// Where signing in lands (app/auth/auth.server.ts signedInHome): staff on their console, platform
// admins on /admin, everyone else on the home page, unless they came with a safe redirectTo.

let address = 0
async function signIn(email: string, redirectTo?: string) {
  address += 1
  const fields: Record<string, string> = { identifier: email, password: TEST_PASSWORD }
  if (redirectTo !== undefined) fields.redirectTo = redirectTo
  const res = await run(() => loginAction({ request: formRequest('/login', fields), context: context(`10.9.0.${address}`), params: {} }))
  expect(res.status).toBe(302)
  return res.headers.get('Location')
}

describe('after signing in', () => {
  test('staff of one home land on its console', async () => {
    const { home, staff, manager } = await homeWithStaff({ manager: true })
    expect(await signIn(staff.email!)).toBe(`/staff/${home.slug}`)
    expect(await signIn(manager.email!, '')).toBe(`/staff/${home.slug}`)
  })

  test('staff of several homes land on the chooser of their homes', async () => {
    const { staff } = await homeWithStaff()
    addMember(staff.id, createTestInstitution('第二福利院').id, 'manager')
    expect(await signIn(staff.email!)).toBe('/staff')
  })

  test('platform admins land on /admin; members of no home on the home page', async () => {
    const admin = await createUser({ isPlatformAdmin: true })
    expect(await signIn(admin.email!)).toBe('/admin')
    const visitor = await createUser()
    expect(await signIn(visitor.email!)).toBe('/')
  })

  test('a redirectTo on this site wins; an unsafe one is ignored and staff still reach their console', async () => {
    const { home, staff } = await homeWithStaff()
    expect(await signIn(staff.email!, '/wishes?category=study')).toBe('/wishes?category=study')
    expect(await signIn(staff.email!, '/')).toBe('/')
    for (const evil of ['//evil.example/x', 'https://evil.example', '/\\evil.example', '/\t/evil.example', 'javascript:alert(1)']) {
      expect(await signIn(staff.email!, evil)).toBe(`/staff/${home.slug}`)
    }
    const visitor = await createUser()
    expect(await signIn(visitor.email!, '//evil.example/x')).toBe('/')
  })
})
