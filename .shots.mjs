import { chromium } from '@playwright/test'
import AxeBuilder from '@axe-core/playwright'
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] })
const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' })
const page = await ctx.newPage()
for (const [p, f] of [['/', 'home'], ['/login', 'login'], ['/institutions/binzhou-fuliyuan', 'inst'], ['/register', 'register']]) {
  await page.goto('http://localhost:3101' + p)
  await page.screenshot({ path: `/tmp/e2e-${f}.png`, fullPage: f === 'home' })
  const r = await new AxeBuilder({ page }).analyze()
  console.log(p, r.violations.map(v => `${v.impact} ${v.id} (${v.nodes.length})`), 'incomplete:', r.incomplete.map(v => v.id))
}
await browser.close()
