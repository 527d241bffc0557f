import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { cadenceLabels, programmeKindLabels } from '~/programmes/labels'
import { listProgrammes } from '~/programmes/programmes.server'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '项目', description: '机构工作人员：结对项目' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  return {
    programmes: listProgrammes(institution.id).map((p) => ({
      id: p.id,
      slug: p.slug,
      name: p.name,
      kind: p.kind,
      cadence: p.cadence,
      plannedVisits: p.plannedVisits,
    })),
  }
}

export default function ProgrammesIndex() {
  const { programmes } = useLoaderData<typeof loader>()
  return (
    <section className="space-y-4" aria-labelledby="programmes-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="programmes-heading" className="text-xl font-semibold">
          项目
        </h2>
        <Link to="new" className="btn-primary">
          新建项目
        </Link>
      </div>
      {programmes.length ? (
        <ul className="space-y-2">
          {programmes.map((p) => (
            <li key={p.id} className="card">
              <Link to={String(p.id)} className="link font-semibold">
                {p.name}
              </Link>
              <p className="text-sm text-stone-700">
                {programmeKindLabels[p.kind]} · {cadenceLabels[p.cadence]} · 计划 {p.plannedVisits} 次 ·{' '}
                <Link to={`/programmes/${p.slug}`} className="link">
                  公开页面
                </Link>
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-stone-700">还没有项目。</p>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
