import { desc, eq } from 'drizzle-orm'
import { auditLog, users } from '~db/schema'
import { db, writeTransaction, type Tx } from '~db/client.server'
import { now } from '~/utils/clock.server'

/** Who is acting: the signed-in user and the client's address, from the request context. */
export type Actor = { userId: number; ip: string | null }

export type AuditEntry = {
  institutionId: number | null
  action: string
  entityType: string
  entityId?: string | number | null
  summary?: Record<string, unknown>
}

export function recordAudit(tx: Tx, actor: Actor, entry: AuditEntry): void {
  tx.insert(auditLog)
    .values({
      actorId: actor.userId,
      institutionId: entry.institutionId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId == null ? null : String(entry.entityId),
      summary: entry.summary ?? {},
      ip: actor.ip,
      at: now(),
    })
    .run()
}

/**
 * The one way staff and admins write: the change and its audit row commit together in a
 * BEGIN IMMEDIATE transaction, or neither does.
 */
export function auditedWrite<T>(actor: Actor, fn: (tx: Tx) => { result: T; audit: AuditEntry }): T {
  return writeTransaction((tx) => {
    const { result, audit } = fn(tx)
    recordAudit(tx, actor, audit)
    return result
  })
}

export function listAuditEntries(institutionId: number, limit = 20) {
  return db
    .select({ id: auditLog.id, action: auditLog.action, entityType: auditLog.entityType, entityId: auditLog.entityId, at: auditLog.at, actor: users.displayName })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(eq(auditLog.institutionId, institutionId))
    .orderBy(desc(auditLog.id))
    .limit(limit)
    .all()
}
