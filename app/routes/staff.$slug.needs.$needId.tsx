import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { ConfirmStep } from '~/components/confirm-step'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { needStatusLabels, pledgeStatusWords } from '~/needs/labels'
import { NeedForm } from '~/needs/need-form'
import { cancelNeed, closeNeed, getStaffNeed, needInputFrom, updateNeed } from '~/needs/needs.server'
import { NeedProgressBar } from '~/needs/progress-bar'
import { cancelNeedSchema, needSchema } from '~/needs/validation'
import { formatDate } from '~/utils/format'
import { invariantFound, notFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { shanghaiDateString } from '~/utils/shanghai-date'
import { refusalReply } from '~/utils/submission.server'
import { feedbackSubject } from '~/feedback-photos/feedback-photos.server'

export const meta: MetaFunction = () => pageMeta({ title: '物资需求详情', description: '机构工作人员：物资需求详情' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const found = invariantFound(getStaffNeed(institution.id, requireIdParam(params, 'needId')))
  return { ...found, slug: institution.slug, feedback: Boolean(feedbackSubject(institution.id, 'need', found.need.id)) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const needId = requireIdParam(params, 'needId')
  const actor = actorFrom(user, context)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const back = `/staff/${institution.slug}/needs/${needId}`
  if (intent === 'save') {
    const submission = parseWithZod(formData, { schema: needSchema })
    if (submission.status !== 'success') return data({ intent, result: submission.reply(), formError: null }, { status: 400 })
    const outcome = updateNeed(actor, institution.id, needId, needInputFrom(submission.value))
    if (!outcome.ok && outcome.reason === 'not_found') notFound()
    if (!outcome.ok) return data({ intent, result: refusalReply(submission, outcome), formError: null }, { status: 409 })
    return redirect(`${back}?saved=1`)
  }
  if (intent === 'close') {
    const outcome = closeNeed(actor, institution.id, needId)
    if (!outcome.ok && outcome.reason === 'not_found') notFound()
    if (!outcome.ok) return data({ intent, result: null, formError: outcome.message }, { status: 409 })
    return redirect(`${back}?closed=1`)
  }
  if (intent === 'cancel') {
    const submission = parseWithZod(formData, { schema: cancelNeedSchema })
    if (submission.status !== 'success') return data({ intent, result: submission.reply(), formError: null }, { status: 400 })
    const outcome = cancelNeed(actor, institution.id, needId, submission.value.reason)
    if (!outcome.ok && outcome.reason === 'not_found') notFound()
    if (!outcome.ok) return data({ intent, result: refusalReply(submission, outcome), formError: outcome.message }, { status: 409 })
    return redirect(`${back}?cancelled=1`)
  }
  return data({ intent, result: null, formError: '未知的操作' }, { status: 400 })
}

export default function StaffNeed() {
  const { need, progress, pledges, feedback } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const editable = need.status !== 'closed' && need.status !== 'cancelled'
  const confirmCancel = searchParams.get('confirm') === 'cancel'
  const saveResult = actionData?.intent === 'save' ? actionData.result : null
  const cancelResult = actionData?.intent === 'cancel' ? actionData.result : null
  const defaultValue = {
    title: need.title,
    category: need.category,
    itemDescription: need.itemDescription,
    specification: need.specification,
    unit: need.unit,
    quantityNeeded: String(need.quantityNeeded),
    perPledgeMax: need.perPledgeMax ? String(need.perPledgeMax) : '',
    urgency: need.urgency,
    deadline: need.deadline ? shanghaiDateString(need.deadline) : '',
    deliveryAddress: need.deliveryAddress,
    deliveryHours: need.deliveryHours,
  }
  const notice = searchParams.get('created')
    ? '物资需求已发布。'
    : searchParams.get('saved')
      ? '修改已保存。'
      : searchParams.get('closed')
        ? '需求已结束。'
        : searchParams.get('cancelled')
          ? '需求已取消，认捐人已收到通知。'
          : searchParams.get('released')
            ? '认捐已释放，认捐人已收到通知。'
            : null

  return (
    <div className="space-y-6">
      <section className="card space-y-3" aria-labelledby="need-heading">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="need-heading" className="text-xl font-semibold">
            {need.title}
          </h2>
          <Link to=".." relative="path" className="link text-sm">
            返回需求列表
          </Link>
        </div>
        {notice ? <FormMessage tone="success">{notice}</FormMessage> : null}
        {actionData && actionData.intent !== 'save' && actionData.formError ? <FormMessage>{actionData.formError}</FormMessage> : null}
        <p className="text-stone-800">
          状态：{needStatusLabels[need.status]}
          {need.deadline ? ` · 截止日期：${formatDate(need.deadline)}` : ''}
          {' · '}
          <Link to={`/needs/${need.id}`} className="link">
            查看公开页面
          </Link>
          {feedback ? (
            <>
              {' · '}
              <Link to={`../../feedback/need/${need.id}`} relative="path" className="link">
                执行反馈照片
              </Link>
            </>
          ) : null}
        </p>
        <NeedProgressBar progress={progress} unit={need.unit} label="认捐进度" />
      </section>

      <section className="card space-y-3" aria-labelledby="pledges-heading">
        <h2 id="pledges-heading" className="text-xl font-semibold">
          认捐（{pledges.length}）
        </h2>
        {pledges.length === 0 ? (
          <p className="text-stone-800">还没有认捐。</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="border-b border-stone-300">
                  <th scope="col" className="py-2 pr-3">
                    编号
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    认捐人
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    数量 / 已收到
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    预计送达
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    状态
                  </th>
                  <th scope="col" className="py-2">
                    操作
                  </th>
                </tr>
              </thead>
              <tbody>
                {pledges.map((p) => (
                  <tr key={p.id} className="border-b border-stone-200">
                    <td className="py-2 pr-3 font-mono">{p.code}</td>
                    <td className="py-2 pr-3">
                      {p.pledgerName}
                      <span className="block text-xs text-stone-700">公开显示：{p.publicName}</span>
                    </td>
                    <td className="py-2 pr-3">
                      {p.quantity} / {p.received} {need.unit}
                    </td>
                    <td className="py-2 pr-3">{formatDate(p.expectedAt)}</td>
                    <td className="py-2 pr-3">{pledgeStatusWords(p)}</td>
                    <td className="py-2">
                      {p.status === 'active' ? (
                        <Link to={`pledges/${p.id}/release`} className="link" aria-label={`释放认捐 ${p.code}`}>
                          释放…
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {editable ? (
        <>
          <section className="card space-y-4" aria-labelledby="edit-heading">
            <h2 id="edit-heading" className="text-xl font-semibold">
              修改需求
            </h2>
            <NeedForm id="edit-need" lastResult={saveResult} defaultValue={defaultValue} submitLabel="保存修改" />
          </section>

          <section className="card space-y-3" aria-labelledby="end-heading">
            <h2 id="end-heading" className="text-xl font-semibold">
              结束或取消
            </h2>
            <p className="text-sm text-stone-700">
              结束：不再接受新的认捐，已认捐的物资仍可送达。取消：需求作废，未送达的认捐一并取消并通知认捐人。
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="close" />
              <button type="submit" className="btn-secondary">
                结束需求
              </button>
            </Form>
            {confirmCancel ? (
              <ConfirmStep
                title={`确定要取消这项需求吗？${pledges.filter((p) => p.status === 'active').length} 份未完成的认捐将被取消，认捐人会收到通知。`}
                confirmLabel="确认取消需求"
                cancelTo="."
                intent="cancel"
              >
                <Field
                  label="取消原因（会告知认捐人）"
                  name="reason"
                  maxLength={200}
                  defaultValue={String(cancelResult?.initialValue?.reason ?? '')}
                  errors={cancelResult?.error?.reason}
                />
              </ConfirmStep>
            ) : (
              <Link to="?confirm=cancel" className="btn-danger inline-block">
                取消需求…
              </Link>
            )}
          </section>
        </>
      ) : null}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
