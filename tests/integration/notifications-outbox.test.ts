import { eq } from 'drizzle-orm'
import { describe, expect, test } from 'vitest'
import { db, writeTransaction } from '~db/client.server'
import { notifications, users } from '~db/schema'
import { enqueueNotification } from '~/notifications/notifications.server'
import { unique } from '~tests/factories'

// enqueueNotification (app/notifications/notifications.server.ts): its two statements are
// prepared once on the process's connection (decision 029), not built on the caller's `tx`; a
// notice must still be part of the caller's transaction, reach the right channel, and be queued
// at most once per dedupe key.

function member(contact: { phone?: string; email?: string }) {
  return db
    .insert(users)
    .values({ ...contact, displayName: '通知测试', passwordHash: 'x' })
    .returning()
    .get()
}
const outboxOf = (userId: number) => db.select().from(notifications).where(eq(notifications.userId, userId)).all()
const notice = (userId: number, dedupeKey?: string) => ({ userId, template: 'test.notice', subject: '主题', body: '正文', dedupeKey })

describe('enqueueNotification', () => {
  test('by SMS to a phone, else by email; once per dedupe key; without a key every time', () => {
    const byPhone = member({ phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, email: `${unique('p')}@example.com` })
    const byEmail = member({ email: `${unique('e')}@example.com` })
    writeTransaction((tx) => {
      enqueueNotification(tx, notice(byPhone.id, `test:${byPhone.id}`))
      enqueueNotification(tx, notice(byPhone.id, `test:${byPhone.id}`))
      enqueueNotification(tx, notice(byEmail.id))
      enqueueNotification(tx, notice(byEmail.id))
    })
    expect(outboxOf(byPhone.id)).toEqual([
      expect.objectContaining({
        channel: 'sms',
        recipient: byPhone.phone,
        template: 'test.notice',
        subject: '主题',
        body: '正文',
        status: 'pending',
      }),
    ])
    expect(outboxOf(byEmail.id).map((n) => [n.channel, n.recipient, n.dedupeKey])).toEqual([
      ['email', byEmail.email, null],
      ['email', byEmail.email, null],
    ])
  })

  test('a notice is undone with the transaction that queued it', () => {
    const someone = member({ email: `${unique('r')}@example.com` })
    expect(() =>
      writeTransaction((tx) => {
        enqueueNotification(tx, notice(someone.id, `test:rollback:${someone.id}`))
        throw new Error('the change it announced failed')
      }),
    ).toThrow('the change it announced failed')
    expect(outboxOf(someone.id)).toEqual([])
  })

  test('an unknown user gets nothing (and nothing fails)', () => {
    writeTransaction((tx) => enqueueNotification(tx, notice(2_000_000_000)))
    expect(outboxOf(2_000_000_000)).toEqual([])
  })
})
