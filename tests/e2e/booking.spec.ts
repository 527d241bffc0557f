import { expect, test } from './fixtures'
import { expectCleanHydration, expectNoSeriousA11yViolations, signIn, typeVerificationCode, waitForHydration } from './utils'

// A volunteer on a phone books a place on an open day of a home, finds it on 我的预约 and
// opens the 来访接待单 with its check-in QR code. The home, the volunteer and the slot are the
// test's own (./fixtures.ts), so the story does not depend on the demo seed or on slots other
// specs book meanwhile.

const DAY = 24 * 60 * 60 * 1000

/** A published open day three weeks from now, 9:30–11:30 in Shanghai, with 40 places. */
function openDay(title: string) {
  const day = new Date(Date.now() + 21 * DAY)
  const startsAt = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 1, 30))
  return { title, startsAt, description: '参观开放区域，与孩子们一起做手工。', location: '福利院一楼活动室' }
}

test.use({ viewport: { width: 390, height: 844 } })

test('a volunteer books an open day on a phone, sees it on 我的预约 and opens the 来访接待单 with its QR code', async ({
  page,
  insertHome,
  insertSlot,
  insertUser,
}, testInfo) => {
  const title = `社会开放日 ${Math.random().toString(36).slice(2, 7)}`
  const home = await insertHome()
  const slot = await insertSlot(home, openDay(title))
  const volunteer = await insertUser()

  await signIn(page, volunteer.email, volunteer.password)
  await page.goto(`/volunteer/slots/${slot.id}/book`)
  await expect(page.getByRole('heading', { level: 1, name: `预约：${title}` })).toBeVisible()
  await expect(page.getByTestId('remaining-places')).toHaveText('剩余 40 / 40')
  await expectNoSeriousA11yViolations(page, testInfo, 'booking-form')

  await waitForHydration(page)
  await expect(page.getByLabel('个人', { exact: true })).toBeChecked()
  await page.getByLabel('联系人姓名').fill('李志愿')
  // A wrong number is refused next to the field, and what was typed stays.
  await page.getByLabel('联系电话').fill('12345')
  await page.getByRole('button', { name: '确认预约' }).click()
  await expect(page.getByText('请填写 11 位手机号，便于机构联系')).toBeVisible()
  await expect(page.getByLabel('联系人姓名')).toHaveValue('李志愿')
  await expect(page.getByLabel('联系电话')).toHaveAttribute('aria-invalid', 'true')

  await page.getByLabel('联系电话').fill('13912345678')
  await page.getByRole('button', { name: '确认预约' }).click()
  await expect(page).toHaveURL(/\/me\/bookings#booking-\d+$/)
  await expect(page.getByRole('heading', { level: 1, name: '我的预约' })).toBeVisible()

  const card = page.getByTestId('booking-card').filter({ hasText: title })
  await expect(card.getByTestId('booking-status')).toHaveText('已确认')
  await expect(card).toContainText('个人 · 1 人')
  await expect(card).toContainText('福利院一楼活动室')
  const code = (await card.getByTestId('booking-code').textContent())!.trim()
  expect(code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/)
  const bookingId = Number(page.url().match(/booking-(\d+)$/)![1])
  await expect(card.getByRole('link', { name: '加入日历' })).toHaveAttribute('href', `/me/bookings/${bookingId}.ics`)
  await expectNoSeriousA11yViolations(page, testInfo, 'my-bookings')

  await card.getByRole('link', { name: '查看来访接待单' }).click()
  await expect(page).toHaveURL(new RegExp(`/me/bookings/${bookingId}/slip$`))
  await expect(page.getByRole('heading', { level: 1, name: '来访接待单' })).toBeVisible()
  await expect(page.getByTestId('slip-code')).toHaveText(code)
  await expect(page.getByRole('main')).toContainText(title)
  await expect(page.getByRole('main')).toContainText(home.name)
  await expect(page.getByRole('main')).toContainText('1 人')
  await expect(page.getByRole('img', { name: '签到二维码' }).locator('svg')).toBeVisible()
  await expect(page.getByRole('button', { name: '打印接待单' })).toBeVisible()
  await expectNoSeriousA11yViolations(page, testInfo, 'reception-slip')
  await expectCleanHydration(page)

  // The calendar file is the member's own, served as text/calendar.
  const ics = await page.request.get(`/me/bookings/${bookingId}.ics`)
  expect(ics.status()).toBe(200)
  expect(ics.headers()['content-type']).toContain('text/calendar')
  expect(await ics.text()).toContain(code)
})

test('the booking form works without JavaScript, and a second booking points back to the first', async ({
  browser,
  baseURL,
  insertHome,
  insertSlot,
  insertUser,
}) => {
  const title = `社会开放日 ${Math.random().toString(36).slice(2, 7)}`
  const slot = await insertSlot(await insertHome(), openDay(title))
  const volunteer = await insertUser()
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL, viewport: { width: 390, height: 844 } })
  const page = await context.newPage()
  await page.goto('/login')
  await page.getByLabel('手机号或邮箱').fill(volunteer.email)
  await page.getByLabel('密码', { exact: true }).fill(volunteer.password)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByTestId('current-user')).toBeVisible()

  await page.goto(`/volunteer/slots/${slot.id}/book`)
  await page.getByLabel('团体', { exact: true }).check()
  await page.getByLabel('联系人姓名').fill('王老师')
  await page.getByLabel('联系电话').fill('13987654321')
  await page.getByLabel('单位或团体名称').fill('滨州学院青年志愿者协会')
  await page.getByLabel('人数（含联系人）').fill('6')
  await page.getByRole('button', { name: '确认预约' }).click()
  await expect(page).toHaveURL(/\/me\/bookings#booking-\d+$/)
  const card = page.getByTestId('booking-card').filter({ hasText: title })
  await expect(card).toContainText('团体 滨州学院青年志愿者协会 · 6 人')

  await page.goto(`/volunteer/slots/${slot.id}/book`)
  await expect(page.getByText('您已预约了这个活动')).toBeVisible()
  await expect(page.getByRole('button', { name: '确认预约' })).toHaveCount(0)
  await context.close()
})

