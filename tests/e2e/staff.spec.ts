import { expect, test } from './fixtures'
import { newVisitor, registerAndVerify, signIn, waitForHydration } from './utils'

test.describe('机构后台', () => {
  test('staff see their own home and nothing of other homes', async ({ page, insertHome }) => {
    const home = await insertHome({ name: `本院福利院${Date.now().toString(36)}` })
    const other = await insertHome({ name: `邻市儿童村${Date.now().toString(36)}` })
    await signIn(page, home.staff.email, home.staff.password)

    await test.step('opens the console of their home', async () => {
      const response = await page.goto(`/staff/${home.slug}`)
      expect(response?.status()).toBe(200)
      await expect(page.getByRole('heading', { level: 1, name: home.name })).toBeVisible()
      await expect(page.getByText('机构后台 · 工作人员')).toBeVisible()
      // Staff (not managers) get no members tab.
      await expect(page.getByRole('navigation', { name: '后台导航' }).getByRole('link', { name: '成员' })).toHaveCount(0)
    })

    await test.step("another home's console is a 404 that reveals nothing", async () => {
      const response = await page.goto(`/staff/${other.slug}`)
      expect(response?.status()).toBe(404)
      await expect(page.getByRole('heading', { level: 1, name: '页面不存在' })).toBeVisible()
      const main = page.getByRole('main')
      await expect(main).not.toContainText(other.name)
      await expect(main).not.toContainText('机构后台')
      await expect(page.getByRole('navigation', { name: '后台导航' })).toHaveCount(0)
    })

    await test.step('the members page is for managers only (403)', async () => {
      const response = await page.goto(`/staff/${home.slug}/members`)
      expect(response?.status()).toBe(403)
      await expect(page.getByRole('heading', { name: '没有访问权限' })).toBeVisible()
      await expect(page.getByRole('button', { name: '生成邀请链接' })).toHaveCount(0)
    })
  })

  test('a manager invites a new colleague who joins the home', async ({ page, browser, insertHome, baseURL }) => {
    const home = await insertHome()
    await signIn(page, home.manager.email, home.manager.password)
    await page.goto(`/staff/${home.slug}/members`)
    await expect(page.getByRole('heading', { name: /^成员（\d+）$/ })).toBeVisible()
    await waitForHydration(page)

    const inviteUrl = await test.step('manager generates an invite link', async () => {
      await page.getByLabel('备注（可选）').fill('新同事 e2e')
      await page.getByRole('button', { name: '生成邀请链接' }).click()
      const output = page.getByTestId('invite-url')
      await expect(output).toHaveText(new RegExp(`^${baseURL}/invite/\\S+$`))
      const url = (await output.textContent())?.trim() ?? ''
      // The form is ready for the next invitation: role back to its default, note cleared.
      await expect(page.getByLabel('角色')).toHaveValue('staff')
      await expect(page.getByLabel('角色').locator('option:checked')).toHaveText('工作人员')
      await expect(page.getByLabel('备注（可选）')).toHaveValue('')
      return url
    })

    await test.step('a second link can be generated straight away, and differs', async () => {
      await page.getByRole('button', { name: '生成邀请链接' }).click()
      await expect(page.getByTestId('invite-url')).toHaveText(new RegExp(`^${baseURL}/invite/\\S+$`))
      await expect(page.getByTestId('invite-url')).not.toHaveText(inviteUrl)
      await expect(page.getByRole('alert')).toHaveCount(0)
    })

    // The colleague uses their own phone: a separate browser context with no session.
    const colleagueContext = await browser.newContext()
    const colleague = await colleagueContext.newPage()
    const newcomer = newVisitor('新同事')
    try {
      await test.step('the colleague opens the link and registers from it', async () => {
        await colleague.goto(inviteUrl)
        await expect(colleague.getByText(`您受邀以工作人员身份加入${home.name}。`)).toBeVisible()
        await colleague.getByRole('link', { name: '注册新账号' }).click()
        await expect(colleague).toHaveURL(/\/register\?redirectTo=/)
        await waitForHydration(colleague)
        await registerAndVerify(colleague, newcomer)
        // Registration (and 输入验证码) returns them to the invitation.
        await expect(colleague).toHaveURL(new URL(inviteUrl).pathname)
        await expect(colleague.getByTestId('current-user')).toHaveText(newcomer.displayName)
      })

      await test.step('accepts and lands in the home console', async () => {
        await colleague.getByRole('button', { name: '接受邀请' }).click()
        await expect(colleague).toHaveURL(`/staff/${home.slug}`)
        await expect(colleague.getByRole('heading', { level: 1, name: home.name })).toBeVisible()
        await expect(colleague.getByText('机构后台 · 工作人员')).toBeVisible()
      })

      await test.step('the link cannot be used twice', async () => {
        await colleague.goto(inviteUrl)
        await expect(colleague.getByText('邀请链接无效、已使用或已过期')).toBeVisible()
      })
    } finally {
      await colleagueContext.close()
    }

    await test.step('the manager sees the new member in the list', async () => {
      await page.reload()
      await expect(page.getByRole('region', { name: /^成员/ }).getByText(newcomer.displayName)).toBeVisible()
    })
  })
})
