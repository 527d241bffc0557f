import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { generateHOTP } from '@oslojs/otp'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// Issue 13: two-step sign-in (TOTP) for staff, on a phone. The test plays the authenticator app:
// it computes the codes from the key the setup page shows for manual entry.

const PERIOD_MS = 30_000

/** The key shown on the setup page, as bytes. */
async function keyOnPage(page: Page): Promise<Uint8Array> {
  const text = (await page.getByTestId('totp-key').textContent()) ?? ''
  return decodeBase32IgnorePadding(text.replace(/\s+/g, ''))
}

/**
 * The app's code: the current time step, but never one already used (the site refuses a code
 * twice), so right after setting up it takes the next step, which the site still accepts.
 */
function appCode(key: Uint8Array, notBefore = 0): { code: string; step: number } {
  const step = Math.max(Math.floor(Date.now() / PERIOD_MS), notBefore)
  return { code: generateHOTP(key, BigInt(step), 6), step }
}

async function passwordStep(page: Page, email: string, password: string) {
  await page.goto('/login')
  await page.getByLabel('手机号或邮箱').fill(email)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录' }).click()
}

test('a manager switches on 「要求两步验证」 and is sent to set it up first', async ({ page, insertHome }, testInfo) => {
  // Two pages with an axe run each after signing in: close to the usual minute on a busy machine.
  test.slow()
  const home = await insertHome()
  await signIn(page, home.manager.email, home.manager.password)
  await page.goto(`/staff/${home.slug}/settings`)
  await waitForHydration(page)
  await expectNoSeriousA11yViolations(page, testInfo, 'settings')
  const setting = page.getByRole('checkbox', { name: '要求两步验证' })
  await expect(setting).not.toBeChecked()
  await setting.check()
  await page.getByRole('button', { name: '保存', exact: true }).click()
  // The console now requires it of the manager too: the page reloads into the setup.
  await expect(page).toHaveURL(/\/account\/two-factor\?redirectTo=/)
  await expect(page.getByText('您所在的机构要求两步验证')).toBeVisible()
  await expect(page.getByRole('img', { name: '两步验证密钥的二维码' })).toBeVisible()
  await expect(page.getByRole('link', { name: '用验证器应用打开' })).toHaveAttribute('href', /^otpauth:\/\/totp\//)
  await expectNoSeriousA11yViolations(page, testInfo, 'two-factor setup')
})

test('a staff member of a home that requires it sets it up, signs out and signs in with a code', async ({ page, insertHome }, testInfo) => {
  // A story across five pages with an axe run on three: more than the usual minute on a busy machine.
  test.slow()
  const home = await insertHome()
  const { setHomeRequiresTwoFactor } = await import('~/auth/two-factor.server')
  setHomeRequiresTwoFactor(home.actor, home.id, true)

  const { key, step } = await test.step('after the password the console sends them to the setup; a code confirms it', async () => {
    await signIn(page, home.staff.email, home.staff.password)
    await expect(page).toHaveURL(new RegExp(`/account/two-factor\\?redirectTo=${encodeURIComponent(`/staff/${home.slug}`)}`))
    await expect(page.getByRole('heading', { level: 1, name: '两步验证' })).toBeVisible()
    const key = await keyOnPage(page)
    const { code, step } = appCode(key)
    await waitForHydration(page)
    await page.getByLabel('验证码').fill(code)
    await page.getByRole('button', { name: '确认并开启' }).click()
    await expect(page.getByText('两步验证已开启。')).toBeVisible()
    await expect(page.getByTestId('recovery-code')).toHaveText(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/)
    await expectNoSeriousA11yViolations(page, testInfo, 'recovery code')
    await page.getByRole('link', { name: '我已保存，继续' }).click()
    await expect(page.getByRole('heading', { level: 1, name: home.name })).toBeVisible()
    return { key, step }
  })

  await test.step('signs out; after the password the code is asked for', async () => {
    await page.getByRole('button', { name: '退出' }).click()
    await expect(page.getByTestId('current-user')).toHaveCount(0)
    await passwordStep(page, home.staff.email, home.staff.password)
    await expect(page).toHaveURL(/\/login\/two-factor/)
    await expect(page.getByRole('heading', { level: 1, name: '两步验证' })).toBeVisible()
    await expectNoSeriousA11yViolations(page, testInfo, 'two-factor sign-in')
    expect((await page.request.get('/login/two-factor')).headers()['cache-control']).toBe('private, no-store')
    // Halfway signed in is not signed in: the console sends it back to the code step.
    await page.goto(`/staff/${home.slug}`)
    await expect(page).toHaveURL(/\/login\/two-factor\?redirectTo=/)
  })

  await test.step('a wrong code is refused next to the field; the right one opens the console', async () => {
    await waitForHydration(page)
    const { code } = appCode(key, step + 1)
    await page.getByLabel('验证码').fill(code === '000000' ? '111111' : '000000')
    await page.getByRole('button', { name: '验证并登录' }).click()
    await expect(page.getByText('验证码不正确或已用过')).toBeVisible()
    await expect(page.getByLabel('验证码')).toHaveAttribute('aria-invalid', 'true')
    await page.getByLabel('验证码').fill(code)
    await page.getByRole('button', { name: '验证并登录' }).click()
    await expect(page).toHaveURL(new RegExp(`/staff/${home.slug}$`))
    await expect(page.getByRole('heading', { level: 1, name: home.name })).toBeVisible()
    await expect(page.getByTestId('current-user')).toBeVisible()
  })
})

test('the recovery page is reachable from the code step', async ({ page, insertHome }, testInfo) => {
  const home = await insertHome()
  await signIn(page, home.staff.email, home.staff.password)
  const setup = await page.goto('/account/two-factor')
  expect(setup?.headers()['cache-control']).toBe('private, no-store')
  const key = await keyOnPage(page)
  await waitForHydration(page)
  await page.getByLabel('验证码').fill(appCode(key).code)
  await page.getByRole('button', { name: '确认并开启' }).click()
  await expect(page.getByTestId('recovery-code')).toBeVisible()
  await page.getByRole('button', { name: '退出' }).click()
  await expect(page.getByTestId('current-user')).toHaveCount(0)
  await passwordStep(page, home.staff.email, home.staff.password)
  await page.getByRole('link', { name: '使用恢复码' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '使用恢复码' })).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'recovery')
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('setting up and the sign-in step work as plain HTML forms', async ({ page, insertHome }) => {
    const home = await insertHome()
    await passwordStep(page, home.staff.email, home.staff.password)
    await expect(page.getByTestId('current-user')).toBeVisible()

    const { key, step } = await test.step('set up: a wrong code keeps the same key; the right code enables it', async () => {
      await page.goto('/account/two-factor')
      const key = await keyOnPage(page)
      const { code, step } = appCode(key)
      await page.getByLabel('验证码').fill(code === '000000' ? '111111' : '000000')
      await page.getByRole('button', { name: '确认并开启' }).click()
      await expect(page.getByText('验证码不正确或已用过')).toBeVisible()
      expect(Buffer.from(await keyOnPage(page))).toEqual(Buffer.from(key))
      await page.getByLabel('验证码').fill(code)
      await page.getByRole('button', { name: '确认并开启' }).click()
      await expect(page.getByTestId('recovery-code')).toBeVisible()
      return { key, step }
    })

    await test.step('sign out, password, then the code step', async () => {
      await page.getByRole('button', { name: '退出' }).click()
      await passwordStep(page, home.staff.email, home.staff.password)
      await expect(page).toHaveURL(/\/login\/two-factor/)
      await page.getByLabel('验证码').fill('12345')
      await page.getByRole('button', { name: '验证并登录' }).click()
      await expect(page.getByText('验证码是 6 位数字')).toBeVisible()
      await page.getByLabel('验证码').fill(appCode(key, step + 1).code)
      await page.getByRole('button', { name: '验证并登录' }).click()
      await expect(page).toHaveURL(new RegExp(`/staff/${home.slug}$`))
      await expect(page.getByRole('heading', { level: 1, name: home.name })).toBeVisible()
    })
  })
})
