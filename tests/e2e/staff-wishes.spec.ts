import { expect, test } from './fixtures'
import sharp from 'sharp'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'

test.describe('机构后台：儿童档案与微心愿', () => {
  test('staff create a child and a wish, pass the privacy check and publish it', async ({ page, insertHome }, testInfo) => {
    // A home of the test's own; the tag makes this run's records recognisable too.
    const home = await insertHome()
    const HOME = `/staff/${home.slug}`
    const tag = `${testInfo.project.name}-${Date.now().toString(36)}`
    const title = `一套《十万个为什么》${tag}`
    // Born on 1 January seven years ago: 6 or 7 years old, the 6–8岁 band, whatever today is.
    const birthDate = `${new Date().getFullYear() - 7}-01-01`
    await signIn(page, home.staff.email, home.staff.password)

    await test.step('creates a child record, accepting the suggested pseudonym', async () => {
      await page.goto(`${HOME}/children/new`)
      await waitForHydration(page)
      const pseudonym = page.getByLabel('化名（公开显示）')
      await expect(pseudonym).toHaveValue(/^小.$/)
      await page.getByLabel('真实姓名（仅工作人员可见）').fill('郑可欣')
      await page.getByLabel('出生日期（仅工作人员可见）').fill(birthDate)
      await page.getByLabel('性别').selectOption({ label: '女' })
      await page.getByRole('button', { name: '保存档案' }).click()
      await expect(page.getByText('档案已创建')).toBeVisible()
      await expect(page.getByRole('heading', { level: 2, name: /（化名）/ })).toBeVisible()
    })

    await test.step('writes a wish for the child; it is saved as a draft and checked for privacy', async () => {
      await page.getByRole('link', { name: '为 TA 新建心愿' }).click()
      await expect(page.getByRole('heading', { name: '新建微心愿' })).toBeVisible()
      await waitForHydration(page)
      await page.getByLabel('类别').selectOption({ label: '学业' })
      await page.getByLabel('心愿标题').fill(title)
      await page.getByLabel('心愿故事').fill('可欣总爱问为什么，想自己在书里找到答案。')
      await page.getByLabel('物品说明（可选）').fill('彩图注音版，适合小学低年级')
      await page.getByLabel('估计价值（元，可选）').fill('128')
      await page.getByRole('button', { name: '保存草稿' }).click()
      await expect(page.getByText('草稿已保存')).toBeVisible()
      await expect(page.getByTestId('wish-status')).toHaveText('草稿')
      const check = page.getByTestId('privacy-check')
      await expect(check).toContainText('出现了儿童的名字（不含姓）：「可欣」')
      await expect(check).toContainText('疑似学校名称：「适合小学」')
      await expectNoSeriousA11yViolations(page, testInfo, 'staff wish page')
    })

    await test.step('publishing is refused until each flag is fixed or confirmed', async () => {
      await waitForHydration(page)
      await page.getByRole('button', { name: '保存并发布' }).click()
      await expect(page.getByRole('alert')).toContainText('有 2 条隐私提示待处理')
      await expect(page.getByTestId('wish-status')).toHaveText('草稿')

      // Fix the name in the story; confirm that "适合小学" names no school.
      await page.getByLabel('心愿故事').fill('小朋友总爱问为什么，想自己在书里找到答案。')
      const schoolFlag = page.getByTestId('privacy-check').getByRole('listitem').filter({ hasText: '适合小学' })
      await schoolFlag.getByLabel('已核实，不会暴露孩子身份').check()
      await page.getByRole('button', { name: '保存并发布' }).click()
      await expect(page.getByText('心愿已发布')).toBeVisible()
      await expect(page.getByTestId('wish-status')).toHaveText('待认领')
    })

    await test.step('uploads an item photo; the page warns never to upload a child’s face', async () => {
      await expect(page.getByText('请勿上传儿童正脸照片')).toBeVisible()
      const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#e8b04a' } })
        .png()
        .toBuffer()
      await page.getByLabel(/选择图片/).setInputFiles({ name: 'books.png', mimeType: 'image/png', buffer: png })
      await page.getByRole('button', { name: '上传图片' }).click()
      await expect(page.getByText('图片已上传')).toBeVisible()
      const img = page.getByRole('img', { name: `心愿物品图片：${title}` })
      await expect(img).toBeVisible()
      const src = await img.getAttribute('src')
      const response = await page.request.get(src ?? '')
      expect(response.status()).toBe(200)
      expect(response.headers()['content-type']).toBe('image/webp')
      expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable')
    })

    await test.step('the staff list shows the wish as 待认领 with the pseudonym and age band', async () => {
      await page.goto(`${HOME}/wishes?status=published`)
      const row = page.getByTestId('staff-wish-list').getByRole('listitem').filter({ hasText: title })
      await expect(row).toContainText('待认领')
      await expect(row).toContainText('6–8岁')
      await expect(row).not.toContainText('郑可欣')
    })
  })

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false })

    test('a refused child form keeps what was typed and explains the error next to the field', async ({ page, insertHome }) => {
      const home = await insertHome()
      const HOME = `/staff/${home.slug}`
      // signIn() waits for hydration, which never comes here: sign in by hand.
      await page.goto(`/login?redirectTo=${encodeURIComponent(`${HOME}/children/new`)}`)
      await page.getByLabel('手机号或邮箱').fill(home.staff.email)
      await page.getByLabel('密码', { exact: true }).fill(home.staff.password)
      await page.getByRole('button', { name: '登录' }).click()
      await expect(page).toHaveURL(`${HOME}/children/new`)
      await page.getByLabel('真实姓名（仅工作人员可见）').fill('欧阳晨曦')
      await page.getByLabel('出生日期（仅工作人员可见）').fill('2015-03-01')
      await page.getByLabel('性别').selectOption({ label: '男' })
      await page.getByLabel('化名（公开显示）').fill('小晨曦')
      await page.getByRole('button', { name: '保存档案' }).click()
      await expect(page.getByText('化名不能包含儿童的真实姓名，请换一个')).toBeVisible()
      await expect(page.getByLabel('真实姓名（仅工作人员可见）')).toHaveValue('欧阳晨曦')
      await expect(page.getByLabel('出生日期（仅工作人员可见）')).toHaveValue('2015-03-01')
      await expect(page.getByLabel('化名（公开显示）')).toHaveAttribute('aria-invalid', 'true')
    })
  })
})
