import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// The staff console on a phone (390×844): staff sign in straight to their console, see today's
// to-dos, and reach every page through six grouped menus that fit the screen without scrolling
// sideways — with JavaScript and without.

const HOUR = 3600_000
const DAY = 24 * HOUR

const groups = [
  { label: '心愿', items: ['儿童档案', '微心愿', '活动', '签收'] },
  { label: '志愿', items: ['志愿活动', '志愿者', '志愿时长'] },
  { label: '物资', items: ['物资需求', '门口登记'] },
  { label: '资金与公示', items: ['登记捐赠', '捐赠记录', '用途', '公示', '配捐'] },
  { label: '焕新乐园', items: ['项目', '结对', '结对走访', '家庭', '学业辅导'] },
  { label: '机构设置', items: ['成员', '设置'] },
]

/** The page is no wider than the phone: nothing sticks out to scroll to sideways. */
async function expectFitsPhone(page: Page) {
  const width = await page.evaluate(() => document.scrollingElement!.scrollWidth)
  expect(width).toBeLessThanOrEqual(390)
}

/** A group's menu button (its <summary>). */
function menu(nav: Locator, label: string): Locator {
  return nav.locator('summary').filter({ hasText: new RegExp(`^${label}`) })
}

/** 01:00 today in Shanghai: a slot of today whatever the hour the suite runs. */
function earlyToday(): Date {
  const shanghai = new Date(Date.now() + 8 * HOUR)
  const midnight = Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate()) - 8 * HOUR
  return new Date(midnight + HOUR)
}

test.use({ viewport: { width: 390, height: 844 } })

