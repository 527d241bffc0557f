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
    .select({
      id: auditLog.id,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      at: auditLog.at,
      actor: users.displayName,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(eq(auditLog.institutionId, institutionId))
    .orderBy(desc(auditLog.id))
    .limit(limit)
    .all()
}

/** Thrown inside an auditedWrite callback: the transaction rolls back and the caller gets the refusal. */
class WriteRefused extends Error {
  constructor(readonly refusal: { ok: false; message: string }) {
    super(refusal.message)
  }
}

/** Refuse a staff write from inside its transaction, with a typed result for the form. */
export function refuseWrite<R extends { ok: false; message: string }>(refusal: R): never {
  throw new WriteRefused(refusal)
}

/** A refusal of a staff write, with the form field (if any) its message belongs beside. */
export type Refusal<Field extends string = string> = { ok: false; message: string; field?: Field }

/** refuseWrite() with a message, and the field to show it beside. */
export function refuse<Field extends string>(message: string, field?: Field): never {
  refuseWrite<Refusal<Field>>({ ok: false, message, ...(field ? { field } : {}) })
}

/**
 * auditedWrite whose callback may refuseWrite(): a refusal writes nothing, not even an audit
 * row. `refusalFromError` can turn a database error (e.g. a trigger) into a refusal too.
 */
export function attemptAuditedWrite<T, R extends { ok: false; message: string }>(
  actor: Actor,
  fn: (tx: Tx) => { result: T; audit: AuditEntry },
  refusalFromError?: (error: unknown) => R | null,
): T | R {
  try {
    return auditedWrite(actor, fn)
  } catch (error) {
    if (error instanceof WriteRefused) return error.refusal as R
    const mapped = refusalFromError?.(error)
    if (mapped) return mapped
    throw error
  }
}
