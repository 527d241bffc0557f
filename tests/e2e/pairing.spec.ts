import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// 焕新乐园: a verified volunteer applies on the public programme page; the home's manager accepts
// the application and pairs the volunteer with 小雨家; the pairing shows 第 0 / 12 次. The home,
// its programme and family, and the volunteer (whose background check another home verified)
// come from the fixtures.

test('staff pair a verified volunteer with a family after accepting the application', async ({
  browser,
  page,
  insertHome,
  insertProgramme,
  insertFamily,
  insertUser,
  verifyVolunteer,
}, testInfo) => {
  test.setTimeout(90_000)
  const realName = `陈${Math.random().toString(36).slice(2, 5)}志愿`
  const home = await insertHome()
  const programme = await insertProgramme(home, { name: '焕新乐园' })
  await insertFamily(home, { alias: '小雨家' })
  const volunteer = await insertUser({ displayName: '结对志愿者' })
  await verifyVolunteer(volunteer, { realName })

  // The volunteer applies on the public programme page.
  const volunteerContext = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const volunteerPage = await volunteerContext.newPage()
  await signIn(volunteerPage, volunteer.email, volunteer.password)
  await volunteerPage.goto(`/programmes/${programme.slug}`)
  await expect(volunteerPage.getByRole('heading', { level: 1, name: '焕新乐园' })).toBeVisible()
  await expect(volunteerPage.getByText('已结对家庭')).toBeVisible()
  await expectNoSeriousA11yViolations(volunteerPage, testInfo, 'programme page')
  await waitForHydration(volunteerPage)
  await volunteerPage.getByLabel('为什么想参加').fill('想每月陪孩子读书、写作业')
  await volunteerPage.getByLabel('您方便的时间').fill('每月第二个周六下午')
  await volunteerPage.getByRole('button', { name: '申请加入' }).click()
  await expect(volunteerPage.getByText('您的申请状态：待审核')).toBeVisible()
  await volunteerContext.close()

  // The manager accepts the application.
  await signIn(page, home.manager.email, home.manager.password)
  await page.goto(`/staff/${home.slug}/programmes`)
  await expectNoSeriousA11yViolations(page, testInfo, 'staff programmes')
  await page.getByRole('link', { name: '焕新乐园', exact: true }).click()
  await expect(page.getByRole('heading', { name: '志愿者申请' })).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'staff programme')
  const application = page.getByRole('listitem').filter({ hasText: realName })
  await application.getByRole('button', { name: '接受' }).click()
  await expect(page.getByRole('listitem').filter({ hasText: realName })).toContainText('已接受')

  // …and pairs the volunteer with 小雨家.
  await page.goto(`/staff/${home.slug}/pairings/new`)
  await expect(page.getByText(`${realName}：符合要求`)).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'new pairing')
  await page.getByLabel('结对家庭').selectOption({ label: '小雨家' })
  await page.getByLabel('带队志愿者').selectOption({ label: realName })
  await page.getByRole('button', { name: '创建结对' }).click()
  await expect(page.getByRole('heading', { name: '小雨家 · 焕新乐园' })).toBeVisible()
  await expect(page.getByText('第 0 / 12 次')).toBeVisible()
  await expect(page.getByRole('listitem').filter({ hasText: `${realName}（带队）` })).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'pairing detail')

  await page.goto(`/staff/${home.slug}/pairings`)
  await expect(page.getByRole('link', { name: '小雨家 · 焕新乐园' })).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'pairings list')
})

test('families, tutoring and the volunteer’s tutoring offer pages pass axe', async ({ page }, testInfo) => {
  await signIn(page, 'manager6@weinuan.example')
  await page.goto('/staff/liaocheng-jiayin/families')
  await expect(page.getByRole('link', { name: '小林家' })).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'families')
  await page.goto('/staff/liaocheng-jiayin/families/new')
  await expectNoSeriousA11yViolations(page, testInfo, 'new family')
  await page.goto('/staff/liaocheng-jiayin/tutoring')
  await expect(page.getByRole('heading', { name: '登记学业需求' })).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'tutoring')
  await page.goto('/me/tutoring')
  await expect(page.getByRole('heading', { level: 1, name: '我的辅导意向' })).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'my tutoring offer')
})
