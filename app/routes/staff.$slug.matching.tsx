import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { ratioYuanLabel } from '~/matching/labels'
import { decidePledge, listHomePledges, recordSettlement, reverseSettlement } from '~/matching/matching.server'
import { PledgeFigures, pledgeStatusLabels, pledgeTargetName } from '~/matching/pledge-figures'
import { settlementReversalSchema, settlementSchema } from '~/matching/validation'
import { formatFen } from '~/utils/format'
import { invariantResponse } from '~/utils/http.server'
import { parseId } from '~/utils/ids'
import { pageMeta } from '~/utils/meta'
import { shanghaiDateString } from '~/utils/shanghai-date'

// 配捐 at a home (docs/decisions/024): the manager accepts or declines pledges to this home;
// staff record the partner's bank transfers (append-only, reversed by a negative row).

export const meta: MetaFunction = () => pageMeta({ title: '配捐', description: '合作机构的配捐：确认、到账登记' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution, role } = requireStaff(request, params.slug)
  return {
    slug: institution.slug,
    isManager: role === 'manager',
    pledges: listHomePledges(institution.id),
    today: shanghaiDateString(new Date()),
  }
}

type Reply = {
  target: string
  message?: string
  fieldErrors?: Record<string, string[] | null | undefined>
  values?: Record<string, unknown>
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution, role } = requireStaff(request, params.slug)
  const actor = actorFrom(user, context)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const done = redirect(`/staff/${institution.slug}/matching`)
  if (intent === 'accept' || intent === 'decline') {
    invariantResponse(role === 'manager', 'Forbidden', { status: 403 })
    const pledgeId = parseId(formData.get('pledgeId'))
    const outcome =
      pledgeId === null ? { ok: false as const, message: '提交无效' } : decidePledge(actor, institution.id, pledgeId, intent === 'accept')
    if (!outcome.ok) return data<Reply>({ target: `decide:${pledgeId}`, message: outcome.message }, { status: 400 })
    return done
  }
  if (intent === 'reverse') {
    const submission = parseWithZod(formData, { schema: settlementReversalSchema })
    const target = `reverse:${String(formData.get('settlementId') ?? '')}`
    if (submission.status !== 'success')
      return data<Reply>({ target, fieldErrors: submission.error ?? {}, values: submission.payload }, { status: 400 })
    const outcome = reverseSettlement(actor, institution.id, submission.value)
    if (!outcome.ok) return data<Reply>({ target, fieldErrors: { reason: [outcome.message] }, values: submission.payload }, { status: 400 })
    return done
  }
  const submission = parseWithZod(formData, { schema: settlementSchema })
  const target = `settle:${String(formData.get('pledgeId') ?? '')}`
  if (submission.status !== 'success')
    return data<Reply>({ target, fieldErrors: submission.error ?? {}, values: submission.payload }, { status: 400 })
  const outcome = recordSettlement(actor, institution.id, submission.value)
  if (!outcome.ok)
    return data<Reply>(
      {
        target,
        message: outcome.field ? undefined : outcome.message,
        fieldErrors: outcome.field ? { [outcome.field]: [outcome.message] } : {},
        values: submission.payload,
      },
      { status: 400 },
    )
  return done
}

