import { and, eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db, sqlite } from '~db/client.server'
import { donations, needs, notifications, pledgeArrivals, pledges } from '~db/schema'
import { findPledgeByCode, recordArrival } from '~/needs/intake.server'
import { needProgress } from '~/needs/progress.server'
import { action as intakeAction, loader as intakeLoader } from '~/routes/staff.$slug.intake'
import { replyErrors, replyValues } from './conform-reply'
import { addMember, context, createTestInstitution, createUser, formRequest, getRequest, run, signedInCookie, unique } from './helpers'

// 门口登记: staff find a pledge by its code and record what arrived; every arrival is one entry
// in the append-only public log, written in the same transaction as the pledge's progress.

async function homeWithPledge(options: { quantityNeeded?: number; pledged?: number; display?: 'name' | 'masked' | 'anonymous' } = {}) {
  const home = createTestInstitution()
  const staff = await createUser({ displayName: '社工' })
  addMember(staff.id, home.id, 'staff')
  const donor = await createUser({ displayName: '王爱心' })
  const need = db
    .insert(needs)
    .values({
      institutionId: home.id,
      title: unique('大米'),
      category: 'material',
      unit: '袋',
      quantityNeeded: options.quantityNeeded ?? 10,
    })
    .returning()
    .get()
  const code = `PL${Math.random().toString(36).slice(2, 8).toUpperCase()}`
  const pledge = db
    .insert(pledges)
    .values({
      needId: need.id,
      institutionId: home.id,
      userId: donor.id,
      quantity: options.pledged ?? 5,
      expectedAt: new Date(Date.now() + 3 * 86_400_000),
      publicDisplay: options.display ?? 'masked',
      code,
    })
    .returning()
    .get()
  return { home, staff, donor, need, pledge, code, actor: { userId: staff.id, ip: null } }
}

function entriesOfNeed(needId: number) {
  return db
    .select()
    .from(donations)
    .where(and(eq(donations.designation, 'need'), eq(donations.designationRef, needId)))
    .orderBy(donations.id)
    .all()
}

