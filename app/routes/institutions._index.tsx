import type { MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { InstitutionCard } from '~/components/institution-card'
import { institutionKindLabels, listInstitutions } from '~/institutions/institutions.server'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '机构', description: '在微暖发布心愿与需求的儿童福利机构、救助站与社会组织。' })

export async function loader() {
  return { homes: listInstitutions().map((i) => ({ ...i, kindLabel: institutionKindLabels[i.kind] })) }
}

export default function InstitutionsPage() {
  const { homes } = useLoaderData<typeof loader>()
  return (
    <div>
      <h1 className="text-2xl font-semibold">机构</h1>
      <p className="mt-1 text-stone-700">共 {homes.length} 家机构</p>
      <ul className="mt-4 grid gap-3 sm:grid-cols-2">
        {homes.map((h) => (
          <InstitutionCard key={h.slug} institution={h} />
        ))}
      </ul>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
