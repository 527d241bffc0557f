import { Form, Link, useLocation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { SelectField } from './forms'

type Option = { value: string; label: string }

/** A filter's choices with "all" (the empty value) first. */
export function withAll(allLabel: string, options: ReadonlyArray<Option>): Option[] {
  return [{ value: '', label: allLabel }, ...options]
}

const columnClasses = { 3: 'sm:grid-cols-3', 4: 'sm:grid-cols-4' } as const
const spanClasses = { 3: 'sm:col-span-3', 4: 'sm:col-span-4' } as const

/**
 * The filter card of a public list: a GET form (so it works without JS and the URL can be
 * shared), a 筛选 button and, once something is filtered, a link back to the whole list.
 */
export function FilterForm({
  title,
  filtered,
  clearTo,
  columns = 3,
  children,
}: {
  title: string
  filtered: boolean
  clearTo: string
  columns?: 3 | 4
  children: ReactNode
}) {
  const location = useLocation()
  return (
    <section aria-labelledby="filters-title" className="card">
      <h2 id="filters-title" className="text-lg font-semibold">
        {title}
      </h2>
      <Form method="get" key={location.search} className={`mt-3 grid grid-cols-2 gap-3 ${columnClasses[columns]}`}>
        {children}
        <p className={`col-span-2 flex flex-wrap items-center gap-3 ${spanClasses[columns]}`}>
          <button type="submit" className="btn-primary">
            筛选
          </button>
          {filtered ? (
            <Link to={clearTo} className="link">
              清除筛选
            </Link>
          ) : null}
        </p>
      </Form>
    </section>
  )
}

export function HomeFilter({ homes, value }: { homes: ReadonlyArray<{ slug: string; name: string }>; value: string | null | undefined }) {
  return (
    <SelectField
      label="机构"
      name="home"
      defaultValue={value ?? ''}
      options={withAll(
        '全部机构',
        homes.map((h) => ({ value: h.slug, label: h.name })),
      )}
    />
  )
}

export function CityFilter({ cities, value }: { cities: ReadonlyArray<string>; value: string | null | undefined }) {
  return (
    <SelectField
      label="城市"
      name="city"
      defaultValue={value ?? ''}
      options={withAll(
        '全部城市',
        cities.map((c) => ({ value: c, label: c })),
      )}
    />
  )
}
