import fs from 'node:fs'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { describe, expect, test, vi } from 'vitest'
import { db, queryLog, sqlite } from '~db/client.server'
import { migrationsFolder } from '~db/migrate.server'
import { institutions, needs, serviceRecords, wishes } from '~db/schema'
import { claimWish, listMyClaims } from '~/claims/claims.server'
import { usccCheckCharacter, usccProblem } from '~/institutions/registration'
import { homeTotals, platformTotals } from '~/institutions/trust.server'
import { trustFactsSchema } from '~/institutions/validation'
import { correctEntry } from '~/needs/corrections.server'
import { recordArrival } from '~/needs/intake.server'
import { pledgeToNeed } from '~/needs/pledges.server'
import { recordWalkInGift } from '~/needs/walk-in.server'
import { markWishFulfilled, markWishReceived } from '~/wishes/delivery.server'
import { action as adminAction, loader as adminLoader } from '~/routes/admin.institutions.$slug'
import { loader as homePageLoader } from '~/routes/_index'
import { loader as institutionLoader } from '~/routes/institutions.$slug'
import { loader as myClaimsLoader } from '~/routes/me.claims'
import { loader as labelLoader } from '~/routes/me.claims_.$claimId.label'
import { loader as myDonationsLoader } from '~/routes/me.donations'
import { loader as needLoader } from '~/routes/needs.$id._index'
import { loader as claimPageLoader } from '~/routes/wishes.$id.claim'
import { loader as wishLoader } from '~/routes/wishes.$id._index'
import { action as settingsAction, loader as settingsLoader } from '~/routes/staff.$slug.settings'
import { replyErrors, replyValues } from './conform-reply'
import { context, createPublishedWish, createUser, formRequest, getRequest, homeWithStaff, run, signedInCookie, unique } from './helpers'

// Issue 13: 机构信息 on public pages (staff-edited, platform-verified), platform totals kept
// in the writers' transactions, and the parcel recipient only the claimer or pledger sees.

const VALID_USCC = '91440300708461136T' // a real, published code: the check character is right
const generation = () => sqlite.prepare('SELECT generation FROM public_generation WHERE id = 1').pluck().get() as number

const FACTS = {
  intent: 'facts',
  registrationKind: 'uscc',
  registrationNo: VALID_USCC,
  registrationAuthority: '滨州市民政局',
  orgType: 'civil_affairs',
  publicFundraising: 'no',
  publicAddress: '山东省滨州市黄河五路 1 号',
  publicPhone: '0543-3000000',
}

function postSettings(slug: string, cookie: string, fields: Record<string, string>) {
  return run(() =>
    settingsAction({ request: formRequest(`/staff/${slug}/settings`, fields, { cookie }), params: { slug }, context: context() }),
  )
}

function institutionPage(slug: string) {
  return run(() => institutionLoader({ request: getRequest(`/institutions/${slug}`), params: { slug }, context: context() }))
}

describe('统一社会信用代码 (GB 32100-2015)', () => {
  test('the check character is computed from the first 17 characters', () => {
    expect(usccProblem(VALID_USCC)).toBeNull()
    expect(usccCheckCharacter(VALID_USCC.slice(0, 17))).toBe('T')
    expect(usccProblem('91440300708461136A')).toBe('check')
    expect(usccProblem('91440300708461136')).toBe('length')
    expect(usccProblem('9144030070846113IT')).toBe('characters') // I is not in the set
    expect(usccProblem('91AB0300708461136T')).toBe('region')
  })

  test('the form normalises spaces, lower case and full-width characters before checking', () => {
    const parsed = trustFactsSchema.safeParse({ ...FACTS, registrationNo: '９１４４ 0300 7084 6113 6t' })
    expect(parsed.success && parsed.data.registrationNo).toBe(VALID_USCC)
  })
})

