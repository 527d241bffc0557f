import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireStaff } from '~/auth/auth.server'
import { listChildren } from '~/children/children.server'
import { genderLabels } from '~/children/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { formatDate } from '~/utils/format'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '儿童档案', description: '机构工作人员：儿童档案' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const archived = new URL(request.url).searchParams.get('archived') === '1'
  return { archived, children: listChildren(institution.id, { archived }) }
}

export default function ChildrenList() {
  const { archived, children } = useLoaderData<typeof loader>()
  return (
    <section className="space-y-4" aria-labelledby="children-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="children-heading" className="text-xl font-semibold">
          儿童档案
        </h2>
        <Link to="new" className="btn-primary">
          新建档案
        </Link>
      </div>
      <p className="text-sm text-stone-700">档案中的真实姓名、出生日期和备注仅本机构工作人员可见；公开页面只显示化名与年龄段。</p>
      <nav aria-label="档案筛选">
        <ul className="flex gap-2 text-sm">
          <li>
            <Link to="." aria-current={!archived ? 'page' : undefined} className="btn-secondary aria-[current=page]:font-semibold">
              在院儿童
            </Link>
          </li>
          <li>
            <Link to="?archived=1" aria-current={archived ? 'page' : undefined} className="btn-secondary aria-[current=page]:font-semibold">
              已归档
            </Link>
          </li>
        </ul>
      </nav>
      {children.length ? (
        <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white" data-testid="children-list">
          {children.map((c) => (
            <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 p-3">
              <div>
                <Link to={String(c.id)} className="link font-medium">
                  {c.pseudonym}（化名）
                </Link>
                <span className="ml-2 text-sm text-stone-700">
                  {c.realName} · {genderLabels[c.gender]} · {c.ageBand}
                </span>
              </div>
              <span className="text-sm text-stone-700">
                {c.archivedAt ? `归档于 ${formatDate(c.archivedAt)}` : `进行中的心愿 ${c.openWishes} 个`}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="card text-stone-700">{archived ? '没有已归档的档案。' : '还没有儿童档案。'}</p>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
