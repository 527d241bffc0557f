import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { listMembershipsOf } from '~/institutions/institutions.server'
import { roleLabels } from '~/institutions/labels'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '机构后台', description: '机构工作人员后台' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const homes = listMembershipsOf(user.id)
  if (homes.length === 1 && homes[0]) throw redirect(`/staff/${homes[0].slug}`)
  return { homes }
}

export default function StaffHome() {
  const { homes } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-semibold">机构后台</h1>
      {homes.length ? (
        <ul className="mt-4 space-y-2">
          {homes.map((h) => (
            <li key={h.slug} className="card">
              <Link to={`/staff/${h.slug}`} className="link text-lg">
                {h.name}
              </Link>
              <span className="ml-2 text-sm text-stone-700">{roleLabels[h.role]}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-4 text-stone-700">您还不是任何机构的工作人员。如需加入，请向机构管理员索取邀请链接。</p>
      )}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