export default function StaffMatchingPage() {
  const { pledges, isManager, today } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>()
  const replyFor = (target: string) => (reply?.target === target ? reply : undefined)
  const value = (r: Reply | undefined, name: string, fallback = '') =>
    typeof r?.values?.[name] === 'string' ? (r.values[name] as string) : fallback
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">配捐</h1>
      <p className="text-stone-800">
        合作机构为本机构或本机构的活动设立配捐：负责人确认后生效，每笔符合条件的善款自动生成一条配捐记录。合作机构按已配捐金额转账，到账后在这里登记（登记后不能修改，登记错误请更正）。
      </p>
      {pledges.length === 0 ? <p>还没有合作机构发起配捐。</p> : null}
      <ul className="space-y-4">
        {pledges.map((row) => {
          const p = row.pledge
          const settle = replyFor(`settle:${p.id}`)
          const decide = replyFor(`decide:${p.id}`)
          return (
            <li key={p.id} className="card space-y-3" data-testid="home-pledge">
              <h2 className="font-semibold">
                {row.partnerName} · {pledgeTargetName(row)}
              </h2>
              <p className="text-sm text-stone-800">
                {pledgeStatusLabels[p.status]} · 每捐 1 元配 {ratioYuanLabel(p.ratioPermille)} · 单笔上限 {formatFen(p.perGiftCapFen)} ·{' '}
                {p.startsOn} 至 {p.endsOn}
              </p>
              {row.contact ? (
                <p className="text-sm text-stone-800">
                  合作机构联系人：{row.contact.name} {row.contact.phone}
                </p>
              ) : null}
              <PledgeFigures pledge={p} />
              {p.status === 'proposed' && isManager ? (
                <Form method="post" className="flex flex-wrap gap-2">
                  <input type="hidden" name="pledgeId" value={p.id} />
                  <FormMessage>{decide?.message}</FormMessage>
                  <button type="submit" name="intent" value="accept" className="btn-primary">
                    接受配捐
                  </button>
                  <button type="submit" name="intent" value="decline" className="btn-secondary">
                    婉拒
                  </button>
                </Form>
              ) : p.status === 'proposed' ? (
                <p className="text-sm">等待本机构负责人确认。</p>
              ) : null}
              {row.settlements.length ? (
                <section aria-label="到账记录" className="space-y-2">
                  <h3 className="font-medium">到账记录</h3>
                  <ul className="space-y-2 text-sm">
                    {row.settlements.map((s) => {
                      const reversed = row.settlements.some((o) => o.correctsId === s.id)
                      const rev = replyFor(`reverse:${s.id}`)
                      return (
                        <li key={s.id} className="rounded border border-stone-200 p-2">
                          <p>
                            {s.transferredOn} · {formatFen(s.amountFen)}
                            {s.bankReference ? ` · 流水号 ${s.bankReference}` : ''}
                            {s.note ? ` · ${s.note}` : ''}
                            {s.correctsId !== null ? ` · 更正：${s.correctionReason ?? ''}` : ''}
                            {reversed ? ' · 已更正' : ''}
                          </p>
                          {s.correctsId === null && !reversed ? (
                            <details open={Boolean(rev)}>
                              <summary className="cursor-pointer text-stone-700">登记错误？更正这条记录</summary>
                              <Form method="post" className="mt-2 space-y-2">
                                <input type="hidden" name="intent" value="reverse" />
                                <input type="hidden" name="settlementId" value={s.id} />
                                <Field
                                  label="更正说明"
                                  name="reason"
                                  defaultValue={value(rev, 'reason')}
                                  errors={rev?.fieldErrors?.reason}
                                />
                                <button type="submit" className="btn-secondary">
                                  更正（记一笔负数）
                                </button>
                              </Form>
                            </details>
                          ) : null}
                        </li>
                      )
                    })}
                  </ul>
                </section>
              ) : null}
              {p.status === 'accepted' ? (
                <Form method="post" className="grid gap-3 sm:grid-cols-2" aria-label={`登记 ${row.partnerName} 的转账`}>
                  <input type="hidden" name="intent" value="settle" />
                  <input type="hidden" name="pledgeId" value={p.id} />
                  <FormMessage>{settle?.message}</FormMessage>
                  <Field
                    label="到账金额（元）"
                    name="amountFen"
                    inputMode="decimal"
                    defaultValue={value(settle, 'amountFen')}
                    errors={settle?.fieldErrors?.amountFen}
                  />
                  <Field
                    label="到账日期"
                    name="transferredOn"
                    type="date"
                    defaultValue={value(settle, 'transferredOn', today)}
                    errors={settle?.fieldErrors?.transferredOn}
                  />
                  <Field
                    label="银行流水号（可选）"
                    name="bankReference"
                    defaultValue={value(settle, 'bankReference')}
                    errors={settle?.fieldErrors?.bankReference}
                  />
                  <Field label="备注（可选）" name="note" defaultValue={value(settle, 'note')} errors={settle?.fieldErrors?.note} />
                  <button type="submit" className="btn-primary sm:col-span-2">
                    登记转账
                  </button>
                </Form>
              ) : null}
            </li>
          )
        })}
      </ul>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