test.describe('机构后台：手机', () => {
  test('staff sign in to their console and see today’s to-dos', async ({
    page,
    insertHome,
    insertUser,
    insertWish,
    insertClaim,
    insertSlot,
    insertBooking,
  }, testInfo) => {
    test.setTimeout(90_000)
    const home = await insertHome()
    const donor = await insertUser({ displayName: '认领人' })
    const wish = await insertWish(home, { title: '一套课外书', child: { realName: '欧阳测试', pseudonym: '小雨' } })
    await insertClaim(wish, donor)
    const startsAt = earlyToday()
    const slot = await insertSlot(home, { title: '社会开放日', startsAt, postedAt: new Date(startsAt.getTime() - 7 * DAY) })
    await insertBooking(slot, await insertUser(), {
      organisation: '某公司团委',
      partySize: 3,
      bookedAt: new Date(startsAt.getTime() - 6 * DAY),
    })

    await test.step('signing in lands on the console, not the public home page', async () => {
      await signIn(page, home.staff.email, home.staff.password)
      await expect(page).toHaveURL(`/staff/${home.slug}`)
      await expect(page.getByRole('heading', { level: 1, name: home.name })).toBeVisible()
      await expect(page.getByText('管理功能即将开放')).toHaveCount(0)
    })

    await test.step('the to-dos count this home’s work and link to where it is done', async () => {
      await expect(page.getByRole('heading', { level: 2, name: /今日待办/ })).toBeVisible()
      await expect(page.getByTestId('todo-parcels-count')).toHaveText('1')
      await expect(page.getByTestId('todo-slots-count')).toHaveText('1')
      await expect(page.getByTestId(`slot-${slot.id}-checkin`)).toHaveText('已签到 0/1 份预约，到场 0/3 人')
      await expect(page.getByTestId('todo-checks-count')).toHaveText('0')
      await page.getByTestId('todo-parcels').getByRole('link', { name: '去签收' }).click()
      await expect(page).toHaveURL(`/staff/${home.slug}/receive`)
      await expect(page.getByRole('navigation', { name: '后台导航' }).locator('summary[aria-current="true"]')).toHaveText(/心愿/)
      await expect(page.getByRole('navigation', { name: '心愿：本组页面' }).getByRole('link', { name: '签收' })).toHaveAttribute(
        'aria-current',
        'page',
      )
      await page.getByRole('navigation', { name: '后台导航' }).getByRole('link', { name: '工作台' }).click()
      await expect(page).toHaveURL(`/staff/${home.slug}`)
      await page
        .getByTestId('todo-slots')
        .getByRole('link', { name: /签到：社会开放日/ })
        .click()
      await expect(page).toHaveURL(`/staff/${home.slug}/slots/${slot.id}/checkin`)
    })

    await test.step('the console fits the phone and passes axe, with a menu open too', async () => {
      await page.goto(`/staff/${home.slug}`)
      await waitForHydration(page)
      await expectFitsPhone(page)
      await expectNoSeriousA11yViolations(page, testInfo, 'staff console')
      const nav = page.getByRole('navigation', { name: '后台导航' })
      await menu(nav, '资金与公示').click()
      await expect(nav.getByRole('link', { name: '捐赠记录' })).toBeVisible()
      await expectFitsPhone(page)
      await expectNoSeriousA11yViolations(page, testInfo, 'staff console, menu open')
      await page.keyboard.press('Escape')
      await expect(nav.locator('details[open]')).toHaveCount(0)
      await expect(menu(nav, '资金与公示')).toBeFocused()
      await menu(nav, '物资').click()
      await expect(nav.getByRole('link', { name: '门口登记' })).toBeVisible()
      await page.getByRole('heading', { level: 2, name: /今日待办/ }).click()
      await expect(nav.locator('details[open]')).toHaveCount(0)
    })
  })

  test('every group menu reaches each of its pages, which mark where they are', async ({ page, insertHome }) => {
    test.setTimeout(120_000)
    const home = await insertHome()
    await signIn(page, home.manager.email, home.manager.password)
    await expect(page).toHaveURL(`/staff/${home.slug}`)
    const nav = page.getByRole('navigation', { name: '后台导航' })
    for (const group of groups) {
      for (const item of group.items) {
        await menu(nav, group.label).click()
        const link = nav.getByRole('link', { name: item, exact: true })
        await expect(link).toBeVisible()
        await expectFitsPhone(page)
        await link.click()
        await expect(
          page.getByRole('navigation', { name: `${group.label}：本组页面` }).getByRole('link', { name: item, exact: true }),
        ).toHaveAttribute('aria-current', 'page')
        await expect(nav.locator('summary[aria-current="true"]')).toHaveText(new RegExp(group.label))
        await expect(page.getByRole('heading', { level: 1, name: home.name })).toBeVisible()
        await expect(page.getByRole('heading', { level: 1, name: /页面不存在|没有访问权限|出错/ })).toHaveCount(0)
        // The menu closed behind the navigation, and the page fits the phone.
        await expect(nav.locator('details[open]')).toHaveCount(0)
        await expectFitsPhone(page)
      }
    }
  })

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false })

    test('staff do not see the settings group; the menus work without JavaScript', async ({ page, insertHome }) => {
      const home = await insertHome()
      await page.goto('/login')
      await page.getByLabel('手机号或邮箱').fill(home.staff.email)
      await page.getByLabel('密码', { exact: true }).fill(home.staff.password)
      await page.getByRole('button', { name: '登录' }).click()
      await expect(page).toHaveURL(`/staff/${home.slug}`)
      const nav = page.getByRole('navigation', { name: '后台导航' })
      await expect(menu(nav, '机构设置')).toHaveCount(0)
      await expect(menu(nav, '焕新乐园')).toHaveCount(1)
      await expectFitsPhone(page)
      await menu(nav, '志愿').click()
      await nav.getByRole('link', { name: '志愿者', exact: true }).click()
      await expect(page).toHaveURL(`/staff/${home.slug}/volunteers`)
      await expect(page.getByRole('navigation', { name: '志愿：本组页面' }).getByRole('link', { name: '志愿者' })).toHaveAttribute(
        'aria-current',
        'page',
      )
      await expectFitsPhone(page)
    })
  })
})