describe('机构信息 on the settings page', () => {
  test('a manager saves the facts; a wrong check character, a short legacy number and 公开募捐 without charity status are refused beside their fields, nothing typed is lost', async () => {
    const a = await homeWithStaff({ manager: true })
    const bad = await postSettings(a.home.slug, a.managerCookie, { ...FACTS, registrationNo: '91440300708461136A' })
    expect(bad.status).toBe(400)
    expect(replyErrors(bad.body).registrationNo).toEqual(['统一社会信用代码的校验位（第 18 位）不符，请核对登记证书'])
    expect(replyValues(bad.body)).toMatchObject({ registrationNo: '91440300708461136A', registrationAuthority: '滨州市民政局' })

    const shortLegacy = await postSettings(a.home.slug, a.managerCookie, { ...FACTS, registrationKind: 'legacy', registrationNo: '12' })
    expect(replyErrors(shortLegacy.body).registrationNo).toEqual(['登记证号至少 4 个字符'])

    const fundraising = await postSettings(a.home.slug, a.managerCookie, { ...FACTS, publicFundraising: 'yes' })
    expect(fundraising.status).toBe(400)
    expect(replyErrors(fundraising.body).publicFundraising?.[0]).toMatch(/只有已认定的慈善组织/)

    const badPhone = await postSettings(a.home.slug, a.managerCookie, { ...FACTS, publicPhone: '电话' })
    expect(replyErrors(badPhone.body).publicPhone).toEqual(['请输入有效的联系电话'])

    expect(db.select().from(institutions).where(eq(institutions.id, a.home.id)).get()?.registrationNo).toBe('')

    const ok = await postSettings(a.home.slug, a.managerCookie, { ...FACTS, orgType: 'charity', publicFundraising: 'yes' })
    expect(ok.status).toBe(200)
    expect(db.select().from(institutions).where(eq(institutions.id, a.home.id)).get()).toMatchObject({
      registrationKind: 'uscc',
      registrationNo: VALID_USCC,
      registrationAuthority: '滨州市民政局',
      orgType: 'charity',
      publicFundraising: true,
      publicPhone: '0543-3000000',
    })

    const legacy = await postSettings(a.home.slug, a.managerCookie, {
      ...FACTS,
      registrationKind: 'legacy',
      registrationNo: '鲁民证字第 0123 号',
    })
    expect(legacy.status).toBe(200)
    expect(db.select().from(institutions).where(eq(institutions.id, a.home.id)).get()?.registrationNo).toBe('鲁民证字第 0123 号')
  })

  test('staff who are not managers cannot change them', async () => {
    const a = await homeWithStaff({ manager: true })
    expect((await postSettings(a.home.slug, a.cookie, FACTS)).status).toBe(403)
  })

  test('the public page shows the facts with 平台未核验 until a platform admin verifies them', async () => {
    const a = await homeWithStaff({ manager: true })
    await postSettings(a.home.slug, a.managerCookie, FACTS)
    const page = (await institutionPage(a.home.slug)).body as { facts: Record<string, unknown> }
    expect(page.facts).toMatchObject({
      registrationLabel: '统一社会信用代码',
      registrationNo: VALID_USCC,
      registrationAuthority: '滨州市民政局',
      orgTypeLabel: '民政部门主管的福利机构',
      publicFundraising: false,
      verifiedAt: null,
    })
  })
})

