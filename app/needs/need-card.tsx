import { Link } from '@remix-run/react'
import { formatDate } from '~/utils/format'
import { categoryLabels } from '~/wishes/labels'
import type { NeedCategory } from '~db/enums'
import { needStatusLabels } from './labels'
import { NeedProgressBar } from './progress-bar'

type CardNeed = {
  id: number
  title: string
  category: NeedCategory
  unit: string
  urgency: 'normal' | 'urgent'
  status: keyof typeof needStatusLabels
  deadline: Date | string | null
  homeName: string
  parentName: string | null
  city: string
  progress: { needed: number; pledged: number; received: number; stillNeeded: number }
}

/** One need on a public list: title, home, urgency, deadline and progress. */
export function NeedCard({ need, headingLevel = 3 }: { need: CardNeed; headingLevel?: 3 | 4 }) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4'
  return (
    <article className="card h-full space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        {need.urgency === 'urgent' ? <span className="rounded bg-red-700 px-2 py-0.5 text-xs font-semibold text-white">紧急</span> : null}
        <span className="rounded bg-stone-100 px-2 py-0.5 text-xs text-stone-800">{categoryLabels[need.category]}</span>
        {need.status !== 'open' ? (
          <span className="rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-900">{needStatusLabels[need.status]}</span>
        ) : null}
      </div>
      <Heading className="text-lg font-semibold">
        <Link to={`/needs/${need.id}`} className="link">
          {need.title}
        </Link>
      </Heading>
      <p className="text-sm text-stone-700">
        {need.homeName}
        {need.parentName ? `（${need.parentName}）` : ''} · {need.city}
      </p>
      {need.deadline ? <p className="text-sm text-stone-700">截止日期：{formatDate(need.deadline)}</p> : null}
      <NeedProgressBar progress={need.progress} unit={need.unit} label={`${need.title}进度`} />
    </article>
  )
}
