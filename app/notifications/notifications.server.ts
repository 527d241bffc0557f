import { eq, sql } from 'drizzle-orm'
import { db, preparedOnce, type Tx } from '~db/client.server'
import { notifications, users } from '~db/schema'

// The one way the site tells people things. A notice is written to the outbox in the same
// transaction as the change it announces, so it is sent if and only if the change committed;
// the jobs deliver the outbox (see deliverPendingNotifications).

export type Notice = {
  userId: number
  template: string // e.g. 'claim.reminder.buy'
  subject: string
  body: string
  /** Sent at most once per key (reminders re-checked by every job run). */
  dedupeKey?: string
}

// Most writes that change something for a person queue a notice (every confirmed booking does):
// both statements are prepared once (db/client.server.ts preparedOnce), issue 12.
const recipientQuery = preparedOnce(() =>
  db
    .select({ phone: users.phone, email: users.email })
    .from(users)
    .where(eq(users.id, sql.placeholder('userId')))
    .prepare(),
)
const insertNotice = preparedOnce(() =>
  db
    .insert(notifications)
    .values({
      userId: sql.placeholder('userId'),
      channel: sql.placeholder('channel'),
      recipient: sql.placeholder('recipient'),
      template: sql.placeholder('template'),
      subject: sql.placeholder('subject'),
      body: sql.placeholder('body'),
      dedupeKey: sql.placeholder('dedupeKey'),
    })
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .prepare(),
)

/**
 * Queue a notice for a user, by SMS if they registered with a phone, else by email. `tx` is the
 * caller's transaction: the prepared statements run on the same connection, so inside it.
 */
export function enqueueNotification(_tx: Tx, notice: Notice): void {
  const user = recipientQuery().get({ userId: notice.userId })
  if (!user) return
  const channel = user.phone ? 'sms' : 'email'
  const recipient = (user.phone ?? user.email) as string
  insertNotice().run({
    userId: notice.userId,
    channel,
    recipient,
    template: notice.template,
    subject: notice.subject,
    body: notice.body,
    dedupeKey: notice.dedupeKey ?? null,
  })
}

/**
 * Queue a message to an address the person typed (a one-time code), not to the user's address
 * on file: for a password reset it is the address the account signs in with; for a contact being
 * verified there may be no user yet (userId null).
 */
export function enqueueMessageTo(
  tx: Tx,
  message: { userId: number | null; channel: 'sms' | 'email'; recipient: string; template: string; subject: string; body: string },
): void {
  tx.insert(notifications)
    .values({ ...message, dedupeKey: null })
    .run()
}
