import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// 焕新乐园: a verified lead volunteer logs a home visit on a phone, the home's manager confirms
// it on the staff dashboard, and the lead's pairing shows 第 1 / 12 次. The home, its programme,
// the family and the pairing (begun ten days ago) come from the fixtures.

const DAY = 24 * 60 * 60 * 1000

function shanghaiDay(offsetDays: number): string {
  return new Date(Date.now() + 8 * 60 * 60 * 1000 + offsetDays * DAY).toISOString().slice(0, 10)
}

test.use({ viewport: { width: 390, height: 844 } })

test('the lead logs a visit on a phone, staff confirm it and the pairing shows 第 1 / 12 次', async ({
  page,
  browser,
  insertHome,
  insertUser,
  insertPairing,
}, testInfo) => {
  test.setTimeout(90_000)
  const home = await insertHome()
  const lead = await insertUser({ displayName: '带队志愿者' })
  const alias = `小雨家${Math.random().toString(36).slice(2, 6)}`
  const { id: pairingId } = await insertPairing(home, lead, {
    programmeName: '焕新乐园走访测试',
    alias,
    startDate: shanghaiDay(-10),
    realName: '陈带队',
  })
  await signIn(page, lead.email, lead.password)

  await page.goto('/me/pairings')
  const card = page.locator(`#pairing-${pairingId}`)
  await expect(card.getByRole('heading', { name: `焕新乐园走访测试 · ${alias}` })).toBeVisible()
  await expect(card.getByTestId('pairing-progress')).toHaveText('第 0 / 12 次')
  await expectNoSeriousA11yViolations(page, testInfo, 'me-pairings')

  await card.getByRole('link', { name: '记录一次走访' }).click()
  await expect(page.getByRole('heading', { name: '记录一次走访' })).toBeVisible()
  await waitForHydration(page)
  // Too short first: the error appears next to the field and the typed note is kept.
  await page.getByLabel('时长（分钟）').fill('5')
  await page.getByLabel('共读').check()
  await page.getByLabel('简短记录（选填）').fill('一起读了《小王子》，孩子很开心')
  await page.getByRole('button', { name: '提交走访记录' }).click()
  await expect(page.getByText('时长至少 15 分钟')).toBeVisible()
  await expect(page.getByLabel('简短记录（选填）')).toHaveValue('一起读了《小王子》，孩子很开心')
  await expectNoSeriousA11yViolations(page, testInfo, 'log-visit')

  await page.getByLabel('时长（分钟）').fill('90')
  await page.getByLabel('辅导作业').check()
  await page.getByLabel('需要机构跟进的事项（选填，仅工作人员可见）').fill('家里书桌需要更换')
  await page.getByRole('button', { name: '提交走访记录' }).click()
  await expect(page).toHaveURL(/\/me\/pairings/)
  await expect(card.getByText('待确认')).toBeVisible()

  const staffContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const staff = await staffContext.newPage()
  await signIn(staff, home.manager.email, home.manager.password)
  await staff.goto(`/staff/${home.slug}/visits`)
  const pending = staff.getByTestId('pending-visit').filter({ hasText: alias })
  await expect(pending).toHaveCount(1)
  await expect(pending.getByText('需跟进（仅工作人员可见）：家里书桌需要更换')).toBeVisible()
  await expectNoSeriousA11yViolations(staff, testInfo, 'staff-visits')
  await waitForHydration(staff)
  await pending.getByRole('button', { name: '确认走访' }).click()
  await expect(staff.getByTestId('pending-visit').filter({ hasText: alias })).toHaveCount(0)
  await expect(staff.locator(`#pairing-${pairingId}`).getByTestId('staff-pairing-progress')).toHaveText('第 1 / 12 次')
  await staffContext.close()

  await page.goto('/me/pairings')
  await expect(card.getByTestId('pairing-progress')).toHaveText('第 1 / 12 次')
  await expect(card.getByText('已确认')).toBeVisible()
})
