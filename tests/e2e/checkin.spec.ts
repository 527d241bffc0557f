import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { expect, test } from '@playwright/test'
import { demo, expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// At the door of an open day: staff1, on a phone, scans a group's 来访接待单 (the QR opens the
// check-in page with ?code=), checks the group in with 2 of 3 present and later checks them
// out; the volunteer then finds the service hours on /me/volunteer. The slot and the confirmed
// booking are written straight into this run's database (tests/e2e/serve.sh names it after the
// port), so the story does not depend on the booking pages.

const root = fileURLToPath(new URL('../..', import.meta.url))
const dbFile = path.join(root, `tests/.tmp/e2e-${process.env.E2E_PORT ?? 3100}.db`)
const VOLUNTEER = 'volunteer@weinuan.example'
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

test.use({ viewport: { width: 390, height: 844 } })

function withDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(dbFile)
  db.pragma('busy_timeout = 5000')
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

/** A slot of staff1's home that started 30 minutes ago, and a confirmed group booking of the volunteer. */
function seedOpenDayBooking() {
  return withDb((db) => {
    const home = db
      .prepare("SELECT i.id, i.slug, i.name FROM institutions i JOIN memberships m ON m.institution_id = i.id JOIN users u ON u.id = m.user_id WHERE u.email = 'staff1@weinuan.example'")
      .get() as { id: number; slug: string; name: string }
    const volunteer = db.prepare('SELECT id FROM users WHERE email = ?').get(VOLUNTEER) as { id: number }
    const suffix = Math.random().toString(36).slice(2, 7)
    const title = `社会开放日 ${suffix}`
    const startsAt = Date.now() - 30 * 60_000
    const slot = db
      .prepare("INSERT INTO slots (institution_id, kind, title, location, starts_at, ends_at, capacity, status) VALUES (?, 'open_day', ?, '福利院一楼接待室', ?, ?, 40, 'published') RETURNING id")
      .get(home.id, title, startsAt, startsAt + 2 * 3600_000) as { id: number }
    let code = ''
    for (let i = 0; i < 6; i++) code += CODE_ALPHABET[Math.floor(Math.random() * CODE_ALPHABET.length)]
    const booking = db
      .prepare(
        "INSERT INTO bookings (slot_id, institution_id, user_id, kind, party_size, organisation, contact_name, contact_phone, status, code, confirmed_at) VALUES (?, ?, ?, 'group', 3, '滨州学院青年志愿者协会', '李志愿', '13912345678', 'confirmed', ?, ?) RETURNING id",
      )
      .get(slot.id, home.id, volunteer.id, code, Date.now() - 86_400_000) as { id: number }
    return { home, slotId: slot.id, bookingId: booking.id, code, title }
  })
}

test('staff check a group in from its slip QR on a phone, check it out, and the volunteer sees the hours', async ({ page }, testInfo) => {
  const seeded = seedOpenDayBooking()
  await signIn(page, demo.staff1.email)

  // The QR on the slip encodes this URL; the booking opens highlighted at the top.
  await page.goto(`/staff/${seeded.home.slug}/slots/${seeded.slotId}/checkin?code=${seeded.code.toLowerCase()}`)
  await waitForHydration(page)
  await expect(page.getByRole('heading', { level: 2, name: `签到：${seeded.title}` })).toBeVisible()
  const card = page.locator(`#booking-${seeded.bookingId}`)
  await expect(card.getByTestId('booking-code')).toHaveText(seeded.code)
  await expect(card).toContainText('滨州学院青年志愿者协会')
  await expect(card.getByTestId('booking-state')).toHaveText('已确认')
  await expectNoSeriousA11yViolations(page, testInfo, 'check-in page')

  await card.getByLabel('到场人数').fill('2')
  await card.getByRole('button', { name: /^签到/ }).click()
  await expect(card.getByRole('status')).toHaveText('已签到 2 人')
  await expect(card.getByTestId('booking-state')).toHaveText('已签到')
  await expect(page.getByTestId('checkin-totals')).toContainText('已到场 2 人')

  // The group stayed an hour and a half (the server's clock cannot be moved from here).
  withDb((db) => db.prepare('UPDATE bookings SET checked_in_at = checked_in_at - ? WHERE id = ?').run(90 * 60_000, seeded.bookingId))
  await card.getByRole('button', { name: /^签退/ }).click()
  await expect(card.getByRole('status')).toHaveText('已签退，记录志愿时长 1 小时 30 分钟')
  await expect(card.getByTestId('booking-state')).toHaveText('已签退')

  // The staff volunteers pages list the volunteer who booked with this home.
  await page.goto(`/staff/${seeded.home.slug}/volunteers`)
  await expect(page.getByRole('heading', { level: 2, name: '志愿者' })).toBeVisible()
  await expect(page.getByTestId('volunteer-list')).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'staff volunteers list')
  const volunteerId = withDb((db) => (db.prepare('SELECT id FROM users WHERE email = ?').get(VOLUNTEER) as { id: number }).id)
  await page.goto(`/staff/${seeded.home.slug}/volunteers/${volunteerId}`)
  await expect(page.getByRole('heading', { level: 3, name: '在本机构的预约' })).toBeVisible()
  await expect(page.getByText(seeded.code)).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'staff volunteer review')

  // The volunteer signs in and finds the hours.
  await page.context().clearCookies()
  await signIn(page, VOLUNTEER)
  await page.goto('/me/volunteer')
  await expect(page.getByRole('heading', { level: 1, name: '志愿者资料' })).toBeVisible()
  const item = page.getByTestId('service-items').getByRole('listitem').filter({ hasText: seeded.title })
  await expect(item).toContainText('1.5 小时')
  await expect(item).toContainText(seeded.home.name)
  await expect(page.getByTestId('hours-per-home')).toContainText(seeded.home.name)
  await expectNoSeriousA11yViolations(page, testInfo, 'volunteer profile')
})
