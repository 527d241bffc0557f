import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, fillRegistration, newVisitor, signIn, waitForHydration } from './utils'

// 忘记密码 on a phone: the code arrives where this test environment delivers messages — no SMS
// provider is configured (tests/e2e/serve.sh), so the server writes each message to the file
// outbox in its DATA_DIR (app/notifications/delivery.server.ts), which this test reads.
const root = fileURLToPath(new URL('../..', import.meta.url))
const outboxDir = path.join(root, `tests/.tmp/e2e-data-${process.env.E2E_PORT ?? 3100}/outbox`)

function latestCodeFor(recipient: string): string | null {
  if (!fs.existsSync(outboxDir)) return null
  const files = fs
    .readdirSync(outboxDir)
    .filter((f) => f.endsWith('-auth.password-reset.code.txt'))
    .sort((a, b) => parseInt(b, 10) - parseInt(a, 10))
  for (const file of files) {
    const text = fs.readFileSync(path.join(outboxDir, file), 'utf8')
    if (text.startsWith(`To: ${recipient} (sms)`)) return text.match(/验证码 (\d{6})/)?.[1] ?? null
  }
  return null
}

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
// Four argon2 hashes and two axe runs in the first story: more than the default 30 s on a busy machine.
test.describe.configure({ timeout: 120_000 })

test('a visitor who forgot the password gets a code by SMS, sets a new one and is signed in; other devices and the old password are out', async ({
  page,
  browser,
  baseURL,
}, testInfo) => {
  const visitor = newVisitor('忘密')
  const newPassword = 'new-warm-hearts-9'

  // Registered and signed in on another device, whose session the reset must end.
  const otherDevice = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } })
  const other = await otherDevice.newPage()
  await other.goto('/register')
  await waitForHydration(other)
  await fillRegistration(other, visitor)
  await expect(other.getByTestId('current-user')).toBeVisible()

  await test.step('finds 忘记密码？ on the sign-in page and asks for a code', async () => {
    await page.goto('/login')
    await page.getByRole('link', { name: '忘记密码？' }).click()
    await expect(page.getByRole('heading', { level: 1, name: '忘记密码' })).toBeVisible()
    await waitForHydration(page)
    await expectNoSeriousA11yViolations(page, testInfo, '/forgot-password')
    await page.getByLabel('手机号或邮箱').fill(visitor.identifier)
    await page.getByRole('button', { name: '获取验证码' }).click()
    await expect(page.getByRole('status')).toContainText(`${visitor.identifier.slice(0, 3)}****${visitor.identifier.slice(-4)}`)
    await expectNoSeriousA11yViolations(page, testInfo, '/forgot-password (code step)')
  })

  await test.step('a wrong code is refused next to the field', async () => {
    await expect.poll(() => latestCodeFor(visitor.identifier)).toMatch(/^\d{6}$/)
    const wrong = String((Number(latestCodeFor(visitor.identifier)) + 1) % 1_000_000).padStart(6, '0')
    await page.getByLabel('验证码').fill(wrong)
    await page.getByLabel('新密码', { exact: true }).fill(newPassword)
    await page.getByLabel('确认新密码').fill(newPassword)
    await page.getByRole('button', { name: '重置密码并登录' }).click()
    await expect(page.getByLabel('验证码')).toHaveAccessibleDescription(/验证码不正确，还可以再试 4 次/)
    await expect(page.getByTestId('current-user')).toHaveCount(0)
  })

  await test.step('types the code from the SMS and a new password, and is signed in', async () => {
    const code = latestCodeFor(visitor.identifier)!
    await page.getByLabel('验证码').fill(code)
    await page.getByLabel('新密码', { exact: true }).fill(newPassword)
    await page.getByLabel('确认新密码').fill(newPassword)
    await page.getByRole('button', { name: '重置密码并登录' }).click()
    await expect(page.getByTestId('current-user')).toHaveText(visitor.displayName)
  })

  await test.step('the other device is signed out', async () => {
    await other.goto('/account')
    await expect(other).toHaveURL(/\/login\?redirectTo=%2Faccount$/)
    await otherDevice.close()
  })

  await test.step('the old password is refused; the new one signs in', async () => {
    await page.context().clearCookies()
    await page.goto('/login')
    await waitForHydration(page)
    await page.getByLabel('手机号或邮箱').fill(visitor.identifier)
    await page.getByLabel('密码', { exact: true }).fill(visitor.password)
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByRole('alert')).toHaveText('账号或密码不正确')
    await signIn(page, visitor.identifier, newPassword)
  })
})

test('a signed-in person changes the password on the account page and stays signed in', async ({ page, insertUser }, testInfo) => {
  const user = await insertUser()
  await signIn(page, user.email, user.password)
  await page.goto('/account')
  await waitForHydration(page)
  await page.getByLabel('当前密码').fill('not-my-password')
  await page.getByLabel('新密码', { exact: true }).fill('changed-pass-2026')
  await page.getByLabel('确认新密码').fill('changed-pass-2026')
  await page.getByRole('button', { name: '修改密码' }).click()
  await expect(page.getByLabel('当前密码')).toHaveAccessibleDescription(/当前密码不正确/)
  await page.getByLabel('当前密码').fill(user.password)
  await page.getByLabel('新密码', { exact: true }).fill('changed-pass-2026')
  await page.getByLabel('确认新密码').fill('changed-pass-2026')
  await page.getByRole('button', { name: '修改密码' }).click()
  await expect(page.getByText('密码已修改，其他设备上的登录已退出。')).toBeVisible()
  await expect(page.getByTestId('current-user')).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, '/account')
})

test('without JavaScript the reset works the same', async ({ browser, baseURL }) => {
  const visitor = newVisitor('无脚本')
  const registered = await browser.newContext({ baseURL })
  const first = await registered.newPage()
  await first.goto('/register')
  await waitForHydration(first)
  await fillRegistration(first, visitor)
  await expect(first.getByTestId('current-user')).toBeVisible()
  await registered.close()

  const context = await browser.newContext({ javaScriptEnabled: false, baseURL, viewport: { width: 390, height: 844 } })
  const page = await context.newPage()
  await page.goto('/forgot-password')
  await page.getByLabel('手机号或邮箱').fill(visitor.identifier)
  await page.getByRole('button', { name: '获取验证码' }).click()
  await expect(page.getByRole('status')).toContainText('验证码已发送')
  await expect.poll(() => latestCodeFor(visitor.identifier)).toMatch(/^\d{6}$/)
  await page.getByLabel('验证码').fill(latestCodeFor(visitor.identifier)!)
  await page.getByLabel('新密码', { exact: true }).fill('no-script-pass-1')
  await page.getByLabel('确认新密码').fill('no-script-pass-1')
  await page.getByRole('button', { name: '重置密码并登录' }).click()
  await expect(page.getByTestId('current-user')).toHaveText(visitor.displayName)
  await context.close()
})
