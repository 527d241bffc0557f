import fs from 'node:fs'
import type { Browser, Page, TestInfo } from '@playwright/test'
import { expect, test, type E2eHome } from './fixtures'
import { expectNoSeriousA11yViolations, signIn, waitForHydration } from './utils'
import { FACE_IMAGE, objectsPhoto } from '../sample-photos'

// 执行反馈 photos (issue 13, docs/product.md rule 1): staff upload a photo of a received wish, the
// local face detector holds a photo with faces as 待处理, one button blurs the faces, and only
// then can it be published; the public wish page shows it. The face photo is a demo image that
// ships inside the @vladmandic/face-api npm package. Detection takes seconds on this machine.

/** A received wish: claimed by a new donor, then signed for by the home's staff. */
async function receivedWish(
  home: E2eHome,
  insertWish: (
    home: E2eHome,
    fields: { title: string; child: { realName: string; pseudonym: string } },
  ) => Promise<{ id: number; title: string }>,
  insertUser: () => Promise<{ id: number }>,
  insertClaim: (
    wish: { id: number },
    user: { id: number; email: string; password: string; displayName: string },
  ) => Promise<{ id: number }>,
  tag: string,
) {
  const wish = await insertWish(home, { title: `新书包 ${tag}`, child: { realName: '反馈测试', pseudonym: '小禾' } })
  const donor = await insertUser()
  const claim = await insertClaim(wish, donor as never)
  const { markWishReceived } = await import('~/wishes/delivery.server')
  const received = markWishReceived(home.actor, home.id, claim.id)
  if (!received.ok) throw new Error(`fixture: receiving refused: ${received.message}`)
  return wish
}

/** A signed-out visitor on a phone, in a context of its own (axe needs one made by newContext). */
async function visitorPage(browser: Browser, testInfo: TestInfo) {
  const { viewport, isMobile, hasTouch, deviceScaleFactor, locale, timezoneId, baseURL } = testInfo.project.use
  const context = await browser.newContext({ viewport, isMobile, hasTouch, deviceScaleFactor, locale, timezoneId, baseURL })
  return context.newPage()
}

async function uploadPhoto(page: Page, file: { name: string; mimeType: string; buffer: Buffer }, alt: string) {
  await page.getByLabel(/^照片（JPEG/).setInputFiles(file)
  await page.getByLabel(/^照片说明/).fill(alt)
  await page.getByRole('button', { name: '上传并检测人脸' }).click()
}

test.describe('执行反馈照片', () => {
  test('a photo with faces stays 待处理 until staff blur it; then it is published on the wish page', async ({
    page,
    browser,
    insertHome,
    insertWish,
    insertUser,
    insertClaim,
  }, testInfo) => {
    test.setTimeout(180_000)
    const home = await insertHome()
    const tag = `${testInfo.project.name}-${Date.now().toString(36)}`
    const wish = await receivedWish(home, insertWish, insertUser, insertClaim, tag)
    const alt = `孩子们收到了新书包 ${tag}`
    await signIn(page, home.staff.email, home.staff.password)

    await test.step('the wish page links to the feedback photos', async () => {
      await page.goto(`/staff/${home.slug}/wishes/${wish.id}`)
      await page.getByRole('link', { name: /执行反馈照片/ }).click()
      await expect(page.getByRole('heading', { name: '执行反馈照片' })).toBeVisible()
      await waitForHydration(page)
      await expectNoSeriousA11yViolations(page, testInfo, 'feedback photos, empty')
    })

    await test.step('uploads a photo with faces: it is held as 待处理 with the faces marked', async () => {
      await uploadPhoto(page, { name: 'handover.jpg', mimeType: 'image/jpeg', buffer: fs.readFileSync(FACE_IMAGE) }, alt)
      await expect(page.getByText('检测到人脸，照片暂不公开')).toBeVisible({ timeout: 90_000 })
      const photo = page.getByTestId('feedback-photo')
      await expect(photo.getByTestId('feedback-photo-status')).toHaveText('待处理')
      await expect(photo.getByTestId('feedback-photo-detection')).toContainText('检测到人脸')
      await expect(photo.getByRole('button', { name: '公开照片' })).toHaveCount(0)
      await expectNoSeriousA11yViolations(page, testInfo, 'feedback photo with faces')
    })

    await test.step('the photo is not on the public page yet', async () => {
      const visitor = await visitorPage(browser, testInfo)
      await visitor.goto(`/wishes/${wish.id}`)
      await expect(visitor.getByRole('heading', { name: wish.title })).toBeVisible()
      await expect(visitor.getByTestId('feedback-photos')).toHaveCount(0)
      await visitor.context().close()
    })

    await test.step('blurs the faces: the detector runs again and finds none; staff publish', async () => {
      await page.getByRole('button', { name: '模糊人脸' }).click()
      await expect(page.getByText('人脸已模糊，重新检测未发现人脸')).toBeVisible({ timeout: 90_000 })
      const photo = page.getByTestId('feedback-photo')
      await expect(photo.getByTestId('feedback-photo-detection')).toHaveText('未检测到人脸')
      await photo.getByRole('button', { name: '公开照片' }).click()
      await expect(page.getByText('照片已公开，已通知捐赠人')).toBeVisible()
      await expect(photo.getByTestId('feedback-photo-status')).toHaveText('已公开')
    })

    await test.step('the public wish page shows it under 执行反馈, with the alt text', async () => {
      const visitor = await visitorPage(browser, testInfo)
      await visitor.goto(`/wishes/${wish.id}`)
      const block = visitor.getByTestId('feedback-photos')
      await expect(block.getByRole('heading', { name: '执行反馈' })).toBeVisible()
      const img = block.getByRole('img', { name: alt })
      await expect(img).toBeVisible()
      await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBeGreaterThan(0)
      await expectNoSeriousA11yViolations(visitor, testInfo, 'public wish page with feedback photo')
      await visitor.context().close()
    })
  })
})

test.describe('执行反馈照片：不开启 JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test('staff upload and publish a photo without JavaScript; a missing alt text is shown beside the field', async ({
    page,
    insertHome,
    insertWish,
    insertUser,
    insertClaim,
  }, testInfo) => {
    test.setTimeout(120_000)
    const home = await insertHome()
    const tag = `nojs-${testInfo.project.name}-${Date.now().toString(36)}`
    const wish = await receivedWish(home, insertWish, insertUser, insertClaim, tag)
    await page.goto('/login')
    await page.getByLabel('手机号或邮箱').fill(home.staff.email)
    await page.getByLabel('密码', { exact: true }).fill(home.staff.password)
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByTestId('current-user')).toBeVisible()

    await page.goto(`/staff/${home.slug}/feedback/wish/${wish.id}`)
    const png = { name: 'gifts.png', mimeType: 'image/png', buffer: await objectsPhoto() }
    await uploadPhoto(page, png, '')
    const altField = page.getByLabel(/^照片说明/)
    await expect(altField).toHaveAttribute('aria-invalid', 'true')
    await expect(page.locator('#feedback-alt-error')).toContainText('请填写照片说明')

    const alt = `新文具已发放 ${tag}`
    await uploadPhoto(page, png, alt)
    await expect(page.getByText('未检测到人脸，确认后可公开')).toBeVisible({ timeout: 90_000 })
    await page.getByRole('button', { name: '公开照片' }).click()
    await expect(page.getByText('照片已公开，已通知捐赠人')).toBeVisible()

    await page.goto(`/wishes/${wish.id}`)
    await expect(page.getByTestId('feedback-photos').getByRole('img', { name: alt })).toBeVisible()
  })
})
