import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, newVisitor, registerAndVerify, signIn, waitForHydration } from './utils'

// 物资需求 end to end: staff post a need, a donor pledges part of it on a phone and finds the
// code and QR on 我的捐赠, staff record part of it arriving, and progress and the public log
// update; the pages pass axe.

test('a manager posts a need, a donor pledges 5 on a phone, staff receive 2 at the door, and progress and the public log update', async ({
  browser,
  insertHome,
}, testInfo) => {
  // A long story with eight axe runs and a second browser context, on a 2-core machine.
  test.setTimeout(180_000)
  const home = await insertHome()
  const title = `冬季棉衣 ${Math.random().toString(36).slice(2, 6)}`

  // Staff post the need.
  const staffContext = await browser.newContext()
  const staff = await staffContext.newPage()
  await signIn(staff, home.manager.email, home.manager.password)
  await staff.goto(`/staff/${home.slug}/needs`)
  await expectNoSeriousA11yViolations(staff, testInfo, 'staff needs list')
  await staff.getByRole('link', { name: '发布物资需求' }).click()
  await waitForHydration(staff)
  await staff.getByLabel('需求名称').fill(title)
  await staff.getByLabel('需要数量').fill('30')
  await staff.getByLabel('单位').fill('件')
  await staff.getByLabel('每份认捐上限').fill('10')
  await staff.getByLabel('规格（尺码等，不指定品牌）').fill('儿童 120–160 码')
  await staff.getByLabel('接收时间').fill('周一至周六 9:00–16:00')
  await expectNoSeriousA11yViolations(staff, testInfo, 'new need form')
  await staff.getByRole('button', { name: '发布' }).click()
  await expect(staff.getByText('物资需求已发布。')).toBeVisible()
  await expect(staff.getByRole('heading', { name: title })).toBeVisible()
  await expectNoSeriousA11yViolations(staff, testInfo, 'staff need page')
  const needUrl = await staff.getByRole('link', { name: '查看公开页面' }).getAttribute('href')
  expect(needUrl).toMatch(/^\/needs\/\d+$/)

  // A donor on a phone pledges 5.
  const donorContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  const donor = await donorContext.newPage()
  await donor.goto('/needs')
  await expect(donor.getByRole('heading', { name: title })).toBeVisible()
  await expectNoSeriousA11yViolations(donor, testInfo, '/needs')
  await donor.getByRole('link', { name: title }).click()
  await expect(donor.getByRole('heading', { level: 1, name: title })).toBeVisible()
  await expect(donor.getByText('还需 30 件')).toBeVisible()
  await expectNoSeriousA11yViolations(donor, testInfo, 'need page (anonymous)')
  await expect(donor.locator('main').getByRole('link', { name: '登录' })).toHaveAttribute(
    'href',
    `/login?redirectTo=${encodeURIComponent(needUrl!)}`,
  )
  await donor.goto(`/register?redirectTo=${encodeURIComponent(needUrl!)}`)
  await waitForHydration(donor)
  await registerAndVerify(donor, newVisitor('棉衣'))
  // Registration (and 输入验证码) brings the donor back to the need.
  await expect(donor.getByTestId('current-user')).toBeVisible()
  await expect(donor).toHaveURL(needUrl!)
  await waitForHydration(donor)
  await donor.getByLabel('认捐数量（件）').fill('5')
  const tomorrow = new Date(Date.now() + 8 * 3600_000 + 24 * 3600_000).toISOString().slice(0, 10)
  await donor.getByLabel('预计送达日期').fill(tomorrow)
  await expectNoSeriousA11yViolations(donor, testInfo, 'need page (signed in)')
  await donor.getByRole('button', { name: '确认认捐' }).click()

  await expect(donor).toHaveURL(/\/me\/donations/)
  await expect(donor.getByRole('heading', { name: '我的捐赠' })).toBeVisible()
  const card = donor.locator('article', { has: donor.getByRole('heading', { name: title }) })
  await expect(card.getByTestId('pledge-code')).toHaveText(/^[A-HJ-NP-Z2-9]{6}$/)
  await expect(card.getByRole('img', { name: /二维码/ })).toBeVisible()
  await expect(card.getByText('待送达')).toBeVisible()
  await expectNoSeriousA11yViolations(donor, testInfo, '我的捐赠')
  const code = await card.getByTestId('pledge-code').textContent()

  // Progress on the public page and the pledge on the staff page.
  await donor.goto(needUrl!)
  await expect(donor.getByText('还需 25 件')).toBeVisible()
  await staff.reload()
  await expect(staff.getByRole('cell', { name: code!, exact: true })).toBeVisible()
  await expect(staff.getByText('还需 25 件')).toBeVisible()

  // The donor brings 2 of the 5; staff record them at the door from the pledge code.
  await staff.goto(`/staff/${home.slug}/intake?code=${code}`)
  await waitForHydration(staff)
  const match = staff.getByTestId('matched-pledge')
  await match.getByLabel('本次到达数量（件）').fill('2')
  await match.getByRole('button', { name: '登记到达' }).click()
  await expect(staff.getByRole('status')).toContainText('已登记到达，还差 3')
  const receiptNo = ((await match.getByTestId('arrivals').getByRole('link', { name: /^WN-/ }).first().textContent()) ?? '').trim()
  expect(receiptNo).toMatch(/^WN-\d{4}-\d{6}$/)

  // Progress and the public log update; the donor's receipt is on 我的捐赠.
  await donor.goto(needUrl!)
  await expect(donor.getByText('已收到 2 件').first()).toBeVisible()
  await expect(donor.getByText('还需 25 件')).toBeVisible()
  await donor.goto(`/ledger?home=${home.slug}`)
  await expect(donor.getByText(receiptNo).first()).toBeVisible()
  await donor.goto('/me/donations')
  await expect(donor.getByRole('link', { name: new RegExp(receiptNo) }).first()).toBeVisible()

  // The rest never comes: staff release the pledge with a reason; the 3 go back to the need.
  await staff.goto(`/staff/${home.slug}/needs/${needUrl!.split('/').pop()}`)
  await staff.getByRole('link', { name: `释放认捐 ${code}` }).click()
  await expect(staff.getByRole('heading', { name: `释放认捐 ${code}` })).toBeVisible()
  await staff.getByRole('button', { name: '确认释放' }).click()
  await expect(staff.getByText('请填写释放原因，认捐人会收到这段说明')).toBeVisible()
  await expectNoSeriousA11yViolations(staff, testInfo, 'release pledge (error shown)')
  await staff.getByLabel('释放原因（会告知认捐人）').fill('其余 3 件联系不上认捐人')
  await staff.getByRole('button', { name: '确认释放' }).click()
  await expect(staff.getByText('认捐已释放，认捐人已收到通知。')).toBeVisible()
  await expect(staff.getByText('已由机构释放：其余 3 件联系不上认捐人')).toBeVisible()
  await expect(staff.getByText('还需 28 件')).toBeVisible()
  await donor.goto('/me/donations')
  await expect(donor.getByText('已由机构释放：其余 3 件联系不上认捐人')).toBeVisible()

  await staffContext.close()
  await donorContext.close()
})
