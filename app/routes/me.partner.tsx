import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage, SelectField, TextareaField } from '~/components/forms'
import { serverReply } from '~/components/server-reply'
import { PledgeFigures, pledgeStatusLabels, pledgeTargetName } from '~/matching/pledge-figures'
import { applyForPartner, createPledge, getPartnerForUser, listPartnerPledges, pledgeTargets } from '~/matching/matching.server'
import { MATCH_RATIOS, ratioYuanLabel } from '~/matching/labels'
import { partnerApplicationSchema, pledgeSchema } from '~/matching/validation'
import { pageMeta } from '~/utils/meta'
import { shanghaiDateString } from '~/utils/shanghai-date'
import { refusalReply } from '~/utils/submission.server'

// Validated on the server only (no zod in this page's bundle: docs/architecture.md, forms).
// 合作机构 (配捐, docs/decisions/024): apply to act for an organisation; once the platform admin
// has verified it, pledge matching funds and follow their figures.

export const meta: MetaFunction = () => pageMeta({ title: '合作机构配捐', description: '以合作机构身份申请、发起配捐并查看配捐进度。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const partner = getPartnerForUser(user.id)
  return {
    partner,
    pledges: partner ? listPartnerPledges(partner.id) : [],
    targets: partner?.status === 'verified' ? pledgeTargets() : [],
    today: shanghaiDateString(new Date()),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request)
  const formData = await request.formData()
  const actor = actorFrom(user, context)
  if (formData.get('intent') === 'pledge') {
    const submission = parseWithZod(formData, { schema: pledgeSchema })
    if (submission.status !== 'success') return data({ form: 'pledge', result: submission.reply() }, { status: 400 })
    const outcome = createPledge(actor, submission.value)
    if (!outcome.ok) return data({ form: 'pledge', result: refusalReply(submission, outcome) }, { status: 400 })
    return redirect('/me/partner?pledged=1')
  }
  const submission = parseWithZod(formData, { schema: partnerApplicationSchema })
  if (submission.status !== 'success') return data({ form: 'apply', result: submission.reply() }, { status: 400 })
  const outcome = applyForPartner(actor, submission.value)
  if (!outcome.ok) return data({ form: 'apply', result: refusalReply(submission, outcome) }, { status: 400 })
  return redirect('/me/partner')
}

export default function PartnerPage() {
  const { partner, pledges, targets, today } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">合作机构配捐</h1>
      <p className="text-stone-800">
        企业或社会组织可以为一家机构或一个活动设立配捐：每有一笔善款捐入，贵机构按比例再捐一笔，直到配捐总额用完。配捐记入公开捐赠记录，贵机构按实际配捐金额向受捐机构转账。
      </p>
      {!partner || partner.status === 'refused' ? (
        <>
          {partner ? <FormMessage>申请未通过：{partner.refusalReason}。您可以修改后重新提交。</FormMessage> : null}
          <ApplyForm />
        </>
      ) : partner.status === 'pending' ? (
        <section className="card" aria-labelledby="status-title">
          <h2 id="status-title" className="font-semibold">
            {partner.name}
          </h2>
          <p data-testid="partner-status">申请已提交，等待平台审核。</p>
        </section>
      ) : (
        <>
          <section className="card space-y-1" aria-labelledby="status-title">
            <h2 id="status-title" className="font-semibold">
              {partner.name}
            </h2>
            <p data-testid="partner-status">已通过平台审核</p>
            <p>
              <Link to={`/partners/${partner.id}`} className="link">
                公开配捐页
              </Link>
            </p>
          </section>
          <PledgeForm targets={targets} today={today} />
        </>
      )}
      {pledges.length ? (
        <section aria-labelledby="pledges-title" className="space-y-3">
          <h2 id="pledges-title" className="text-xl font-semibold">
            我们的配捐
          </h2>
          <ul className="space-y-3">
            {pledges.map((row) => (
              <li key={row.pledge.id} className="card space-y-2" data-testid="partner-pledge">
                <h3 className="font-semibold">{pledgeTargetName(row)}</h3>
                <p className="text-sm text-stone-800">
                  {pledgeStatusLabels[row.pledge.status]} · 每捐 1 元配 {ratioYuanLabel(row.pledge.ratioPermille)} · {row.pledge.startsOn}{' '}
                  至 {row.pledge.endsOn}
                </p>
                <PledgeFigures pledge={row.pledge} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}

function ApplyForm() {
  const actionData = useActionData<typeof action>()
  const reply = serverReply<z.input<typeof partnerApplicationSchema>>(actionData?.form === 'apply' ? actionData.result : undefined)
  const v = reply.values
  return (
    <section className="card" aria-labelledby="apply-title">
      <h2 id="apply-title" className="font-semibold">
        申请成为合作机构
      </h2>
      <Form method="post" className="mt-3 grid gap-4" noValidate key={reply.key}>
        <input type="hidden" name="intent" value="apply" />
        <FormMessage>{reply.formErrors?.join('；')}</FormMessage>
        <Field label="组织名称" name="name" defaultValue={v.name ?? ''} errors={reply.errors('name')} />
        <Field
          label="统一社会信用代码"
          hint="18 位，见营业执照或登记证书"
          name="registrationNo"
          defaultValue={v.registrationNo ?? ''}
          errors={reply.errors('registrationNo')}
        />
        <Field
          label="联系人"
          hint="仅平台和受捐机构可见"
          name="contactName"
          defaultValue={v.contactName ?? ''}
          errors={reply.errors('contactName')}
        />
        <Field
          label="联系电话"
          hint="仅平台和受捐机构可见"
          type="tel"
          name="contactPhone"
          defaultValue={v.contactPhone ?? ''}
          errors={reply.errors('contactPhone')}
        />
        <TextareaField
          label="公开简介（可选）"
          hint="显示在公开配捐页，不要写个人姓名或电话"
          name="description"
          defaultValue={v.description ?? ''}
          errors={reply.errors('description')}
        />
        <button type="submit" className="btn-primary">
          提交申请
        </button>
      </Form>
    </section>
  )
}

function PledgeForm({ targets, today }: { targets: Array<{ value: string; label: string }>; today: string }) {
  const actionData = useActionData<typeof action>()
  const reply = serverReply<z.input<typeof pledgeSchema>>(actionData?.form === 'pledge' ? actionData.result : undefined)
  const v = reply.values
  return (
    <section className="card" aria-labelledby="pledge-title">
      <h2 id="pledge-title" className="font-semibold">
        发起配捐
      </h2>
      <p className="text-sm text-stone-700">只匹配善款捐赠。受捐机构负责人确认后生效。</p>
      <Form method="post" className="mt-3 grid gap-4 sm:grid-cols-2" noValidate key={reply.key}>
        <input type="hidden" name="intent" value="pledge" />
        <FormMessage>{reply.formErrors?.join('；')}</FormMessage>
        <SelectField
          className="sm:col-span-2"
          label="配捐对象"
          name="target"
          defaultValue={v.target ?? ''}
          options={[{ value: '', label: '请选择' }, ...targets]}
          errors={reply.errors('target')}
        />
        <SelectField
          label="配捐比例"
          name="ratioPermille"
          defaultValue={v.ratioPermille ?? '1000'}
          options={MATCH_RATIOS.map((r) => ({ value: String(r), label: `每捐 1 元，配捐 ${ratioYuanLabel(r)}` }))}
          errors={reply.errors('ratioPermille')}
        />
        <Field label="配捐总额（元）" inputMode="decimal" name="capFen" defaultValue={v.capFen ?? ''} errors={reply.errors('capFen')} />
        <Field
          label="单笔配捐上限（元）"
          hint="一笔捐款最多配捐的金额"
          inputMode="decimal"
          name="perGiftCapFen"
          defaultValue={v.perGiftCapFen ?? ''}
          errors={reply.errors('perGiftCapFen')}
        />
        <Field label="开始日期" type="date" name="startsOn" defaultValue={v.startsOn ?? today} errors={reply.errors('startsOn')} />
        <Field label="结束日期" type="date" name="endsOn" defaultValue={v.endsOn ?? today} errors={reply.errors('endsOn')} />
        <button type="submit" className="btn-primary sm:col-span-2">
          发起配捐
        </button>
      </Form>
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
