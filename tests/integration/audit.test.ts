import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db, sqlite } from '~db/client.server'
import { auditLog, institutions } from '~db/schema'
import { auditedWrite } from '~/audit/audit.server'
import { createInstitution } from '~/institutions/institutions.server'
import { createUser, unique } from './helpers'

describe('audit log', () => {
  test('a staff write and its audit row are committed together', async () => {
    const admin = await createUser({ isPlatformAdmin: true })
    const outcome = createInstitution(
      { userId: admin.id, ip: '192.0.2.7' },
      { slug: unique('a-'), name: '审计福利院', kind: 'welfare_home', province: '山东省', city: '聊城市' },
    )
    if (!outcome.ok) throw new Error('create failed')
    const rows = db.select().from(auditLog).where(eq(auditLog.institutionId, outcome.institution.id)).all()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      actorId: admin.id,
      action: 'institution.create',
      entityType: 'institution',
      entityId: String(outcome.institution.id),
      ip: '192.0.2.7',
    })
    expect(rows[0]!.summary).toMatchObject({ name: '审计福利院' })
  })

  test('when the write fails, neither the change nor an audit row remains', async () => {
    const admin = await createUser()
    const slug = unique('b-')
    const before = db.select().from(auditLog).all().length
    expect(() =>
      auditedWrite({ userId: admin.id, ip: null }, (tx) => {
        tx.insert(institutions).values({ slug, name: '半途', kind: 'welfare_home', province: '山东省', city: '滨州市' }).run()
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(db.select().from(institutions).where(eq(institutions.slug, slug)).get()).toBeUndefined()
    expect(db.select().from(auditLog).all().length).toBe(before)
  })

  test('audit rows cannot be changed or deleted, even with raw SQL', async () => {
    const admin = await createUser({ isPlatformAdmin: true })
    createInstitution(
      { userId: admin.id, ip: null },
      { slug: unique('c-'), name: '不可改', kind: 'welfare_home', province: '山东省', city: '滨州市' },
    )
    const row = sqlite.prepare('SELECT id FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number }
    expect(() => sqlite.prepare("UPDATE audit_log SET action = 'forged' WHERE id = ?").run(row.id)).toThrow(/append-only/)
    expect(() => sqlite.prepare('DELETE FROM audit_log WHERE id = ?').run(row.id)).toThrow(/append-only/)
    expect((sqlite.prepare('SELECT action FROM audit_log WHERE id = ?').get(row.id) as { action: string }).action).toBe(
      'institution.create',
    )
  })
})

describe('database settings', () => {
  test('WAL, synchronous=FULL and foreign keys are on', () => {
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2)
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
  })
})
