import fs from 'node:fs/promises'
import path from 'node:path'
import { and, asc, eq, inArray, lt } from 'drizzle-orm'
import nodemailer, { type Transporter } from 'nodemailer'
import { writeTransaction } from '~db/client.server'
import { notifications } from '~db/schema'
import { now } from '~/utils/clock.server'
import { getEnv } from '~/utils/env.server'

// Delivers the notification outbox (see notifications.server.ts), called by the jobs.
//
// SMS goes to a generic HTTP provider: POST $SMS_API_URL with `Authorization: Bearer
// $SMS_API_KEY` and the JSON body {"to": "13800138000", "text": "【微暖】…"}; any 2xx is success.
// Most Chinese SMS gateways (or a small adapter in front of one) accept this shape.
// Email goes through nodemailer to $SMTP_URL (e.g. smtps://user:pass@smtp.example.com) from
// $MAIL_FROM. A channel whose provider is not configured (local runs) writes each message to
// $DATA_DIR/outbox/<id>-<template>.txt, where the developer can read it.

export const MAX_ATTEMPTS = 5
const BATCH = 100

export type DeliveryConfig = {
  sms: { url: string; apiKey: string } | null
  smtpUrl: string | null
  mailFrom: string
  outboxDir: string
}

export function deliveryConfigFromEnv(): DeliveryConfig {
  const env = getEnv()
  return {
    sms: env.SMS_API_URL && env.SMS_API_KEY ? { url: env.SMS_API_URL, apiKey: env.SMS_API_KEY } : null,
    smtpUrl: env.SMTP_URL ?? null,
    mailFrom: env.MAIL_FROM,
    outboxDir: path.join(env.DATA_DIR, 'outbox'),
  }
}

type Message = typeof notifications.$inferSelect

export function smsText(message: Pick<Message, 'body'>): string {
  return `【微暖】${message.body}`
}

async function sendSms(config: NonNullable<DeliveryConfig['sms']>, message: Message): Promise<void> {
  const response = await fetch(config.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${config.apiKey}` },
    body: JSON.stringify({ to: message.recipient, text: smsText(message) }),
    signal: AbortSignal.timeout(10_000),
  })
  if (!response.ok) throw new Error(`SMS API responded ${response.status}`)
}

const mailers = new Map<string, Transporter>()

async function sendEmail(smtpUrl: string, from: string, message: Message): Promise<void> {
  let mailer = mailers.get(smtpUrl)
  if (!mailer) {
    mailer = nodemailer.createTransport(smtpUrl)
    mailers.set(smtpUrl, mailer)
  }
  await mailer.sendMail({ from, to: message.recipient, subject: `【微暖】${message.subject}`, text: message.body })
}

async function writeToOutbox(dir: string, message: Message): Promise<void> {
  await fs.mkdir(dir, { recursive: true })
  const file = path.join(dir, `${message.id}-${message.template.replace(/[^\w.-]/g, '_')}.txt`)
  const text = [
    `To: ${message.recipient} (${message.channel})`,
    `Subject: ${message.subject}`,
    `Template: ${message.template}`,
    '',
    message.body,
    '',
  ].join('\n')
  await fs.writeFile(file, text, 'utf8')
}

async function deliver(config: DeliveryConfig, message: Message): Promise<'sms' | 'email' | 'file'> {
  if (message.channel === 'sms' && config.sms) {
    await sendSms(config.sms, message)
    return 'sms'
  }
  if (message.channel === 'email' && config.smtpUrl) {
    await sendEmail(config.smtpUrl, config.mailFrom, message)
    return 'email'
  }
  await writeToOutbox(config.outboxDir, message)
  return 'file'
}

export type DeliveryReport = { sent: number; failed: number; written: number }

/** Results are written at least this often (ms of deliveries), or when the batch is done. */
const RESULT_FLUSH_MS = 50

/**
 * Send pending messages (and retry failed ones up to MAX_ATTEMPTS). Each message is taken by
 * bumping its attempt count first, so two runners never send the same message twice.
 *
 * The batch is taken in one write transaction and the outcomes are written together (at least
 * every RESULT_FLUSH_MS, so a slow provider still records each message soon after sending it):
 * with a message per booking, a statement per message in autocommit meant two commits (two
 * fsyncs) per message, each waiting for the write lock in SQLite's busy handler (sleeps of up to
 * 100 ms inside the event loop) while the other server process took bookings (issue 12).
 */
export async function deliverPendingNotifications(
  config: DeliveryConfig = deliveryConfigFromEnv(),
  options: { template?: string } = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, failed: 0, written: 0 }
  const taken = writeTransaction((tx) => {
    const due = tx
      .select()
      .from(notifications)
      .where(
        and(
          inArray(notifications.status, ['pending', 'failed']),
          lt(notifications.attempts, MAX_ATTEMPTS),
          options.template ? eq(notifications.template, options.template) : undefined,
        ),
      )
      .orderBy(asc(notifications.id))
      .limit(BATCH)
      .all()
    return due.filter(
      (message) =>
        tx
          .update(notifications)
          .set({ attempts: message.attempts + 1 })
          .where(
            and(eq(notifications.id, message.id), eq(notifications.status, message.status), eq(notifications.attempts, message.attempts)),
          )
          .run().changes > 0,
    )
  })
  let outcomes: Array<{ id: number; error: string | null }> = []
  let lastFlush = performance.now()
  const flush = () => {
    const done = outcomes
    outcomes = []
    lastFlush = performance.now()
    if (!done.length) return
    writeTransaction((tx) => {
      for (const { id, error } of done) {
        if (error === null)
          tx.update(notifications).set({ status: 'sent', sentAt: now(), lastError: null }).where(eq(notifications.id, id)).run()
        else
          tx.update(notifications)
            .set({ status: 'failed', lastError: error.slice(0, 500) })
            .where(eq(notifications.id, id))
            .run()
      }
    })
  }
  try {
    for (const message of taken) {
      try {
        const via = await deliver(config, message)
        outcomes.push({ id: message.id, error: null })
        if (via === 'file') report.written++
        else report.sent++
      } catch (error) {
        outcomes.push({ id: message.id, error: error instanceof Error ? error.message : String(error) })
        report.failed++
      }
      if (performance.now() - lastFlush >= RESULT_FLUSH_MS) flush()
    }
  } finally {
    flush()
  }
  return report
}

/**
 * Deliver the messages of one template now, in the background, instead of at the next job run (up to a minute):
 * for a one-time code someone is waiting on. A message that fails is marked failed and retried
 * by the jobs like any other; an error before any message is taken leaves them all to the jobs.
 */
export function deliverSoon(template: string): void {
  setImmediate(() => {
    // Only messages of this template: a backlog of other messages (more than one batch) must
    // not hold a one-time code back until the next job run.
    deliverPendingNotifications(deliveryConfigFromEnv(), { template }).catch(() => undefined)
  })
}
