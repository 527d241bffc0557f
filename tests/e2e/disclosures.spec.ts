import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// 用途 and 公示: a home's staff member records a walk-in cash gift, records how it was used, the
// manager publishes this month's disclosure, and a visitor finds it on /disclosures with the
// chart, the entry and its use, and downloads the CSV.
//
// A month can be published only once per home, so each run (and each browser project) gets its
// own home with its own staff member and manager (./fixtures.ts).

test('a home records a gift and its use, publishes the month, and a visitor reads and downloads the disclosure', async ({
  page,
  browser,
  insertHome,
}, testInfo) => {
  test.setTimeout(120_000)
  const home = await insertHome({ name: `公示测试福利院${Math.random().toString(36).slice(2, 7)}` })
  const purpose = `购买冬季棉衣 12 件 ${Math.random().toString(36).slice(2, 6)}`
  let receipt = ''

  await test.step('staff record a walk-in cash gift of ¥600', async () => {
    await signIn(page, home.staff.email, home.staff.password)
    await page.goto(`/staff/${home.slug}/gifts/new`)
    await waitForHydration(page)
    await page.getByRole('radio', { name: '善款' }).check()
    await page.getByLabel('捐赠内容').fill('现金捐款（冬衣）')
    await page.getByLabel('金额（元，善款）').fill('600')
    await page.getByLabel('捐赠人姓名（仅工作人员可见）').fill('赵公示')
    await page.getByRole('button', { name: '保存并生成回执' }).click()
    receipt = (await page.getByTestId('saved-receipt').textContent())?.trim() ?? ''
    expect(receipt).toMatch(/^WN-\d{4}-\d{6}$/)
  })

  await test.step('staff record how it was used, drawing on that receipt', async () => {
    await page.goto(`/staff/${home.slug}/allocations`)
    await waitForHydration(page)
    await expectNoSeriousA11yViolations(page, testInfo, 'staff allocations')
    await page.getByLabel('用途', { exact: true }).fill(purpose)
    await page.getByLabel('使用金额（元，可选）').fill('600')
    await page.getByLabel('受益对象（匿名描述）').fill('本院 12 名学龄儿童')
    await page.getByRole('checkbox', { name: new RegExp(receipt) }).check()
    await page.getByRole('button', { name: '登记用途' }).click()
    await expect(page.getByText('已登记用途')).toBeVisible()
    await expect(page.getByText(purpose).first()).toBeVisible()
  })

  await test.step('a second ¥600 use of the same ¥600 gift is refused next to the amount', async () => {
    await page.getByLabel('用途', { exact: true }).fill('再次购买棉衣')
    await page.getByLabel('使用金额（元，可选）').fill('600')
    await page.getByLabel('受益对象（匿名描述）').fill('本院 12 名学龄儿童')
    await page.getByRole('checkbox', { name: new RegExp(receipt) }).check()
    await page.getByRole('button', { name: '登记用途' }).click()
    await expect(page.getByLabel('使用金额（元，可选）')).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByText('所选来源已没有尚未使用的善款').first()).toBeVisible()
  })

  await test.step('the manager drafts this month, reviews the preview and publishes after confirming', async () => {
    const context = await browser.newContext()
    const manager = await context.newPage()
    await signIn(manager, home.manager.email, home.manager.password)
    await manager.goto(`/staff/${home.slug}/disclosures`)
    await waitForHydration(manager)
    await manager.getByRole('button', { name: '生成草稿并预览' }).click()
    await expect(manager.getByRole('heading', { name: /草稿预览/ })).toBeVisible()
    await expect(manager.getByText(receipt).first()).toBeVisible()
    await expectNoSeriousA11yViolations(manager, testInfo, 'staff disclosures')
    await manager.getByLabel(/我已核对以上内容/).check()
    await manager.getByRole('button', { name: '发布公示' }).click()
    await expect(manager.getByText('公示已发布')).toBeVisible()
    await context.close()
  })

  await test.step('a visitor finds the disclosure with its chart, the entry and its use, and downloads the CSV', async () => {
    const context = await browser.newContext()
    const visitor = await context.newPage()
    await visitor.goto('/disclosures')
    await expectNoSeriousA11yViolations(visitor, testInfo, 'disclosures list')
    await visitor.getByRole('link', { name: new RegExp(`${home.name}.*捐赠公示`) }).click()
    await expect(visitor.getByRole('heading', { level: 1, name: new RegExp(home.name) })).toBeVisible()
    await expect(visitor.getByRole('img', { name: /按月份/ })).toBeVisible()
    await expect(visitor.getByRole('link', { name: receipt }).first()).toBeVisible()
    await expect(visitor.getByText(`已使用：${purpose}`)).toBeVisible()
    await expect(visitor.getByTestId('closing-balance')).toHaveText('¥0')
    await expect(visitor.getByText('赵公示')).toHaveCount(0)
    await expectNoSeriousA11yViolations(visitor, testInfo, 'disclosure detail')

    const downloadPromise = visitor.waitForEvent('download')
    await visitor.getByRole('link', { name: '下载 CSV' }).click()
    const download = await downloadPromise
    const file = await download.path()
    const fs = await import('node:fs/promises')
    const csv = (await fs.readFile(file)).toString('utf8')
    expect(csv).toContain('收据编号,日期,类别,内容,数量,单位,金额(元),捐赠人,用途')
    expect(csv).toContain(`${receipt},`)
    expect(csv).toContain(purpose)
    expect(csv).not.toContain('赵公示')

    await visitor.goto(`/ledger/${receipt}`)
    await expect(visitor.getByTestId('entry-use')).toHaveText(`已使用：${purpose}`)
    await context.close()
  })
})
