import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, newVisitor, registerAndVerify, waitForHydration } from './utils'

// 月捐 (issue 14) on a phone, with the local mock checkout (the e2e server runs without
// STRIPE_SECRET_KEY): a donor starts a monthly gift, finds it in 我的月捐, simulates a renewal
// (a signed invoice.paid through the webhook handler), changes the amount and cancels.

test.use({ viewport: { width: 390, height: 844 } })

const receiptLink = /^WN-\d{4}-\d{6}$/

test.describe('月捐', () => {
  test('a donor starts ¥30 a month, sees two receipts after a renewal, changes the amount and cancels', async ({
    page,
    insertHome,
  }, testInfo) => {
    const home = await insertHome()
    const donor = newVisitor('月捐人')
    const monthlyUrl = `/give/monthly?home=${home.slug}`

    await test.step('registers and reaches 每月捐', async () => {
      await page.goto(`/register?redirectTo=${encodeURIComponent(monthlyUrl)}`)
      await waitForHydration(page)
      await registerAndVerify(page, donor)
      await expect(page).toHaveURL(new RegExp(`/give/monthly\\?home=${home.slug}$`))
      await expect(page.getByRole('heading', { level: 1, name: '每月捐' })).toBeVisible()
      await expect(page.getByRole('link', { name: '一次性捐款' }).first()).toBeVisible()
      await expectNoSeriousA11yViolations(page, testInfo, '/give/monthly')
    })

    await test.step('more than ¥5,000 a month is refused next to the field, keeping what was typed', async () => {
      await waitForHydration(page)
      await page.getByLabel('其他金额（在下方填写）').check()
      await page.getByLabel('其他金额（元 / 月）').fill('6000')
      await page.getByRole('button', { name: /前往支付/ }).click()
      await expect(page.getByText('每月最多 ¥5,000')).toBeVisible()
      await expect(page.getByLabel('其他金额（元 / 月）')).toHaveValue('6000')
      await expectNoSeriousA11yViolations(page, testInfo, '/give/monthly (errors)')
    })

    await test.step('chooses ¥30 a month with a notice before each charge, and pays on the mock checkout', async () => {
      await page.getByLabel('¥30 / 月').check()
      await page.getByLabel('每次扣款前 3 天提醒我').check()
      await page.getByRole('button', { name: /前往支付/ }).click()
      await expect(page).toHaveURL(/\/dev\/mock-checkout\/cs_mock_[0-9a-f]+$/)
      await expect(page.getByRole('heading', { level: 2, name: /支付 ¥30 \/ 月/ })).toBeVisible()
      await waitForHydration(page)
      await page.getByRole('button', { name: '模拟支付成功' }).click()
    })

    const gift = page.getByTestId('monthly-gift')
    await test.step('我的月捐 shows it running, its next date and the first receipt', async () => {
      await expect(page).toHaveURL(/\/me\/monthly\?started=\d+$/)
      await expect(page.getByText('感谢您！月捐已开通。')).toBeVisible()
      await expect(gift).toHaveCount(1)
      await expect(gift.getByRole('heading', { level: 2 })).toContainText('每月 ¥30')
      await expect(gift.getByTestId('monthly-status')).toHaveText('进行中')
      await expect(gift.getByTestId('monthly-next')).toHaveText(/^\d{4}\/\d{2}\/\d{2}$/)
      await expect(gift.getByRole('link', { name: receiptLink })).toHaveCount(1)
      await expectNoSeriousA11yViolations(page, testInfo, '/me/monthly')
    })

    await test.step('the home’s page counts one monthly donor (no names)', async () => {
      await page.goto(`/institutions/${home.slug}`)
      await expect(page.getByTestId('home-monthly')).toHaveText('1 位月捐人 · 每月 ¥30')
      await page.goto('/me/monthly')
    })

    await test.step('模拟下一次扣款: a second receipt', async () => {
      await waitForHydration(page)
      await gift.getByRole('button', { name: '模拟下一次扣款' }).click()
      await expect(gift.getByRole('link', { name: receiptLink })).toHaveCount(2)
    })

    await test.step('changes the amount to ¥100 a month', async () => {
      await gift.getByLabel('新的每月金额（元）').fill('100')
      await gift.getByRole('button', { name: '修改金额' }).click()
      await expect(gift.getByRole('heading', { level: 2 })).toContainText('每月 ¥100')
    })

    await test.step('cancels after one confirmation; effective at once', async () => {
      await gift.getByRole('link', { name: '取消月捐' }).click()
      await expect(page.getByRole('alertdialog')).toContainText('确定取消这份月捐吗？')
      await expectNoSeriousA11yViolations(page, testInfo, '/me/monthly (cancel)')
      await page.getByRole('button', { name: '确定取消' }).click()
      await expect(gift.getByTestId('monthly-status')).toHaveText('已取消（不再扣款）')
      await expect(gift.getByRole('link', { name: receiptLink })).toHaveCount(2)
      await page.goto(`/institutions/${home.slug}`)
      await expect(page.getByTestId('home-monthly')).toHaveText('还没有月捐人')
    })
  })
})

test.describe('月捐 without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('a donor starts a monthly gift with JavaScript off', async ({ page, insertHome }) => {
    const home = await insertHome()
    const donor = newVisitor('无脚本月捐')
    await page.goto(`/register?redirectTo=${encodeURIComponent(`/give/monthly?home=${home.slug}`)}`)
    await registerAndVerify(page, donor)
    await expect(page.getByRole('heading', { level: 1, name: '每月捐' })).toBeVisible()
    await page.getByLabel('¥10 / 月').check()
    await page.getByRole('button', { name: /前往支付/ }).click()
    await expect(page).toHaveURL(/\/dev\/mock-checkout\/cs_mock_[0-9a-f]+$/)
    await page.getByRole('button', { name: '模拟支付成功' }).click()
    await expect(page).toHaveURL(/\/me\/monthly\?started=\d+$/)
    await expect(page.getByTestId('monthly-status')).toHaveText('进行中')
    await expect(page.getByTestId('monthly-gift').getByRole('link', { name: receiptLink })).toHaveCount(1)
  })
})