describe('平台核验', () => {
  async function verified() {
    const a = await homeWithStaff({ manager: true })
    const admin = await createUser({ displayName: '平台核验员', isPlatformAdmin: true })
    const adminCookie = signedInCookie(admin.id)
    const verify = (intent: string) =>
      run(() =>
        adminAction({
          request: formRequest(`/admin/institutions/${a.home.slug}`, { intent }, { cookie: adminCookie }),
          params: { slug: a.home.slug },
          context: context(),
        }),
      )
    return { ...a, admin, adminCookie, verify }
  }

  test('an admin cannot verify a home that gave no number; a manager cannot verify at all', async () => {
    const v = await verified()
    const refused = await v.verify('verify')
    expect(refused.status).toBe(400)
    expect(refused.body).toMatchObject({ verifyOk: false, verifyMessage: '机构尚未填写登记证号或统一社会信用代码，无法核验' })
    const byManager = await run(() =>
      adminAction({
        request: formRequest(`/admin/institutions/${v.home.slug}`, { intent: 'verify' }, { cookie: v.managerCookie }),
        params: { slug: v.home.slug },
        context: context(),
      }),
    )
    expect(byManager.status).toBe(403)
    expect(db.select().from(institutions).where(eq(institutions.id, v.home.id)).get()?.factsVerifiedAt).toBeNull()
  })

  test('verification records when and who; editing the address keeps it, editing the registration number clears it', async () => {
    const v = await verified()
    await postSettings(v.home.slug, v.managerCookie, FACTS)
    expect((await v.verify('verify')).status).toBe(200)
    const row = db.select().from(institutions).where(eq(institutions.id, v.home.id)).get()!
    expect(row.factsVerifiedAt).toBeInstanceOf(Date)
    expect(row.factsVerifiedBy).toBe(v.admin.id)
    const admin = (
      await run(() =>
        adminLoader({
          request: getRequest(`/admin/institutions/${v.home.slug}`, v.adminCookie),
          params: { slug: v.home.slug },
          context: context(),
        }),
      )
    ).body as {
      verification: { verifiedBy: string; verifiedAt: string }
    }
    expect(admin.verification.verifiedBy).toBe('平台核验员')
    expect(((await institutionPage(v.home.slug)).body as { facts: { verifiedAt: unknown } }).facts.verifiedAt).not.toBeNull()

    const sameNumber = await postSettings(v.home.slug, v.managerCookie, { ...FACTS, publicAddress: '山东省滨州市黄河五路 2 号' })
    expect(sameNumber.body).toMatchObject({ saved: true, cleared: false })
    expect(db.select().from(institutions).where(eq(institutions.id, v.home.id)).get()?.factsVerifiedAt).not.toBeNull()

    const changed = await postSettings(v.home.slug, v.managerCookie, { ...FACTS, registrationNo: '12371600MB12345672' })
    expect(changed.body).toMatchObject({ saved: true, cleared: true })
    expect(db.select().from(institutions).where(eq(institutions.id, v.home.id)).get()).toMatchObject({
      registrationNo: '12371600MB12345672',
      factsVerifiedAt: null,
      factsVerifiedBy: null,
    })
    expect(((await institutionPage(v.home.slug)).body as { facts: { verifiedAt: unknown } }).facts.verifiedAt).toBeNull()

    // The other checked facts clear it too: the mark must never vouch for an unchecked claim.
    await v.verify('verify')
    await postSettings(v.home.slug, v.managerCookie, { ...FACTS, registrationNo: '12371600MB12345672', orgType: 'other' })
    expect(db.select().from(institutions).where(eq(institutions.id, v.home.id)).get()?.factsVerifiedAt).toBeNull()

    await v.verify('verify')
    expect((await v.verify('unverify')).status).toBe(200)
    expect(db.select().from(institutions).where(eq(institutions.id, v.home.id)).get()?.factsVerifiedAt).toBeNull()
  })
})

// ---- Totals ------------------------------------------------------------------------------------

type Totals = { moneyFen: number; goodsItems: number; wishesFulfilled: number; serviceMinutes: number }

/** The same figures counted from scratch, the slow way the summary replaces. */
function recount(institutionId: number | null): Totals {
  const home = institutionId === null ? '' : ` AND institution_id = ${institutionId}`
  const one = (sql: string) => Number(sqlite.prepare(sql).pluck().get() ?? 0)
  return {
    moneyFen: one(`SELECT coalesce(sum(amount_fen), 0) FROM donations WHERE kind = 'money'${home}`),
    goodsItems: one(`SELECT coalesce(sum(quantity), 0) FROM donations WHERE kind = 'goods' AND designation = 'need'${home}`),
    wishesFulfilled: one(`SELECT count(*) FROM wishes WHERE status = 'fulfilled'${home}`),
    serviceMinutes: one(`SELECT coalesce(sum(minutes), 0) FROM service_records WHERE 1${home}`),
  }
}

function stored(institutionId: number): Totals {
  const row = sqlite
    .prepare(
      'SELECT money_fen AS moneyFen, goods_items AS goodsItems, wishes_fulfilled AS wishesFulfilled, service_minutes AS serviceMinutes FROM public_totals WHERE institution_id = ?',
    )
    .get(institutionId) as Totals | undefined
  return row ?? { moneyFen: 0, goodsItems: 0, wishesFulfilled: 0, serviceMinutes: 0 }
}

function expectConsistent(homeIds: number[]) {
  expect(stored(0)).toEqual(recount(null))
  for (const id of homeIds) expect(stored(id)).toEqual(recount(id))
}

function ok<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  expect(result).toMatchObject({ ok: true })
  return result as Extract<T, { ok: true }>
}

