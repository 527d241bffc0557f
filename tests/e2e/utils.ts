import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import AxeBuilder from '@axe-core/playwright'
import { expect, type APIRequestContext, type Page, type TestInfo } from '@playwright/test'

export const DEMO_PASSWORD = 'weinuan2026'

export const demo = {
  admin: { email: 'admin@weinuan.example', name: '平台管理员' },
  manager1: { email: 'manager1@weinuan.example', name: '滨州管理员' },
  staff1: { email: 'staff1@weinuan.example', name: '滨州社工' },
} as const

/** A mainland mobile number nobody else in this run (or a rerun) will pick: 139 + 8 random digits. */
export function uniquePhone(): string {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
}

/** A unique e-mail address for a visitor who registers. */
export function uniqueEmail(prefix = 'visitor'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@e2e.example`
}

/**
 * Wait until React has hydrated the page (its fibers are attached to the DOM). Before that a
 * click on a submit button would be a plain HTML form post instead of Remix's fetch.
 */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => {
    const main = document.querySelector('main')
    return main !== null && Object.keys(main).some((key) => key.startsWith('__reactFiber'))
  })
}

/**
 * Load the page afresh (or `url`) and fail on any uncaught error while React hydrates it: markup
 * that differs between server and browser throws React's #418, #423 and #425 here.
 */
export async function expectCleanHydration(page: Page, url?: string) {
  const errors: string[] = []
  const onError = (error: Error) => errors.push(error.message)
  page.on('pageerror', onError)
  if (url) await page.goto(url)
  else await page.reload()
  await waitForHydration(page)
  await page.waitForLoadState('networkidle')
  page.off('pageerror', onError)
  expect(errors).toEqual([])
}

/** Sign in through the form; `javaScript: false` for a page opened with JavaScript off (nothing hydrates). */
export async function signIn(page: Page, identifier: string, password = DEMO_PASSWORD, { path = '/login', javaScript = true } = {}) {
  await page.goto(path)
  if (javaScript) await waitForHydration(page)
  await page.getByLabel('手机号或邮箱').fill(identifier)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByTestId('current-user')).toBeVisible()
}

export type Registration = { identifier: string; displayName: string; password: string }

export function newVisitor(displayName = '小暖'): Registration {
  return { identifier: uniquePhone(), displayName: `${displayName}${Math.random().toString(36).slice(2, 6)}`, password: 'warm-hearts-2026' }
}

/** Fill the /register form (on whatever page it is shown) and submit it. */
export async function fillRegistration(page: Page, who: Registration, confirmPassword = who.password) {
  await page.getByLabel('手机号或邮箱').fill(who.identifier)
  await page.getByLabel('称呼').fill(who.displayName)
  await page.getByLabel('密码', { exact: true }).fill(who.password)
  await page.getByLabel('确认密码').fill(confirmPassword)
  await page.getByRole('button', { name: '注册' }).click()
}

// No SMS or mail provider in the e2e server (tests/e2e/serve.sh): each message is written to the
// file outbox in its DATA_DIR (app/notifications/delivery.server.ts), where the tests read codes.
const outboxDir = path.join(fileURLToPath(new URL('../..', import.meta.url)), `tests/.tmp/e2e-data-${process.env.E2E_PORT ?? 3100}/outbox`)

/** The code in the newest outbox message of this template to this phone number or address. */
export function latestCodeFor(recipient: string, template = 'auth.contact-verification.code'): string | null {
  if (!fs.existsSync(outboxDir)) return null
  const files = fs
    .readdirSync(outboxDir)
    .filter((f) => f.endsWith(`-${template}.txt`))
    .sort((a, b) => parseInt(b, 10) - parseInt(a, 10))
  for (const file of files) {
    const text = fs.readFileSync(path.join(outboxDir, file), 'utf8')
    if (text.startsWith(`To: ${recipient} (`)) return text.match(/验证码 (\d{6})/)?.[1] ?? null
  }
  return null
}

/** On 输入验证码 (after registering): type the code that was sent and submit it. */
export async function typeVerificationCode(page: Page, identifier: string) {
  await expect(page.getByRole('heading', { level: 1, name: '输入验证码' })).toBeVisible()
  await expect.poll(() => latestCodeFor(identifier)).toMatch(/^\d{6}$/)
  await page.getByLabel('验证码').fill(latestCodeFor(identifier)!)
  await page.getByRole('button', { name: '验证', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: '输入验证码' })).toHaveCount(0)
}

/** Register through the form and verify the contact with the code sent: the account can then claim, give and book. */
export async function registerAndVerify(page: Page, who: Registration) {
  await fillRegistration(page, who)
  await typeVerificationCode(page, who.identifier)
}

/** The same for a request context (the race specs): verify the contact it registered with. */
export async function verifyByRequest(request: APIRequestContext, identifier: string) {
  await expect.poll(() => latestCodeFor(identifier)).toMatch(/^\d{6}$/)
  const res = await request.post('/account/verify', { form: { intent: 'verify', code: latestCodeFor(identifier)! }, maxRedirects: 0 })
  expect(res.status(), await res.text()).toBe(302)
}

/**
 * Run axe (WCAG 2.x A/AA plus best practices) and fail on serious or critical violations,
 * listing each rule, its help text and the offending elements.
 */
export async function expectNoSeriousA11yViolations(page: Page, testInfo: TestInfo, label = page.url()) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze()
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  if (serious.length) {
    await testInfo.attach(`axe-${label}`, { body: JSON.stringify(serious, null, 2), contentType: 'application/json' })
  }
  const report = serious
    .map((v) =>
      [
        `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
        ...v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`),
      ].join('\n'),
    )
    .join('\n')
  expect(report, `axe found serious/critical violations on ${label}`).toBe('')
}
