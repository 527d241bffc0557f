import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// The site header on a 390×844 phone (issue 13 item 14): one row that never makes the page
// wider than the phone, with the public sections and the member's own pages (我的预约, 我的认领,
// 我的捐赠, 我的月捐, 志愿服务记录, 账户) in one 菜单 that works with and without JavaScript.

test.use({ viewport: { width: 390, height: 844 } })

const memberPages = [
  { name: '我的预约', url: '/me/bookings' },
  { name: '我的认领', url: '/me/claims' },
  { name: '我的捐赠', url: '/me/donations' },
  { name: '我的月捐', url: '/me/monthly' },
  { name: '志愿服务记录', url: '/me/service' },
  { name: '账户', url: '/account' },
]

/** Every item of the header row sits on one line, and nothing sticks out sideways. */
async function expectOneRowThatFits(page: Page) {
  const row = page.getByTestId('site-header-row')
  const tops = await row.evaluate((el) =>
    Array.from(el.querySelectorAll(':scope > a, :scope > div > details > summary, :scope > div > a, :scope > div > form'))
      .filter((c) => (c as HTMLElement).offsetParent !== null)
      .map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2)),
  )
  expect(tops.length).toBeGreaterThanOrEqual(3)
  expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(4)
  const rowHeight = await row.evaluate((el) => el.getBoundingClientRect().height)
  expect(rowHeight).toBeLessThan(72)
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390)
}

test('a visitor sees one header row; 菜单 holds the public sections', async ({ page }, testInfo) => {
  test.setTimeout(90_000)
  await page.goto('/')
  await waitForHydration(page)
  await expectOneRowThatFits(page)
  await expectNoSeriousA11yViolations(page, testInfo, 'header-visitor')
  const banner = page.getByRole('banner')
  await banner.locator('summary', { hasText: '菜单' }).click()
  const menu = banner.getByRole('navigation', { name: '网站菜单' })
  await expect(menu.getByRole('link', { name: '微心愿' })).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'header-visitor-menu-open')
  await menu.getByRole('link', { name: '物资需求' }).click()
  await expect(page).toHaveURL('/needs')
  await expect(banner.locator('details[open]')).toHaveCount(0)
  await expectOneRowThatFits(page)
})

test("a member reaches every one of their pages from the header's 菜单 on a phone", async ({ page, insertUser }, testInfo) => {
  test.setTimeout(120_000)
  const member = await insertUser({ displayName: '一位名字相当长的爱心志愿者' })
  await signIn(page, member.email, member.password)
  await expectOneRowThatFits(page)
  await expect(page.getByRole('banner').getByRole('button', { name: '退出' })).toBeVisible()

  const banner = page.getByRole('banner')
  const menu = banner.getByRole('navigation', { name: '网站菜单' })
  for (const target of memberPages) {
    await banner.locator('summary', { hasText: '菜单' }).click()
    await expect(menu.getByRole('link', { name: target.name, exact: true })).toBeVisible()
    if (target === memberPages[0]) await expectNoSeriousA11yViolations(page, testInfo, 'header-member-menu-open')
    await menu.getByRole('link', { name: target.name, exact: true }).click()
    await expect(page).toHaveURL(target.url)
    // The menu closed behind the navigation, and the row still fits the phone.
    await expect(banner.locator('details[open]')).toHaveCount(0)
    await expectOneRowThatFits(page)
  }
  await expectNoSeriousA11yViolations(page, testInfo, 'header-member')
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the 菜单 opens and its links work', async ({ page, insertUser }) => {
    const member = await insertUser()
    await page.goto('/login')
    await page.getByLabel('手机号或邮箱').fill(member.email)
    await page.getByLabel('密码', { exact: true }).fill(member.password)
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByTestId('current-user')).toBeVisible()
    await expectOneRowThatFits(page)
    const banner = page.getByRole('banner')
    await banner.locator('summary', { hasText: '菜单' }).click()
    await banner.getByRole('navigation', { name: '网站菜单' }).getByRole('link', { name: '志愿服务记录' }).click()
    await expect(page).toHaveURL('/me/service')
    await expect(page.getByRole('heading', { level: 1, name: '志愿服务记录' })).toBeVisible()
    await expectOneRowThatFits(page)
  })
})
