import QRCode from 'qrcode'
import { describe, expect, test } from 'vitest'
import { db } from '~db/client.server'
import { serviceRecords, volunteerProfiles } from '~db/schema'
import { loader as serviceLoader, action as serviceAction } from '~/routes/me.service'
import { loader as volunteerCsvLoader } from '~/routes/me.service[.csv]'
import { loader as certificateLoader } from '~/routes/me.service_.certificates.$code'
import { loader as verifyLoader } from '~/routes/verify.service.$code'
import { loader as homeHoursLoader } from '~/routes/staff.$slug.service-hours'
import { loader as homeCsvLoader } from '~/routes/staff.$slug.service-hours[.csv]'
import { serviceRecordOf } from '~/volunteers/service-record.server'
import { addMember, context, createTestInstitution, createUser, formRequest, getRequest, run, signedInCookie } from './helpers'

/** The Conform reply of the certificate form on /me/service. */
type ServiceReply = { result: { error?: Record<string, string[]>; initialValue?: Record<string, string> }; needsProfile: boolean }

// 志愿服务记录: a volunteer's service across homes and years, certificates anyone can verify
// (name, hours and dates only), and CSV exports for the volunteer and for each home's staff.

let sourceCounter = 900_000 + Math.floor(Math.random() * 1_000_000)

function insertRecord(
  userId: number,
  institutionId: number,
  fields: { source: 'slot_booking' | 'visit'; at: string; minutes: number; description: string },
) {
  sourceCounter += 1
  const startedAt = new Date(fields.at)
  return db
    .insert(serviceRecords)
    .values({
      userId,
      institutionId,
      source: fields.source,
      sourceId: sourceCounter,
      description: fields.description,
      startedAt,
      endedAt: new Date(startedAt.getTime() + fields.minutes * 60_000),
      minutes: fields.minutes,
    })
    .returning()
    .get()
}

const DESCRIPTIONS = {
  openDay: '社会开放日：陪孩子们做手工',
  visit1: '焕新乐园家庭陪伴 第 1 次：共读绘本',
  newYearVisit: '焕新乐园家庭陪伴 第 2 次：辅导作业',
  spring: '社会开放日：春季户外活动',
}

/** A volunteer with four records over two homes and two years (Asia/Shanghai). */
async function volunteerWithService() {
  const homeA = createTestInstitution('聊城市东昌府区儿童福利院')
  const homeB = createTestInstitution('滨州市儿童福利院')
  const volunteer = await createUser({ displayName: '晓明' })
  insertRecord(volunteer.id, homeA.id, {
    source: 'slot_booking',
    at: '2025-06-10T09:00:00+08:00',
    minutes: 120,
    description: DESCRIPTIONS.openDay,
  })
  insertRecord(volunteer.id, homeB.id, { source: 'visit', at: '2025-11-02T14:00:00+08:00', minutes: 90, description: DESCRIPTIONS.visit1 })
  // 07:00 on New Year's Day in Shanghai is still 2025 in UTC: it counts for 2026.
  insertRecord(volunteer.id, homeA.id, {
    source: 'visit',
    at: '2026-01-01T07:00:00+08:00',
    minutes: 60,
    description: DESCRIPTIONS.newYearVisit,
  })
  insertRecord(volunteer.id, homeB.id, {
    source: 'slot_booking',
    at: '2026-03-15T09:00:00+08:00',
    minutes: 150,
    description: DESCRIPTIONS.spring,
  })
  return { homeA, homeB, volunteer, cookie: signedInCookie(volunteer.id) }
}

function giveRealName(userId: number, realName = '王晓明', phone = '13912345678') {
  db.insert(volunteerProfiles).values({ userId, realName, phone }).run()
}

async function issue(cookie: string, fromDate: string, toDate: string) {
  return run(() => serviceAction({ request: formRequest('/me/service', { fromDate, toDate }, { cookie }), params: {}, context: context() }))
}

/** Call a CSV resource route; Response.text() would drop the BOM, so decode the bytes ourselves. */
async function csvOf(call: () => Promise<unknown>) {
  const response = (await call()) as Response
  const bytes = new Uint8Array(await response.arrayBuffer())
  return {
    status: response.status,
    type: response.headers.get('Content-Type') ?? '',
    bom: bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf,
    text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
  }
}

