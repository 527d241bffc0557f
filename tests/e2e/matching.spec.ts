import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { DEMO_PASSWORD, demo, expectNoSeriousA11yViolations, signIn } from './utils'

// 配捐 end to end (issue 14, docs/decisions/024-matching-pledges.md): a member applies for an
// organisation, the platform admin verifies it, the partner pledges to a home, the home's
// manager accepts, a donor sees the live line on /give and gives through the mock checkout,
// and the partner's public page shows the matched amount.

const USCC = '91350100M000100Y43'

async function signOut(page: Page) {
  await page.context().clearCookies()
}

test.describe('配捐', () => {
  // Five people, a dozen pages and five axe runs on a shared two-core machine.
  test.setTimeout(180_000)

  test('partner verified, pledge accepted, a gift is matched and the public page shows it', async ({
    page,
    insertHome,
    insertUser,
  }, testInfo) => {
    const home = await insertHome()
    const member = await insertUser({ displayName: '配捐联系人' })
    const donor = await insertUser({ displayName: '捐款人甲' })
    const partnerName = `暖阳科技${Date.now().toString(36)}有限公司`

    await test.step('a member applies to act for an organisation; a wrong USCC is refused next to the field', async () => {
      await signIn(page, member.email, member.password)
      await page.goto('/me/partner')
      await page.getByLabel('组织名称').fill(partnerName)
      await page.getByLabel('统一社会信用代码').fill('91350100M000100Y44')
      await page.getByLabel('联系人').fill('李经理')
      await page.getByLabel('联系电话').fill('0543-1234567')
      await page.getByRole('button', { name: '提交申请' }).click()
      await expect(page.getByText('统一社会信用代码的校验位（第 18 位）不符，请核对登记证书')).toBeVisible()
      await expect(page.getByLabel('组织名称')).toHaveValue(partnerName)
      await expectNoSeriousA11yViolations(page, testInfo, '/me/partner (errors)')
      await page.getByLabel('统一社会信用代码').fill(USCC)
      await page.getByRole('button', { name: '提交申请' }).click()
      await expect(page.getByTestId('partner-status')).toHaveText('申请已提交，等待平台审核。')
      await signOut(page)
    })

    await test.step('the platform admin verifies it', async () => {
      await signIn(page, demo.admin.email, DEMO_PASSWORD)
      await page.goto('/admin/partners')
      await expectNoSeriousA11yViolations(page, testInfo, '/admin/partners')
      const card = page.getByTestId('partner-application').filter({ hasText: partnerName })
      await card.getByRole('button', { name: '通过审核' }).click()
      await expect(card).toContainText('已通过')
      await signOut(page)
    })

    await test.step('the partner pledges ¥3,200 at 1:1 to the home', async () => {
      await signIn(page, member.email, member.password)
      await page.goto('/me/partner')
      await expect(page.getByTestId('partner-status')).toHaveText('已通过平台审核')
      await page.getByLabel('配捐对象').selectOption({ label: `机构：${home.name}` })
      await page.getByLabel('配捐总额（元）').fill('3200')
      await page.getByLabel('单笔配捐上限（元）').fill('500')
      await page.getByRole('button', { name: '发起配捐' }).click()
      await expect(page.getByTestId('partner-pledge')).toContainText('待机构确认')
      await expectNoSeriousA11yViolations(page, testInfo, '/me/partner')
      await signOut(page)
    })

    await test.step('the home’s manager accepts it', async () => {
      await signIn(page, home.manager.email, home.manager.password)
      await page.goto(`/staff/${home.slug}/matching`)
      await expectNoSeriousA11yViolations(page, testInfo, '/staff/…/matching')
      await page.getByRole('button', { name: '接受配捐' }).click()
      await expect(page.getByTestId('home-pledge')).toContainText('已生效')
      await signOut(page)
    })

    await test.step('a donor sees the live line on /give and gives ¥50 through the mock checkout', async () => {
      await signIn(page, donor.email, donor.password)
      await page.goto(`/give?home=${home.slug}`)
      await expect(page.getByTestId('match-line')).toHaveText(`每捐 1 元，${partnerName} 再捐 1 元，配捐余额 ¥3,200`)
      await expectNoSeriousA11yViolations(page, testInfo, '/give (match line)')
      await page.getByLabel('¥50', { exact: true }).check()
      await page.getByRole('button', { name: '前往支付' }).click()
      await expect(page).toHaveURL(/\/dev\/mock-checkout\/cs_mock_[0-9a-f]+$/)
      await page.getByRole('button', { name: '模拟支付成功' }).click()
      await expect(page.getByText('支付已确认，这笔捐款已记入公开捐赠记录。')).toBeVisible()
    })

    await test.step('the home page shows the new balance and the public pledge page the matched amount', async () => {
      await page.goto(`/institutions/${home.slug}`)
      await expect(page.getByTestId('match-line')).toContainText('配捐余额 ¥3,150')
      await page.getByTestId('match-line').getByRole('link', { name: partnerName }).click()
      await expect(page.getByRole('heading', { level: 1, name: partnerName })).toBeVisible()
      const pledge = page.getByTestId('public-pledge')
      await expect(pledge.getByTestId('pledge-matched')).toHaveText('¥50')
      await expect(pledge).toContainText('承诺¥3,200')
      await expectNoSeriousA11yViolations(page, testInfo, '/partners/…')
    })
  })
})
