import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, newVisitor, registerAndVerify, waitForHydration } from './utils'

// A money gift end to end with the local mock checkout (the e2e server runs without
// STRIPE_SECRET_KEY): the mock checkout posts a signed webhook to the site, and the gift
// appears in the public log with the donor's chosen display.

test.describe('捐款', () => {
  test('a donor gives ¥50 to a home through the mock checkout and finds it in the public log', async ({ page, insertHome }, testInfo) => {
    const home = await insertHome()
    const donor = newVisitor('捐款人')

    await test.step('the home’s page links to 捐款; an anonymous visitor is asked to sign in first', async () => {
      await page.goto(`/institutions/${home.slug}`)
      await page.getByRole('link', { name: /支持这家机构/ }).click()
      await expect(page).toHaveURL(new RegExp(`/login\\?redirectTo=%2Fgive%3Fhome%3D${home.slug}$`))
    })

    await test.step('registers and comes back to the 捐款 form', async () => {
      await page.goto(`/register?redirectTo=${encodeURIComponent(`/give?home=${home.slug}`)}`)
      await waitForHydration(page)
      await registerAndVerify(page, donor)
      await expect(page).toHaveURL(new RegExp(`/give\\?home=${home.slug}$`))
      await expect(page.getByRole('heading', { level: 1, name: '捐款' })).toBeVisible()
      await expect(page.getByText(/定向捐赠/).first()).toBeVisible()
      await expectNoSeriousA11yViolations(page, testInfo, '/give')
    })

    await test.step('an amount below ¥1 is refused next to the field, keeping what was typed', async () => {
      await waitForHydration(page)
      await page.getByLabel('其他金额（在下方填写）').check()
      await page.getByLabel('其他金额（元）').fill('0.5')
      await page.getByRole('button', { name: '前往支付' }).click()
      await expect(page.getByText('每笔捐款至少 ¥1')).toBeVisible()
      await expect(page.getByLabel('其他金额（元）')).toHaveValue('0.5')
      await expectNoSeriousA11yViolations(page, testInfo, '/give (errors)')
    })

    await test.step('chooses ¥50 and to be shown by name, then pays on the mock checkout', async () => {
      await page.getByLabel('¥50', { exact: true }).check()
      await page.getByLabel(new RegExp(`将显示为：${donor.displayName}$`)).check()
      await page.getByRole('button', { name: '前往支付' }).click()
      await expect(page).toHaveURL(/\/dev\/mock-checkout\/cs_mock_[0-9a-f]+$/)
      await expect(page.getByRole('heading', { level: 2, name: /支付 ¥50/ })).toBeVisible()
      await expectNoSeriousA11yViolations(page, testInfo, '/dev/mock-checkout')
      await waitForHydration(page)
      await page.getByRole('button', { name: '模拟支付成功' }).click()
    })

    let receipt = ''
    await test.step('the return page shows the confirmed gift with its receipt number', async () => {
      await expect(page).toHaveURL(/\/give\/done\?payment=\d+$/)
      await expect(page.getByRole('heading', { level: 1, name: '感谢您的捐款' })).toBeVisible()
      await expect(page.getByText('支付已确认，这笔捐款已记入公开捐赠记录。')).toBeVisible()
      receipt = (await page.getByRole('link', { name: /^WN-\d{4}-\d{6}$/ }).textContent()) ?? ''
      expect(receipt).toMatch(/^WN-\d{4}-\d{6}$/)
      await expectNoSeriousA11yViolations(page, testInfo, '/give/done')
    })

    await test.step('the home’s public log shows ¥50 from the donor', async () => {
      await page.goto(`/ledger?home=${home.slug}`)
      const entry = page.getByTestId('ledger-entry').filter({ has: page.getByRole('link', { name: `收据 ${receipt} 详情` }) })
      await expect(entry).toHaveCount(1)
      await expect(entry).toContainText(/¥50(\.00)?/)
      await expect(entry).toContainText(donor.displayName)
      await expect(entry).toContainText(home.name)
    })

    await test.step('its entry page shows 已验证, the inclusion proof checked in the browser', async () => {
      await page.goto(`/ledger/${receipt}`)
      await expect(page.getByTestId('ledger-verification')).toContainText(/已验证（第 \d+ 条，共 \d+ 条）/)
    })
  })
})
