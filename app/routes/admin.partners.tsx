import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requirePlatformAdmin } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { listPartners, reviewPartner } from '~/matching/matching.server'
import { formatDateTime } from '~/utils/format'
import { parseId } from '~/utils/ids'
import { pageMeta } from '~/utils/meta'

// 平台管理：合作机构 (配捐, docs/decisions/024). The admin checks the 统一社会信用代码 against the
// national registry and verifies or refuses the application (audited).

export const meta: MetaFunction = () => pageMeta({ title: '合作机构审核', description: '平台管理：审核配捐合作机构' })

const statusLabels = { pending: '待审核', verified: '已通过', refused: '未通过' } as const

export async function loader({ request }: LoaderFunctionArgs) {
  requirePlatformAdmin(request)
  return {
    partners: listPartners().map(({ partner, applicant }) => ({
      id: partner.id,
      name: partner.name,
      registrationNo: partner.registrationNo,
      contact: `${partner.contactName} ${partner.contactPhone}`,
      description: partner.description,
      status: partner.status,
      refusalReason: partner.refusalReason,
      applicant,
      createdAt: partner.createdAt.toISOString(),
    })),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requirePlatformAdmin(request)
  const formData = await request.formData()
  const partnerId = parseId(formData.get('partnerId'))
  const intent = formData.get('intent')
  const reason = String(formData.get('reason') ?? '')
  if (partnerId === null || (intent !== 'verify' && intent !== 'refuse'))
    return data({ partnerId, message: '提交无效', reason }, { status: 400 })
  const outcome = reviewPartner(actorFrom(admin, context), partnerId, intent, reason)
  if (!outcome.ok) return data({ partnerId, message: outcome.message, reason }, { status: 400 })
  return data({ partnerId, message: null, reason: '' })
}

export default function AdminPartnersPage() {
  const { partners } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="space-y-4">
      <p>
        <Link to="/admin" className="link">
          ← 平台管理
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">合作机构审核</h1>
      <p className="text-sm text-stone-700">
        对照国家企业信用信息公示系统或全国慈善信息公开平台核对组织名称与统一社会信用代码后通过。只有通过审核的合作机构才能发起配捐。
      </p>
      {partners.length === 0 ? <p>还没有合作机构申请。</p> : null}
      <ul className="space-y-3">
        {partners.map((p) => {
          const message = actionData?.partnerId === p.id ? actionData.message : null
          return (
            <li key={p.id} className="card space-y-2" data-testid="partner-application">
              <h2 className="font-semibold">{p.name}</h2>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                <dt className="text-stone-700">统一社会信用代码</dt>
                <dd>{p.registrationNo}</dd>
                <dt className="text-stone-700">联系人</dt>
                <dd>{p.contact}</dd>
                <dt className="text-stone-700">申请账号</dt>
                <dd>{p.applicant}</dd>
                <dt className="text-stone-700">提交时间</dt>
                <dd>{formatDateTime(p.createdAt)}</dd>
                <dt className="text-stone-700">状态</dt>
                <dd>
                  {statusLabels[p.status]}
                  {p.refusalReason ? `：${p.refusalReason}` : ''}
                </dd>
              </dl>
              {p.description ? <p className="text-sm">{p.description}</p> : null}
              {p.status === 'pending' ? (
                <Form method="post" className="space-y-2">
                  <input type="hidden" name="partnerId" value={p.id} />
                  <Field
                    label="不通过的原因（不通过时必填）"
                    name="reason"
                    defaultValue={actionData?.partnerId === p.id ? actionData.reason : ''}
                    errors={message ? [message] : undefined}
                  />
                  <div className="flex flex-wrap gap-2">
                    <button type="submit" name="intent" value="verify" className="btn-primary">
                      通过审核
                    </button>
                    <button type="submit" name="intent" value="refuse" className="btn-secondary">
                      不通过
                    </button>
                  </div>
                </Form>
              ) : null}
              {actionData?.partnerId === p.id && !message ? <FormMessage tone="success">已处理</FormMessage> : null}
            </li>
          )
        })}
      </ul>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
