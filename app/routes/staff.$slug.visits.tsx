import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage, SelectField, TextareaField } from '~/components/forms'
import { notFound } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { visitActivityLabels, visitStatusLabels } from '~/visits/labels'
import { staffVisitActionSchema } from '~/visits/staff-validation'
import { assignSubstitute, confirmVisit, queryVisit, staffVisitsDashboard } from '~/visits/visits.server'

export const meta: MetaFunction = () => pageMeta({ title: '结对走访', description: '确认志愿者的走访记录、查看结对进度和逾期情况。' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  return { slug: institution.slug, ...staffVisitsDashboard(institution.id) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const formData = await request.formData()
  const target = `${String(formData.get('intent') ?? '')}:${String(formData.get('visitId') ?? formData.get('pairingId') ?? '')}`
  const submission = parseWithZod(formData, { schema: staffVisitActionSchema })
  if (submission.status !== 'success') {
    const message = Object.values(submission.error ?? {}).flatMap((e) => e ?? [])[0] ?? '提交无效'
    const typed = submission.payload.queryNote
    return data({ target, message, queryNote: typeof typed === 'string' ? typed : '' }, { status: 400 })
  }
  const input = submission.value
  const actor = actorFrom(user, context)
  const outcome =
    input.intent === 'confirm'
      ? confirmVisit(actor, institution.id, input.visitId)
      : input.intent === 'query'
        ? queryVisit(actor, institution.id, input.visitId, input.queryNote)
        : assignSubstitute(actor, institution.id, input.pairingId, input.userId)
  if (!outcome.ok) {
    if (outcome.reason === 'not_found') notFound()
    return data(
      { target, message: outcome.message, queryNote: input.intent === 'query' ? input.queryNote : '' },
      { status: outcome.reason === 'invalid' ? 400 : 409 },
    )
  }
  return redirect(`/staff/${institution.slug}/visits`)
}

export default function StaffVisitsPage() {
  const { pending, pairings, candidates } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const messageFor = (target: string) => (actionData?.target === target ? actionData.message : undefined)
  const overdue = pairings.filter((p) => p.progress.overdueDays > 0)
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">结对走访</h1>

      <section aria-labelledby="pending-title" className="space-y-3">
        <h2 id="pending-title" className="text-xl font-semibold">
          待确认的走访（{pending.filter((v) => v.status === 'logged').length}）
        </h2>
        {pending.length === 0 ? <p className="text-stone-800">没有待确认的走访记录。</p> : null}
        <ul className="space-y-4">
          {pending.map((v) => (
            <li key={v.id} id={`visit-${v.id}`} className="card space-y-2" data-testid="pending-visit">
              <h3 className="font-semibold">
                {v.pairingTitle} · {v.visitedOn}
              </h3>
              <p className="text-sm text-stone-800">
                {v.durationMinutes} 分钟 · {v.activities.map((a) => visitActivityLabels[a]).join('、')} · 参加：{v.attendees.join('、')} ·
                记录人：{v.loggedBy ?? '—'}
              </p>
              <p className="text-sm font-medium">{visitStatusLabels[v.status]}</p>
              {v.note ? <p className="whitespace-pre-line text-sm text-stone-900">记录：{v.note}</p> : null}
              {v.followUp ? (
                <p className="whitespace-pre-line rounded-lg border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
                  需跟进（仅工作人员可见）：{v.followUp}
                </p>
              ) : null}
              {v.status === 'queried' ? <p className="text-sm text-stone-800">已提出疑问：{v.queryNote}，等待志愿者补充。</p> : null}
              <FormMessage>{messageFor(`confirm:${v.id}`) ?? messageFor(`query:${v.id}`)}</FormMessage>
              {v.status === 'logged' ? (
                <div className="space-y-3">
                  <Form method="post" preventScrollReset>
                    <input type="hidden" name="visitId" value={v.id} />
                    <button type="submit" name="intent" value="confirm" className="btn-primary" disabled={busy}>
                      确认走访
                    </button>
                  </Form>
                  <Form method="post" preventScrollReset className="space-y-2" noValidate>
                    <input type="hidden" name="visitId" value={v.id} />
                    <TextareaField
                      label="疑问说明"
                      id={`query-${v.id}`}
                      name="queryNote"
                      maxLength={500}
                      defaultValue={actionData?.target === `query:${v.id}` ? actionData.queryNote : ''}
                      hint="志愿者会收到通知，修改后重新提交"
                    />
                    <button type="submit" name="intent" value="query" className="btn-secondary" disabled={busy}>
                      提出疑问
                    </button>
                  </Form>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="overdue-title" className="space-y-3">
        <h2 id="overdue-title" className="text-xl font-semibold">
          逾期的结对（{overdue.length}）
        </h2>
        {overdue.length === 0 ? (
          <p className="text-stone-800">没有逾期的结对。</p>
        ) : (
          <ul className="list-disc space-y-1 pl-5">
            {overdue.map((p) => (
              <li key={p.id}>
                {p.title}：应在 {p.progress.nextDueOn} 前走访，已逾期 {p.progress.overdueDays} 天
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="progress-title" className="space-y-3">
        <h2 id="progress-title" className="text-xl font-semibold">
          结对进度
        </h2>
        {pairings.length === 0 ? <p className="text-stone-800">还没有进行中的结对。</p> : null}
        <ul className="space-y-4">
          {pairings.map((p) => (
            <li key={p.id} id={`pairing-${p.id}`} className="card space-y-2">
              <h3 className="font-semibold">{p.title}</h3>
              <p className="text-lg font-bold text-brand-800" data-testid="staff-pairing-progress">
                {p.progress.label}
              </p>
              <p className="text-sm text-stone-800">
                团队：{p.team.map((m) => `${m.displayName}${m.role === 'lead' ? '（带队）' : ''}`).join('、')}
                {p.progress.nextDueOn ? ` · 下次走访 ${p.progress.nextDueOn} 前` : ''}
                {p.status === 'paused' ? ' · 已暂停' : ''}
              </p>
              {p.substitute ? <p className="text-sm text-stone-800">下一次走访的替班志愿者：{p.substitute}</p> : null}
              {p.status === 'active' ? (
                <Form method="post" preventScrollReset className="space-y-2" noValidate>
                  <input type="hidden" name="pairingId" value={p.id} />
                  <FormMessage>{messageFor(`substitute:${p.id}`)}</FormMessage>
                  <SelectField
                    label="安排替班志愿者（仅下一次走访）"
                    id={`substitute-${p.id}`}
                    name="userId"
                    options={[
                      { value: '', label: '请选择' },
                      ...candidates.map((c) => ({ value: String(c.userId), label: `${c.realName}（${c.displayName}）` })),
                    ]}
                  />
                  <button type="submit" name="intent" value="substitute" className="btn-secondary" disabled={busy}>
                    安排替班
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
