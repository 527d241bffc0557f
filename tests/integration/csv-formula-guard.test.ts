import ExcelJS from 'exceljs'
import { afterEach, describe, expect, test } from 'vitest'
import { db, writeTransaction } from '~db/client.server'
import { serviceRecords } from '~db/schema'
import { saveDraftDisclosure, publishDisclosure } from '~/disclosures/disclosures.server'
import { recordDonation } from '~/donations/ledger.server'
import { loader as disclosureCsvLoader } from '~/routes/disclosures.$id[.csv]'
import { loader as disclosureXlsxLoader } from '~/routes/disclosures.$id[.xlsx]'
import { loader as volunteerCsvLoader } from '~/routes/me.service[.csv]'
import { loader as homeCsvLoader } from '~/routes/staff.$slug.service-hours[.csv]'
import { now, testClock } from '~/utils/clock.server'
import { addMember, context, createTestInstitution, createUser, getRequest, signedInCookie } from './helpers'

// Item 12 of issue 10: every spreadsheet export neutralises text a spreadsheet would run as a
// formula — a leading = + - @, TAB or CR (also full-width ＝ ＋ － ＠) — through one guard.

afterEach(() => testClock.reset())

const HOSTILE = ['=1+1', '+SUM(A1)', '-2+3', '@SUM(A1)', '\t=1+1', '\r=1+1', '＝1+1', '＋1', '－1+1', '＠SUM(A1)']

/** A minimal RFC 4180 reader (quoted fields may hold commas, quotes, CR and LF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const endField = () => {
    row.push(field)
    field = ''
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') endField()
    else if (c === '\r' && text[i + 1] === '\n') {
      endField()
      rows.push(row)
      row = []
      i++
    } else field += c
  }
  if (field || row.length) {
    endField()
    rows.push(row)
  }
  return rows
}

async function csvText(response: Response): Promise<string> {
  const bytes = new Uint8Array(await response.arrayBuffer())
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1)
}

/** A cell a spreadsheet could evaluate: starts with a formula trigger after no neutralising quote. */
const dangerous = (cell: string) => /^[=+\-@\t\r\n＝＋－＠]/.test(cell) && !/^-\d+(\.\d+)?$/.test(cell)

describe('one formula guard for every export', () => {
  test('a disclosure’s CSV and XLSX neutralise = + - @ TAB CR and full-width variants; negative amounts stay numbers', async () => {
    testClock.freeze('2026-05-10T04:00:00Z')
    const institution = createTestInstitution()
    const manager = await createUser({ displayName: '院长' })
    addMember(manager.id, institution.id, 'manager')
    writeTransaction((tx) => {
      for (const text of HOSTILE) {
        recordDonation(tx, {
          institutionId: institution.id,
          kind: 'money',
          description: text,
          amountFen: 100,
          donor: { displayName: text, choice: 'name' },
          designation: 'general',
          channel: 'desk',
          receivedAt: now(),
          recordedBy: manager.id,
        })
      }
    })
    const saved = saveDraftDisclosure({ userId: manager.id, ip: null }, institution.id, 'month', new Date('2026-05-01T00:00:00+08:00'))
    if (!saved.ok) throw new Error(saved.message)
    expect(publishDisclosure({ userId: manager.id, ip: null }, institution.id, saved.disclosureId).ok).toBe(true)
    const params = { id: String(saved.disclosureId) }

    const csv = parseCsv(
      await csvText(await disclosureCsvLoader({ request: getRequest(`/disclosures/${params.id}.csv`), params, context: context() })),
    )
    const body = csv.slice(1)
    expect(body).toHaveLength(HOSTILE.length)
    for (const [i, text] of HOSTILE.entries()) {
      expect(body[i]![3]).toBe(`'${text}`) // 内容
      expect(body[i]![7]).toMatch(/^'/) // 捐赠人 (the display name is trimmed, still guarded)
    }
    expect(csv.flat().filter(dangerous)).toEqual([])

    const xlsx = await disclosureXlsxLoader({ request: getRequest(`/disclosures/${params.id}.xlsx`), params, context: context() })
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await xlsx.arrayBuffer())
    const sheet = book.getWorksheet('捐赠明细')!
    // (the XML round trip turns a CR into LF; what matters is the leading quote)
    for (const i of HOSTILE.keys()) expect(String(sheet.getRow(i + 2).getCell(4).value)).toMatch(/^'/)
  })

  test('service-hours CSVs (the volunteer’s and the home’s) neutralise the same triggers', async () => {
    const institution = createTestInstitution()
    const volunteer = await createUser({ displayName: '晓明' })
    const staff = await createUser({ displayName: '社工' })
    addMember(staff.id, institution.id, 'staff')
    for (const [i, description] of HOSTILE.entries()) {
      const startedAt = new Date(Date.UTC(2026, 2, 1 + i, 1))
      db.insert(serviceRecords)
        .values({
          userId: volunteer.id,
          institutionId: institution.id,
          source: 'slot_booking',
          sourceId: 800_000_000 + volunteer.id * 100 + i,
          description,
          startedAt,
          endedAt: new Date(startedAt.getTime() + 3_600_000),
          minutes: 60,
        })
        .run()
    }
    const mine = parseCsv(
      await csvText(
        await volunteerCsvLoader({ request: getRequest('/me/service.csv', signedInCookie(volunteer.id)), params: {}, context: context() }),
      ),
    )
    const home = parseCsv(
      await csvText(
        await homeCsvLoader({
          request: getRequest(`/staff/${institution.slug}/service-hours.csv`, signedInCookie(staff.id)),
          params: { slug: institution.slug },
          context: context(),
        }),
      ),
    )
    for (const rows of [mine, home]) {
      expect(rows.slice(1).map((r) => r[3])).toEqual(HOSTILE.map((t) => `'${t}`))
      expect(rows.flat().filter(dangerous)).toEqual([])
    }
  })
})
