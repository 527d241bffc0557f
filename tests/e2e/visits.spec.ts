import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { expect, test } from '@playwright/test'
import { expectNoSeriousA11yViolations, fillRegistration, newVisitor, signIn, waitForHydration } from './utils'

// 焕新乐园: a verified lead volunteer logs a home visit on a phone, the home's manager confirms
// it on the staff dashboard, and the lead's pairing shows 第 1 / 12 次.

const root = fileURLToPath(new URL('../..', import.meta.url))
const dbFile = path.join(root, `tests/.tmp/e2e-${process.env.E2E_PORT ?? 3100}.db`)
const HOME = 'liaocheng-jiayin'
const DAY = 24 * 60 * 60 * 1000

function shanghaiDay(offsetDays: number): string {
  return new Date(Date.now() + 8 * 60 * 60 * 1000 + offsetDays * DAY).toISOString().slice(0, 10)
}

/** A programme, family and active pairing led by this (freshly registered) volunteer, written into the e2e database. */
function pairVolunteer(identifier: string, alias: string): number {
  const db = new Database(dbFile)
  db.pragma('busy_timeout = 5000')
  try {
    const home = db.prepare('SELECT id FROM institutions WHERE slug = ?').get(HOME) as { id: number }
    const user = db.prepare('SELECT id FROM users WHERE phone = ? OR email = ?').get(identifier, identifier) as { id: number }
    db.prepare("INSERT INTO volunteer_profiles (user_id, real_name, phone, background_check_status, background_check_verified_at) VALUES (?, '陈带队', ?, 'verified', ?)").run(
      user.id,
      identifier,
      Date.now(),
    )
    const suffix = Math.random().toString(36).slice(2, 8)
    const programme = db
      .prepare("INSERT INTO programmes (institution_id, slug, name, kind, planned_visits, cadence, duration_months) VALUES (?, ?, '焕新乐园走访测试', 'companionship', 12, 'monthly', 12) RETURNING id")
      .get(home.id, `huanxin-e2e-${suffix}`) as { id: number }
    const family = db.prepare("INSERT INTO families (institution_id, alias, address, contacts) VALUES (?, ?, '东昌府区测试路 1 号', '测试联系人') RETURNING id").get(home.id, alias) as {
      id: number
    }
    const pairing = db
      .prepare("INSERT INTO pairings (programme_id, institution_id, family_id, start_date, planned_visits, status) VALUES (?, ?, ?, ?, 12, 'active') RETURNING id")
      .get(programme.id, home.id, family.id, shanghaiDay(-10)) as { id: number }
    db.prepare("INSERT INTO pairing_members (pairing_id, user_id, role) VALUES (?, ?, 'lead')").run(pairing.id, user.id)
    return pairing.id
  } finally {
    db.close()
  }
}

test.use({ viewport: { width: 390, height: 844 } })

test('the lead logs a visit on a phone, staff confirm it and the pairing shows 第 1 / 12 次', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000)
  const lead = newVisitor('带队')
  await page.goto('/register')
  await waitForHydration(page)
  await fillRegistration(page, lead)
  await expect(page.getByTestId('current-user')).toBeVisible()
  const alias = `小雨家${Math.random().toString(36).slice(2, 6)}`
  const pairingId = pairVolunteer(lead.identifier, alias)

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
  await signIn(staff, 'manager6@weinuan.example')
  await staff.goto(`/staff/${HOME}/visits`)
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
