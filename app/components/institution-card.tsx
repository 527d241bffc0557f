import { Link } from '@remix-run/react'

export type InstitutionSummary = { slug: string; name: string; kindLabel: string; province: string; city: string; district: string }

export function InstitutionCard({ institution }: { institution: InstitutionSummary }) {
  return (
    <li className="card">
      <Link to={`/institutions/${institution.slug}`} className="block">
        <span className="text-lg font-semibold text-brand-800 underline-offset-2 hover:underline">{institution.name}</span>
        <span className="mt-1 block text-sm text-stone-700">
          {institution.kindLabel} · {institution.province} {institution.city} {institution.district}
        </span>
      </Link>
    </li>
  )
}
