import { expect, test } from './fixtures'
import { demo, expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// Every page, checked with axe-core: no serious or critical WCAG 2.x A/AA violations.

const publicPages = [
  { path: '/', heading: '慈善之光，虽微而暖' },
  { path: '/institutions', heading: '机构' },
  { path: '/institutions/binzhou-fuliyuan', heading: '滨州市福利院' },
  { path: '/institutions/kaifeng-youfang', heading: '油坊社区临时救助点' },
  { path: '/wishes', heading: '微心愿' },
  { path: '/volunteer', heading: '志愿服务' },
  { path: '/needs', heading: '物资需求' },
  { path: '/disclosures', heading: '捐赠公示' },
  { path: '/ledger', heading: '公开捐赠记录' },
  { path: '/campaigns', heading: '活动' },
  { path: '/campaigns/binzhou-liuyi-runxin', heading: '六一「润心伴成长」' },
  { path: '/give', heading: '捐款' },
  { path: '/login', heading: '登录' },
  { path: '/register', heading: '注册' },
  { path: '/no-such-page', heading: '页面不存在', status: 404 },
]

test.describe('无障碍：公开页面', () => {
  for (const { path, heading, status = 200 } of publicPages) {
    test(`${path} has no serious accessibility violations`, async ({ page }, testInfo) => {
      const response = await page.goto(path)
      expect(response?.status()).toBe(status)
      await expect(page.getByRole('heading', { level: 1, name: heading, exact: true })).toBeVisible()
      await expectNoSeriousA11yViolations(page, testInfo, path)
    })
  }

  test('the login page showing validation errors', async ({ page }, testInfo) => {
    await page.goto('/login')
    await waitForHydration(page)
    await page.getByLabel('手机号或邮箱').fill('12345')
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByLabel('手机号或邮箱')).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByLabel('密码', { exact: true })).toHaveAccessibleDescription('请输入密码')
    await expectNoSeriousA11yViolations(page, testInfo, '/login (field errors)')
  })

  test('the register page showing validation errors', async ({ page }, testInfo) => {
    await page.goto('/register')
    await waitForHydration(page)
    await page.getByLabel('密码', { exact: true }).fill('short')
    await page.getByRole('button', { name: '注册' }).click()
    await expect(page.getByLabel('称呼')).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByText('密码至少需要 8 个字符')).toBeVisible()
    await expectNoSeriousA11yViolations(page, testInfo, '/register (field errors)')
  })
})

test.describe('无障碍：登录后的页面', () => {
  test('account and staff console pages (manager)', async ({ page }, testInfo) => {
    // Eleven pages, each scanned by axe: more than the default 30 s on this machine.
    test.setTimeout(120_000)
    await signIn(page, demo.manager1.email)
    for (const { path, heading } of [
      { path: '/account', heading: '我的账号' },
      { path: '/staff/binzhou-fuliyuan', heading: '滨州市福利院' },
      { path: '/staff/binzhou-fuliyuan/members', heading: '滨州市福利院' },
      { path: '/staff/binzhou-fuliyuan/children', heading: '滨州市福利院' },
      { path: '/staff/binzhou-fuliyuan/children/new', heading: '滨州市福利院' },
      { path: '/staff/binzhou-fuliyuan/wishes', heading: '滨州市福利院' },
      { path: '/staff/binzhou-fuliyuan/wishes/new', heading: '滨州市福利院' },
      { path: '/staff/binzhou-fuliyuan/campaigns', heading: '滨州市福利院' },
      { path: '/staff/binzhou-fuliyuan/campaigns/new', heading: '滨州市福利院' },
      { path: '/staff/binzhou-fuliyuan/receive', heading: '滨州市福利院' },
      { path: '/staff/binzhou-fuliyuan/settings', heading: '滨州市福利院' },
    ]) {
      await test.step(path, async () => {
        const response = await page.goto(path)
        expect(response?.status()).toBe(200)
        await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible()
        await expectNoSeriousA11yViolations(page, testInfo, path)
      })
    }

    await test.step('members page with a freshly generated invite link', async () => {
      await page.goto('/staff/binzhou-fuliyuan/members')
      await waitForHydration(page)
      await page.getByRole('button', { name: '生成邀请链接' }).click()
      await expect(page.getByTestId('invite-url')).toBeVisible()
      await expectNoSeriousA11yViolations(page, testInfo, '/staff/binzhou-fuliyuan/members (invite shown)')
    })
  })

  test('the release-a-pledge confirm page (manager)', async ({ page, insertHome, insertNeed, insertPledge, insertUser }, testInfo) => {
    const home = await insertHome()
    const need = await insertNeed(home, { title: '无障碍检查用棉被', unit: '条', quantityNeeded: 10 })
    const pledge = await insertPledge(need, await insertUser({ displayName: '王爱心' }), 4)
    await signIn(page, home.manager.email, home.manager.password)
    const response = await page.goto(`/staff/${home.slug}/needs/${need.id}/pledges/${pledge.id}/release`)
    expect(response?.status()).toBe(200)
    await expect(page.getByRole('heading', { name: /^释放认捐 / })).toBeVisible()
    await expect(page.getByLabel('释放原因（会告知认捐人）')).toBeVisible()
    await expectNoSeriousA11yViolations(page, testInfo, 'release pledge')
  })

  test('platform admin pages', async ({ page }, testInfo) => {
    await signIn(page, demo.admin.email)
    for (const { path, heading } of [
      { path: '/admin', heading: '平台管理' },
      { path: '/admin/institutions/binzhou-fuliyuan', heading: '滨州市福利院' },
    ]) {
      await test.step(path, async () => {
        const response = await page.goto(path)
        expect(response?.status()).toBe(200)
        await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible()
        await expectNoSeriousA11yViolations(page, testInfo, path)
      })
    }
  })
})
