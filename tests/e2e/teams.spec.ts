import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// 一起捐 on a phone: a member starts a team for a wish, a second member gives through the
// team's link via the mock checkout (a signed webhook), and the team page shows the progress,
// the 发起人 and the member; the page shares a generated card.

test.use({ viewport: { width: 390, height: 844 } })

const CHILD_NAME = '欧阳一起'

test.describe('一起捐', () => {
  test('a member starts a team for a wish; a second member gives through it; the page shows progress and both', async ({
    page,
    browser,
    baseURL,
    insertHome,
    insertWish,
    insertUser,
  }, testInfo) => {
    test.setTimeout(120_000)
    const home = await insertHome()
    const wish = await insertWish(home, {
      title: '一套绘本',
      estimatedValueFen: 30_000,
      child: { realName: CHILD_NAME, pseudonym: '小禾' },
    })
    const starter = await insertUser({ displayName: '陈发起' })
    const donor = await insertUser({ displayName: '李捐款' })

    let teamPath = ''
    await test.step('the starter opens 发起一起捐 from the wish page and fills the form', async () => {
      await signIn(page, starter.email, starter.password)
      await page.goto(`/wishes/${wish.id}`)
      await page.getByRole('link', { name: '发起一起捐' }).click()
      await expect(page).toHaveURL(new RegExp(`/teams/new\\?wish=${wish.id}$`))
      await expect(page.getByRole('heading', { level: 1, name: '发起一起捐' })).toBeVisible()
      await expectNoSeriousA11yViolations(page, testInfo, '/teams/new')
      await waitForHydration(page)
      await page.getByLabel('一起捐名称').fill('三年二班一起捐')
      await page.getByLabel('目标金额（元）').fill('400')
      await page.getByLabel('一起捐说明（选填）').fill('我们班一起帮小禾实现心愿。')
      await page.getByLabel(/将显示为：陈发起$/).check()
      await page.getByRole('button', { name: '发起一起捐' }).click()
      await expect(page.getByText('目标金额不能超过这个心愿的参考价值 ¥300')).toBeVisible()
      await expect(page.getByLabel('一起捐名称')).toHaveValue('三年二班一起捐')
      await expectNoSeriousA11yViolations(page, testInfo, '/teams/new (errors)')
      await page.getByLabel('目标金额（元）').fill('200')
      await page.getByRole('button', { name: '发起一起捐' }).click()
      await expect(page).toHaveURL(/\/teams\/\d+\?created=1$/)
      teamPath = new URL(page.url()).pathname
      await expect(page.getByRole('heading', { level: 1, name: '三年二班一起捐' })).toBeVisible()
      await expect(page.getByText('发起人：陈发起')).toBeVisible()
    })

    await test.step('the team page has its share card as og:image', async () => {
      const image = await page.locator('meta[property="og:image"]').getAttribute('content')
      expect(image).toMatch(new RegExp(`${teamPath}/card\\.png\\?v=`))
      const card = await page.request.get(image!)
      expect(card.status()).toBe(200)
      expect(card.headers()['content-type']).toBe('image/png')
    })

    await test.step('a second member gives ¥50 through the team link on the mock checkout', async () => {
      const context = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } })
      const other = await context.newPage()
      await signIn(other, donor.email, donor.password)
      await other.goto(teamPath)
      await expectNoSeriousA11yViolations(other, testInfo, '/teams/:id')
      await other.getByRole('link', { name: '一起捐', exact: true }).click()
      await expect(other).toHaveURL(new RegExp(`/give\\?wish=${wish.id}&team=\\d+$`))
      await expect(other.getByTestId('give-team')).toContainText('三年二班一起捐')
      await waitForHydration(other)
      await other.getByLabel('其他金额（在下方填写）').check()
      await other.getByLabel('其他金额（元）').fill('50')
      await other.getByLabel(/将显示为：李捐款$/).check()
      await other.getByRole('button', { name: '前往支付' }).click()
      await expect(other).toHaveURL(/\/dev\/mock-checkout\/cs_mock_[0-9a-f]+$/)
      await waitForHydration(other)
      await other.getByRole('button', { name: '模拟支付成功' }).click()
      await expect(other.getByText('支付已确认，这笔捐款已记入公开捐赠记录。')).toBeVisible()
      await context.close()
    })

    await test.step('the team page shows the progress, the 发起人 and the member', async () => {
      await page.goto(teamPath)
      await expect(page.getByTestId('team-progress-text')).toContainText('已筹 ¥50')
      await expect(page.getByTestId('team-progress-text')).toContainText('共 1 笔捐款')
      await expect(page.getByRole('img', { name: /已筹 ¥50/ })).toBeVisible()
      await expect(page.getByTestId('team-members')).toHaveText('李捐款')
      await expect(page.getByText('发起人：陈发起')).toBeVisible()
      await expect(page.locator('body')).not.toContainText(CHILD_NAME)
      await expectNoSeriousA11yViolations(page, testInfo, '/teams/:id (progress)')
    })

    await test.step('the starter finds it under 我发起的一起捐', async () => {
      await page.goto('/me/donations')
      await expect(page.getByTestId('my-teams')).toContainText('三年二班一起捐')
      await expectNoSeriousA11yViolations(page, testInfo, '/me/donations')
    })
  })

  test('without JavaScript: a team is started once, a child’s name refused next to the field first', async ({
    browser,
    baseURL,
    insertHome,
    insertWish,
    insertUser,
  }) => {
    const home = await insertHome()
    const wish = await insertWish(home, { title: '一双跑鞋', child: { realName: CHILD_NAME, pseudonym: '小跑' } })
    const starter = await insertUser({ displayName: '无脚本' })
    const context = await browser.newContext({ baseURL, javaScriptEnabled: false, viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    await signIn(page, starter.email, starter.password, { javaScript: false })
    await page.goto(`/teams/new?wish=${wish.id}`)
    await page.getByLabel('一起捐名称').fill('跑鞋小队')
    await page.getByLabel('目标金额（元）').fill('120')
    await page.getByLabel('一起捐说明（选填）').fill(`给${CHILD_NAME}买跑鞋`)
    await page.getByRole('button', { name: '发起一起捐' }).click()
    await expect(page.getByText(/出现了儿童的真实姓名/)).toBeVisible()
    await expect(page.getByLabel('目标金额（元）')).toHaveValue('120')
    await page.getByLabel('一起捐说明（选填）').fill('一起给小跑买跑鞋')
    await page.getByRole('button', { name: '发起一起捐' }).click()
    await expect(page).toHaveURL(/\/teams\/\d+\?created=1$/)
    await expect(page.getByRole('heading', { level: 1, name: '跑鞋小队' })).toBeVisible()
    await context.close()
  })
})
