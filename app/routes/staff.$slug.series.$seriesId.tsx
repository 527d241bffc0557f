import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { formatSlotTime, recurrenceLabels, slotStatusLabels, weekdayLabels } from '~/slots/labels'
import { getStaffSeries, publishSeries, seriesFormDefaults, seriesInputFrom, updateSeries } from '~/slots/series.server'
import { SeriesForm } from '~/slots/slot-form'
import { seriesSchema } from '~/slots/validation'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '重复活动', description: '机构工作人员：编辑重复活动' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const { series, template, upcoming } = invariantFound(getStaffSeries(institution.id, requireIdParam(params, 'seriesId')))
  const day = template.recurrence === 'monthly_2nd_saturday' ? '' : weekdayLabels[template.weekday]
  return {
    series: { id: series.id, title: template.title, status: template.status, rrule: series.rrule },
    rule: `${recurrenceLabels[template.recurrence]}${day} ${template.startTime}–${template.endTime}，${template.capacity} 人`,
    upcoming: upcoming.map((s) => ({
      id: s.id,
      startsAt: s.startsAt.toISOString(),
      endsAt: s.endsAt.toISOString(),
      capacity: s.capacity,
      status: s.status,
      confirmedPeople: Number(s.confirmedPeople),
      live: Number(s.live),
    })),
    defaults: seriesFormDefaults(template),
  }
}

type ActionResult = { intent: 'save' | 'publish' | null; ok: boolean; message: string | null; result?: SubmissionResult<string[]> }

function reply(body: ActionResult, status = body.ok ? 200 : 400) {
  return data(body, { status })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const seriesId = requireIdParam(params, 'seriesId')
  invariantFound(getStaffSeries(institution.id, seriesId))
  const actor = actorFrom(user, context)
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent === 'publish-all') {
    const outcome = publishSeries(actor, institution.id, seriesId)
    return reply({
      intent: 'publish',
      ok: outcome.ok,
      message: outcome.ok ? `已发布 ${outcome.published} 场，以后新生成的场次也会自动发布` : outcome.message,
    })
  }
  if (intent !== 'save') return reply({ intent: null, ok: false, message: '未知操作' })
  const submission = parseWithZod(formData, { schema: seriesSchema })
  if (submission.status !== 'success') return reply({ intent, ok: false, message: null, result: submission.reply() })
  const outcome = updateSeries(actor, institution.id, seriesId, seriesInputFrom(submission.value))
  if (!outcome.ok) {
    return reply({ intent, ok: false, message: null, result: refusalReply(submission, outcome) })
  }
  const parts = [`已更新 ${outcome.updated} 场`]
  if (outcome.added) parts.push(`新增 ${outcome.added} 场`)
  if (outcome.removed) parts.push(`移除 ${outcome.removed} 场不再符合规则的场次`)
  if (outcome.kept) parts.push(`${outcome.kept} 场已有人预约，保持不变（如需调整请单独编辑该场）`)
  return reply({ intent, ok: true, message: `${parts.join('，')}。`, result: submission.reply() })
}

export default function SeriesPage() {
  const { series, rule, upcoming, defaults } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const created = searchParams.get('created')
  const notice =
    actionData?.message ??
    (created
      ? `重复活动已创建，已生成未来 6 个月的 ${created} 场${series.status === 'published' ? '并发布' : '（草稿，确认无误后点击「全部发布」）'}。`
      : null)
  const drafts = upcoming.filter((s) => s.status === 'draft').length
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">
          {series.title}
          <span
            className="ml-2 rounded-full bg-stone-100 px-2 py-0.5 align-middle text-sm font-normal text-stone-800"
            data-testid="series-status"
          >
            {series.status === 'published' ? '已发布' : '草稿'}
          </span>
        </h2>
        <Link to="../../slots" relative="path" className="link text-sm">
          返回活动列表
        </Link>
      </div>
      {notice ? <FormMessage tone={actionData && !actionData.ok ? 'error' : 'success'}>{notice}</FormMessage> : null}

      <section className="card space-y-2" aria-labelledby="occurrences-heading">
        <h3 id="occurrences-heading" className="font-semibold">
          {rule}：未来场次
        </h3>
        {series.status === 'draft' || drafts > 0 ? (
          <Form method="post">
            <button type="submit" name="intent" value="publish-all" className="btn-primary">
              全部发布
            </button>
          </Form>
        ) : null}
        {upcoming.length ? (
          <ul className="divide-y divide-stone-200" data-testid="series-occurrences">
            {upcoming.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <Link to={`../../slots/${s.id}`} relative="path" className="link">
                  {formatSlotTime(s.startsAt, s.endsAt)}
                </Link>
                <span className="text-sm text-stone-700">
                  {slotStatusLabels[s.status]} · 已确认 {s.confirmedPeople} / {s.capacity} 人{s.live ? ' · 有预约，修改规则时保持不变' : ''}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-stone-800">未来 6 个月没有场次。</p>
        )}
      </section>

      <section className="card space-y-3" aria-labelledby="edit-series-heading">
        <h3 id="edit-series-heading" className="font-semibold">
          修改重复规则
        </h3>
        <p className="text-sm text-stone-700">保存后，尚无人预约的未来场次会按新规则更新；已有人预约的场次保持不变。</p>
        <SeriesForm
          id={`series-${series.id}`}
          lastResult={actionData?.intent === 'save' ? actionData.result : null}
          defaultValue={defaults}
          submit={
            <button type="submit" name="intent" value="save" className="btn-primary">
              保存修改
            </button>
          }
        />
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
