import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { wishStatuses, type WishStatus } from '~db/enums'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { categoryLabels, wishStatusLabels } from '~/wishes/labels'
import { bulkWishesSchema } from '~/wishes/wish-validation'
import { listStaffWishes, publishWishes, withdrawWish } from '~/wishes/wishes.server'

export const meta: MetaFunction = () => pageMeta({ title: '微心愿管理', description: '机构工作人员：微心愿' })

function statusFrom(value: string | null): WishStatus | null {
  return value && (wishStatuses as readonly string[]).includes(value) ? (value as WishStatus) : null
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const status = statusFrom(new URL(request.url).searchParams.get('status'))
  return { status, wishes: listStaffWishes(institution.id, { status }) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: bulkWishesSchema })
  if (submission.status !== 'success') {
    const messages = [...new Set(Object.values(submission.error ?? {}).flatMap((e) => e ?? []))]
    return data({ ok: false, messages }, { status: 400 })
  }
  const { intent, wishIds: ids } = submission.value
  const actor = actorFrom(user, context)
  if (intent === 'publish') {
    const outcome = publishWishes(actor, institution.id, ids)
    const messages = [
      ...(outcome.published.length ? [`已发布 ${outcome.published.length} 个心愿`] : []),
      ...outcome.refused.map((r) => `「${r.title}」未发布：${r.message}`),
    ]
    return data({ ok: outcome.refused.length === 0, messages }, { status: outcome.published.length ? 200 : 400 })
  }
  const messages: string[] = []
  let withdrawn = 0
  for (const id of ids) {
    const outcome = withdrawWish(actor, institution.id, id)
    if (outcome.ok) withdrawn++
    else messages.push(`心愿 #${id} 未撤回：${outcome.message}`)
  }
  if (withdrawn) messages.unshift(`已撤回 ${withdrawn} 个心愿`)
  return data({ ok: withdrawn === ids.length, messages }, { status: withdrawn ? 200 : 400 })
}

const filters: Array<{ value: WishStatus | null; label: string }> = [
  { value: null, label: '全部' },
  ...wishStatuses.map((s) => ({ value: s, label: wishStatusLabels[s] })),
]

export default function StaffWishes() {
  const { status, wishes } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const selectable = (s: WishStatus) => s === 'draft' || s === 'published' || s === 'claimed'
  return (
    <section className="space-y-4" aria-labelledby="wishes-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="wishes-heading" className="text-xl font-semibold">
          微心愿
        </h2>
        <Link to="new" className="btn-primary">
          新建心愿
        </Link>
      </div>
      <nav aria-label="按状态筛选">
        <ul className="flex flex-wrap gap-1 text-sm">
          {filters.map((f) => (
            <li key={f.label}>
              <Link
                to={f.value ? `?status=${f.value}` : '.'}
                aria-current={status === f.value ? 'page' : undefined}
                className="inline-block rounded-full border border-stone-300 px-3 py-1 text-stone-800 aria-[current=page]:border-brand-700 aria-[current=page]:bg-brand-50 aria-[current=page]:font-semibold"
              >
                {f.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {actionData ? (
        <FormMessage tone={actionData.ok ? 'success' : 'error'}>
          <ul>
            {actionData.messages.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </FormMessage>
      ) : null}
      {wishes.length ? (
        <Form method="post" className="space-y-3">
          <ul className="divide-y divide-stone-200 rounded-lg border border-stone-200 bg-white" data-testid="staff-wish-list">
            {wishes.map((w) => (
              <li key={w.id} className="flex gap-3 p-3" data-testid={`staff-wish-${w.id}`}>
                <div className="pt-1">
                  {selectable(w.status) ? (
                    <input type="checkbox" name="wishIds" value={w.id} aria-label={`选择「${w.title}」`} className="h-5 w-5" />
                  ) : (
                    <span className="inline-block h-5 w-5" aria-hidden="true" />
                  )}
                </div>
                <div className="min-w-0 flex-1 space-y-1">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <Link to={String(w.id)} className="link font-medium">
                      {w.title}
                    </Link>
                    <span className="rounded-full bg-stone-100 px-2 py-0.5 text-sm text-stone-800">{wishStatusLabels[w.status]}</span>
                  </div>
                  <p className="text-sm text-stone-700">
                    {w.pseudonym}（化名）· {w.ageBand} · {categoryLabels[w.category]}
                    {w.campaignName ? ` · ${w.campaignName}` : ''}
                  </p>
                  {w.pendingPrivacyFlags ? (
                    <p className="text-sm font-medium text-amber-900">隐私提示 {w.pendingPrivacyFlags} 条待处理</p>
                  ) : null}
                  {w.status === 'claimed' && w.deliverBy ? (
                    <p className="text-sm text-stone-700">
                      包裹编号 <span className="font-mono">{w.referenceCode}</span> · 送达期限 {formatDateTime(w.deliverBy)}
                    </p>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
          <div className="flex flex-wrap gap-2">
            <button type="submit" name="intent" value="publish" className="btn-primary">
              发布所选草稿
            </button>
            <button type="submit" name="intent" value="withdraw" className="btn-danger">
              撤回所选心愿
            </button>
          </div>
          <p className="text-sm text-stone-700">撤回已认领的心愿会取消认领，并通知爱心人士。</p>
        </Form>
      ) : (
        <p className="card text-stone-700">{status ? `没有“${wishStatusLabels[status]}”的心愿。` : '还没有心愿。'}</p>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