describe('platform totals', () => {
  test('equal a from-scratch recount after gifts, corrections, receipts, fulfilments and hours, each bumping the page-cache generation', async () => {
    const a = await homeWithStaff()
    const b = await homeWithStaff()
    const donor = await createUser()
    const volunteer = await createUser()
    expectConsistent([a.home.id, b.home.id])
    const before = platformTotals()

    // Money at the desk, then a partial (refund-like) correction of it.
    let gen = generation()
    const money = ok(
      recordWalkInGift(a.actor, a.home.id, {
        kind: 'money',
        items: '现金捐款',
        amountFen: 50_000,
        channel: 'desk',
        donorName: '王先生',
        publicDisplay: 'masked',
      }),
    )
    expect(generation()).toBeGreaterThan(gen)
    ok(
      recordWalkInGift(b.actor, b.home.id, {
        kind: 'money',
        items: '银行转账',
        amountFen: 12_345,
        channel: 'bank_transfer',
        donorName: '李女士',
        publicDisplay: 'anonymous',
      }),
    )
    ok(correctEntry(a.actor, a.home.id, money.receiptNo, '金额登记错误，全额冲正'))
    expectConsistent([a.home.id, b.home.id])

    // Goods for a need: a pledge arrival and a walk-in, one corrected; goods not for a need do not count.
    const need = db
      .insert(needs)
      .values({ institutionId: a.home.id, title: unique('大米'), category: 'material', unit: '袋', quantityNeeded: 50 })
      .returning()
      .get()
    const pledge = ok(
      pledgeToNeed({
        userId: donor.id,
        needId: need.id,
        quantity: 10,
        expectedAt: new Date(Date.now() + 86_400_000),
        publicDisplay: 'name',
      }),
    )
    gen = generation()
    ok(recordArrival(a.actor, a.home.id, pledge.pledgeId, { quantity: 6 }))
    expect(generation()).toBeGreaterThan(gen)
    const walkIn = ok(
      recordWalkInGift(a.actor, a.home.id, {
        kind: 'goods',
        items: '大米 4 袋',
        quantity: 4,
        unit: '袋',
        channel: 'desk',
        donorName: '赵某',
        publicDisplay: 'anonymous',
        needId: need.id,
      }),
    )
    ok(correctEntry(a.actor, a.home.id, walkIn.receiptNo, '重复登记，冲正'))
    ok(
      recordWalkInGift(a.actor, a.home.id, {
        kind: 'goods',
        items: '书包 3 个',
        quantity: 3,
        unit: '个',
        channel: 'desk',
        donorName: '钱某',
        publicDisplay: 'anonymous',
      }),
    )
    expectConsistent([a.home.id, b.home.id])

    // A wish claimed, received (a goods entry not for a need) and fulfilled.
    const wish = createPublishedWish(b.home.id)
    const claim = ok(claimWish({ userId: donor.id, wishId: wish.id, publicDisplay: 'name' }))
    ok(markWishReceived(b.actor, b.home.id, claim.claimId))
    gen = generation()
    ok(markWishFulfilled(b.actor, b.home.id, wish.id))
    expect(generation()).toBeGreaterThan(gen)
    expectConsistent([a.home.id, b.home.id])

    // Hours: written as check-out writes them, corrected by upsert, and removed.
    const write = (minutes: number, sourceId: number, institutionId: number) =>
      db
        .insert(serviceRecords)
        .values({
          userId: volunteer.id,
          institutionId,
          source: 'slot_booking',
          sourceId,
          description: '社会开放日',
          startedAt: new Date(),
          endedAt: new Date(),
          minutes,
        })
        .onConflictDoUpdate({ target: [serviceRecords.source, serviceRecords.sourceId, serviceRecords.userId], set: { minutes } })
        .run()
    const sourceA = 900_000 + a.home.id
    gen = generation()
    write(120, sourceA, a.home.id)
    expect(generation()).toBeGreaterThan(gen)
    write(90, sourceA, a.home.id) // a corrected check-out time
    write(45, 900_000 + b.home.id, b.home.id)
    expectConsistent([a.home.id, b.home.id])
    db.update(serviceRecords).set({ institutionId: b.home.id }).where(eq(serviceRecords.sourceId, sourceA)).run()
    db.delete(serviceRecords)
      .where(eq(serviceRecords.sourceId, 900_000 + b.home.id))
      .run()
    expectConsistent([a.home.id, b.home.id])
    // A fulfilled wish moved or withdrawn from fulfilment (not a product flow, but the sums must hold).
    db.update(wishes).set({ institutionId: a.home.id }).where(eq(wishes.id, wish.id)).run()
    expectConsistent([a.home.id, b.home.id])
    db.update(wishes).set({ status: 'received' }).where(eq(wishes.id, wish.id)).run()
    expectConsistent([a.home.id, b.home.id])
    db.update(wishes).set({ status: 'fulfilled', institutionId: b.home.id }).where(eq(wishes.id, wish.id)).run()
    expectConsistent([a.home.id, b.home.id])

    const after = platformTotals()
    expect(after.moneyFen - before.moneyFen).toBe(12_345)
    expect(after.goodsItems - before.goodsItems).toBe(6)
    expect(after.wishesFulfilled - before.wishesFulfilled).toBe(1)
    expect(homeTotals(a.home.id)).toEqual({ moneyFen: 0, goodsItems: 6, wishesFulfilled: 0, serviceHours: 0 })
    expect(homeTotals(b.home.id)).toEqual({ moneyFen: 12_345, goodsItems: 0, wishesFulfilled: 1, serviceHours: 1.5 })
  })

  test('the migration’s backfill computes the same figures from existing rows', () => {
    const file = fs.readdirSync(migrationsFolder).find((f) => f.endsWith('_public_totals.sql'))!
    const text = fs.readFileSync(path.join(migrationsFolder, file), 'utf8')
    const backfill = text
      .slice(text.indexOf('-- Backfill'))
      .split('--> statement-breakpoint')
      .map((s) => s.trim())
      .filter(Boolean)
    const all = sqlite.prepare('SELECT * FROM public_totals ORDER BY institution_id').all()
    expect(all.length).toBeGreaterThan(1)
    sqlite.transaction(() => {
      sqlite.prepare('DELETE FROM public_totals').run()
      for (const statement of backfill) sqlite.exec(statement)
    })()
    const homes = sqlite.prepare('SELECT count(*) FROM institutions').pluck().get() as number
    const rebuilt = sqlite.prepare('SELECT * FROM public_totals ORDER BY institution_id').all()
    expect(rebuilt.length).toBe(homes + 1)
    // Homes with nothing recorded have a zero row after backfill and no row before: compare non-zero rows.
    const nonZero = (rows: unknown[]) =>
      (rows as Array<Record<string, number>>).filter(
        (r) => r.money_fen || r.goods_items || r.wishes_fulfilled || r.service_minutes || r.institution_id === 0,
      )
    expect(nonZero(rebuilt)).toEqual(nonZero(all))
  })

  test('are read without scanning any table, whatever the size of the log', async () => {
    const a = await homeWithStaff()
    const executed = vi.spyOn(queryLog, 'logQuery')
    let statements: string[]
    try {
      platformTotals()
      homeTotals(a.home.id)
      statements = executed.mock.calls.map(([text]) => String(text))
    } finally {
      executed.mockRestore()
    }
    expect(statements.length).toBe(2)
    const plans = statements.flatMap((sql) => {
      const params = (sql.match(/\?/g) ?? []).length
      return (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(params).fill(0)) as Array<{ detail: string }>).map((r) => r.detail)
    })
    expect(plans.every((detail) => /^SEARCH public_totals USING INTEGER PRIMARY KEY/.test(detail))).toBe(true)
  })

  test('the home page and the institution page show them', async () => {
    const a = await homeWithStaff()
    ok(
      recordWalkInGift(a.actor, a.home.id, {
        kind: 'money',
        items: '现金捐款',
        amountFen: 777,
        channel: 'desk',
        donorName: '周某',
        publicDisplay: 'anonymous',
      }),
    )
    const home = (await run(() => homePageLoader())).body as { platform: { moneyFen: number } }
    expect(home.platform.moneyFen).toBe(platformTotals().moneyFen)
    const page = (await institutionPage(a.home.slug)).body as { totals: unknown }
    expect(page.totals).toEqual({ moneyFen: 777, goodsItems: 0, wishesFulfilled: 0, serviceHours: 0 })
  })
})

