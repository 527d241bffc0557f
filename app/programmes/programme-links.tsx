import { Link } from '@remix-run/react'
import type { ProgrammeKind } from '~db/enums'
import { programmeKindLabels } from './labels'

// Public links to programmes (焕新乐园, 学业辅导 …) for the home page, /volunteer and an institution page.

export type ProgrammeLink = { slug: string; name: string; kind: ProgrammeKind; acceptingApplications: boolean; homeName: string }

export function ProgrammeLinks({ programmes, showHome = true }: { programmes: ProgrammeLink[]; showHome?: boolean }) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2" data-testid="programme-links">
      {programmes.map((p) => (
        <li key={p.slug} className="card space-y-1">
          <Link to={`/programmes/${p.slug}`} className="link text-lg font-semibold">
            {p.name}
          </Link>
          <p className="text-sm text-stone-700">
            {programmeKindLabels[p.kind]}
            {showHome ? ` · ${p.homeName}` : ''} · {p.acceptingApplications ? '招募志愿者中' : '暂不招募'}
          </p>
        </li>
      ))}
    </ul>
  )
}
