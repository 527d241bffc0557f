import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { ConfirmStep } from '~/components/confirm-step'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { needStatusLabels, pledgeStatusWords } from '~/needs/labels'
import { NeedForm, type NeedFormValues } from '~/needs/need-form'
import { cancelNeed, closeNeed, getStaffNeed, parseNeedForm, updateNeed } from '~/needs/needs.server'
import { NeedProgressBar } from '~/needs/progress-bar'
import { formatDate } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { shanghaiDateString } from '~/utils/shanghai-date'

export const meta: MetaFunction = () => pageMeta({ title: '物资需求详情', description: '机构工作人员：物资需求详情' })

function needIdFrom(params: { needId?: string }): number {
  const id = Number(params.needId)
  if (!Number.isInteger(id) || id <= 0) throw new Response('Not Found', { status: 404 })
  return id
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const found = getStaffNeed(institution.id, needIdFrom(params))
  if (!found) throw new Response('Not Found', { status: 404 })
  return { ...found, slug: institution.slug }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const needId = needIdFrom(params)
  const actor = actorFrom(user, context)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const back = `/staff/${institution.slug}/needs/${needId}`
  if (intent === 'save') {
    const parsed = parseNeedForm(formData)
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values, formError: null as string | null }, { status: 400 })
    const outcome = updateNeed(actor, institution.id, needId, parsed.input)
    if (!outcome.ok) {
      const values = Object.fromEntries([...formData.entries()].map(([k, v]) => [k, String(v)])) as NeedFormValues
      return data(
        { intent, errors: outcome.field ? { [outcome.field]: [outcome.message] } : {}, values, formError: outcome.field ? null : outcome.message },
        { status: outcome.reason === 'not_found' ? 404 : 409 },
      )
    }
    return redirect(`${back}?saved=1`)
  }
  if (intent === 'close' || intent === 'cancel') {
    const outcome = intent === 'close' ? closeNeed(actor, institution.id, needId) : cancelNeed(actor, institution.id, needId, String(formData.get('reason') ?? ''))
    if (!outcome.ok) return data({ intent, errors: {}, values: {}, formError: outcome.message }, { status: 409 })
    return redirect(`${back}?${intent === 'close' ? 'closed' : 'cancelled'}=1`)
  }
  return data({ intent, errors: {}, values: {}, formError: '未知的操作' }, { status: 400 })
}

export default function StaffNeed() {
  const { need, progress, pledges } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const editable = need.status !== 'closed' && need.status !== 'cancelled'
  const confirmCancel = searchParams.get('confirm') === 'cancel'
  const saveData = actionData?.intent === 'save' ? actionData : null
  const values: NeedFormValues = saveData
    ? saveData.values
    : {
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
  const notice = searchParams.get('created') ? '物资需求已发布。' : searchParams.get('saved') ? '修改已保存。' : searchParams.get('closed') ? '需求已结束。' : searchParams.get('cancelled') ? '需求已取消，认捐人已收到通知。' : searchParams.get('released') ? '认捐已释放，认捐人已收到通知。' : null

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
                    <td className="py-2 pr-3">
                      {pledgeStatusWords(p)}
                    </td>
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
            <NeedForm values={values} errors={saveData?.errors ?? {}} formError={saveData?.formError} submitLabel="保存修改" />
          </section>

          <section className="card space-y-3" aria-labelledby="end-heading">
            <h2 id="end-heading" className="text-xl font-semibold">
              结束或取消
            </h2>
            <p className="text-sm text-stone-700">结束：不再接受新的认捐，已认捐的物资仍可送达。取消：需求作废，未送达的认捐一并取消并通知认捐人。</p>
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
                <Field label="取消原因（会告知认捐人）" name="reason" maxLength={200} />
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
