import { asc, eq, and, isNull, gt } from 'drizzle-orm'
import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { db } from '~db/client.server'
import { institutions, invitations, memberships, users, type InstitutionKind, type MembershipRole } from '~db/schema'
import { auditedWrite, type Actor } from '~/audit/audit.server'
import { now } from '~/utils/clock.server'

export { institutionKindLabels, roleLabels } from './labels'

export type Institution = typeof institutions.$inferSelect

/** Public columns only: what any visitor may see of a home. */
const publicColumns = {
  id: institutions.id,
  slug: institutions.slug,
  name: institutions.name,
  kind: institutions.kind,
  province: institutions.province,
  city: institutions.city,
  district: institutions.district,
  publicAddress: institutions.publicAddress,
  publicPhone: institutions.publicPhone,
  description: institutions.description,
  parentId: institutions.parentId,
}
export type PublicInstitution = { [K in keyof typeof publicColumns]: Institution[K] }

export function listInstitutions(): PublicInstitution[] {
  return db.select(publicColumns).from(institutions).orderBy(asc(institutions.province), asc(institutions.city), asc(institutions.id)).all()
}

export function getInstitutionBySlug(slug: string): PublicInstitution | undefined {
  return db.select(publicColumns).from(institutions).where(eq(institutions.slug, slug)).get()
}

export function getInstitutionProfile(slug: string) {
  const institution = getInstitutionBySlug(slug)
  if (!institution) return null
  const parent = institution.parentId
    ? (db.select(publicColumns).from(institutions).where(eq(institutions.id, institution.parentId)).get() ?? null)
    : null
  const children = db
    .select(publicColumns)
    .from(institutions)
    .where(eq(institutions.parentId, institution.id))
    .orderBy(asc(institutions.id))
    .all()
  return { institution, parent, children }
}

export function listMembershipsOf(userId: number) {
  return db
    .select({ slug: institutions.slug, name: institutions.name, role: memberships.role })
    .from(memberships)
    .innerJoin(institutions, eq(institutions.id, memberships.institutionId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(institutions.id))
    .all()
}

export type NewInstitution = {
  slug: string
  name: string
  kind: InstitutionKind
  province: string
  city: string
  district?: string
  publicAddress?: string
  publicPhone?: string
  description?: string
  parentSlug?: string | null
}

export type CreateInstitutionResult = { ok: true; institution: Institution } | { ok: false; field: keyof NewInstitution; message: string }

export function createInstitution(actor: Actor, input: NewInstitution): CreateInstitutionResult {
  if (getInstitutionBySlug(input.slug)) return { ok: false, field: 'slug', message: '该标识已被使用，请换一个' }
  let parentId: number | null = null
  if (input.parentSlug) {
    const parent = getInstitutionBySlug(input.parentSlug)
    if (!parent) return { ok: false, field: 'parentSlug', message: '找不到上级机构' }
    parentId = parent.id
  }
  const institution = auditedWrite(actor, (tx) => {
    const row = tx
      .insert(institutions)
      .values({
        slug: input.slug,
        name: input.name,
        kind: input.kind,
        province: input.province,
        city: input.city,
        district: input.district ?? '',
        publicAddress: input.publicAddress ?? '',
        publicPhone: input.publicPhone ?? '',
        description: input.description ?? '',
        parentId,
      })
      .returning()
      .get()
    return {
      result: row,
      audit: {
        institutionId: row.id,
        action: 'institution.create',
        entityType: 'institution',
        entityId: row.id,
        summary: { slug: row.slug, name: row.name },
      },
    }
  })
  return { ok: true, institution }
}

// ---- Staff invitations -------------------------------------------------------------------

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000

function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}

/** Create a single-use invitation; the returned token goes into the link and is never stored. */
export function createInvitation(actor: Actor, input: { institutionId: number; role: MembershipRole; note?: string }) {
  const bytes = new Uint8Array(20)
  crypto.getRandomValues(bytes)
  const token = encodeBase32LowerCaseNoPadding(bytes)
  const expiresAt = new Date(now().getTime() + INVITATION_TTL_MS)
  const invitation = auditedWrite(actor, (tx) => {
    const row = tx
      .insert(invitations)
      .values({
        tokenHash: hashToken(token),
        institutionId: input.institutionId,
        role: input.role,
        note: input.note ?? '',
        invitedBy: actor.userId,
        expiresAt,
      })
      .returning()
      .get()
    return {
      result: row,
      audit: {
        institutionId: input.institutionId,
        action: 'invitation.create',
        entityType: 'invitation',
        entityId: row.id,
        summary: { role: input.role, note: input.note ?? '' },
      },
    }
  })
  return { token, invitation }
}

