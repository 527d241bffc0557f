import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { expect, test } from '@playwright/test'
import { expectCleanHydration, expectNoSeriousA11yViolations, fillRegistration, newVisitor, waitForHydration } from './utils'

// 志愿服务记录 on a phone: a new volunteer (real name on file, two service records written
// straight into this run's database) sees the totals, issues a 志愿服务记录证明, opens the
// printable certificate with its QR, and a visitor checks the code and sees the name and hours
// only.

const root = fileURLToPath(new URL('../..', import.meta.url))
const dbFile = path.join(root, `tests/.tmp/e2e-${process.env.E2E_PORT ?? 3100}.db`)

test.use({ viewport: { width: 390, height: 844 } })

function seedService(phone: string, realName: string) {
  const db = new Database(dbFile)
  db.pragma('busy_timeout = 5000')
  try {
    const user = db.prepare('SELECT id FROM users WHERE phone = ?').get(phone) as { id: number }
    const homes = db.prepare('SELECT id, name FROM institutions ORDER BY id LIMIT 2').all() as { id: number; name: string }[]
    db.prepare('INSERT INTO volunteer_profiles (user_id, real_name, phone) VALUES (?, ?, ?)').run(user.id, realName, phone)
    const insert = db.prepare(
      'INSERT INTO service_records (user_id, institution_id, source, source_id, description, started_at, ended_at, minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    const openDay = Date.parse('2026-03-14T09:00:00+08:00')
    const visit = Date.parse('2026-04-18T14:00:00+08:00')
    insert.run(user.id, homes[0]!.id, 'slot_booking', 1, '社会开放日：陪孩子们做手工', openDay, openDay + 150 * 60_000, 150)
    insert.run(user.id, homes[1]!.id, 'visit', 1, '焕新乐园家庭陪伴 第 1 次：共读绘本', visit, visit + 90 * 60_000, 90)
    return homes.map((h) => h.name)
  } finally {
    db.close()
  }
}

test('a volunteer issues a service-record certificate on a phone and a visitor verifies its code', async ({ page, browser }, testInfo) => {
  const who = newVisitor('志愿')
  await page.goto('/register?redirectTo=/account')
  await waitForHydration(page)
  await fillRegistration(page, who)
  await expect(page.getByTestId('current-user')).toBeVisible()
  const realName = `张${Math.random().toString(36).slice(2, 5)}`
  const homes = seedService(who.identifier, realName)

  await page.goto('/me/service')
  await waitForHydration(page)
  await expect(page.getByRole('heading', { level: 1, name: '志愿服务记录' })).toBeVisible()
  await expect(page.getByTestId('service-total-hours')).toHaveText('共 4 小时')
  await expect(page.getByTestId('service-per-year')).toContainText('2026 年')
  await expect(page.getByTestId('service-per-home')).toContainText(homes[0]!)
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
  for (const secret of [who.identifier, '手工', '共读', ...homes]) expect(text).not.toContain(secret)
  await expectNoSeriousA11yViolations(visitor, testInfo, 'verify-service')

  const response = await visitor.goto('/verify/service/WN-AAAAA-BBBBB')
  expect(response?.status()).toBe(404)
  await expect(visitor.getByRole('heading', { name: '未找到该证明' })).toBeVisible()
  await visitorContext.close()
})