describe('finding a pledge at the door', () => {
  test('staff find a pledge by its typed code, in any case and with spaces, or by the scanned QR URL', async () => {
    const { home, pledge, code } = await homeWithPledge()
    expect(findPledgeByCode(home.id, code)?.id).toBe(pledge.id)
    expect(findPledgeByCode(home.id, `  ${code.toLowerCase()} `)?.id).toBe(pledge.id)
    expect(findPledgeByCode(home.id, `https://weinuan.example/staff/${home.slug}/intake?code=${code}`)?.id).toBe(pledge.id)
    const found = findPledgeByCode(home.id, code)!
    expect(found).toMatchObject({ quantity: 5, received: 0, remaining: 5, donorDisplay: '王**' })
  })

  test("another home's pledge is not found, and its staff cannot open the intake page of this home", async () => {
    const a = await homeWithPledge()
    const b = await homeWithPledge()
    expect(findPledgeByCode(b.home.id, a.code)).toBeNull()
    const page = await run(() =>
      intakeLoader({
        request: getRequest(`/staff/${a.home.slug}/intake?code=${a.code}`, signedInCookie(b.staff.id)),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(page.status).toBe(404)
  })

  test('the intake page shows the matched pledge from a ?code= link', async () => {
    const { home, staff, code } = await homeWithPledge()
    const page = await run(() =>
      intakeLoader({
        request: getRequest(`/staff/${home.slug}/intake?code=${code.toLowerCase()}`, signedInCookie(staff.id)),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(page.status).toBe(200)
    const body = page.body as { match: { code: string; remaining: number; statusLabel: string } | null; active: unknown[] }
    // The same words the donor sees on 我的捐赠 (pledgeStatusLabels in app/needs/labels.ts).
    expect(body.match).toMatchObject({ code, remaining: 5, statusLabel: '待送达' })
    expect(body.active.length).toBe(1)
  })
})

describe('recording arrivals', () => {
  test('two partial arrivals then the rest: one public entry each, pledge fulfilled, need refreshed, donor told the receipt number', async () => {
    const { home, staff, donor, need, pledge, code } = await homeWithPledge({ quantityNeeded: 5, pledged: 5, display: 'masked' })
    const cookie = signedInCookie(staff.id)
    const post = (quantity: string, conditionNote = '') =>
      run(() =>
        intakeAction({
          request: formRequest(
            `/staff/${home.slug}/intake?code=${code}`,
            { pledgeId: String(pledge.id), quantity, conditionNote },
            { cookie },
          ),
          params: { slug: home.slug },
          context: context(),
        }),
      )

    const first = await post('3', '包装完好')
    expect(first.status).toBe(200)
    expect(findPledgeByCode(home.id, code)).toMatchObject({ received: 3, remaining: 2, status: 'active' })
    expect(db.select().from(needs).where(eq(needs.id, need.id)).get()?.status).toBe('fully_pledged')

    const second = await post('1')
    expect(second.status).toBe(200)
    const third = await post('1')
    expect(third.status).toBe(200)
    expect((third.body as { message: string }).message).toContain('已全部送达')

    const entries = entriesOfNeed(need.id)
    expect(entries.map((e) => e.quantity)).toEqual([3, 1, 1])
    for (const e of entries) {
      expect(e).toMatchObject({
        kind: 'goods',
        unit: '袋',
        channel: 'need_pledge',
        donorDisplay: '王**',
        donorUserId: donor.id,
        recordedBy: staff.id,
        institutionId: home.id,
      })
      expect(e.description).toBe(`${need.title} ${e.quantity}袋`)
    }
    const arrivals = db.select().from(pledgeArrivals).where(eq(pledgeArrivals.pledgeId, pledge.id)).all()
    expect(arrivals.map((a) => a.donationId)).toEqual(entries.map((e) => e.id))
    expect(arrivals[0]?.conditionNote).toBe('包装完好')
    expect(db.select().from(pledges).where(eq(pledges.id, pledge.id)).get()?.status).toBe('fulfilled')
    expect(db.select().from(needs).where(eq(needs.id, need.id)).get()?.status).toBe('fully_received')
    expect(needProgress(db, need)).toMatchObject({ received: 5, stillNeeded: 0 })

    const notices = db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, donor.id), eq(notifications.template, 'pledge.arrival')))
      .all()
    expect(notices).toHaveLength(3)
    for (const e of entries) expect(notices.some((n) => n.body.includes(e.receiptNo))).toBe(true)
  })

  test('more than was promised is refused with a hint to record the extra as a walk-in gift; zero is refused', async () => {
    const { home, pledge, need, actor } = await homeWithPledge({ pledged: 5 })
    expect(recordArrival(actor, home.id, pledge.id, { quantity: 4 }).ok).toBe(true)
    const over = recordArrival(actor, home.id, pledge.id, { quantity: 2 })
    expect(over.ok).toBe(false)
    if (!over.ok) expect(over.message).toContain('登记捐赠')
    expect(recordArrival(actor, home.id, pledge.id, { quantity: 0 }).ok).toBe(false)
    expect(entriesOfNeed(need.id)).toHaveLength(1)
  })

  test('a fulfilled or released pledge takes no more arrivals', async () => {
    const { home, pledge, actor } = await homeWithPledge({ pledged: 2 })
    expect(recordArrival(actor, home.id, pledge.id, { quantity: 2 }).ok).toBe(true)
    expect(recordArrival(actor, home.id, pledge.id, { quantity: 1 }).ok).toBe(false)
    const other = await homeWithPledge()
    db.update(pledges).set({ status: 'released' }).where(eq(pledges.id, other.pledge.id)).run()
    expect(recordArrival(other.actor, other.home.id, other.pledge.id, { quantity: 1 }).ok).toBe(false)
  })

  test("staff of another home cannot record an arrival for this home's pledge", async () => {
    const a = await homeWithPledge()
    const b = await homeWithPledge()
    const direct = recordArrival(b.actor, b.home.id, a.pledge.id, { quantity: 1 })
    expect(direct.ok).toBe(false)
    const viaRoute = await run(() =>
      intakeAction({
        request: formRequest(
          `/staff/${a.home.slug}/intake`,
          { pledgeId: String(a.pledge.id), quantity: '1' },
          { cookie: signedInCookie(b.staff.id) },
        ),
        params: { slug: a.home.slug },
        context: context(),
      }),
    )
    expect(viaRoute.status).toBe(404)
    const viaOwnSlug = await run(() =>
      intakeAction({
        request: formRequest(
          `/staff/${b.home.slug}/intake`,
          { pledgeId: String(a.pledge.id), quantity: '1' },
          { cookie: signedInCookie(b.staff.id) },
        ),
        params: { slug: b.home.slug },
        context: context(),
      }),
    )
    expect(viaOwnSlug.status).toBe(409)
    expect(entriesOfNeed(a.need.id)).toHaveLength(0)
  })

  test('a non-number quantity is answered next to the field and nothing is written', async () => {
    const { home, staff, pledge, need } = await homeWithPledge()
    const res = await run(() =>
      intakeAction({
        request: formRequest(
          `/staff/${home.slug}/intake`,
          { pledgeId: String(pledge.id), quantity: 'abc' },
          { cookie: signedInCookie(staff.id) },
        ),
        params: { slug: home.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(400)
    expect(replyValues(res.body).quantity).toBe('abc')
    expect(replyErrors(res.body).quantity).toEqual(['请填写数字'])
    expect(entriesOfNeed(need.id)).toHaveLength(0)
  })

  test('a failure in the middle of the transaction leaves no ledger entry behind', async () => {
    const { home, pledge, need, actor } = await homeWithPledge()
    sqlite.exec(`CREATE TEMP TRIGGER fail_arrival BEFORE INSERT ON pledge_arrivals BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`)
    try {
      expect(() => recordArrival(actor, home.id, pledge.id, { quantity: 2 })).toThrow(/simulated failure/)
    } finally {
      sqlite.exec('DROP TRIGGER fail_arrival')
    }
    expect(entriesOfNeed(need.id)).toHaveLength(0)
    expect(findPledgeByCode(home.id, pledge.code)).toMatchObject({ received: 0, status: 'active' })
    expect(recordArrival(actor, home.id, pledge.id, { quantity: 2 }).ok).toBe(true)
  })
})

describe('correcting an arrival', () => {
  test('a corrected arrival reopens the fulfilled pledge, so the real delivery can still be recorded', async () => {
    const { home, need, pledge, actor } = await homeWithPledge({ quantityNeeded: 10, pledged: 5 })
    const arrived = recordArrival(actor, home.id, pledge.id, { quantity: 5, conditionNote: '' })
    if (!arrived.ok) throw new Error(arrived.message)
    expect(db.select().from(pledges).where(eq(pledges.id, pledge.id)).get()?.status).toBe('fulfilled')
    const receipt = entriesOfNeed(need.id)[0]!.receiptNo

    const { correctEntry } = await import('~/needs/corrections.server')
    const corrected = correctEntry(actor, home.id, receipt, '误登记：实际尚未送达')
    expect(corrected.ok).toBe(true)
    expect(db.select().from(pledges).where(eq(pledges.id, pledge.id)).get()?.status).toBe('active')
    expect(needProgress(db, need)).toMatchObject({ received: 0, outstanding: 5, pledged: 5 })
    expect(findPledgeByCode(home.id, pledge.code)).toMatchObject({ received: 0, remaining: 5 })

    const real = recordArrival(actor, home.id, pledge.id, { quantity: 5, conditionNote: '完好' })
    expect(real.ok).toBe(true)
    expect(needProgress(db, need)).toMatchObject({ received: 5, outstanding: 0 })
  })
})
