import { Link } from '@remix-run/react'
import type { NeedCategory, WishStatus } from '~db/schema'
import { categoryLabels, wishStatusLabels } from './labels'

/** What a public card shows: pseudonym and age band only, never a real name or birth date. */
export type WishCardData = {
  id: number
  pseudonym: string
  ageBand: string
  category: NeedCategory
  title: string
  status: WishStatus
  homeName: string
  city: string
}

const statusStyles: Partial<Record<WishStatus, string>> = {
  published: 'bg-brand-700 text-white',
  claimed: 'bg-stone-200 text-stone-900',
  received: 'bg-sky-100 text-sky-900',
  fulfilled: 'bg-emerald-100 text-emerald-900',
}

export function WishStatusBadge({ status }: { status: WishStatus }) {
  return (
    <span
      className={`inline-block rounded-full px-2.5 py-0.5 text-sm font-medium ${statusStyles[status] ?? 'bg-stone-200 text-stone-900'}`}
    >
      {wishStatusLabels[status]}
    </span>
  )
}

export function WishCard({ wish, headingLevel = 3 }: { wish: WishCardData; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  return (
    <li className="card flex flex-col gap-2" data-testid="wish-card">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <span className="rounded-full bg-brand-50 px-2.5 py-0.5 font-medium text-brand-800">{categoryLabels[wish.category]}</span>
        <WishStatusBadge status={wish.status} />
      </p>
      <Heading className="text-lg font-semibold leading-snug">
        <Link to={`/wishes/${wish.id}`} className="text-brand-800 underline-offset-2 hover:underline">
          {wish.title}
        </Link>
      </Heading>
      <p className="text-stone-800">
        {wish.pseudonym}（化名）· {wish.ageBand}
      </p>
      <p className="mt-auto text-sm text-stone-700">
        {wish.homeName} · {wish.city}
      </p>
    </li>
  )
}

/** A grid of wish cards, or a friendly empty state. */
export function WishCardList({ wishes, empty, headingLevel }: { wishes: WishCardData[]; empty: React.ReactNode; headingLevel?: 2 | 3 }) {
  if (!wishes.length) return <div className="card text-stone-800">{empty}</div>
  return (
    <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {wishes.map((w) => (
        <WishCard key={w.id} wish={w} headingLevel={headingLevel} />
      ))}
    </ul>
  )
}
