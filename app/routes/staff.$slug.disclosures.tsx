import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage, SelectField } from '~/components/forms'
import { DisclosureSummaryView } from '~/disclosures/summary-view'
import { draftDisclosure, draftRowOfHome, listDisclosuresOfHome, parsePeriodKey, periodContaining, publishBlockedReason, publishDisclosure, saveDraftDisclosure } from '~/disclosures/disclosures.server'
import { now } from '~/utils/clock.server'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '公示', description: '编制并发布捐赠公示' })

/** The last 6 months and 4 quarters (Asia/Shanghai), newest first, as choices for a draft. */
function periodChoices() {
  const choices: Array<{ value: string; label: string }> = []
  let at = now()
  for (let i = 0; i < 6; i++) {
    const p = periodContaining('month', at)
    choices.push({ value: p.key, label: `${p.label}（月度）` })
    at = new Date(p.start.getTime() - 1)
  }
  at = now()
  for (let i = 0; i < 4; i++) {
    const p = periodContaining('quarter', at)
    choices.push({ value: p.key, label: `${p.label}（季度）` })
    at = new Date(p.start.getTime() - 1)
  }
  return choices
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution, role } = requireStaff(request, params.slug)
  const id = Number(new URL(request.url).searchParams.get('id') ?? '')
  const row = Number.isSafeInteger(id) && id > 0 ? draftRowOfHome(institution.id, id) : undefined
  let preview = null
  if (row && row.status === 'draft') {
    const draft = draftDisclosure(institution.id, row.period, row.periodStart)
    preview = draft.ok ? { id: row.id, label: row.label, summary: draft.summary, publishBlocked: publishBlockedReason(draft.summary) } : null
  }
  return {
    slug: institution.slug,
    isManager: role === 'manager',
    choices: periodChoices(),
    preview,
    publishedId: row && row.status === 'published' ? row.id : null,
    rows: listDisclosuresOfHome(institution.id).map((r) => ({ id: r.id, label: r.label, status: r.status, publishedAt: r.publishedAt ? formatDateTime(r.publishedAt) : null })),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const actor = actorFrom(user, context)
  if (intent === 'draft') {
    const range = parsePeriodKey(String(formData.get('period') ?? ''))
    if (!range) return data({ message: '请选择公示期间', field: 'period' }, { status: 400 })
    const saved = saveDraftDisclosure(actor, institution.id, range.period, range.start)
    if (!saved.ok) return data({ message: saved.message, field: 'period' }, { status: 409 })
    return redirect(`/staff/${institution.slug}/disclosures?id=${saved.disclosureId}`)
  }
  if (intent === 'publish') {
    const id = Number(formData.get('disclosureId'))
    if (formData.get('confirm') !== 'yes') return data({ message: '请先勾选“我已核对以上内容”再发布', field: 'confirm' }, { status: 400 })
    const published = publishDisclosure(actor, institution.id, id)
    if (!published.ok) return data({ message: published.message, field: null }, { status: 409 })
    return redirect(`/staff/${institution.slug}/disclosures?id=${published.disclosureId}`)
  }
  return data({ message: '未知操作', field: null }, { status: 400 })
}

export default function StaffDisclosuresPage() {
  const { isManager, choices, preview, publishedId, rows } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-xl font-semibold">公示</h2>
        <p className="mt-1 text-sm text-stone-700">按月或按季度，根据公开捐赠记录自动生成公示草稿；管理员核对后发布。发布后公示冻结，不可修改，之后的更正会作为“更正说明”出现在下一期公示中。</p>
      </div>
      {actionData?.message ? <FormMessage>{actionData.message}</FormMessage> : null}
      {publishedId ? (
        <FormMessage tone="success">
          公示已发布。{' '}
          <Link to={`/disclosures/${publishedId}`} className="link">
            查看公开页面
          </Link>
        </FormMessage>
      ) : null}

      <section aria-labelledby="new-draft" className="card space-y-3">
        <h3 id="new-draft" className="text-lg font-semibold">生成草稿</h3>
        <Form method="post" className="flex flex-wrap items-end gap-3">
          <input type="hidden" name="intent" value="draft" />
          <SelectField label="公示期间" name="period" options={choices} defaultValue={choices[0]?.value} errors={actionData?.field === 'period' ? [actionData.message] : undefined} />
          <button type="submit" className="btn-secondary" disabled={busy}>
            生成草稿并预览
          </button>
        </Form>
      </section>

      {preview ? (
        <section aria-labelledby="preview" className="space-y-4">
          <h3 id="preview" className="text-lg font-semibold">草稿预览：{preview.label}</h3>
          <DisclosureSummaryView summary={preview.summary} headingLevel={4} />
          {preview.publishBlocked ? (
            <p role="alert" data-testid="publish-blocked" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900">
              {preview.publishBlocked}
            </p>
          ) : isManager ? (
            <Form method="post" className="card space-y-3">
              <input type="hidden" name="intent" value="publish" />
              <input type="hidden" name="disclosureId" value={preview.id} />
              <label className="flex items-start gap-2">
                <input type="checkbox" name="confirm" value="yes" required className="mt-1" aria-invalid={actionData?.field === 'confirm' || undefined} />
                <span>我已核对以上内容。发布后公示冻结，不能修改或删除。</span>
              </label>
              <button type="submit" className="btn-primary" disabled={busy}>
                发布公示
              </button>
            </Form>
          ) : (
            <p className="text-sm text-stone-700">只有机构管理员可以发布公示。</p>
          )}
        </section>
      ) : null}

      <section aria-labelledby="all-disclosures" className="space-y-2">
        <h3 id="all-disclosures" className="text-lg font-semibold">本机构的公示</h3>
        {rows.length ? (
          <ul className="divide-y divide-stone-200 rounded border border-stone-200">
            {rows.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 p-3">
                <span>
                  {r.label} · {r.status === 'published' ? `已发布（${r.publishedAt}）` : '草稿'}
                </span>
                {r.status === 'published' ? (
                  <Link to={`/disclosures/${r.id}`} className="link">
                    查看公示
                  </Link>
                ) : (
                  <Link to={`?id=${r.id}`} className="link">
                    预览草稿
                  </Link>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-stone-700">还没有公示。</p>
        )}
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
