import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { listFamilies } from '~/programmes/families.server'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '家庭', description: '机构工作人员：结对家庭' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  return { families: listFamilies(institution.id).map((f) => ({ id: f.id, alias: f.alias, children: f.children.map((c) => c.pseudonym) })) }
}

export default function FamiliesIndex() {
  const { families } = useLoaderData<typeof loader>()
  return (
    <section className="space-y-4" aria-labelledby="families-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="families-heading" className="text-xl font-semibold">
          家庭
        </h2>
        <Link to="new" className="btn-primary">
          新建家庭
        </Link>
      </div>
      {families.length ? (
        <ul className="space-y-2">
          {families.map((f) => (
            <li key={f.id} className="card">
              <Link to={String(f.id)} className="link font-semibold">
                {f.alias}
              </Link>
              <p className="text-sm text-stone-700">{f.children.length ? `儿童：${f.children.join('、')}` : '未关联儿童'}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-stone-700">还没有家庭档案。</p>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
