import { expect, test } from '@playwright/test'
import { fillRegistration, newVisitor, signIn, typeVerificationCode, waitForHydration } from './utils'

test.describe('访客注册与登录', () => {
  test('a visitor registers, signs out and signs back in', async ({ page }) => {
    const visitor = newVisitor('暖心')

    await test.step('registers and lands signed in', async () => {
      await page.goto('/register')
      await expect(page.getByRole('heading', { level: 1, name: '注册' })).toBeVisible()
      await waitForHydration(page)
      await fillRegistration(page, visitor)
      // 输入验证码: the code sent by SMS verifies the phone number (issue 13).
      await expect(page).toHaveURL('/account/verify')
      await typeVerificationCode(page, visitor.identifier)
      await expect(page).toHaveURL('/account?verified=1')
      await expect(page.getByTestId('current-user')).toHaveText(visitor.displayName)
    })

    await test.step('their account page shows the phone number they registered with', async () => {
      await page.getByTestId('current-user').click()
      await expect(page.getByRole('heading', { level: 1, name: '我的账号' })).toBeVisible()
      await expect(page.getByText(`手机号：${visitor.identifier}`)).toBeVisible()
    })

    await test.step('signs out from the header', async () => {
      await page.getByRole('banner').getByRole('button', { name: '退出' }).click()
      await expect(page).toHaveURL('/')
      await expect(page.getByTestId('current-user')).toHaveCount(0)
      await expect(page.getByRole('banner').getByRole('link', { name: '登录' })).toBeVisible()
      // The session is really gone: a signed-in page now asks to sign in.
      await page.goto('/account')
      await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount$/)
    })

    await test.step('signs back in and sees their name again', async () => {
      await signIn(page, visitor.identifier, visitor.password)
      await expect(page.getByTestId('current-user')).toHaveText(visitor.displayName)
    })
  })

  test('a wrong password is refused with a message', async ({ page }) => {
    await page.goto('/login')
    await waitForHydration(page)
    await page.getByLabel('手机号或邮箱').fill('donor@weinuan.example')
    await page.getByLabel('密码', { exact: true }).fill('not-the-password')
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByRole('alert')).toHaveText('账号或密码不正确')
    await expect(page).toHaveURL(/\/login/)
    await expect(page.getByTestId('current-user')).toHaveCount(0)
    await expect(page.getByLabel('手机号或邮箱')).toHaveValue('donor@weinuan.example')
  })

  test('registering with an invalid phone number shows the error next to the field', async ({ page }) => {
    await page.goto('/register')
    await waitForHydration(page)
    await fillRegistration(page, { ...newVisitor(), identifier: '1234567' })
    const identifier = page.getByLabel('手机号或邮箱')
    await expect(identifier).toHaveAttribute('aria-invalid', 'true')
    await expect(identifier).toHaveAccessibleDescription(/请输入有效的中国大陆手机号（11 位）或邮箱地址/)
    await expect(page.getByText('请输入有效的中国大陆手机号（11 位）或邮箱地址')).toBeVisible()
    await expect(page).toHaveURL(/\/register/)
    await expect(page.getByTestId('current-user')).toHaveCount(0)
  })
})
