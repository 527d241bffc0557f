import { expect, test } from './fixtures'
import { expectCleanHydration, expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// 志愿服务记录 on a phone: a volunteer (real name on file, hours served at two homes in 2026:
// open days they were checked in at and out of, made through the fixtures) sees the totals,
// issues a 志愿服务记录证明, opens the printable certificate with its QR, and a visitor checks
// the code and sees the name and hours only.

test.use({ viewport: { width: 390, height: 844 } })

test('a volunteer issues a service-record certificate on a phone and a visitor verifies its code', async ({
  page,
  browser,
  insertHome,
  insertUser,
  insertProfile,
  insertServiceHours,
}, testInfo) => {
  const volunteer = await insertUser()
  const realName = `张${Math.random().toString(36).slice(2, 5)}`
  const { phone } = await insertProfile(volunteer, { realName })
  const homes = [await insertHome(), await insertHome()]
  await insertServiceHours(homes[0]!, volunteer, {
    title: '社会开放日：陪孩子们做手工',
    startsAt: new Date('2026-03-14T09:00:00+08:00'),
    minutes: 150,
  })
  await insertServiceHours(homes[1]!, volunteer, {
    title: '焕新乐园家庭陪伴 第 1 次：共读绘本',
    startsAt: new Date('2026-04-18T14:00:00+08:00'),
    minutes: 90,
  })
  await signIn(page, volunteer.email, volunteer.password)

  await page.goto('/me/service')
  await waitForHydration(page)
  await expect(page.getByRole('heading', { level: 1, name: '志愿服务记录' })).toBeVisible()
  await expect(page.getByTestId('service-total-hours')).toHaveText('共 4 小时')
  await expect(page.getByTestId('service-per-year')).toContainText('2026 年')
  await expect(page.getByTestId('service-per-home')).toContainText(homes[0]!.name)
  await expectNoSeriousA11yViolations(page, testInfo, 'me-service')

  await page.getByLabel('开始日期').fill('2026-01-01')
  await page.getByLabel('结束日期').fill('2026-12-31')
  await page.getByRole('button', { name: '生成证明' }).click()
  await expect(page.getByRole('status')).toContainText('证明已生成')
  const code = (await page.getByTestId('certificate-list').getByRole('link').first().textContent())!.replace('查看证明', '').trim()
  expect(code).toMatch(/^WN-[A-Z0-9]{5}-[A-Z0-9]{5}$/)

  await page.getByRole('link', { name: '查看并打印证明' }).click()
  await expect(page.getByRole('heading', { level: 1, name: '志愿服务记录证明' })).toBeVisible()
  await expect(page.getByTestId('certificate-name')).toHaveText(realName)
  await expect(page.getByTestId('certificate-hours')).toHaveText('4 小时')
  await expect(page.getByTestId('certificate-code')).toHaveText(code)
  await expect(page.getByTestId('certificate-qr').locator('svg')).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'certificate')
  await expectCleanHydration(page)

  // A visitor without an account checks the code.
  const visitorContext = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const visitor = await visitorContext.newPage()
  await visitor.goto(`/verify/service/${code}`)
  const verified = visitor.getByTestId('verified-certificate')
  await expect(verified).toContainText('证明有效')
  await expect(verified).toContainText(realName)
  await expect(verified).toContainText('4 小时')
  await expect(verified).toContainText('2026-01-01 至 2026-12-31')
  const text = (await visitor.locator('main').textContent()) ?? ''
  for (const secret of [volunteer.email, phone, '手工', '共读', ...homes.map((h) => h.name)]) expect(text).not.toContain(secret)
  await expectNoSeriousA11yViolations(visitor, testInfo, 'verify-service')

  const response = await visitor.goto('/verify/service/WN-AAAAA-BBBBB')
  expect(response?.status()).toBe(404)
  await expect(visitor.getByRole('heading', { name: '未找到该证明' })).toBeVisible()
  await visitorContext.close()
})
