import { describe, expect, test } from 'vitest'
import { ledgerFilterSchema } from '~/donations/ledger.server'
import { needFilterSchema } from '~/needs/needs.server'
import { slotFilterSchema } from '~/slots/public.server'
import { listQuery } from '~/utils/pagination'
import { wishFilterSchema } from '~/wishes/public.server'

// The one reader of a public list's query string (/wishes, /needs, /ledger, /volunteer).
const query = (search: string) => new Request(`http://localhost/list?${search}`)

describe('listQuery', () => {
  test('a visitor filtering wishes gets the trimmed filters and the cursor; empty fields mean all', () => {
    const q = listQuery(query('category=study&city=+北京+&home=&age=6-8&cursor=abc'), wishFilterSchema)
    expect(q).toEqual({ filters: { category: 'study', city: '北京', age: '6-8' }, cursor: 'abc', paged: true })
  })

  test('an unknown category, urgency or kind reads as all rather than an error', () => {
    expect(listQuery(query('category=toys&urgency=soon'), needFilterSchema).filters).toEqual({})
    expect(listQuery(query('kind=gold&home=sunny'), ledgerFilterSchema).filters).toEqual({ home: 'sunny' })
    expect(listQuery(query('from=tomorrow&to=2026-06-01'), slotFilterSchema).filters).toEqual({ to: '2026-06-01' })
  })

  test('the first page has no cursor; keys the schema does not name are ignored', () => {
    expect(listQuery(query('urgency=urgent&view=calendar&cursor='), needFilterSchema)).toEqual({
      filters: { urgency: 'urgent' },
      cursor: null,
      paged: false,
    })
  })

  test('a malformed ledger month is kept so the page can say so', () => {
    expect(listQuery(query('month=2026-13'), ledgerFilterSchema).filters).toEqual({ month: '2026-13' })
  })
})
