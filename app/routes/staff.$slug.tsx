import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, Outlet, useLoaderData } from '@remix-run/react'
import { requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { StaffNav } from '~/components/staff-nav'
import { listMembershipsOf } from '~/institutions/institutions.server'
import { roleLabels } from '~/institutions/labels'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, institution, role } = requireStaff(request, params.slug)
  return {
    institution: { slug: institution.slug, name: institution.name },
    role,
    homes: listMembershipsOf(user.id),
  }
}

export default function StaffConsole() {
  const { institution, role, homes } = useLoaderData<typeof loader>()
  const base = `/staff/${institution.slug}`
  return (
    <div className="space-y-4">
      <div className="relative flex flex-wrap items-center justify-between gap-2">
        <div>
          <p className="text-sm text-stone-700">机构后台 · {roleLabels[role]}</p>
          <h1 className="text-2xl font-semibold">{institution.name}</h1>
        </div>
        {homes.length > 1 ? (
          <details>
            <summary className="btn-secondary cursor-pointer">切换机构</summary>
            <ul className="absolute inset-x-0 z-30 mt-1 rounded-lg border border-stone-200 bg-white p-1 shadow-lg sm:left-auto sm:w-64">
              {homes.map((h) => (
                <li key={h.slug}>
                  <Link
                    to={`/staff/${h.slug}`}
                    aria-current={h.slug === institution.slug ? 'page' : undefined}
                    className="block rounded px-3 py-2 hover:bg-stone-100 aria-[current=page]:font-semibold"
                  >
                    {h.name}
                  </Link>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
      <StaffNav base={base} role={role} />
      <Outlet />
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
