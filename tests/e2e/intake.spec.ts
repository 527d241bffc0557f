import { expect, test } from './fixtures'
import { expectCleanHydration, expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// 门口登记 at a home: a donor's pledge of 5 boxes of water arrives in two parts; staff
// record both arrivals, the need's progress and the public log update, the printable receipt
// carries the disclaimer; a walk-in cash gift of ¥200 is shown as 爱心人士; one entry is
// corrected with a reason and the public log shows the correction.
//
// The home, the need and the donor's pledge are the test's own (./fixtures.ts), so each browser
// project has its own pledge.

test('staff receive a pledge in two parts, record a walk-in cash gift and correct an entry', async ({
  page,
  insertHome,
  insertNeed,
  insertPledge,
  insertUser,
}, testInfo) => {
  test.setTimeout(90_000)
  const title = `矿泉水 ${Math.random().toString(36).slice(2, 7)}`
  const home = await insertHome()
  const { id: needId } = await insertNeed(home, { title, unit: '箱', quantityNeeded: 10 })
  const { code } = await insertPledge({ id: needId }, await insertUser({ displayName: '王爱心' }), 5)
  await signIn(page, home.staff.email, home.staff.password)

  const receipts: string[] = []
  await test.step('staff open the pledge from its scanned code and record 3 of 5 boxes, then the other 2', async () => {
    await page.goto(`/staff/${home.slug}/intake?code=${code.toLowerCase()}`)
    await waitForHydration(page)
    const match = page.getByTestId('matched-pledge')
    await expect(match.getByRole('heading', { name: `认捐编号 ${code}` })).toBeVisible()
    await expect(match).toContainText(title)
    await expect(match).toContainText('王**')
    await expect(match.getByTestId('pledge-remaining')).toHaveText('5 箱')
    await expectNoSeriousA11yViolations(page, testInfo, 'intake')

    await match.getByLabel('本次到达数量（箱）').fill('3')
    await match.getByLabel('物资状况（可选）').fill('包装完好')
    await match.getByRole('button', { name: '登记到达' }).click()
    await expect(page.getByRole('status')).toContainText('已登记到达，还差 2')
    await expect(match.getByTestId('pledge-received')).toHaveText('3 箱')

    await match.getByLabel('本次到达数量（箱）').fill('2')
    await match.getByRole('button', { name: '登记到达' }).click()
    await expect(page.getByRole('status')).toContainText('认捐已全部送达')
    await expect(match.getByTestId('pledge-remaining')).toHaveText('0 箱')
    const links = match.getByTestId('arrivals').getByRole('link', { name: /^WN-/ })
    await expect(links).toHaveCount(2)
    receipts.push(...(await links.allTextContents()).map((t) => t.trim()))
  })

  await test.step("the need's public page and the public log show what arrived", async () => {
    await page.goto(`/needs/${needId}`)
    await expect(page.getByText('已收到 5 箱').first()).toBeVisible()
    await page.goto(`/ledger?home=${home.slug}`)
    for (const receiptNo of receipts) await expect(page.getByText(receiptNo).first()).toBeVisible()
  })

  await test.step('the printable receipt carries the donor’s chosen name and the disclaimer', async () => {
    await page.goto(`/ledger/${receipts[0]}`)
    await page.getByRole('link', { name: '打印捐赠回执' }).click()
    await expect(page).toHaveURL(new RegExp(`/ledger/${receipts[0]}/receipt$`))
    const receipt = page.getByTestId('receipt')
    await expect(receipt.getByRole('heading', { name: '捐赠回执' })).toBeVisible()
    await expect(receipt.getByTestId('receipt-donor')).toHaveText('王**')
    await expect(receipt.getByTestId('receipt-amount')).toHaveText('3 箱')
    await expect(receipt.getByTestId('receipt-disclaimer')).toHaveText('本回执仅为受赠确认，不是财政部门监制的公益事业捐赠票据。')
    await expect(receipt.getByTestId('receipt-qr').locator('svg')).toBeVisible()
    await expectNoSeriousA11yViolations(page, testInfo, 'receipt')
  })

  const cashReceipt = await test.step('a walk-in cash gift of ¥200 is recorded and shown as 爱心人士', async () => {
    await page.goto(`/staff/${home.slug}/gifts/new`)
    await waitForHydration(page)
    await expectNoSeriousA11yViolations(page, testInfo, 'gift form')
    await page.getByRole('radio', { name: '善款' }).check()
    await page.getByLabel('捐赠内容').fill('现金捐款')
    await page.getByLabel('金额（元，善款）').fill('200')
    await page.getByLabel('捐赠人姓名（仅工作人员可见）').fill('门口现金捐赠人')
    await page.getByLabel('联系方式（可选，仅工作人员可见）').fill('13700001111')
    await page.getByRole('button', { name: '保存并生成回执' }).click()
    const saved = page.getByTestId('saved-receipt')
    await expect(saved).toHaveText(/^WN-\d{4}-\d{6}$/)
    const receiptNo = ((await saved.textContent()) ?? '').trim()
    await expectCleanHydration(page, `/ledger/${receiptNo}/receipt`)
    await expect(page.getByTestId('receipt-amount')).toHaveText('¥200')
    await expect(page.getByTestId('receipt-donor')).toHaveText('爱心人士')
    await expect(page.locator('body')).not.toContainText('门口现金捐赠人')
    await expect(page.locator('body')).not.toContainText('13700001111')
    return receiptNo
  })

  await test.step('staff correct the first arrival with a reason, confirming first', async () => {
    await page.goto(`/staff/${home.slug}/ledger`)
    await waitForHydration(page)
    await expect(page.getByTestId(`entry-${cashReceipt}`)).toContainText('门口现金捐赠人')
    await expectNoSeriousA11yViolations(page, testInfo, 'staff ledger')
    const entry = page.getByTestId(`entry-${receipts[0]}`)
    await entry.getByRole('link', { name: `更正 ${receipts[0]}` }).click()
    await entry.getByLabel(`更正说明（${receipts[0]}）`).fill('数量登记错误，实为 2 箱')
    await entry.getByRole('button', { name: '更正' }).click()
    await expect(entry.getByText(`确认更正 ${receipts[0]}？`)).toBeVisible()
    await entry.getByRole('button', { name: '确认更正' }).click()
    await expect(page.getByRole('status')).toContainText(`已更正 ${receipts[0]}`)
    await expect(entry.getByText('已更正', { exact: true })).toBeVisible()
  })

  await test.step('the public log shows the correction with its reason', async () => {
    await page.goto(`/ledger/${receipts[0]}`)
    await expect(page.getByText('本条记录已被更正')).toBeVisible()
    await expect(page.getByText('数量登记错误，实为 2 箱')).toBeVisible()
    await page.goto(`/needs/${needId}`)
    await expect(page.getByText('已收到 2 箱').first()).toBeVisible()
  })
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('staff record an arrival and correct it with plain form posts', async ({
    page,
    insertHome,
    insertNeed,
    insertPledge,
    insertUser,
  }) => {
    const home = await insertHome()
    const need = await insertNeed(home, { title: `棉被 ${Math.random().toString(36).slice(2, 7)}`, unit: '箱', quantityNeeded: 10 })
    const { code } = await insertPledge(need, await insertUser({ displayName: '王爱心' }), 5)
    await page.goto('/login')
    await page.getByLabel('手机号或邮箱').fill(home.staff.email)
    await page.getByLabel('密码', { exact: true }).fill(home.staff.password)
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByTestId('current-user')).toBeVisible()

    await page.goto(`/staff/${home.slug}/intake?code=${code}`)
    const match = page.getByTestId('matched-pledge')
    await match.getByLabel('本次到达数量（箱）').fill('1')
    await match.getByRole('button', { name: '登记到达' }).click()
    await expect(page.getByRole('status')).toContainText('已登记到达，还差 4')
    const receiptNo = (
      (await page.getByTestId('matched-pledge').getByTestId('arrivals').getByRole('link', { name: /^WN-/ }).first().textContent()) ?? ''
    ).trim()

    await page.goto(`/staff/${home.slug}/ledger?correct=${receiptNo}`)
    const entry = page.getByTestId(`entry-${receiptNo}`)
    await entry.getByLabel(`更正说明（${receiptNo}）`).fill('误登记，实际未到')
    await entry.getByRole('button', { name: '更正' }).click()
    await page.getByTestId(`entry-${receiptNo}`).getByRole('button', { name: '确认更正' }).click()
    await expect(page.getByRole('status')).toContainText(`已更正 ${receiptNo}`)
  })
})
