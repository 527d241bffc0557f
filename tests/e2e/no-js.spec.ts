import { expect, test } from '@playwright/test'
import { newVisitor, typeVerificationCode } from './utils'

// The forms are plain HTML forms first: with JavaScript off they post to the server, which
// validates, answers in Chinese and starts the session.
test.use({ javaScriptEnabled: false })

test.describe('不开启 JavaScript 也能使用', () => {
  test('a visitor registers, signs out and signs in without JavaScript', async ({ page }) => {
    const visitor = newVisitor('无脚本')

    await page.goto('/register')
    await page.getByLabel('手机号或邮箱').fill(visitor.identifier)
    await page.getByLabel('称呼').fill(visitor.displayName)
    await page.getByLabel('密码', { exact: true }).fill(visitor.password)
    await page.getByLabel('确认密码').fill(visitor.password)
    await page.getByRole('button', { name: '注册' }).click()
    await expect(page).toHaveURL('/account/verify')
    await typeVerificationCode(page, visitor.identifier)
    await expect(page).toHaveURL('/account?verified=1')
    await expect(page.getByTestId('current-user')).toHaveText(visitor.displayName)

    await page.getByRole('banner').getByRole('button', { name: '退出' }).click()
    await expect(page).toHaveURL('/')
    await expect(page.getByTestId('current-user')).toHaveCount(0)

    await page.getByRole('banner').getByRole('link', { name: '登录' }).click()
    await expect(page).toHaveURL('/login')
    await page.getByLabel('手机号或邮箱').fill(visitor.identifier)
    await page.getByLabel('密码', { exact: true }).fill(visitor.password)
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page).toHaveURL('/')
    await expect(page.getByTestId('current-user')).toHaveText(visitor.displayName)
  })

  test('invalid input comes back with the Chinese error from the server', async ({ page }) => {
    const visitor = newVisitor()
    await page.goto('/register')
    // Passes the browser's own checks, fails the server's: not a phone number or e-mail.
    await page.getByLabel('手机号或邮箱').fill('12345678')
    await page.getByLabel('称呼').fill(visitor.displayName)
    await page.getByLabel('密码', { exact: true }).fill(visitor.password)
    await page.getByLabel('确认密码').fill(visitor.password)
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: '注册' }).click(),
    ])
    expect(response.status()).toBe(400)
    await expect(page).toHaveURL(/\/register/)
    const identifier = page.getByLabel('手机号或邮箱')
    await expect(identifier).toHaveAttribute('aria-invalid', 'true')
    await expect(identifier).toHaveAccessibleDescription(/请输入有效的中国大陆手机号（11 位）或邮箱地址/)
    // What the visitor typed is kept (apart from the passwords).
    await expect(identifier).toHaveValue('12345678')
    await expect(page.getByLabel('称呼')).toHaveValue(visitor.displayName)
    await expect(page.getByTestId('current-user')).toHaveCount(0)
  })

  test('a wrong password is answered in Chinese without JavaScript', async ({ page }) => {
    await page.goto('/login')
    await page.getByLabel('手机号或邮箱').fill('volunteer@weinuan.example')
    await page.getByLabel('密码', { exact: true }).fill('wrong-password')
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByRole('alert')).toHaveText('账号或密码不正确')
    await expect(page.getByTestId('current-user')).toHaveCount(0)
    // The server page keeps the identifier but never sends the password back.
    await expect(page.getByLabel('手机号或邮箱')).toHaveValue('volunteer@weinuan.example')
    await expect(page.getByLabel('密码', { exact: true })).toHaveValue('')
  })
})
