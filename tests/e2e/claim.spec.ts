import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { expect, test } from '@playwright/test'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// A donor on a phone claims a wish of 滨州市福利院, marks it sent with a courier number and
// finds it on 我的认领. The wish is written straight into this run's database so the story does
// not depend on the demo seed or on what other specs claim meanwhile.

const DONOR_EMAIL = 'donor@weinuan.example'
const REAL_NAME = '欧阳认领真名'
const root = fileURLToPath(new URL('../..', import.meta.url))
const dbFile = path.join(root, `tests/.tmp/e2e-${process.env.E2E_PORT ?? 3100}.db`)

function publishWish(title: string): number {
  const db = new Database(dbFile)
  db.pragma('busy_timeout = 5000')
  try {
    const home = db.prepare("SELECT id FROM institutions WHERE slug = 'binzhou-fuliyuan'").get() as { id: number }
    const child = db
      .prepare("INSERT INTO children (institution_id, real_name, birth_date, gender, pseudonym) VALUES (?, ?, '2017-02-03', 'female', '小凤') RETURNING id")
      .get(home.id, REAL_NAME) as { id: number }
    return (
      db
        .prepare(
          "INSERT INTO wishes (institution_id, child_id, category, title, item_details, quantity, status, published_at) VALUES (?, ?, 'study', ?, '适合 8 岁阅读的注音版', 1, 'published', ?) RETURNING id",
        )
        .get(home.id, child.id, title, Date.now()) as { id: number }
    ).id
  } finally {
    db.close()
  }
}

test.use({ viewport: { width: 390, height: 844 } })

test('a donor claims a wish on a phone, marks it sent and sees it on 我的认领', async ({ page }, testInfo) => {
  const title = `一套《十万个为什么》 ${Math.random().toString(36).slice(2, 7)}`
  const wishId = publishWish(title)

  await signIn(page, DONOR_EMAIL)
  await page.goto(`/wishes/${wishId}/claim`)
  await expect(page.getByRole('heading', { level: 1, name: '认领微心愿' })).toBeVisible()
  await expect(page.getByRole('heading', { name: title })).toBeVisible()
  await expect(page.getByText('小凤（化名）')).toBeVisible()
  await expect(page.getByText(/请在 .* 前购买（7 天内）/)).toBeVisible()
  await expect(page.getByRole('main')).not.toContainText(REAL_NAME)
  await expectNoSeriousA11yViolations(page, testInfo, 'claim-form')

  await waitForHydration(page)
  await page.getByLabel(/显示为“爱心人士”/).check()
  await page.getByRole('button', { name: '确认认领' }).click()
  await expect(page).toHaveURL(/\/me\/claims#claim-\d+$/)

  const card = page.locator('article', { hasText: title })
  await expect(card.getByTestId('claim-status')).toHaveText('待购买')
  await expect(card.getByTestId('reference-code')).toHaveText(/^WX-[A-HJ-NP-Z2-9]{6}$/)
  await expect(card).toContainText('山东省滨州市滨城区（演示地址）')
  await expect(card).toContainText('爱心人士')

  await card.getByLabel('快递单号（选填）').fill('SF 0000-1111')
  await card.getByRole('button', { name: '已寄出' }).click()
  await expect(card.getByText('快递单号只能包含字母、数字和连字符')).toBeVisible()
  await expect(card.getByLabel('快递单号（选填）')).toHaveValue('SF 0000-1111')

  await card.getByLabel('快递单号（选填）').fill('SF00001111')
  await card.getByRole('button', { name: '已寄出' }).click()
  await expect(card.getByTestId('claim-status')).toHaveText('已寄出，等待机构签收')
  await expect(card.getByTestId('tracking-number')).toHaveText('SF00001111')

  await page.reload()
  await expect(page.locator('article', { hasText: title }).getByTestId('tracking-number')).toHaveText('SF00001111')
  await expectNoSeriousA11yViolations(page, testInfo, 'my-claims')
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('a donor claims, then cancels through the confirm step, and the wish is open again', async ({ page }) => {
    const title = `一个新书包 ${Math.random().toString(36).slice(2, 7)}`
    const wishId = publishWish(title)
    await page.goto('/login')
    await page.getByLabel('手机号或邮箱').fill(DONOR_EMAIL)
    await page.getByLabel('密码', { exact: true }).fill('weinuan2026')
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByTestId('current-user')).toBeVisible()

    await page.goto(`/wishes/${wishId}/claim`)
    await page.getByRole('button', { name: '确认认领' }).click()
    await expect(page).toHaveURL(/\/me\/claims#claim-\d+$/)
    const card = page.locator('article', { hasText: title })
    await card.getByRole('button', { name: '已购买' }).click()
    await expect(page.locator('article', { hasText: title }).getByTestId('claim-status')).toHaveText('已购买，请在期限前寄出或送达')

    await page.locator('article', { hasText: title }).getByRole('link', { name: '取消认领' }).click()
    await expect(page.getByText('确定取消认领吗？')).toBeVisible()
    await page.locator('article', { hasText: title }).getByRole('button', { name: '确认取消认领' }).click()
    await expect(page.locator('article', { hasText: title }).getByTestId('claim-status')).toHaveText('已取消认领')

    await page.goto(`/wishes/${wishId}/claim`)
    await expect(page.getByRole('button', { name: '确认认领' })).toBeVisible()
  })
})