export function findUsableInvitation(token: string) {
  return db
    .select({ invitation: invitations, institution: { name: institutions.name, slug: institutions.slug } })
    .from(invitations)
    .innerJoin(institutions, eq(institutions.id, invitations.institutionId))
    .where(
      and(
        eq(invitations.tokenHash, hashToken(token)),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now()),
      ),
    )
    .get()
}

export type AcceptInvitationResult = { ok: true; institutionSlug: string } | { ok: false; message: string }

export function acceptInvitation(actor: Actor, token: string): AcceptInvitationResult {
  const found = findUsableInvitation(token)
  if (!found) return { ok: false, message: '邀请链接无效、已使用或已过期，请联系机构管理员重新邀请' }
  const { invitation, institution } = found
  return auditedWrite<AcceptInvitationResult>(actor, (tx) => {
    // Single use even under a double submit: only the first update finds it unaccepted.
    const claimed = tx
      .update(invitations)
      .set({ acceptedAt: now(), acceptedBy: actor.userId })
      .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id })
      .get()
    if (!claimed) {
      return {
        result: { ok: false, message: '该邀请已被使用' } as const,
        audit: {
          institutionId: invitation.institutionId,
          action: 'invitation.accept_refused',
          entityType: 'invitation',
          entityId: invitation.id,
        },
      }
    }
    const existing = tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, actor.userId), eq(memberships.institutionId, invitation.institutionId)))
      .get()
    if (existing) {
      if (existing.role !== 'manager' && invitation.role === 'manager') {
        tx.update(memberships).set({ role: 'manager' }).where(eq(memberships.id, existing.id)).run()
      }
    } else {
      tx.insert(memberships).values({ userId: actor.userId, institutionId: invitation.institutionId, role: invitation.role }).run()
    }
    return {
      result: { ok: true, institutionSlug: institution.slug } as const,
      audit: {
        institutionId: invitation.institutionId,
        action: 'invitation.accept',
        entityType: 'invitation',
        entityId: invitation.id,
        summary: { role: invitation.role },
      },
    }
  })
}

export function listMembers(institutionId: number) {
  return db
    .select({
      membershipId: memberships.id,
      userId: users.id,
      displayName: users.displayName,
      phone: users.phone,
      email: users.email,
      role: memberships.role,
      since: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.institutionId, institutionId))
    .orderBy(asc(memberships.id))
    .all()
}

export function listOpenInvitations(institutionId: number) {
  return db
    .select({
      id: invitations.id,
      role: invitations.role,
      note: invitations.note,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.institutionId, institutionId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now()),
      ),
    )
    .orderBy(asc(invitations.id))
    .all()
}

export function revokeInvitation(actor: Actor, institutionId: number, invitationId: number): boolean {
  return auditedWrite(actor, (tx) => {
    const row = tx
      .update(invitations)
      .set({ revokedAt: now() })
      .where(
        and(
          eq(invitations.id, invitationId),
          eq(invitations.institutionId, institutionId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning({ id: invitations.id })
      .get()
    return { result: Boolean(row), audit: { institutionId, action: 'invitation.revoke', entityType: 'invitation', entityId: invitationId } }
  })
}

export type RemoveMemberResult = { ok: true } | { ok: false; message: string }

/** Remove a member from a home. A home always keeps at least one manager. */
export function removeMember(actor: Actor, institutionId: number, membershipId: number): RemoveMemberResult {
  return auditedWrite<RemoveMemberResult>(actor, (tx) => {
    const target = tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.id, membershipId), eq(memberships.institutionId, institutionId)))
      .get()
    const audit = { institutionId, action: 'membership.remove', entityType: 'membership', entityId: membershipId }
    if (!target)
      return { result: { ok: false, message: '找不到该成员' } as const, audit: { ...audit, action: 'membership.remove_refused' } }
    if (target.role === 'manager') {
      const managers = tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.institutionId, institutionId), eq(memberships.role, 'manager')))
        .all()
      if (managers.length <= 1) {
        return {
          result: { ok: false, message: '机构至少需要保留一名管理员' } as const,
          audit: { ...audit, action: 'membership.remove_refused' },
        }
      }
    }
    tx.delete(memberships).where(eq(memberships.id, membershipId)).run()
    return { result: { ok: true } as const, audit: { ...audit, summary: { userId: target.userId, role: target.role } } }
  })
}
