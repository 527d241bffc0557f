import { expect, test, type Page } from '@playwright/test'
import { DEMO_PASSWORD, waitForHydration } from './utils'

test.describe('安全：服务器', () => {
  test('GET /healthz reports the database is reachable', async ({ request }) => {
    const response = await request.get('/healthz')
    expect(response.status()).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
  })

  test('a cross-site POST is refused with 403', async ({ request }) => {
    const response = await request.post('/login', {
      headers: { Origin: 'http://evil.example' },
      form: { identifier: 'donor@weinuan.example', password: 'weinuan2026' },
      maxRedirects: 0,
    })
    expect(response.status()).toBe(403)
    expect(await response.text()).toContain('请求来源不被允许')
    expect(response.headers()['set-cookie']).toBeUndefined()
  })

  test('a cross-site POST flagged by Sec-Fetch-Site is refused too', async ({ request }) => {
    const response = await request.post('/logout', { headers: { 'Sec-Fetch-Site': 'cross-site' }, maxRedirects: 0 })
    expect(response.status()).toBe(403)
  })

  test('a same-origin POST is not refused by the origin check', async ({ request, baseURL }) => {
    // Invalid input on purpose: this proves the request reached the app (400), not the 403 wall.
    const response = await request.post('/login', {
      headers: { Origin: baseURL! },
      form: { identifier: '', password: '' },
      maxRedirects: 0,
    })
    expect(response.status()).toBe(400)
  })

  test('a 20 MB form body is refused with 413 and the server stays healthy', async ({ request, baseURL }) => {
    const response = await request.post('/login', {
      headers: { Origin: baseURL!, 'Content-Type': 'application/x-www-form-urlencoded' },
      data: Buffer.alloc(20 * 1024 * 1024, 'a'),
      maxRedirects: 0,
    })
    expect(response.status()).toBe(413)
    expect(await response.text()).toContain('提交的内容过大')
    expect((await request.get('/healthz')).status()).toBe(200)
  })

  for (const path of ['/', '/login']) {
    test(`${path} is served with a strict Content-Security-Policy`, async ({ request }) => {
      const response = await request.get(path)
      expect(response.status()).toBe(200)
      const csp = response.headers()['content-security-policy'] ?? ''
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("object-src 'none'")
      const scriptSrc = csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('script-src'))
      expect(scriptSrc).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]+'$/)
      expect(response.headers()['x-content-type-options']).toBe('nosniff')
      expect(response.headers()['x-powered-by']).toBeUndefined()
    })
  }
})

test.describe('安全：公开页面缓存', () => {
  // Anonymous public pages come from the in-process page cache (docs/decisions/015): a cached
  // document must still get a nonce of its own, the one its CSP header names.
  test('each response of a cached page has a fresh nonce, the one its CSP header names; a 304 has no CSP', async ({ request }) => {
    const nonces = new Set<string>()
    const outcomes: string[] = []
    let etag = ''
    for (let i = 0; i < 3; i++) {
      const response = await request.get('/institutions')
      expect(response.status()).toBe(200)
      outcomes.push(response.headers()['x-cache'] ?? '')
      const html = await response.text()
      const inHtml = [...new Set([...html.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]))]
      expect(inHtml).toHaveLength(1)
      expect(response.headers()['content-security-policy']).toContain(`'nonce-${inHtml[0]}'`)
      nonces.add(inHtml[0]!)
      expect(response.headers()['cache-control']).toBe('public, max-age=0, must-revalidate')
      expect(response.headers()['vary']).toMatch(/Cookie/)
      etag = response.headers()['etag'] ?? ''
    }
    expect(outcomes).toContain('HIT')
    expect(nonces.size).toBe(3)
    const revalidated = await request.get('/institutions', { headers: { 'If-None-Match': etag } })
    expect(revalidated.status()).toBe(304)
    expect(revalidated.headers()['content-security-policy']).toBeUndefined()
  })
})

/** Collect console errors and CSP violation events for the page's whole life. */
async function watchForCspProblems(page: Page) {
  const consoleErrors: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text())
  })
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] }
    w.__cspViolations = []
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI}`)
    })
  })
  return {
    consoleErrors,
    pageErrors,
    violations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
  }
}

test.describe('安全：浏览器中的 CSP', () => {
  test('the home page and login page run under the CSP without violations', async ({ page }) => {
    const watch = await watchForCspProblems(page)

    await page.goto('/')
    await expect(page.getByRole('heading', { level: 1, name: '慈善之光，虽微而暖' })).toBeVisible()
    // The page hydrated, so its scripts (and the nonce'd inline ones) were allowed to run.
    await waitForHydration(page)
    // 机构 is in the header's 主导航 from tablet width up, and in its 菜单 on a phone.
    const mainNav = page.getByRole('navigation', { name: '主导航' })
    if (await mainNav.isVisible()) {
      await mainNav.getByRole('link', { name: '机构' }).click()
    } else {
      await page.getByTestId('site-menu').locator('summary').click()
      await page.getByRole('navigation', { name: '网站菜单' }).getByRole('link', { name: '机构' }).click()
    }
    await expect(page.getByRole('heading', { level: 1, name: '机构' })).toBeVisible()
    expect(await watch.violations()).toEqual([])

    await page.goto('/login')
    await waitForHydration(page)
    await page.waitForLoadState('networkidle')
    expect(await watch.violations()).toEqual([])

    const cspErrors = watch.consoleErrors.filter((text) => /Content Security Policy/i.test(text))
    expect(cspErrors).toEqual([])
    expect(watch.pageErrors).toEqual([])
  })
})

test.describe('安全：登录后的跳转', () => {
  test('signing in (with JavaScript) with redirectTo=/%09/evil.example stays on this site', async ({ page, baseURL }) => {
    await page.goto('/login?redirectTo=%2F%09%2Fevil.example')
    await waitForHydration(page)
    await page.getByLabel('手机号或邮箱').fill('donor@weinuan.example')
    await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD)
    await page.getByRole('button', { name: '登录' }).click()
    await expect(page.getByTestId('current-user')).toBeVisible()
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin)
    await expect(page).toHaveURL('/')
  })

  test('a signed-in page is sent with Cache-Control: private, no-store', async ({ page }) => {
    await page.goto('/login?redirectTo=%2Faccount')
    await waitForHydration(page)
    await page.getByLabel('手机号或邮箱').fill('donor@weinuan.example')
    await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD)
    const account = page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/account'))
    await page.getByRole('button', { name: '登录' }).click()
    expect((await account).headers()['cache-control']).toBe('private, no-store')
  })
})