function issuedCode(res: { status: number; headers: Headers }): string {
  expect(res.status).toBe(302)
  const location = res.headers.get('Location') ?? ''
  const match = /issued=(WN-[A-Z0-9]{5}-[A-Z0-9]{5})/.exec(location)
  expect(match, location).not.toBeNull()
  return match![1]!
}

describe('a volunteer’s service record', () => {
  test('lists open-day check-ins and confirmed visits with totals per year and per home that add up to the items', async () => {
    const { homeA, homeB, cookie } = await volunteerWithService()
    const res = await run(() => serviceLoader({ request: getRequest('/me/service', cookie), params: {}, context: context() }))
    expect(res.status).toBe(200)
    const { record } = res.body as { record: ReturnType<typeof serviceRecordOf> }

    expect(record.items.map((i) => i.description)).toEqual([
      DESCRIPTIONS.spring,
      DESCRIPTIONS.newYearVisit,
      DESCRIPTIONS.visit1,
      DESCRIPTIONS.openDay,
    ])
    expect(record.items.map((i) => i.source).sort()).toEqual(['slot_booking', 'slot_booking', 'visit', 'visit'])
    expect(record.items.find((i) => i.description === DESCRIPTIONS.newYearVisit)?.date).toBe('2026-01-01')

    const sum = record.items.reduce((s, i) => s + i.minutes, 0)
    expect(record.totalMinutes).toBe(sum)
    expect(record.totalHours).toBe(7)
    expect(record.perYear).toEqual([
      { year: 2026, minutes: 210, hours: 3.5 },
      { year: 2025, minutes: 210, hours: 3.5 },
    ])
    expect(record.perYear.reduce((s, y) => s + y.minutes, 0)).toBe(sum)
    expect(record.perHome.map((h) => [h.institutionId, h.minutes, h.hours])).toEqual([
      [homeB.id, 240, 4],
      [homeA.id, 180, 3],
    ])
    expect(record.perHome.reduce((s, h) => s + h.minutes, 0)).toBe(sum)
  })

  test('a date range keeps only the service on those Shanghai calendar days', async () => {
    const { volunteer } = await volunteerWithService()
    const y2026 = serviceRecordOf(volunteer.id, { from: '2026-01-01', to: '2026-12-31' })
    expect(y2026.items.map((i) => i.description)).toEqual([DESCRIPTIONS.spring, DESCRIPTIONS.newYearVisit])
    expect(y2026.totalMinutes).toBe(210)
  })

  test('another visitor must sign in to see it', async () => {
    const res = await run(() => serviceLoader({ request: getRequest('/me/service'), params: {}, context: context() }))
    expect(res.status).toBe(302)
  })
})

