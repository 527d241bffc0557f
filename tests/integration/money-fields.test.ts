import { eq } from 'drizzle-orm'
import { beforeEach, describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { donations, payments } from '~db/schema'
import { action as giveAction } from '~/routes/give'
import { action as giftAction } from '~/routes/staff.$slug.gifts.new'
import { action as allocationsAction } from '~/routes/staff.$slug.allocations'
import { STRIPE_TEST_SECRET_KEY } from '~tests/mocks/stripe'
import { context, createTestInstitution, createUser, formRequest, homeWithStaff, run, signedInCookie } from './helpers'

// Money typed on a Chinese keyboard ('１００', full-width) is read as ¥100 on every money form,
// and a negative amount is told so next to its field.

beforeEach(() => {
  process.env.STRIPE_SECRET_KEY = STRIPE_TEST_SECRET_KEY
  process.env.STRIPE_WEBHOOK_SECRET = 'whsec_money_fields_test'
})

/** Field errors of a Conform reply ({ result: { error } }) or of a hand-written one ({ errors }). */
function fieldErrors(body: unknown): Record<string, string[] | undefined> {
  const b = body as { result?: { error?: Record<string, string[]> }; errors?: Record<string, string[]> }
  return b.result?.error ?? b.errors ?? {}
}

describe('money fields', () => {
  test('a donor gives １００ in full-width digits and pays ¥100; -5 is refused as negative', async () => {
    const home = createTestInstitution()
    const donor = await createUser()
    const give = (customAmount: string) =>
      run(() =>
        giveAction({
          request: formRequest(
            `/give?home=${home.slug}`,
            { amount: 'custom', customAmount, publicDisplay: 'masked' },
            { cookie: signedInCookie(donor.id) },
          ),
          params: {},
          context: context(),
        }),
      )

    const ok = await give('１００')
    expect(ok.status).toBe(302)
    expect(db.select().from(payments).where(eq(payments.userId, donor.id)).get()).toMatchObject({ amountFen: 10_000 })

    const negative = await give('-5')
    expect(negative.status).toBe(400)
    expect(fieldErrors(negative.body).customAmount).toEqual(['金额不能为负数'])
  })

  test('staff record a walk-in gift of １００ yuan as 10000 fen; -5 is refused next to the amount', async () => {
    const { home, cookie } = await homeWithStaff()
    const fields = { kind: 'money', items: '现金捐款', channel: 'desk', donorName: '钱先生', publicDisplay: 'anonymous', target: '' }
    const post = (amount: string) =>
      run(() =>
        giftAction({
          request: formRequest(`/staff/${home.slug}/gifts/new`, { ...fields, amount }, { cookie }),
          params: { slug: home.slug },
          context: context(),
        }),
      )

    const ok = await post('１００')
    expect(ok.status).toBe(302)
    const receipt = new URL(ok.headers.get('Location')!, 'http://x').searchParams.get('receipt')!
    expect(db.select().from(donations).where(eq(donations.receiptNo, receipt)).get()).toMatchObject({ kind: 'money', amountFen: 10_000 })

    const negative = await post('-5')
    expect(negative.status).toBe(400)
    expect(fieldErrors(negative.body).amount).toEqual(['金额不能为负数'])
  })

  test('a use of -5 yuan is refused next to the amount', async () => {
    const { home, cookie } = await homeWithStaff()
    const res = await run(() =>
      allocationsAction({
        request: formRequest(
          `/staff/${home.slug}/allocations`,
          { usedAt: '2026-05-01', purpose: '购买冬衣', amount: '-5', beneficiaryDescription: '院内儿童', source: 'WN-2026-000001' },
          { cookie },
        ),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(400)
    expect(fieldErrors(res.body).amount).toEqual(['金额不能为负数'])
  })
})
