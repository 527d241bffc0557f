import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { expect, test } from '@playwright/test'
import { expectNoSeriousA11yViolations, fillRegistration, newVisitor, signIn, waitForHydration } from './utils'

// 焕新乐园: a volunteer applies on the public programme page; manager6 (聊城佳音) accepts the
// application and pairs the verified volunteer with 小雨家; the pairing shows 第 0 / 12 次.

const root = fileURLToPath(new URL('../..', import.meta.url))
const dbFile = path.join(root, `tests/.tmp/e2e-${process.env.E2E_PORT ?? 3100}.db`)

/** Staff verification is another flow: here the volunteer's background check is written as verified. */
function verifyVolunteer(phone: string, realName: string) {
  const db = new Database(dbFile)
  db.pragma('busy_timeout = 5000')
  try {
    const user = db.prepare('SELECT id FROM users WHERE phone = ?').get(phone) as { id: number }
    db.prepare(
      "INSERT INTO volunteer_profiles (user_id, real_name, phone, birth_date, background_check_status, background_check_evidence, background_check_verified_at) VALUES (?, ?, ?, '1996-04-01', 'verified', '无犯罪记录证明（e2e）', ?)",
    ).run(user.id, realName, phone, Date.now())
  } finally {
    db.close()
  }
}

test('staff pair a verified volunteer with a family after accepting the application', async ({ browser, page }, testInfo) => {
  test.setTimeout(90_000)
  const visitor = newVisitor('结对')
  const realName = `陈${Math.random().toString(36).slice(2, 5)}志愿`

  // The volunteer registers, is verified, and applies on the public programme page.
  const volunteerContext = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const volunteerPage = await volunteerContext.newPage()
  await volunteerPage.goto('/register')
  await waitForHydration(volunteerPage)
  await fillRegistration(volunteerPage, visitor)
  await expect(volunteerPage.getByTestId('current-user')).toBeVisible()
  verifyVolunteer(visitor.identifier, realName)

  await volunteerPage.goto('/programmes/huanxin-leyuan')
  await expect(volunteerPage.getByRole('heading', { level: 1, name: '焕新乐园' })).toBeVisible()
  await expect(volunteerPage.getByText('已结对家庭')).toBeVisible()
  await expectNoSeriousA11yViolations(volunteerPage, testInfo, 'programme page')
  await waitForHydration(volunteerPage)
  await volunteerPage.getByLabel('为什么想参加').fill('想每月陪孩子读书、写作业')
  await volunteerPage.getByLabel('您方便的时间').fill('每月第二个周六下午')
  await volunteerPage.getByRole('button', { name: '申请加入' }).click()
  await expect(volunteerPage.getByText('您的申请状态：待审核')).toBeVisible()
  await volunteerContext.close()

  // manager6 accepts the application.
  await signIn(page, 'manager6@weinuan.example')
  await page.goto('/staff/liaocheng-jiayin/programmes')
  await expectNoSeriousA11yViolations(page, testInfo, 'staff programmes')
  await page.getByRole('link', { name: '焕新乐园', exact: true }).click()
  await expect(page.getByRole('heading', { name: '志愿者申请' })).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'staff programme')
  const application = page.getByRole('listitem').filter({ hasText: realName })
  await application.getByRole('button', { name: '接受' }).click()
  await expect(page.getByRole('listitem').filter({ hasText: realName })).toContainText('已接受')

  // …and pairs the volunteer with 小雨家.
  await page.goto('/staff/liaocheng-jiayin/pairings/new')
  await expect(page.getByText(`${realName}：符合要求`)).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'new pairing')
  await page.getByLabel('结对家庭').selectOption({ label: '小雨家' })
  await page.getByLabel('带队志愿者').selectOption({ label: realName })
  await page.getByRole('button', { name: '创建结对' }).click()
  await expect(page.getByRole('heading', { name: '小雨家 · 焕新乐园' })).toBeVisible()
  await expect(page.getByText('第 0 / 12 次')).toBeVisible()
  await expect(page.getByRole('listitem').filter({ hasText: `${realName}（带队）` })).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'pairing detail')

  await page.goto('/staff/liaocheng-jiayin/pairings')
  await expect(page.getByRole('link', { name: '小雨家 · 焕新乐园' }).first()).toBeVisible()
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