describe('志愿服务记录证明', () => {
  test('needs the volunteer’s real name, with a pointer to the profile page', async () => {
    const { cookie } = await volunteerWithService()
    const res = await issue(cookie, '2025-01-01', '2025-12-31')
    expect(res.status).toBe(409)
    const body = res.body as ServiceReply
    expect(body.result.error?.['']?.[0]).toContain('真实姓名')
    expect(body.needsProfile).toBe(true)
    expect(body.result.initialValue?.fromDate).toBe('2025-01-01')
  })

  test('rejects an invalid or reversed date range with Chinese errors next to the fields', async () => {
    const { volunteer, cookie } = await volunteerWithService()
    giveRealName(volunteer.id)
    const reversed = await issue(cookie, '2025-12-31', '2025-01-01')
    expect(reversed.status).toBe(400)
    expect((reversed.body as ServiceReply).result.error?.toDate).toEqual(['结束日期不能早于开始日期'])
    const impossible = await issue(cookie, '2025-02-30', '2025-03-01')
    expect(impossible.status).toBe(400)
    expect((impossible.body as ServiceReply).result.error?.fromDate?.[0]).toMatch(/有效的日期/)
    const empty = await issue(cookie, '2024-01-01', '2024-12-31')
    expect(empty.status).toBe(409)
    expect((empty.body as ServiceReply).result.error?.['']?.[0]).toContain('没有服务记录')
  })

  test('snapshots the name, homes, items and hours of the range; the owner can print it with a QR to the check', async () => {
    const { volunteer, cookie } = await volunteerWithService()
    giveRealName(volunteer.id)
    const code = issuedCode(await issue(cookie, '2025-01-01', '2025-12-31'))

    const page = await run(() =>
      certificateLoader({ request: getRequest(`/me/service/certificates/${code}`, cookie), params: { code }, context: context() }),
    )
    expect(page.status).toBe(200)
    const { certificate, url, qrSvg } = page.body as {
      certificate: {
        realName: string
        homes: string[]
        items: { description: string; hours: number }[]
        totalHours: number
        fromDate: string
        toDate: string
      }
      url: string
      qrSvg: string
    }
    expect(certificate.realName).toBe('王晓明')
    expect(certificate.homes).toEqual(['聊城市东昌府区儿童福利院', '滨州市儿童福利院'])
    expect(certificate.items.map((i) => i.description)).toEqual([DESCRIPTIONS.openDay, DESCRIPTIONS.visit1])
    expect(certificate.totalHours).toBe(3.5)
    expect([certificate.fromDate, certificate.toDate]).toEqual(['2025-01-01', '2025-12-31'])
    expect(url).toMatch(new RegExp(`^https?://[^/]+/verify/service/${code}$`))
    expect(qrSvg).toBe(await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }))

    const listed = await run(() => serviceLoader({ request: getRequest('/me/service', cookie), params: {}, context: context() }))
    expect((listed.body as { certificates: { code: string; totalHours: number }[] }).certificates).toEqual([
      expect.objectContaining({ code, totalHours: 3.5 }),
    ])

    // Somebody else cannot open the printable certificate.
    const stranger = await createUser()
    const other = await run(() =>
      certificateLoader({
        request: getRequest(`/me/service/certificates/${code}`, signedInCookie(stranger.id)),
        params: { code },
        context: context(),
      }),
    )
    expect(other.status).toBe(404)
  })

  test('the public check shows only the name, total hours and dates — no phone, email, homes or activities', async () => {
    const { volunteer, cookie } = await volunteerWithService()
    giveRealName(volunteer.id, '李晓红', '13987654321')
    const code = issuedCode(await issue(cookie, '2025-01-01', '2026-12-31'))

    const res = await run(() =>
      verifyLoader({
        request: getRequest(`/verify/service/${code.toLowerCase()}`),
        params: { code: code.toLowerCase() },
        context: context(),
      }),
    )
    expect(res.status).toBe(200)
    const body = res.body as { certificate: Record<string, unknown> }
    expect(Object.keys(body.certificate).sort()).toEqual(['code', 'fromDate', 'issuedAt', 'realName', 'toDate', 'totalHours'])
    expect(body.certificate).toMatchObject({ code, realName: '李晓红', totalHours: 7, fromDate: '2025-01-01', toDate: '2026-12-31' })

    const json = JSON.stringify(res.body)
    for (const secret of ['13987654321', volunteer.email ?? '@', ...Object.values(DESCRIPTIONS), '福利院']) {
      expect(json).not.toContain(secret)
    }
  })

  test('an unknown or malformed code is not found', async () => {
    for (const code of ['WN-AAAAA-BBBBB', 'nonsense']) {
      const res = await run(() => verifyLoader({ request: getRequest(`/verify/service/${code}`), params: { code }, context: context() }))
      expect(res.status).toBe(404)
      expect((res.body as { certificate: unknown }).certificate).toBeNull()
    }
  })

  test('codes are random and unguessable: every certificate gets a fresh one', async () => {
    const { volunteer, cookie } = await volunteerWithService()
    giveRealName(volunteer.id)
    const a = issuedCode(await issue(cookie, '2025-01-01', '2025-12-31'))
    const b = issuedCode(await issue(cookie, '2025-01-01', '2025-12-31'))
    expect(a).not.toBe(b)
    expect(a).toMatch(/^WN-[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/)
  })
})

