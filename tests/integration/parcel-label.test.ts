import QRCode from 'qrcode'
import { describe, expect, test } from 'vitest'
import { claimWish } from '~/claims/claims.server'
import { loader as labelLoader } from '~/routes/me.claims_.$claimId.label'
import { ORIGIN, context, createPublishedWish, createTestInstitution, createUser, getRequest, run, signedInCookie } from './helpers'

describe('parcel label', () => {
  test("a donor prints a label whose QR opens the home's 签收 page for this code; nobody else can open it", async () => {
    const home = createTestInstitution()
    const wish = createPublishedWish(home.id, { pseudonym: '小禾', title: '一盒水彩笔' })
    const donor = await createUser()
    const claimed = claimWish({ userId: donor.id, wishId: wish.id, publicDisplay: 'masked' })
    if (!claimed.ok) throw new Error(claimed.message)

    const own = await run(() =>
      labelLoader({
        request: getRequest(`/me/claims/${claimed.claimId}/label`, signedInCookie(donor.id)),
        params: { claimId: String(claimed.claimId) },
        context: context(),
      }),
    )
    expect(own.status).toBe(200)
    const body = own.body as { label: { referenceCode: string; pseudonym: string; home: string }; qrSvg: string }
    expect(body.label.referenceCode).toBe(claimed.referenceCode)
    expect(body.label.pseudonym).toBe('小禾')
    // The QR is exactly the one for the staff receive URL of this home and code.
    const expected = await QRCode.toString(`${ORIGIN}/staff/${home.slug}/receive?code=${claimed.referenceCode}`, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 1,
    })
    expect(body.qrSvg).toBe(expected)
    expect(JSON.stringify(body)).not.toContain('测试儿童')

    const stranger = await createUser()
    const other = await run(() =>
      labelLoader({
        request: getRequest(`/me/claims/${claimed.claimId}/label`, signedInCookie(stranger.id)),
        params: { claimId: String(claimed.claimId) },
        context: context(),
      }),
    )
    expect(other.status).toBe(404)
  })
})
