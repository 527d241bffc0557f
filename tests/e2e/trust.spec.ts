import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { demo, DEMO_PASSWORD, expectNoSeriousA11yViolations, signIn } from './utils'

// Issue 13: a manager fills in the home's 机构信息 and 收件信息; the public institution page shows
// the facts (信息由机构填写，平台未核验 until a platform admin checks them) and the home page
// shows the platform totals. On a phone, with and without JavaScript.

const VALID_USCC = '91440300708461136T'

// A phone in both projects: the stories check that the pages fit 390 px.
test.use({ viewport: { width: 390, height: 844 } })

async function fitsPhone(page: Page) {
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390)
}

test.describe('机构信息', () => {
  test('a manager saves the facts (a wrong check character is refused beside the field) and the public page shows them', async ({
    page,
    browser,
    insertHome,
  }, testInfo) => {
    const home = await insertHome()
    await signIn(page, home.manager.email, home.manager.password)
    await page.goto(`/staff/${home.slug}/settings`)
    const facts = page.locator('form#trust-facts')
    await facts.getByLabel('统一社会信用代码 / 登记证号').fill('91440300708461136A')
    await facts.getByLabel('登记管理机关').fill('滨州市民政局')
    await facts.getByLabel('机构性质').selectOption({ label: '民政部门主管的福利机构' })
    await facts.getByLabel('地址', { exact: true }).fill('山东省滨州市黄河五路 1 号')
    await facts.getByLabel('联系电话').fill('0543-3000000')
    await facts.getByRole('button', { name: '保存机构信息' }).click()
    await expect(facts.getByText('统一社会信用代码的校验位（第 18 位）不符，请核对登记证书')).toBeVisible()
    await expect(facts.getByLabel('统一社会信用代码 / 登记证号')).toHaveAttribute('aria-invalid', 'true')
    await facts.getByLabel('统一社会信用代码 / 登记证号').fill(VALID_USCC)
    await facts.getByRole('button', { name: '保存机构信息' }).click()
    await expect(page.getByText('机构信息已保存')).toBeVisible()
    await fitsPhone(page)
    await expectNoSeriousA11yViolations(page, testInfo, 'staff settings')

    // The public page, as a visitor who is not signed in.
    const visitor = await browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: testInfo.project.use.baseURL })
    const publicPage = await visitor.newPage()
    await publicPage.goto(`/institutions/${home.slug}`)
    const block = publicPage.getByTestId('trust-facts')
    await expect(block.getByRole('heading', { name: '机构信息' })).toBeVisible()
    await expect(block).toContainText(VALID_USCC)
    await expect(block).toContainText('滨州市民政局')
    await expect(block).toContainText('民政部门主管的福利机构')
    await expect(block).toContainText('不具有公开募捐资格')
    await expect(publicPage.getByTestId('trust-verification')).toHaveText('信息由机构填写，平台未核验。')
    await visitor.close()
  })

  test('an institution page shows 机构信息 and the home’s totals on a phone', async ({ page }, testInfo) => {
    await page.goto('/institutions/liaocheng-jiayin') // the demo seed fills its facts
    const block = page.getByTestId('trust-facts')
    await expect(block).toContainText('统一社会信用代码')
    await expect(block).toContainText('慈善组织（已认定）')
    await expect(block).toContainText('信息由机构填写')
    const totals = page.getByTestId('home-totals')
    for (const label of ['已收到捐赠', '物资件数', '心愿实现数', '志愿服务时长']) await expect(totals).toContainText(label)
    await fitsPhone(page)
    await expectNoSeriousA11yViolations(page, testInfo, 'institution page')
  })

  test('a platform admin verifies a home’s facts and its public page says so', async ({ page }, testInfo) => {
    const slug = 'binzhou-fuliyuan' // the demo seed gives it a registration number
    await signIn(page, demo.admin.email, DEMO_PASSWORD)
    await page.goto(`/admin/institutions/${slug}`)
    const withdraw = page.getByRole('button', { name: '撤销核验' })
    if (await withdraw.isVisible()) await withdraw.click() // a rerun of the other project on this database
    await page.getByRole('button', { name: '标记为平台已核验' }).click()
    await expect(page.getByTestId('admin-verification')).toContainText('平台已核验')
    await expect(page.getByTestId('admin-verification')).toContainText(demo.admin.name)
    await fitsPhone(page)
    await expectNoSeriousA11yViolations(page, testInfo, 'admin institution')
    await page.goto(`/institutions/${slug}`)
    await expect(page.getByTestId('trust-verification')).toContainText('信息由机构填写，平台已核验')
  })

  test('the home page shows the platform totals', async ({ page }, testInfo) => {
    await page.goto('/')
    const totals = page.getByTestId('platform-totals')
    for (const label of ['已收到捐赠', '物资件数', '心愿实现数', '志愿服务时长']) await expect(totals).toContainText(label)
    await expect(totals).toContainText('¥')
    await expect(totals).toContainText('小时')
    await fitsPhone(page)
    await expectNoSeriousA11yViolations(page, testInfo, 'home page')
  })
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the settings forms save and refuse on the server, keeping what was typed', async ({ page, insertHome }) => {
    const home = await insertHome()
    await page.goto('/login')
    await page.getByLabel('手机号或邮箱').fill(home.manager.email)
    await page.getByLabel('密码', { exact: true }).fill(home.manager.password)
    await page.getByRole('button', { name: '登录' }).click()
    await page.goto(`/staff/${home.slug}/settings`)

    const facts = page.locator('form#trust-facts')
    await facts.getByLabel('统一社会信用代码 / 登记证号').fill(VALID_USCC)
    await facts.getByLabel('机构性质').selectOption({ label: '其他社会组织' })
    await facts.getByLabel('是否具有公开募捐资格').selectOption('yes')
    await facts.getByRole('button', { name: '保存机构信息' }).click()
    await expect(page.locator('form#trust-facts').getByText(/只有已认定的慈善组织才能取得公开募捐资格/)).toBeVisible()
    await expect(page.locator('form#trust-facts').getByLabel('统一社会信用代码 / 登记证号')).toHaveValue(VALID_USCC)
    await page.locator('form#trust-facts').getByLabel('机构性质').selectOption({ label: '慈善组织（已认定）' })
    await page.locator('form#trust-facts').getByRole('button', { name: '保存机构信息' }).click()
    await expect(page.getByText('机构信息已保存')).toBeVisible()

    const shipping = page.locator('form#shipping-recipient')
    await shipping.getByLabel('收件人').fill('张老师（物资组）')
    await shipping.getByLabel('收件电话').fill('0543-7654321')
    await shipping.getByRole('button', { name: '保存收件信息' }).click()
    await expect(page.getByText('收件信息已保存')).toBeVisible()
    await expect(page.locator('form#shipping-recipient').getByLabel('收件人')).toHaveValue('张老师（物资组）')
    await fitsPhone(page) // axe needs JavaScript: the same page is checked in the story above

    await page.goto(`/institutions/${home.slug}`)
    await expect(page.getByTestId('trust-facts')).toContainText('慈善组织（已认定）')
    await expect(page.getByTestId('trust-facts').getByText('具有公开募捐资格', { exact: true })).toBeVisible()
    await expect(page.locator('body')).not.toContainText('张老师（物资组）')
    await expect(page.locator('body')).not.toContainText('0543-7654321')
  })
})