describe('hours CSV exports', () => {
  test('the volunteer downloads every record of theirs, UTF-8 with BOM', async () => {
    const { volunteer, cookie } = await volunteerWithService()
    giveRealName(volunteer.id)
    const someoneElse = await volunteerWithService()
    const res = await csvOf(() => volunteerCsvLoader({ request: getRequest('/me/service.csv', cookie), params: {}, context: context() }))
    expect(res.status).toBe(200)
    expect(res.type).toContain('text/csv')
    expect(res.bom).toBe(true)
    const csv = res.text
    expect(csv.startsWith('\uFEFF姓名（实名）,手机号,日期,服务内容,时长（小时）')).toBe(true)
    const lines = csv.trim().split('\r\n').slice(1)
    expect(lines).toHaveLength(4)
    expect(lines[0]).toBe(`王晓明,13912345678,2025-06-10,${DESCRIPTIONS.openDay},2,聊城市东昌府区儿童福利院`)
    expect(lines[2]).toContain('2026-01-01')
    expect(csv).not.toContain(someoneElse.volunteer.displayName + '（未实名）')

    const anonymous = await run(() => volunteerCsvLoader({ request: getRequest('/me/service.csv'), params: {}, context: context() }))
    expect(anonymous.status).toBe(302)
  })

  test("a home's staff get only their home's records; another home's staff get 404", async () => {
    const { homeA, homeB, volunteer } = await volunteerWithService()
    giveRealName(volunteer.id)
    const onlyAtB = await createUser({ displayName: '只在滨州' })
    insertRecord(onlyAtB.id, homeB.id, { source: 'slot_booking', at: '2025-07-01T09:00:00+08:00', minutes: 60, description: '社会开放日' })
    const staffA = await createUser({ displayName: '东昌府社工' })
    addMember(staffA.id, homeA.id, 'staff')
    const cookieA = signedInCookie(staffA.id)

    const res = await csvOf(() =>
      homeCsvLoader({
        request: getRequest(`/staff/${homeA.slug}/service-hours.csv`, cookieA),
        params: { slug: homeA.slug },
        context: context(),
      }),
    )
    expect(res.status).toBe(200)
    expect(res.bom).toBe(true)
    const csv = res.text
    const lines = csv.trim().split('\r\n').slice(1)
    expect(lines).toEqual([
      `王晓明,13912345678,2025-06-10,${DESCRIPTIONS.openDay},2,聊城市东昌府区儿童福利院`,
      `王晓明,13912345678,2026-01-01,${DESCRIPTIONS.newYearVisit},1,聊城市东昌府区儿童福利院`,
    ])
    expect(csv).not.toContain('只在滨州')
    expect(csv).not.toContain('滨州市儿童福利院')

    const filtered = await run(() =>
      homeCsvLoader({
        request: getRequest(`/staff/${homeA.slug}/service-hours.csv?from=2026-01-01&to=2026-12-31`, cookieA),
        params: { slug: homeA.slug },
        context: context(),
      }),
    )
    expect((filtered.body as string).trim().split('\r\n')).toHaveLength(2)

    const table = await run(() =>
      homeHoursLoader({
        request: getRequest(`/staff/${homeA.slug}/service-hours`, cookieA),
        params: { slug: homeA.slug },
        context: context(),
      }),
    )
    expect(table.status).toBe(200)
    expect((table.body as { table: { totalHours: number; volunteers: { name: string; hours: number }[] } }).table).toMatchObject({
      totalHours: 3,
      volunteers: [{ name: '王晓明', hours: 3 }],
    })

    const staffB = await createUser()
    addMember(staffB.id, homeB.id, 'manager')
    const cross = await run(() =>
      homeCsvLoader({
        request: getRequest(`/staff/${homeA.slug}/service-hours.csv`, signedInCookie(staffB.id)),
        params: { slug: homeA.slug },
        context: context(),
      }),
    )
    expect(cross.status).toBe(404)
    const crossPage = await run(() =>
      homeHoursLoader({
        request: getRequest(`/staff/${homeA.slug}/service-hours`, signedInCookie(staffB.id)),
        params: { slug: homeA.slug },
        context: context(),
      }),
    )
    expect(crossPage.status).toBe(404)
  })
})
