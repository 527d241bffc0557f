import { test as base } from '@playwright/test'
import type * as Data from './fixture-data'

// Typed Playwright fixtures: a spec asks for the homes, people, wishes, needs and slots its story
// needs and gets them created through the app's domain functions (./fixture-data.ts) in this
// run's database, so it neither writes SQL nor depends on the demo seed. What would change
// another spec's pages (open wishes, needs and slots) is withdrawn or cancelled after the test.
//
//   test('…', async ({ page, insertHome, insertWish }) => {
//     const home = await insertHome()
//     const wish = await insertWish(home, { title: '一套课外书', child: { realName: '欧阳测试', pseudonym: '小雨' } })
//     await signIn(page, home.staff.email, home.staff.password)

export { expect } from '@playwright/test'
export type { E2eHome, E2eUser } from './fixture-data'

/** The implementations, imported on first use: collecting the specs must not open the database. */
export const fixtureData = () => import('./fixture-data')

type Tail<F> = F extends (cleanup: Data.Cleanup, ...rest: infer R) => infer T ? (...rest: R) => Promise<Awaited<T>> : never
type Plain<F> = F extends (...args: infer A) => infer T ? (...args: A) => Promise<Awaited<T>> : never

export const test = base.extend<{
  cleanup: Data.Cleanup
  insertUser: Plain<typeof Data.insertUser>
  insertHome: Plain<typeof Data.insertHome>
  insertProfile: Plain<typeof Data.insertProfile>
  verifyVolunteer: Tail<typeof Data.verifyVolunteer>
  insertWish: Tail<typeof Data.insertWish>
  insertCampaign: Plain<typeof Data.insertCampaign>
  insertClaim: Plain<typeof Data.insertClaim>
  insertNeed: Tail<typeof Data.insertNeed>
  insertPledge: Plain<typeof Data.insertPledge>
  insertSlot: Tail<typeof Data.insertSlot>
  insertBooking: Plain<typeof Data.insertBooking>
  insertServiceHours: Tail<typeof Data.insertServiceHours>
  insertProgramme: Plain<typeof Data.insertProgramme>
  insertFamily: Plain<typeof Data.insertFamily>
  insertPairing: Tail<typeof Data.insertPairing>
}>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function asks for from its first parameter
  cleanup: async ({}, provide) => {
    const steps: Data.Cleanup = []
    await provide(steps)
    for (const step of steps.reverse()) {
      try {
        step()
      } catch {
        // Already gone, or no longer open: nothing left to undo.
      }
    }
  },
  // eslint-disable-next-line no-empty-pattern
  insertUser: async ({}, provide) => provide(async (...args) => (await fixtureData()).insertUser(...args)),
  // eslint-disable-next-line no-empty-pattern
  insertHome: async ({}, provide) => provide(async (...args) => (await fixtureData()).insertHome(...args)),
  // eslint-disable-next-line no-empty-pattern
  insertProfile: async ({}, provide) => provide(async (...args) => (await fixtureData()).insertProfile(...args)),
  verifyVolunteer: async ({ cleanup }, provide) => provide(async (...args) => (await fixtureData()).verifyVolunteer(cleanup, ...args)),
  insertWish: async ({ cleanup }, provide) => provide(async (...args) => (await fixtureData()).insertWish(cleanup, ...args)),
  // eslint-disable-next-line no-empty-pattern
  insertCampaign: async ({}, provide) => provide(async (...args) => (await fixtureData()).insertCampaign(...args)),
  // eslint-disable-next-line no-empty-pattern
  insertClaim: async ({}, provide) => provide(async (...args) => (await fixtureData()).insertClaim(...args)),
  insertNeed: async ({ cleanup }, provide) => provide(async (...args) => (await fixtureData()).insertNeed(cleanup, ...args)),
  // eslint-disable-next-line no-empty-pattern
  insertPledge: async ({}, provide) => provide(async (...args) => (await fixtureData()).insertPledge(...args)),
  insertSlot: async ({ cleanup }, provide) => provide(async (...args) => (await fixtureData()).insertSlot(cleanup, ...args)),
  // eslint-disable-next-line no-empty-pattern
  insertBooking: async ({}, provide) => provide(async (...args) => (await fixtureData()).insertBooking(...args)),
  insertServiceHours: async ({ cleanup }, provide) =>
    provide(async (...args) => (await fixtureData()).insertServiceHours(cleanup, ...args)),
  // eslint-disable-next-line no-empty-pattern
  insertProgramme: async ({}, provide) => provide(async (...args) => (await fixtureData()).insertProgramme(...args)),
  // eslint-disable-next-line no-empty-pattern
  insertFamily: async ({}, provide) => provide(async (...args) => (await fixtureData()).insertFamily(...args)),
  insertPairing: async ({ cleanup }, provide) => provide(async (...args) => (await fixtureData()).insertPairing(cleanup, ...args)),
})
