import { http, HttpResponse } from 'msw'

// A stand-in for the SMS provider's HTTP API (see app/notifications/delivery.server.ts):
// POST {to, text} with a Bearer key. Tests read what was "sent" from `sentSms`.
export const SMS_API_URL = 'https://sms.example.test/v1/messages'
export const SMS_API_KEY = 'test-sms-key'

export type SentSms = { to: string; text: string; authorization: string | null }
export const sentSms: SentSms[] = []

export const smsHandlers = [
  http.post(SMS_API_URL, async ({ request }) => {
    const authorization = request.headers.get('Authorization')
    if (authorization !== `Bearer ${SMS_API_KEY}`) return HttpResponse.json({ error: 'unauthorized' }, { status: 401 })
    const body = (await request.json()) as { to?: unknown; text?: unknown }
    if (typeof body.to !== 'string' || typeof body.text !== 'string') return HttpResponse.json({ error: 'bad request' }, { status: 400 })
    sentSms.push({ to: body.to, text: body.text, authorization })
    return HttpResponse.json({ id: `sms-${sentSms.length}` })
  }),
]
