import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, test } from './fixtures'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

// Anyone can verify the log: staff of a home record a walk-in gift; its public entry page
// checks the entry's inclusion proof in the visitor's browser and shows 已验证; the
// independent verifier script, run against the live site, passes.

const root = fileURLToPath(new URL('../..', import.meta.url))
const run = promisify(execFile)

test('a walk-in gift appears in the public log, verified in the browser and by scripts/verify-ledger', async ({
  page,
  baseURL,
  insertHome,
}, testInfo) => {
  test.setTimeout(90_000)
  const home = await insertHome()
  const receiptNo = await test.step('staff record a walk-in cash gift', async () => {
    await signIn(page, home.staff.email, home.staff.password)
    await page.goto(`/staff/${home.slug}/gifts/new`)
    await waitForHydration(page)
    await page.getByRole('radio', { name: '善款' }).check()
    await page.getByLabel('捐赠内容').fill('现金捐款（可验证）')
    await page.getByLabel('金额（元，善款）').fill('50')
    await page.getByLabel('捐赠人姓名（仅工作人员可见）').fill('验证测试捐赠人')
    await page.getByRole('button', { name: '保存并生成回执' }).click()
    const saved = page.getByTestId('saved-receipt')
    await expect(saved).toHaveText(/^WN-\d{4}-\d{6}$/)
    return ((await saved.textContent()) ?? '').trim()
  })

  await test.step('the public entry page shows 已验证, checked in the browser', async () => {
    await page.goto(`/ledger/${receiptNo}`)
    await expect(page.getByTestId('ledger-verification')).toContainText(/已验证（第 \d+ 条，共 \d+ 条）/)
    // Plain words for donors first; the technical detail waits behind 技术细节 (issue 13 item 13).
    await expect(page.getByTestId('ledger-plain')).toHaveText(/^这笔记录已被公开登记，任何人都可核验，无法被悄悄修改/)
    await expect(page.getByText('默克尔树', { exact: false })).toBeHidden()
    await expect(page.getByRole('link', { name: '包含证明（JSON）' })).toBeHidden()
    await expectNoSeriousA11yViolations(page, testInfo, 'verified entry')
    await page.getByText('技术细节', { exact: true }).click()
    await expect(page.getByText(/默克尔树，RFC 9162/)).toBeVisible()
    await expect(page.getByRole('link', { name: '包含证明（JSON）' })).toHaveAttribute('href', `/api/ledger/proof/${receiptNo}`)
  })

  await test.step('the public key is served at /.well-known/weinuan-ledger-key', async () => {
    const res = await page.request.get('/.well-known/weinuan-ledger-key')
    expect(res.status()).toBe(200)
    expect(res.headers()['content-type']).toContain('text/plain')
    expect(await res.text()).toContain('-----BEGIN PUBLIC KEY-----')
  })

  await test.step('the independent verifier passes against the live site', async () => {
    const { stdout } = await run(path.join(root, 'scripts/verify-ledger'), [baseURL!, '--receipt', receiptNo], {
      cwd: root,
      timeout: 60_000,
    }).catch((error: Error & { stdout?: string }) => {
      // The verifier reports what failed on stdout: show it, not only "Command failed".
      throw new Error(`${error.message}\n${error.stdout ?? ''}`)
    })
    expect(stdout).toContain('ledger verified')
    expect(stdout).toContain(`${receiptNo}: included as leaf`)
  })
})

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('the entry page explains how to verify and links the JSON proof', async ({ page }) => {
    await page.goto('/ledger')
    const first = page.locator('a[href^="/ledger/WN-"]').first()
    const href = await first.getAttribute('href')
    expect(href).toMatch(/^\/ledger\/WN-\d{4}-\d{6}$/)
    await page.goto(href!)
    await expect(page.getByTestId('ledger-verification')).toContainText('开启 JavaScript 后')
    await expect(page.getByTestId('ledger-plain')).toBeVisible()
    // The 技术细节 disclosure opens without JavaScript.
    await page.getByText('技术细节', { exact: true }).click()
    await expect(page.getByRole('link', { name: '包含证明（JSON）' })).toBeVisible()
    const proof = await page.request.get(`/api/ledger/proof/${href!.split('/').pop()}`)
    expect(proof.status()).toBe(200)
    expect(await proof.json()).toMatchObject({ receiptNo: href!.split('/').pop(), proof: expect.any(Array) })
  })
})
