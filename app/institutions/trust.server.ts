import { eq } from 'drizzle-orm'
import { db } from '~db/client.server'
import { institutions, publicTotals, users } from '~db/schema'
import { auditedWrite, type Actor } from '~/audit/audit.server'
import { now } from '~/utils/clock.server'
import { orgTypeLabels, registrationKindLabels } from './labels'
import type { TrustFactsInput } from './validation'

// 机构信息: what donors check before they give (登记证号, 登记管理机关, 机构性质, 公开募捐资格,
// address and phone). A home's managers fill it in; a platform admin checks it against the
// registration record and marks it 平台已核验. Editing a checked fact clears that mark, so the
// mark never vouches for text nobody checked.

/** The facts a platform admin checks; changing any of them clears 平台已核验. */
const VERIFIED_FACTS = ['registrationKind', 'registrationNo', 'registrationAuthority', 'orgType', 'publicFundraising'] as const

const trustColumns = {
  registrationKind: institutions.registrationKind,
  registrationNo: institutions.registrationNo,
  registrationAuthority: institutions.registrationAuthority,
  orgType: institutions.orgType,
  publicFundraising: institutions.publicFundraising,
  publicAddress: institutions.publicAddress,
  publicPhone: institutions.publicPhone,
  factsVerifiedAt: institutions.factsVerifiedAt,
}

export type TrustFacts = {
  registrationKind: 'uscc' | 'legacy'
  registrationNo: string
  registrationAuthority: string
  orgType: 'civil_affairs' | 'charity' | 'other' | null
  publicFundraising: boolean
  publicAddress: string
  publicPhone: string
  factsVerifiedAt: Date | null
}

/** The home's facts as its managers last saved them (settings form) — also what the public page shows. */
export function getTrustFacts(institutionId: number): TrustFacts | null {
  return db.select(trustColumns).from(institutions).where(eq(institutions.id, institutionId)).get() ?? null
}

/** The 机构信息 block of a public institution page, labels resolved. */
export function publicTrustFacts(institutionId: number) {
  const facts = getTrustFacts(institutionId)
  if (!facts) return null
  return {
    registrationLabel: facts.registrationKind === 'uscc' ? '统一社会信用代码' : '登记证号',
    registrationNo: facts.registrationNo,
    registrationKindLabel: registrationKindLabels[facts.registrationKind],
    registrationAuthority: facts.registrationAuthority,
    orgTypeLabel: facts.orgType ? orgTypeLabels[facts.orgType] : null,
    publicFundraising: facts.publicFundraising,
    verifiedAt: facts.factsVerifiedAt,
  }
}

export type UpdateTrustFactsResult = { ok: true; verificationCleared: boolean }

/** Save the home's 机构信息; clears 平台已核验 when a checked fact changed. */
export function updateTrustFacts(actor: Actor, institutionId: number, input: TrustFactsInput): UpdateTrustFactsResult {
  return auditedWrite(actor, (tx) => {
    const before = tx.select(trustColumns).from(institutions).where(eq(institutions.id, institutionId)).get()
    const changed = before ? VERIFIED_FACTS.filter((k) => before[k] !== input[k]) : []
    const verificationCleared = Boolean(before?.factsVerifiedAt) && changed.length > 0
    tx.update(institutions)
      .set({ ...input, ...(verificationCleared ? { factsVerifiedAt: null, factsVerifiedBy: null } : {}) })
      .where(eq(institutions.id, institutionId))
      .run()
    return {
      result: { ok: true as const, verificationCleared },
      audit: {
        institutionId,
        action: 'institution.trust_facts',
        entityType: 'institution',
        entityId: institutionId,
        summary: { changed, verificationCleared },
      },
    }
  })
}

// ---- Platform verification -----------------------------------------------------------------

export function getVerification(institutionId: number) {
  const row = db
    .select({
      registrationNo: institutions.registrationNo,
      verifiedAt: institutions.factsVerifiedAt,
      verifiedBy: users.displayName,
    })
    .from(institutions)
    .leftJoin(users, eq(users.id, institutions.factsVerifiedBy))
    .where(eq(institutions.id, institutionId))
    .get()
  return row ?? null
}

export type VerifyResult = { ok: true } | { ok: false; message: string }

/** 平台已核验 (verified = true) or withdrawn (false), by a platform admin, with time and who. */
export function setFactsVerified(actor: Actor, institutionId: number, verified: boolean): VerifyResult {
  return auditedWrite<VerifyResult>(actor, (tx) => {
    const row = tx
      .select({ registrationNo: institutions.registrationNo })
      .from(institutions)
      .where(eq(institutions.id, institutionId))
      .get()
    const audit = { institutionId, entityType: 'institution', entityId: institutionId }
    if (verified && !row?.registrationNo) {
      return {
        result: { ok: false, message: '机构尚未填写登记证号或统一社会信用代码，无法核验' },
        audit: { ...audit, action: 'institution.verify_refused' },
      }
    }
    tx.update(institutions)
      .set(verified ? { factsVerifiedAt: now(), factsVerifiedBy: actor.userId } : { factsVerifiedAt: null, factsVerifiedBy: null })
      .where(eq(institutions.id, institutionId))
      .run()
    return {
      result: { ok: true },
      audit: {
        ...audit,
        action: verified ? 'institution.verify' : 'institution.unverify',
        summary: { registrationNo: row?.registrationNo },
      },
    }
  })
}

// ---- 收件信息: for parcels; never on a public page ------------------------------------------

export function getShippingRecipient(institutionId: number) {
  return (
    db
      .select({ shippingRecipient: institutions.shippingRecipient, shippingPhone: institutions.shippingPhone })
      .from(institutions)
      .where(eq(institutions.id, institutionId))
      .get() ?? { shippingRecipient: '', shippingPhone: '' }
  )
}

export function updateShippingRecipient(
  actor: Actor,
  institutionId: number,
  input: { shippingRecipient?: string; shippingPhone?: string },
) {
  const values = { shippingRecipient: input.shippingRecipient ?? '', shippingPhone: input.shippingPhone ?? '' }
  auditedWrite(actor, (tx) => {
    tx.update(institutions).set(values).where(eq(institutions.id, institutionId)).run()
    return {
      result: undefined,
      audit: { institutionId, action: 'institution.shipping_recipient', entityType: 'institution', entityId: institutionId },
    }
  })
}

// ---- 平台数据: totals kept by triggers (migration public_totals) -----------------------------

export type PublicTotals = { moneyFen: number; goodsItems: number; wishesFulfilled: number; serviceHours: number }

/** Row 0 is every home together; a home with nothing yet has no row and shows zeros. */
function totalsRow(institutionId: number): PublicTotals {
  const row = db.select().from(publicTotals).where(eq(publicTotals.institutionId, institutionId)).get()
  return {
    moneyFen: row?.moneyFen ?? 0,
    goodsItems: row?.goodsItems ?? 0,
    wishesFulfilled: row?.wishesFulfilled ?? 0,
    // One decimal, as hoursOf (app/volunteers/hours.server.ts) writes them; not imported: that would close an import cycle.
    serviceHours: Math.round(((row?.serviceMinutes ?? 0) / 60) * 10) / 10,
  }
}

/** The home page's 平台数据: one primary-key read, whatever the size of the log. */
export function platformTotals(): PublicTotals {
  return totalsRow(0)
}

/** The same figures for one home's page. */
export function homeTotals(institutionId: number): PublicTotals {
  return totalsRow(institutionId)
}