// ---- 收件人 ------------------------------------------------------------------------------------

describe('shipping recipient', () => {
  const RECIPIENT = '张老师（物资组）'
  const PHONE = '0543-7654321'

  test('saved by a manager, shown to the claimer and the pledger, never on a public page or to another member', async () => {
    const a = await homeWithStaff({ manager: true, publicAddress: '山东省滨州市黄河五路 1 号' })
    const bad = await postSettings(a.home.slug, a.managerCookie, {
      intent: 'shipping',
      shippingRecipient: RECIPIENT,
      shippingPhone: '打电话',
    })
    expect(replyErrors(bad.body).shippingPhone?.[0]).toMatch(/请输入有效的联系电话/)
    expect(replyValues(bad.body)).toMatchObject({ shippingRecipient: RECIPIENT })
    expect(
      (await postSettings(a.home.slug, a.managerCookie, { intent: 'shipping', shippingRecipient: RECIPIENT, shippingPhone: PHONE })).status,
    ).toBe(200)
    const settings = await run(() =>
      settingsLoader({
        request: getRequest(`/staff/${a.home.slug}/settings`, a.managerCookie),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(settings.body).toMatchObject({ shipping: { shippingRecipient: RECIPIENT, shippingPhone: PHONE } })

    const donor = await createUser()
    const other = await createUser()
    const donorCookie = signedInCookie(donor.id)
    const otherCookie = signedInCookie(other.id)
    const wish = createPublishedWish(a.home.id)
    const need = db
      .insert(needs)
      .values({ institutionId: a.home.id, title: unique('棉被'), category: 'material', unit: '床', quantityNeeded: 10 })
      .returning()
      .get()

    // Before claiming, the claim page shows the address but not the recipient.
    const claimPage = await run(() =>
      claimPageLoader({
        request: getRequest(`/wishes/${wish.id}/claim`, donorCookie),
        params: { id: String(wish.id) },
        context: context(),
      }),
    )
    expect(JSON.stringify(claimPage.body)).not.toContain(PHONE)

    const claim = ok(claimWish({ userId: donor.id, wishId: wish.id, publicDisplay: 'name' }))
    ok(
      pledgeToNeed({
        userId: donor.id,
        needId: need.id,
        quantity: 2,
        expectedAt: new Date(Date.now() + 86_400_000),
        publicDisplay: 'name',
      }),
    )
    expect(listMyClaims(donor.id)[0]).toMatchObject({ shippingRecipient: RECIPIENT, shippingPhone: PHONE })

    const mine = [
      await run(() => myClaimsLoader({ request: getRequest('/me/claims', donorCookie), params: {}, context: context() })),
      await run(() => myDonationsLoader({ request: getRequest('/me/donations', donorCookie), params: {}, context: context() })),
      await run(() =>
        labelLoader({
          request: getRequest(`/me/claims/${claim.claimId}/label`, donorCookie),
          params: { claimId: String(claim.claimId) },
          context: context(),
        }),
      ),
    ]
    for (const page of mine) {
      expect(page.status).toBe(200)
      expect(JSON.stringify(page.body)).toContain(RECIPIENT)
      expect(JSON.stringify(page.body)).toContain(PHONE)
    }

    const notMine = [
      await run(() => myClaimsLoader({ request: getRequest('/me/claims', otherCookie), params: {}, context: context() })),
      await run(() => myDonationsLoader({ request: getRequest('/me/donations', otherCookie), params: {}, context: context() })),
      await institutionPage(a.home.slug),
      await run(() => homePageLoader()),
      await run(() => wishLoader({ request: getRequest(`/wishes/${wish.id}`), params: { id: String(wish.id) }, context: context() })),
      await run(() => needLoader({ request: getRequest(`/needs/${need.id}`), params: { id: String(need.id) }, context: context() })),
    ]
    for (const page of notMine) {
      expect(page.status).toBe(200)
      expect(JSON.stringify(page.body)).not.toContain(RECIPIENT)
      expect(JSON.stringify(page.body)).not.toContain(PHONE)
    }
    const othersLabel = await run(() =>
      labelLoader({
        request: getRequest(`/me/claims/${claim.claimId}/label`, otherCookie),
        params: { claimId: String(claim.claimId) },
        context: context(),
      }),
    )
    expect(othersLabel.status).toBe(404)
  })
})
