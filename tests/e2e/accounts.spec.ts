import { expect, test } from './fixtures'
import {
  expectNoSeriousA11yViolations,
  fillRegistration,
  latestCodeFor,
  newVisitor,
  signIn,
  typeVerificationCode,
  waitForHydration,
} from './utils'

// Accounts on a phone (issue 13): registering sends a code to the number given and the account
// can claim, give and book only once it is typed (输入验证码); /account lists the 登录设备 and
// signs any of them out.

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
test.describe.configure({ timeout: 120_000 })

test('a visitor registers, is asked for the code sent by SMS, and once verified can book', async ({
  page,
  insertHome,
  insertSlot,
}, testInfo) => {
  const home = await insertHome()
  const title = `社会开放日 ${Math.random().toString(36).slice(2, 7)}`
  const { id: slotId } = await insertSlot(home, { title, startsAt: new Date(Date.now() + 3 * 86_400_000) })
  const visitor = newVisitor('验证')
  const bookPath = `/volunteer/slots/${slotId}/book`

  await test.step('registers from the booking page and lands on 输入验证码', async () => {
    await page.goto(`/register?redirectTo=${encodeURIComponent(bookPath)}`)
    await waitForHydration(page)
    await fillRegistration(page, visitor)
    await expect(page.getByRole('heading', { level: 1, name: '输入验证码' })).toBeVisible()
    await expect(page.getByRole('status')).toContainText(`${visitor.identifier.slice(0, 3)}****${visitor.identifier.slice(-4)}`)
    await expectNoSeriousA11yViolations(page, testInfo, '/account/verify')
  })

  await test.step('an unverified account sent to the booking page is brought back here', async () => {
    await page.goto(bookPath)
    await expect(page).toHaveURL(`/account/verify?redirectTo=${encodeURIComponent(bookPath)}`)
    await expect(page.getByText('不能认领微心愿、以您的名义捐款或预约志愿服务')).toBeVisible()
  })

  await test.step('a wrong code is refused next to the field, in Chinese', async () => {
    await expect.poll(() => latestCodeFor(visitor.identifier)).toMatch(/^\d{6}$/)
    const wrong = String((Number(latestCodeFor(visitor.identifier)) + 1) % 1_000_000).padStart(6, '0')
    await waitForHydration(page)
    await page.getByLabel('验证码').fill(wrong)
    await page.getByRole('button', { name: '验证', exact: true }).click()
    await expect(page.getByLabel('验证码')).toHaveAccessibleDescription(/验证码不正确，还可以再试 4 次/)
    await expectNoSeriousA11yViolations(page, testInfo, '/account/verify (wrong code)')
  })

  await test.step('the right code verifies the phone and goes on to book', async () => {
    await typeVerificationCode(page, visitor.identifier)
    await expect(page).toHaveURL(bookPath)
    await expect(page.getByRole('heading', { level: 1, name: `预约：${title}` })).toBeVisible()
    await page.goto('/account')
    await expect(page.getByText(`手机号：${visitor.identifier}`)).toContainText('已验证')
  })
})

test('登录设备: another device is listed and signed out from this one', async ({ page, browser, baseURL, insertUser }, testInfo) => {
  const user = await insertUser()
  const otherContext = await browser.newContext({
    baseURL,
    viewport: { width: 390, height: 844 },
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.44',
  })
  const other = await otherContext.newPage()
  await signIn(other, user.email, user.password)
  await signIn(page, user.email, user.password)

  await page.goto('/account')
  const devices = page.getByTestId('devices').getByRole('listitem')
  await expect(devices).toHaveCount(2)
  await expect(devices.filter({ hasText: '当前设备' })).toHaveCount(1)
  const wechat = devices.filter({ hasText: '微信 · iPhone' })
  await expect(wechat).toContainText(/登录于 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/)
  await expectNoSeriousA11yViolations(page, testInfo, '/account (登录设备)')

  await waitForHydration(page)
  await wechat.getByRole('button', { name: /^退出 微信 · iPhone/ }).click()
  await expect(page.getByText('已退出该设备。')).toBeVisible()
  await expect(devices).toHaveCount(1)

  await other.goto('/account')
  await expect(other).toHaveURL(/\/login\?redirectTo=%2Faccount$/)
  await otherContext.close()
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('registering, verifying and signing out the other devices all work as plain forms', async ({ page, browser, baseURL }) => {
    const visitor = newVisitor('无脚本验证')
    await page.goto('/register')
    await fillRegistration(page, visitor)
    await expect(page).toHaveURL('/account/verify')
    // 重新获取 is a plain form too.
    await page.getByRole('button', { name: '重新获取验证码' }).click()
    await expect(page.getByText(/新的验证码已发送至/)).toBeVisible()
    await typeVerificationCode(page, visitor.identifier)
    await expect(page).toHaveURL('/account?verified=1')
    await expect(page.getByText('验证成功')).toBeVisible()

    const otherContext = await browser.newContext({ baseURL, javaScriptEnabled: false })
    const other = await otherContext.newPage()
    await other.goto('/login')
    await other.getByLabel('手机号或邮箱').fill(visitor.identifier)
    await other.getByLabel('密码', { exact: true }).fill(visitor.password)
    await other.getByRole('button', { name: '登录' }).click()
    await expect(other.getByTestId('current-user')).toBeVisible()
    await page.goto('/account')
    await expect(page.getByTestId('devices').getByRole('listitem')).toHaveCount(2)
    await page.getByRole('button', { name: '退出其他所有设备' }).click()
    await expect(page.getByText('已退出其他所有设备。')).toBeVisible()
    await expect(page.getByTestId('devices').getByRole('listitem')).toHaveCount(1)
    await other.goto('/account')
    await expect(other).toHaveURL(/\/login\?redirectTo=%2Faccount$/)
    await otherContext.close()
  })
})
