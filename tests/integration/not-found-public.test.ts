import type { LoaderFunctionArgs } from '@remix-run/node'
import { describe, expect, test } from 'vitest'
import { loader as catchAllLoader } from '~/routes/$'
import { loader as campaignLoader } from '~/routes/campaigns.$slug'
import { loader as campaignCardLoader } from '~/routes/campaigns_.$slug.card[.png]'
import { loader as disclosureLoader } from '~/routes/disclosures.$id'
import { loader as disclosureCsvLoader } from '~/routes/disclosures.$id[.csv]'
import { loader as disclosureXlsxLoader } from '~/routes/disclosures.$id[.xlsx]'
import { loader as disclosurePrintLoader } from '~/routes/disclosures_.$id.print'
import { loader as giveDoneLoader } from '~/routes/give_.done'
import { loader as institutionLoader } from '~/routes/institutions.$slug'
import { loader as institutionDisclosuresLoader } from '~/routes/institutions_.$slug.disclosures'
import { loader as ledgerEntryLoader } from '~/routes/ledger.$receipt'
import { loader as receiptLoader } from '~/routes/ledger_.$receipt.receipt'
import { action as myBookingsAction } from '~/routes/me.bookings'
import { loader as slipLoader } from '~/routes/me.bookings_.$id.slip'
import { loader as icsLoader } from '~/routes/me.bookings_.$id[.ics]'
import { loader as labelLoader } from '~/routes/me.claims_.$claimId.label'
import { loader as visitLoader } from '~/routes/me.pairings_.$pairingId.visit'
import { loader as certificateLoader } from '~/routes/me.service_.certificates.$code'
import { loader as needLoader, action as needAction } from '~/routes/needs.$id._index'
import { loader as needCardLoader } from '~/routes/needs.$id.card[.png]'
import { loader as slotLoader } from '~/routes/volunteer.slots.$id._index'
import { loader as bookLoader, action as bookAction } from '~/routes/volunteer.slots.$id.book'
import { loader as wishLoader } from '~/routes/wishes.$id._index'
import { loader as wishCardLoader } from '~/routes/wishes.$id.card[.png]'
import { loader as claimLoader, action as claimAction } from '~/routes/wishes.$id.claim'
import { loader as posterLoader } from '~/routes/wishes.$id.poster'
import { loader as waitlistLoader, action as waitlistAction } from '~/routes/wishes.$id.waitlist'
import { context, createUser, formRequest, getRequest, NOT_AN_ID, run, signedInCookie } from './helpers'

// A bad id in the URL (not a number, zero, a fraction, beyond 2^53) or a row that does not exist
// answers 404 — never 500 — on every public and member page that names a row.

type Handler = (args: LoaderFunctionArgs) => unknown
const BAD_IDS = NOT_AN_ID

async function status(handler: Handler, path: string, params: Record<string, string>, cookie?: string, post?: Record<string, string>) {
  const request = post ? formRequest(path, post, { cookie }) : getRequest(path, cookie)
  return (await run(() => handler({ request, params, context: context() }))).status
}

