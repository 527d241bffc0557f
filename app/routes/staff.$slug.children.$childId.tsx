import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { ChildForm } from '~/children/child-form'
import { archiveChild, getChild, listWishesOfChild, updateChild } from '~/children/children.server'
import { childSchema } from '~/children/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { now } from '~/utils/clock.server'
import { formatDate } from '~/utils/format'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { ageBand, categoryLabels, wishStatusLabels } from '~/wishes/labels'

// Staff-only: the page title and meta carry no name, only "儿童档案".
export const meta: MetaFunction = () => pageMeta({ title: '儿童档案', description: '机构工作人员：儿童档案' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const child = invariantFound(getChild(institution.id, requireIdParam(params, 'childId')))
  return {
    child: {
      id: child.id,
      realName: child.realName,
      birthDate: child.birthDate,
      gender: child.gender,
      pseudonym: child.pseudonym,
      privateNotes: child.privateNotes,
      archivedAt: child.archivedAt?.toISOString() ?? null,
      ageBand: ageBand(child.birthDate, now()),
    },
    wishes: listWishesOfChild(institution.id, child.id),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const childId = requireIdParam(params, 'childId')
  invariantFound(getChild(institution.id, childId))
  const formData = await request.formData()
  const actor = actorFrom(user, context)
  if (formData.get('intent') === 'archive') {
    const outcome = archiveChild(actor, institution.id, childId)
    if (!outcome.ok) return data({ intent: 'archive' as const, result: null, message: outcome.message, ok: false }, { status: 400 })
    const n = outcome.withdrawnWishIds.length
    return data({ intent: 'archive' as const, result: null, message: n ? `档案已归档，${n} 个进行中的心愿已撤回` : '档案已归档', ok: true })
  }
  const submission = parseWithZod(formData, { schema: childSchema })
  if (submission.status !== 'success')
    return data({ intent: 'save' as const, result: submission.reply(), message: null, ok: false }, { status: 400 })
  const outcome = updateChild(actor, institution.id, childId, submission.value)
  if (!outcome.ok) {
    return data({ intent: 'save' as const, result: refusalReply(submission, outcome), message: null, ok: false }, { status: 400 })
  }
  return data({ intent: 'save' as const, result: submission.reply(), message: '档案已保存', ok: true })
}

export default function ChildPage() {
  const { child, wishes } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const notice = actionData?.message ?? (searchParams.get('created') ? '档案已创建' : null)
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">
          {child.pseudonym}（化名）<span className="ml-2 text-base font-normal text-stone-700">{child.ageBand}</span>
        </h2>
        <Link to=".." relative="path" className="link text-sm">
          返回档案列表
        </Link>
      </div>
      {notice ? <FormMessage tone={actionData && !actionData.ok ? 'error' : 'success'}>{notice}</FormMessage> : null}
      {child.archivedAt ? (
        <p className="card text-stone-800">该档案已于 {formatDate(child.archivedAt)} 归档，不能再为其发布心愿。</p>
      ) : null}

      <section className="card space-y-3" aria-labelledby="child-wishes-heading">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 id="child-wishes-heading" className="font-semibold">
            TA 的心愿
          </h3>
          {child.archivedAt ? null : (
            <Link to={`../../wishes/new?childId=${child.id}`} relative="path" className="btn-secondary">
              为 TA 新建心愿
            </Link>
          )}
        </div>
        {wishes.length ? (
          <ul className="divide-y divide-stone-200">
            {wishes.map((w) => (
              <li key={w.id} className="flex flex-wrap justify-between gap-2 py-2">
                <Link to={`../../wishes/${w.id}`} relative="path" className="link">
                  {w.title}
                </Link>
                <span className="text-sm text-stone-700">
                  {categoryLabels[w.category]} · {wishStatusLabels[w.status]}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-stone-700">还没有心愿。</p>
        )}
      </section>

      <section className="card space-y-3" aria-labelledby="edit-child-heading">
        <h3 id="edit-child-heading" className="font-semibold">
          编辑档案
        </h3>
        <ChildForm
          id={`child-${child.id}`}
          lastResult={actionData?.intent === 'save' ? actionData.result : null}
          defaultValue={{
            realName: child.realName,
            birthDate: child.birthDate,
            gender: child.gender,
            pseudonym: child.pseudonym,
            privateNotes: child.privateNotes,
          }}
          submitLabel="保存修改"
        />
      </section>

      {child.archivedAt ? null : (
        <section className="card space-y-2" aria-labelledby="archive-heading">
          <h3 id="archive-heading" className="font-semibold">
            孩子已离院
          </h3>
          <p className="text-sm text-stone-700">
            归档后档案保留但不再显示在在院列表中；TA 所有未送达的心愿将被撤回，已认领的爱心人士会收到通知。
          </p>
          <Form method="post">
            <button type="submit" name="intent" value="archive" className="btn-danger">
              归档档案
            </button>
          </Form>
        </section>
      )}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
