import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, FormMessage, SelectField } from '~/components/forms'
import { DisclosureSummaryView } from '~/disclosures/summary-view'
import {
  draftDisclosure,
  draftRowOfHome,
  listDisclosuresOfHome,
  parsePeriodKey,
  periodContaining,
  publishBlockedReason,
  publishDisclosure,
  saveDraftDisclosure,
} from '~/disclosures/disclosures.server'
import { draftDisclosureSchema, publishDisclosureSchema } from '~/disclosures/validation'
import { now } from '~/utils/clock.server'
import { formatDateTime } from '~/utils/format'
import { parseId } from '~/utils/ids'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

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
  const id = parseId(new URL(request.url).searchParams.get('id'))
  const row = id ? draftRowOfHome(institution.id, id) : undefined
  let preview = null
  if (row && row.status === 'draft') {
    const draft = draftDisclosure(institution.id, row.period, row.periodStart)
    preview = draft.ok
      ? { id: row.id, label: row.label, summary: draft.summary, publishBlocked: publishBlockedReason(draft.summary) }
      : null
  }
  return {
    slug: institution.slug,
    isManager: role === 'manager',
    choices: periodChoices(),
    preview,
    publishedId: row && row.status === 'published' ? row.id : null,
    rows: listDisclosuresOfHome(institution.id).map((r) => ({
      id: r.id,
      label: r.label,
      status: r.status,
      publishedAt: r.publishedAt ? formatDateTime(r.publishedAt) : null,
    })),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const actor = actorFrom(user, context)
  if (intent === 'draft') {
    const submission = parseWithZod(formData, { schema: draftDisclosureSchema })
    if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
    const range = parsePeriodKey(submission.value.period)
    if (!range) return data({ intent, result: refusalReply(submission, { message: '请选择公示期间', field: 'period' }) }, { status: 400 })
    const saved = saveDraftDisclosure(actor, institution.id, range.period, range.start)
    if (!saved.ok) return data({ intent, result: refusalReply(submission, { message: saved.message, field: 'period' }) }, { status: 409 })
    return redirect(`/staff/${institution.slug}/disclosures?id=${saved.disclosureId}`)
  }
  if (intent === 'publish') {
    const submission = parseWithZod(formData, { schema: publishDisclosureSchema })
    if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
    const published = publishDisclosure(actor, institution.id, submission.value.disclosureId)
    if (!published.ok) return data({ intent, result: refusalReply(submission, { message: published.message }) }, { status: 409 })
    return redirect(`/staff/${institution.slug}/disclosures?id=${published.disclosureId}`)
  }
  return data({ intent, result: null }, { status: 400 })
}

export default function StaffDisclosuresPage() {
  const { isManager, choices, preview, publishedId, rows } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const errors = actionData?.result?.error
  const formError = actionData ? (actionData.result ? errors?.['']?.join('；') : '未知操作') : null
  const draftErrors = actionData?.intent === 'draft' ? errors?.period : undefined
  const publishErrors = actionData?.intent === 'publish' ? [...(errors?.disclosureId ?? []), ...(errors?.confirm ?? [])] : []
  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-xl font-semibold">公示</h2>
        <p className="mt-1 text-sm text-stone-700">
          按月或按季度，根据公开捐赠记录自动生成公示草稿；管理员核对后发布。发布后公示冻结，不可修改，之后的更正会作为“更正说明”出现在下一期公示中。
        </p>
      </div>
      <FormMessage>{formError}</FormMessage>
      {publishedId ? (
        <FormMessage tone="success">
          公示已发布。{' '}
          <Link to={`/disclosures/${publishedId}`} className="link">
            查看公开页面
          </Link>
        </FormMessage>
      ) : null}

      <section aria-labelledby="new-draft" className="card space-y-3">
        <h3 id="new-draft" className="text-lg font-semibold">
          生成草稿
        </h3>
        <Form method="post" className="flex flex-wrap items-end gap-3">
          <input type="hidden" name="intent" value="draft" />
          <SelectField
            label="公示期间"
            name="period"
            options={choices}
            defaultValue={String(
              actionData?.intent === 'draft' ? (actionData.result?.initialValue?.period ?? choices[0]?.value) : choices[0]?.value,
            )}
            errors={draftErrors}
          />
          <button type="submit" className="btn-secondary" disabled={busy}>
            生成草稿并预览
          </button>
        </Form>
      </section>

      {preview ? (
        <section aria-labelledby="preview" className="space-y-4">
          <h3 id="preview" className="text-lg font-semibold">
            草稿预览：{preview.label}
          </h3>
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
                <input
                  type="checkbox"
                  name="confirm"
                  value="yes"
                  required
                  className="mt-1"
                  aria-invalid={publishErrors.length ? true : undefined}
                  aria-describedby={publishErrors.length ? 'confirm-error' : undefined}
                />
                <span>我已核对以上内容。发布后公示冻结，不能修改或删除。</span>
              </label>
              <ErrorList id="confirm-error" errors={publishErrors} />
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
        <h3 id="all-disclosures" className="text-lg font-semibold">
          本机构的公示
        </h3>
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