describe('public and member routes', () => {
  test('an unknown path is a 404', async () => {
    expect(await status(catchAllLoader as Handler, '/no-such-page', { '*': 'no-such-page' })).toBe(404)
  })

  test('public pages with an id in the URL answer 404 for bad or unknown ids', async () => {
    const pages: Array<[Handler, (id: string) => string]> = [
      [wishLoader as Handler, (id) => `/wishes/${id}`],
      [posterLoader as Handler, (id) => `/wishes/${id}/poster`],
      [wishCardLoader as Handler, (id) => `/wishes/${id}/card.png`],
      [needCardLoader as Handler, (id) => `/needs/${id}/card.png`],
      [needLoader as Handler, (id) => `/needs/${id}`],
      [slotLoader as Handler, (id) => `/volunteer/slots/${id}`],
      [disclosureLoader as Handler, (id) => `/disclosures/${id}`],
      [disclosureCsvLoader as Handler, (id) => `/disclosures/${id}.csv`],
      [disclosureXlsxLoader as Handler, (id) => `/disclosures/${id}.xlsx`],
      [disclosurePrintLoader as Handler, (id) => `/disclosures/${id}/print`],
    ]
    for (const [loader, path] of pages) {
      for (const id of BAD_IDS) expect([path(id), await status(loader, path(id), { id })]).toEqual([path(id), 404])
    }
    // The 候补 route has no page: a well-formed id is sent on to the wish page, a malformed one is not found.
    for (const id of BAD_IDS.filter((id) => id !== '999999999'))
      expect(await status(waitlistLoader as Handler, `/wishes/${id}/waitlist`, { id })).toBe(404)
  })

  test('public pages with a slug or receipt answer 404 when it names nothing', async () => {
    expect(await status(campaignLoader as Handler, '/campaigns/nope', { slug: 'nope' })).toBe(404)
    expect(await status(campaignCardLoader as Handler, '/campaigns/nope/card.png', { slug: 'nope' })).toBe(404)
    expect(await status(institutionLoader as Handler, '/institutions/nope', { slug: 'nope' })).toBe(404)
    expect(await status(institutionDisclosuresLoader as Handler, '/institutions/nope/disclosures', { slug: 'nope' })).toBe(404)
    expect(await status(ledgerEntryLoader as Handler, '/ledger/WN-0000-000000', { receipt: 'WN-0000-000000' })).toBe(404)
    expect(await status(receiptLoader as Handler, '/ledger/abc/receipt', { receipt: 'abc' })).toBe(404)
  })

  test('member pages with an id in the URL or the query answer 404 for bad or unknown ids', async () => {
    const cookie = signedInCookie((await createUser()).id)
    for (const id of BAD_IDS) {
      expect(await status(claimLoader as Handler, `/wishes/${id}/claim`, { id }, cookie)).toBe(404)
      expect(await status(bookLoader as Handler, `/volunteer/slots/${id}/book`, { id }, cookie)).toBe(404)
      expect(await status(slipLoader as Handler, `/me/bookings/${id}/slip`, { id }, cookie)).toBe(404)
      expect(await status(icsLoader as Handler, `/me/bookings/${id}.ics`, { id }, cookie)).toBe(404)
      expect(await status(labelLoader as Handler, `/me/claims/${id}/label`, { claimId: id }, cookie)).toBe(404)
      expect(await status(visitLoader as Handler, `/me/pairings/${id}/visit`, { pairingId: id }, cookie)).toBe(404)
      expect(await status(visitLoader as Handler, `/me/pairings/1/visit?visit=${id}`, { pairingId: '1' }, cookie)).toBe(404)
      expect(await status(giveDoneLoader as Handler, `/give/done?payment=${id}`, {}, cookie)).toBe(404)
    }
    expect(await status(giveDoneLoader as Handler, '/give/done', {}, cookie)).toBe(404)
    expect(await status(certificateLoader as Handler, '/me/service/certificates/NOPE', { code: 'NOPE' }, cookie)).toBe(404)
  })

  test('posting to a bad id answers 404, and a bad id in a form is refused with 400', async () => {
    const cookie = signedInCookie((await createUser()).id)
    for (const id of ['abc', '0', '99999999999999999999']) {
      expect(await status(claimAction as Handler, `/wishes/${id}/claim`, { id }, cookie, { publicDisplay: 'masked' })).toBe(404)
      expect(await status(waitlistAction as Handler, `/wishes/${id}/waitlist`, { id }, cookie, { intent: 'join' })).toBe(404)
      expect(
        await status(needAction as Handler, `/needs/${id}`, { id }, cookie, {
          quantity: '1',
          expectedAt: '2026-06-05',
          publicDisplay: 'masked',
        }),
      ).toBe(404)
      expect(
        await status(bookAction as Handler, `/volunteer/slots/${id}/book`, { id }, cookie, {
          kind: 'individual',
          contactName: '张三',
          contactPhone: '13800138000',
        }),
      ).toBe(404)
      expect(await status(myBookingsAction as Handler, '/me/bookings', {}, cookie, { intent: 'cancel', bookingId: id })).toBe(400)
    }
    // A well-formed id that names no booking of this member is not found.
    expect(await status(myBookingsAction as Handler, '/me/bookings', {}, cookie, { intent: 'cancel', bookingId: '999999999' })).toBe(404)
  })
})
