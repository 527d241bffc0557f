import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

/** "2026年12月12日（周六）09:30–11:30" → "2026-12-12". */
function isoDate(text: string): string {
  const m = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(text)
  if (!m) throw new Error(`no date in ${text}`)
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`
}

test.describe('志愿活动：重复的社会开放日', () => {
  test('a manager creates the open-day series from the preset and publishes it; a visitor on a phone finds it with every place free', async ({
    page,
    browser,
    insertHome,
  }, testInfo) => {
    // A long story (a series created and published, then four pages checked with axe on two
    // devices): 50–54 s on a quiet CI machine, too close to the 60 s default.
    test.setTimeout(120_000)
    // A home of the test's own: the series, its slots and the public listing are this run's alone.
    const home = await insertHome()
    const HOME = `/staff/${home.slug}`
    const title = `社会开放日 ${testInfo.project.name}-${Date.now().toString(36)}`
    await signIn(page, home.manager.email, home.manager.password)

    await test.step('the new-activity page offers 重复活动 with the 每月第二个周六 preset', async () => {
      await page.goto(`${HOME}/slots`)
      await expectNoSeriousA11yViolations(page, testInfo, 'staff slot list')
      await page.getByRole('link', { name: '新建活动' }).click()
      await expect(page.getByRole('heading', { name: '新建志愿活动' })).toBeVisible()
      await page.getByRole('link', { name: '重复活动' }).click()
      await page.getByRole('link', { name: '使用预设：每月第二个周六 9:30–11:30，40 人' }).click()
      await expect(page.getByText('已按预设填写')).toBeVisible()
      await waitForHydration(page)
      await expect(page.getByLabel('重复方式')).toHaveValue('monthly_2nd_saturday')
      await expect(page.getByLabel('开始时间')).toHaveValue('09:30')
      await expect(page.getByLabel('结束时间')).toHaveValue('11:30')
      await expect(page.getByLabel('名额（人数）')).toHaveValue('40')
      await expectNoSeriousA11yViolations(page, testInfo, 'new series form')
    })

    await test.step('saves it as a draft: six months of second Saturdays are generated', async () => {
      await page.getByLabel('活动名称').fill(title)
      await page.getByRole('button', { name: '保存为草稿' }).click()
      await expect(page.getByText(/重复活动已创建，已生成未来 6 个月的 \d+ 场/)).toBeVisible()
      await expect(page.getByTestId('series-status')).toHaveText('草稿')
      const occurrences = page.getByTestId('series-occurrences').getByRole('listitem')
      await expect(occurrences.first()).toContainText('（周六）09:30–11:30')
      await expect(occurrences.first()).toContainText('草稿')
    })

    await test.step('publishes the whole series', async () => {
      await page.getByRole('button', { name: '全部发布' }).click()
      await expect(page.getByText(/已发布 \d+ 场/)).toBeVisible()
      await expect(page.getByTestId('series-status')).toHaveText('已发布')
      await expectNoSeriousA11yViolations(page, testInfo, 'series page')
    })

    const first = page.getByTestId('series-occurrences').getByRole('link').first()
    const date = isoDate((await first.textContent()) ?? '')
    const staffSlotUrl = (await first.getAttribute('href')) ?? ''
    const slotId = /\/slots\/(\d+)/.exec(staffSlotUrl)?.[1] ?? ''
    expect(slotId).not.toBe('')

    await test.step('the staff page of one occurrence shows it published, with its check-in link', async () => {
      await first.click()
      await expect(page.getByTestId('slot-status')).toHaveText('已发布')
      await expect(page.getByRole('link', { name: '签到与接待' })).toHaveAttribute('href', `${HOME}/slots/${slotId}/checkin`)
      await expectNoSeriousA11yViolations(page, testInfo, 'staff slot page')
    })

    await test.step('a visitor on a phone sees the open day with 剩余 40 / 40 and opens its page', async () => {
      const phone = await browser.newContext({
        baseURL: testInfo.project.use.baseURL,
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      })
      const visitor = await phone.newPage()
      await visitor.goto(`/volunteer?home=${home.slug}&kind=open_day&from=${date}&to=${date}`)
      await expect(visitor.getByRole('heading', { level: 1, name: '志愿服务' })).toBeVisible()
      const card = visitor.getByTestId('slot-card').filter({ hasText: title })
      await expect(card).toContainText('剩余 40 / 40')
      await expect(card).toContainText(home.name)
      await expect(card).toContainText('09:30–11:30')
      await expectNoSeriousA11yViolations(visitor, testInfo, '/volunteer list (phone)')
      // The page fits the phone: no sideways scrolling.
      expect(await visitor.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

      await visitor.goto(`/volunteer?view=calendar&month=${date.slice(0, 7)}&home=${home.slug}`)
      await expect(
        visitor.getByRole('heading', { level: 2, name: `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月` }),
      ).toBeVisible()
      await expect(visitor.getByTestId('calendar').getByRole('link', { name: `09:30 ${title}` })).toBeVisible()
      await expectNoSeriousA11yViolations(visitor, testInfo, '/volunteer calendar (phone)')
      expect(await visitor.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)

      await visitor.goto(`/volunteer?home=${home.slug}&kind=open_day&from=${date}&to=${date}`)
      await visitor.getByTestId('slot-card').filter({ hasText: title }).getByRole('link', { name: title }).click()
      await expect(visitor.getByRole('heading', { level: 1, name: title })).toBeVisible()
      await expect(visitor.getByTestId('slot-remaining')).toHaveText('剩余 40 / 40')
      await expect(visitor.getByText('接受团体预约：须至少提前 3 天预约，每个团体最多 15 人')).toBeVisible()
      await expect(visitor.getByRole('link', { name: '预约', exact: true })).toHaveAttribute('href', `/volunteer/slots/${slotId}/book`)
      await expectNoSeriousA11yViolations(visitor, testInfo, 'public slot page (phone)')
      await phone.close()
    })
  })
})
