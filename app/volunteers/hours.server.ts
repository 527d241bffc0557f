import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm'
import { db } from '~db/client.server'
import { institutions, serviceRecords } from '~db/schema'
import { shanghaiParts } from '~/utils/shanghai-date'

// 我的志愿时长: a volunteer may ask for a record of their service hours (志愿服务条例). Hours
// are derived from service_records only, so the totals always match the listed items.

/** Minutes as hours with one decimal: 90 → 1.5. */
export function hoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 10) / 10
}

/** A Shanghai calendar-day range as instants: [from 00:00, day after `to` 00:00). */
export type ServiceRange = { from?: Date; to?: Date }

export function serviceSummary(userId: number, range: ServiceRange = {}) {
  const conditions: SQL[] = [eq(serviceRecords.userId, userId)]
  if (range.from) conditions.push(gte(serviceRecords.startedAt, range.from))
  if (range.to) conditions.push(lt(serviceRecords.startedAt, range.to))
  const rows = db
    .select({
      id: serviceRecords.id,
      institutionId: serviceRecords.institutionId,
      home: institutions.name,
      source: serviceRecords.source,
      description: serviceRecords.description,
      startedAt: serviceRecords.startedAt,
      endedAt: serviceRecords.endedAt,
      minutes: serviceRecords.minutes,
    })
    .from(serviceRecords)
    .innerJoin(institutions, eq(institutions.id, serviceRecords.institutionId))
    .where(and(...conditions))
    .orderBy(desc(serviceRecords.startedAt), desc(serviceRecords.id))
    .all()

  const perYear = new Map<number, number>()
  const perHome = new Map<number, { institutionId: number; home: string; minutes: number }>()
  let totalMinutes = 0
  for (const r of rows) {
    totalMinutes += r.minutes
    const year = shanghaiParts(r.startedAt).year
    perYear.set(year, (perYear.get(year) ?? 0) + r.minutes)
    const home = perHome.get(r.institutionId) ?? { institutionId: r.institutionId, home: r.home, minutes: 0 }
    home.minutes += r.minutes
    perHome.set(r.institutionId, home)
  }
  return {
    items: rows.map((r) => ({ ...r, hours: hoursOf(r.minutes) })),
    totalMinutes,
    totalHours: hoursOf(totalMinutes),
    perYear: [...perYear.entries()].sort(([a], [b]) => b - a).map(([year, minutes]) => ({ year, minutes, hours: hoursOf(minutes) })),
    perHome: [...perHome.values()]
      .sort((a, b) => b.minutes - a.minutes || a.institutionId - b.institutionId)
      .map((h) => ({ ...h, hours: hoursOf(h.minutes) })),
  }
}
