import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// The whole loop after a wish is published: a donor claims it and marks it sent, staff at the
// home receive it by its reference code and give it to the child with a thank-you, and the gift
// appears in the public log under the donor's masked name.
//
// The home, the donor and the published wish are the test's own (./fixtures.ts), so each run
// (and each browser project) has its own wish to claim, whatever the demo seed contains and
// whatever other specs claim meanwhile.

const REAL_NAME = '上官签收真名'

function wishFields(title: string) {
  return {
    title,
    story: '他喜欢画画，想要一盒属于自己的彩铅。',
    itemDetails: '48 色',
    estimatedValueFen: 6800,
    child: { realName: REAL_NAME, pseudonym: '小禾', birthDate: '2015-04-02', gender: 'male' as const },
  }
}

async function signOut(page: Page) {
  await page.context().clearCookies()
}

test('a gift goes from claim to receipt to the public log', async ({ page, insertHome, insertUser, insertWish }, testInfo) => {
  const title = `一盒彩色铅笔 ${Math.random().toString(36).slice(2, 7)}`
  const home = await insertHome()
  const { id: wishId } = await insertWish(home, wishFields(title))
  const donor = await insertUser({ displayName: '王爱心' })
  const thankYou = '小禾收到彩铅后画了一幅全家福，谢谢您！'

  const code = await test.step('the donor finds the wish of the home and claims it, shown as 王**', async () => {
    await signIn(page, donor.email, donor.password)
    await page.goto(`/wishes?home=${home.slug}`)
    await waitForHydration(page)
    await page.getByRole('link', { name: title }).click()
    await expect(page).toHaveURL(new RegExp(`/wishes/${wishId}$`))
    await page.goto(`/wishes/${wishId}/claim`)
    await waitForHydration(page)
    await page.getByLabel(/部分隐藏/).check()
    await page.getByRole('button', { name: '确认认领' }).click()
    await expect(page).toHaveURL(/\/me\/claims/)
    const card = page.locator('article', { hasText: title })
    const referenceCode = ((await card.getByTestId('reference-code').textContent()) ?? '').trim()
    expect(referenceCode).toMatch(/^WX-[A-Z0-9]{6}$/)
    return referenceCode
  })

  await test.step('the donor marks it sent with a tracking number', async () => {
    const card = page.locator('article', { hasText: title })
    await card.getByLabel('快递单号（选填）').fill('SF1234567890')
    await card.getByRole('button', { name: '已寄出' }).click()
    await expect(card.getByTestId('tracking-number')).toHaveText('SF1234567890')
    await signOut(page)
  })

  const receiptNo = await test.step('staff open the parcel by its code (as a scanned label would) and confirm it arrived', async () => {
    await signIn(page, home.staff.email, home.staff.password)
    await page.goto(`/staff/${home.slug}/receive?code=${code.toLowerCase()}`)
    const match = page.getByTestId('matched-claim')
    await expect(match.getByRole('heading', { name: `认领编号 ${code}` })).toBeVisible()
    await expect(match).toContainText(title)
    await expect(match).toContainText('小禾')
    await expect(match).toContainText('王**')
    await expect(match).toContainText('SF1234567890')
    await expect(match).not.toContainText(REAL_NAME)
    await expectNoSeriousA11yViolations(page, testInfo, 'receive')
    await waitForHydration(page)
    await match.getByRole('button', { name: '确认收到' }).click()
    const status = page.getByRole('status').filter({ hasText: '已确认收到' })
    await expect(status).toContainText(/收据编号 WN-\d{4}-\d{6}/)
    const text = (await status.textContent()) ?? ''
    return /WN-\d{4}-\d{6}/.exec(text)![0]
  })

  await test.step('staff give it to the child with a thank-you for the donor', async () => {
    const match = page.getByTestId('matched-claim')
    await match.getByLabel('感谢留言（可选）').fill(thankYou)
    await match.getByRole('button', { name: '已交给孩子' }).click()
    await expect(page.getByRole('status').filter({ hasText: '已交给孩子' })).toBeVisible()
    await expect(match).toContainText('心愿已实现')
    await signOut(page)
  })

  await test.step('anyone finds the entry in the public log under 王**', async () => {
    await page.goto(`/ledger?home=${home.slug}`)
    await expect(page.getByRole('heading', { level: 1, name: '公开捐赠记录' })).toBeVisible()
    const entry = page.getByTestId('ledger-entry').filter({ hasText: receiptNo })
    await expect(entry).toContainText(title)
    await expect(entry).toContainText('王**')
    await expect(entry).toContainText('微心愿：小禾的心愿')
    await expect(entry).not.toContainText('王爱心')
    await expectNoSeriousA11yViolations(page, testInfo, 'ledger')
    await entry.getByRole('link', { name: `收据 ${receiptNo} 详情` }).click()
    await expect(page).toHaveURL(new RegExp(`/ledger/${receiptNo}$`))
    await expect(page.getByRole('heading', { level: 1, name: `捐赠记录 ${receiptNo}` })).toBeVisible()
    await expect(page.getByText('本条记录公开、不可修改；如有错误将以更正记录说明。')).toBeVisible()
    const main = page.getByRole('main')
    for (const secret of [REAL_NAME, donor.email, '王爱心', thankYou]) await expect(main).not.toContainText(secret)
    await expectNoSeriousA11yViolations(page, testInfo, 'ledger-entry')
  })

  await test.step('the donor sees the thank-you and the link to their entry in 我的认领', async () => {
    await signIn(page, donor.email, donor.password)
    await page.goto('/me/claims')
    const card = page.locator('article', { hasText: title })
    await expect(card).toContainText(thankYou)
    await card.getByRole('link', { name: `查看公开捐赠记录 ${receiptNo}` }).click()
    await expect(page.getByRole('heading', { level: 1, name: `捐赠记录 ${receiptNo}` })).toBeVisible()
  })
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('staff look up a parcel by typing its code, receive and fulfil it; the log filters by kind', async ({
    page,
    insertHome,
    insertUser,
    insertWish,
    insertClaim,
  }) => {
    const title = `一个新书包 ${Math.random().toString(36).slice(2, 7)}`
    const home = await insertHome()
    const wish = await insertWish(home, wishFields(title))
    const { referenceCode: code } = await insertClaim(wish, await insertUser({ displayName: '王爱心' }), 'anonymous')

    // Signing in from the console link: the login form brings staff back to the receive page.
    await page.goto(`/staff/${home.slug}/receive`)
    await expect(page).toHaveURL(/\/login\?redirectTo=/)
    await page.getByLabel('手机号或邮箱').fill(home.staff.email)
    await page.getByLabel('密码', { exact: true }).fill(home.staff.password)
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page).toHaveURL(`/staff/${home.slug}/receive`)
    await page.getByRole('textbox', { name: '认领编号' }).fill(` ${code.toLowerCase()} `)
    await page.getByRole('button', { name: '查找' }).click()
    const match = page.getByTestId('matched-claim')
    await expect(match).toContainText(title)
    await expect(match).toContainText('爱心人士')

    await match.getByLabel('部分到达说明').fill('书包到了，附带的文具盒还没到')
    await match.getByRole('button', { name: '登记部分到达' }).click()
    await expect(page.getByRole('status').filter({ hasText: '已登记部分到达' })).toBeVisible()
    await expect(match).toContainText('书包到了，附带的文具盒还没到')

    await match.getByRole('button', { name: '确认收到' }).click()
    const status = page.getByRole('status').filter({ hasText: '已确认收到' })
    await expect(status).toBeVisible()
    const receiptNo = /WN-\d{4}-\d{6}/.exec((await status.textContent()) ?? '')![0]
    await match.getByRole('button', { name: '已交给孩子' }).click()
    await expect(match).toContainText('心愿已实现')

    await page.goto(`/ledger?home=${home.slug}`)
    await page.getByLabel('类型').selectOption({ label: '物资' })
    await page.getByRole('button', { name: '筛选' }).click()
    await expect(page).toHaveURL(/kind=goods/)
    const entry = page.getByTestId('ledger-entry').filter({ hasText: receiptNo })
    await expect(entry).toContainText('爱心人士')
    await page.getByLabel('类型').selectOption({ label: '善款' })
    await page.getByRole('button', { name: '筛选' }).click()
    await expect(page).toHaveURL(/kind=money/)
    await expect(page.getByTestId('ledger-entry').filter({ hasText: receiptNo })).toHaveCount(0)
  })
})
