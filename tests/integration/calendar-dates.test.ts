import { describe, expect, test } from 'vitest'
import { action as allocationsAction } from '~/routes/staff.$slug.allocations'
import { action as newCampaignAction } from '~/routes/staff.$slug.campaigns.new'
import { action as newChildAction } from '~/routes/staff.$slug.children.new'
import { action as newNeedAction } from '~/routes/staff.$slug.needs.new'
import { action as newSlotAction } from '~/routes/staff.$slug.slots.new'
import { context, formRequest, homeWithStaff, run } from './helpers'

// A typed date that is not on the calendar (browsers without a date picker let anyone type
// 2027-02-30) is refused next to its field in Chinese, never read as 2027-03-02.

type ActionArgs = { request: Request; params: { slug: string }; context: ReturnType<typeof context> }

/** Field errors of a Conform reply ({ result: { error } }) or of a hand-written one ({ errors }). */
function fieldErrors(body: unknown): Record<string, string[] | undefined> {
  const b = body as { result?: { error?: Record<string, string[]> }; errors?: Record<string, string[]> }
  return b.result?.error ?? b.errors ?? {}
}

async function post(action: (args: ActionArgs) => unknown, path: string, fields: Record<string, string>) {
  const { home, managerCookie } = await homeWithStaff({ manager: true })
  const res = await run(() =>
    action({
      request: formRequest(`/staff/${home.slug}/${path}`, fields, { cookie: managerCookie }),
      params: { slug: home.slug },
      context: context(),
    }),
  )
  return { status: res.status, errors: fieldErrors(res.body) }
}

describe('impossible calendar dates on staff forms', () => {
  test('a campaign starting on 2027-02-30 is refused next to the start date', async () => {
    const res = await post(newCampaignAction, 'campaigns/new', { name: '春季微心愿', startsOn: '2027-02-30', endsOn: '2027-03-31' })
    expect(res.status).toBe(400)
    expect(res.errors.startsOn).toEqual(['请输入有效的开始日期，例如 2026-06-01'])
  })

  test('a slot on 2027-02-30 is refused next to the date', async () => {
    const res = await post(newSlotAction, 'slots/new', {
      type: 'once',
      intent: 'save',
      kind: 'open_day',
      title: '社会开放日',
      date: '2027-02-30',
      startTime: '09:30',
      endTime: '11:30',
      capacity: '40',
    })
    expect(res.status).toBe(400)
    expect(res.errors.date).toEqual(['请输入日期，例如 2026-12-12'])
  })

  test('a child born on 2015-02-29 (not a leap year) is refused next to the birth date', async () => {
    const res = await post(newChildAction, 'children/new', {
      realName: '孙闰年',
      birthDate: '2015-02-29',
      gender: 'male',
      pseudonym: '小阳',
    })
    expect(res.status).toBe(400)
    expect(res.errors.birthDate).toEqual(['请输入有效的出生日期，例如 2016-05-01'])
  })

  test('a need due on 2027-02-30 is refused next to the deadline', async () => {
    const res = await post(newNeedAction, 'needs/new', {
      intent: 'save',
      title: '饮用水',
      category: 'material',
      unit: '箱',
      quantityNeeded: '50',
      urgency: 'normal',
      deadline: '2027-02-30',
    })
    expect(res.status).toBe(400)
    expect(res.errors.deadline).toEqual(['请输入有效的日期，例如 2026-12-31'])
  })

  test('a use recorded on 2026-04-31 is refused next to the date of use', async () => {
    const res = await post(allocationsAction, 'allocations', {
      usedAt: '2026-04-31',
      purpose: '购买冬衣',
      amount: '100',
      beneficiaryDescription: '院内儿童',
      source: 'WN-2026-000001',
    })
    expect(res.status).toBe(400)
    expect(res.errors.usedAt).toEqual(['请输入有效的使用日期，例如 2026-05-01'])
  })
})