test("the whole open day: a new volunteer books today's open day, and staff check them in from the slip's QR address", async ({
  browser,
  baseURL,
  insertHome,
  insertSlot,
}) => {
  // Today's open day starts in an hour, so the check-in desk is open.
  const title = `社会开放日 ${Math.random().toString(36).slice(2, 7)}`
  const home = await insertHome()
  const { id: slotId } = await insertSlot(home, { title, startsAt: new Date(Date.now() + 60 * 60 * 1000), location: '福利院一楼活动室' })

  const volunteer = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } })
  const vPage = await volunteer.newPage()
  const email = `openday-${Date.now().toString(36)}@test.example`
  await vPage.goto(`/register?redirectTo=${encodeURIComponent(`/volunteer/slots/${slotId}/book`)}`)
  await vPage.getByLabel('手机号或邮箱').fill(email)
  await vPage.getByLabel('称呼').fill('小周')
  await vPage.getByLabel('密码', { exact: true }).fill('open-day-2026')
  await vPage.getByLabel('确认密码').fill('open-day-2026')
  await vPage.getByRole('button', { name: '注册' }).click()
  await typeVerificationCode(vPage, email)
  await expect(vPage.getByRole('heading', { level: 1, name: `预约：${title}` })).toBeVisible()
  await vPage.getByLabel('联系人姓名').fill('周小周')
  await vPage.getByLabel('联系电话').fill('13700001111')
  await vPage.getByRole('button', { name: '确认预约' }).click()
  await expect(vPage).toHaveURL(/\/me\/bookings#booking-\d+$/)
  const card = vPage.getByTestId('booking-card').filter({ hasText: title })
  await card.getByRole('link', { name: '查看来访接待单' }).click()
  const code = (await vPage.getByTestId('slip-code').textContent())!.trim()
  await expect(vPage.getByRole('img', { name: '签到二维码' }).locator('svg')).toBeVisible()
  await volunteer.close()

  // The QR encodes this address; a staff member's phone opens it.
  const staff = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 } })
  const sPage = await staff.newPage()
  await signIn(sPage, home.staff.email, home.staff.password, {
    path: `/login?redirectTo=${encodeURIComponent(`/staff/${home.slug}/slots/${slotId}/checkin?code=${code}`)}`,
  })
  await expect(sPage).toHaveURL(new RegExp(`/staff/${home.slug}/slots/${slotId}/checkin\\?code=${code}$`))
  const booking = sPage.locator('[id^="booking-"]').filter({ hasText: code }).first()
  await expect(booking).toContainText('周小周')
  await booking.getByLabel('到场人数').fill('1')
  await booking.getByRole('button', { name: /^签到/ }).click()
  await expect(booking.getByRole('status')).toHaveText('已签到 1 人')
  await expect(booking.getByTestId('booking-state')).toHaveText('已签到')
  await staff.close()
})
