import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// A donor on a phone claims a wish of a home, marks it sent with a courier number and finds it
// on 我的认领. The home, the donor and the wish are the test's own (./fixtures.ts), so the story
// does not depend on the demo seed or on what other specs claim meanwhile.

const REAL_NAME = '欧阳认领真名'
const PUBLIC_ADDRESS = '山东省滨州市滨城区（测试地址）'

const wishFields = (title: string) => ({
  title,
  itemDetails: '适合 8 岁阅读的注音版',
  child: { realName: REAL_NAME, pseudonym: '小凤', birthDate: '2017-02-03' },
})

test.use({ viewport: { width: 390, height: 844 } })

test('a donor claims a wish on a phone, marks it sent and sees it on 我的认领', async ({
  page,
  insertHome,
  insertUser,
  insertWish,
}, testInfo) => {
  const title = `一套《十万个为什么》 ${Math.random().toString(36).slice(2, 7)}`
  const home = await insertHome({ publicAddress: PUBLIC_ADDRESS })
  const wish = await insertWish(home, wishFields(title))
  const donor = await insertUser({ displayName: '王爱心' })

  await signIn(page, donor.email, donor.password)
  await page.goto(`/wishes/${wish.id}/claim`)
  await expect(page.getByRole('heading', { level: 1, name: '认领微心愿' })).toBeVisible()
  await expect(page.getByRole('heading', { name: title })).toBeVisible()
  await expect(page.getByText('小凤（化名）')).toBeVisible()
  await expect(page.getByText(/请在 .* 前购买（7 天内）/)).toBeVisible()
  await expect(page.getByRole('main')).not.toContainText(REAL_NAME)
  await expectNoSeriousA11yViolations(page, testInfo, 'claim-form')

  await waitForHydration(page)
  await page.getByLabel(/显示为“爱心人士”/).check()
  await page.getByRole('button', { name: '确认认领' }).click()
  await expect(page).toHaveURL(/\/me\/claims\?claimed=\d+#claim-\d+$/)
  const confirmation = page.getByTestId('claim-confirmation')
  await expect(confirmation.getByRole('heading', { name: '认领成功' })).toBeVisible()
  await expect(confirmation).toContainText(title)
  await expect(confirmation).toContainText(/请在 .* 前购买/)
  await expect(confirmation).toContainText('我的认领')

  const card = page.locator('article', { hasText: title })
  await expect(card.getByTestId('claim-status')).toHaveText('待购买')
  await expect(card.getByTestId('reference-code')).toHaveText(/^WX-[A-HJ-NP-Z2-9]{6}$/)
  await expect(card).toContainText(PUBLIC_ADDRESS)
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

  test('a donor claims, then cancels through the confirm step, and the wish is open again', async ({
    page,
    insertHome,
    insertUser,
    insertWish,
  }) => {
    const title = `一个新书包 ${Math.random().toString(36).slice(2, 7)}`
    const home = await insertHome()
    const { id: wishId } = await insertWish(home, wishFields(title))
    const donor = await insertUser()
    await page.goto('/login')
    await page.getByLabel('手机号或邮箱').fill(donor.email)
    await page.getByLabel('密码', { exact: true }).fill(donor.password)
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByTestId('current-user')).toBeVisible()

    await page.goto(`/wishes/${wishId}/claim`)
    await page.getByRole('button', { name: '确认认领' }).click()
    await expect(page).toHaveURL(/\/me\/claims\?claimed=\d+#claim-\d+$/)
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
