import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { homeWithStaff, insertTestSlot } from './helpers'
import { startDevServer, type ServerProcess } from './server-process'

// Issue 11 item 3, over real HTTP: staff paste whatever the scanner or a chat gave them into the
// lookup box of the check-in, intake (门口登记) and receive (签收) pages. A pasted link whose code
// is broken percent-encoding is a code that is not found, never a server error.

let server: ServerProcess
let base = ''
beforeAll(async () => {
  server = await startDevServer()
  base = server.base
}, 120_000)
afterAll(() => server?.stop())

const MALFORMED = ['https://weinuan.example/c?code=%E0%A4%A', '/staff/x/intake?code=%', 'https://x/c?code=AB%ZZCD']

async function lookup(path: string, cookie: string, pasted: string) {
  const res = await fetch(`${base}${path}?code=${encodeURIComponent(pasted)}`, { headers: { Cookie: cookie }, redirect: 'manual' })
  return { status: res.status, body: await res.text() }
}

describe('a malformed pasted code on a staff lookup page', () => {
  for (const pasted of MALFORMED) {
    test(`check-in says the slip is not found: ${pasted}`, async () => {
      const { home, cookie } = await homeWithStaff()
      const slot = insertTestSlot(home.id)
      const page = await lookup(`/staff/${home.slug}/slots/${slot.id}/checkin`, cookie, pasted)
      expect(page.status).toBe(200)
      expect(page.body).toContain('未找到')
    })

    test(`intake says the pledge is not found: ${pasted}`, async () => {
      const { home, cookie } = await homeWithStaff()
      const page = await lookup(`/staff/${home.slug}/intake`, cookie, pasted)
      expect(page.status).toBe(200)
      expect(page.body).toContain('未找到')
    })

    test(`receive says the parcel is not found: ${pasted}`, async () => {
      const { home, cookie } = await homeWithStaff()
      const page = await lookup(`/staff/${home.slug}/receive`, cookie, pasted)
      expect(page.status).toBe(200)
      expect(page.body).toContain('未找到')
    })
  }
})
