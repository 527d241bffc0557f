import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage, TextareaField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { findPledgeByCode, listActivePledges, recordArrival, type PledgeForIntake } from '~/needs/intake.server'
import { pledgeStatusWords } from '~/needs/labels'
import { arrivalSchema } from '~/needs/validation'
import { normaliseCode, PLEDGE_CODE } from '~/utils/door-code.server'
import { formatDate, formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '门口登记', description: '按认捐编号登记到达的物资' })

function forPage(p: PledgeForIntake) {
  return {
    id: p.id,
    code: p.code,
    status: p.status,
    statusLabel: pledgeStatusWords(p),
    needId: p.needId,
    needTitle: p.needTitle,
    unit: p.unit,
    donorDisplay: p.donorDisplay,
    quantity: p.quantity,
    received: p.received,
    remaining: p.remaining,
    expectedAt: formatDate(p.expectedAt),
    arrivals: p.arrivals.map((a) => ({
      id: a.id,
      quantity: a.quantity,
      conditionNote: a.conditionNote,
      receivedAt: formatDateTime(a.receivedAt),
      receiptNo: a.receiptNo,
    })),
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const code = normaliseCode(new URL(request.url).searchParams.get('code'), PLEDGE_CODE)
  const match = code ? findPledgeByCode(institution.id, code) : null
  return { slug: institution.slug, code, match: match ? forPage(match) : null, active: listActivePledges(institution.id).map(forPage) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const submission = parseWithZod(await request.formData(), { schema: arrivalSchema })
  if (submission.status !== 'success')
    return data({ ok: false, message: null, receiptNo: null, result: submission.reply() }, { status: 400 })
  const { pledgeId, quantity, conditionNote } = submission.value
  const outcome = recordArrival(actorFrom(user, context), institution.id, pledgeId, { quantity, conditionNote })
  if (!outcome.ok)
    return data(
      {
        ok: false,
        message: outcome.message,
        receiptNo: null,
        result: refusalReply(submission, { message: outcome.message, field: 'quantity' }),
      },
      { status: 409 },
    )
  const message = outcome.fulfilled
    ? `已登记到达，认捐已全部送达。收据编号 ${outcome.receiptNo}`
    : `已登记到达，还差 ${outcome.remaining}。收据编号 ${outcome.receiptNo}`
  return data({ ok: true, message, receiptNo: outcome.receiptNo, result: submission.reply({ resetForm: true }) })
}

type PledgeOnPage = ReturnType<typeof forPage>

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-stone-700">{label}</dt>
      <dd>{children}</dd>
    </>
  )
}

function MatchedPledge({ pledge }: { pledge: PledgeOnPage }) {
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const [form, fields] = useForm({
    id: `arrival-${pledge.id}`,
    lastResult: actionData?.result,
    defaultValue: { pledgeId: String(pledge.id) },
    constraint: getZodConstraint(arrivalSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: arrivalSchema }),
  })
  return (
    <section aria-labelledby="pledge-title" className="card space-y-4" data-testid="matched-pledge">
      <h2 id="pledge-title" className="text-lg font-semibold">
        认捐编号 <span className="font-mono">{pledge.code}</span>
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
        <Detail label="需求">{pledge.needTitle}</Detail>
        <Detail label="认捐人">{pledge.donorDisplay}</Detail>
        <Detail label="状态">{pledge.statusLabel}</Detail>
        <Detail label="认捐数量">
          {pledge.quantity} {pledge.unit}
        </Detail>
        <Detail label="已到达">
          <span data-testid="pledge-received">
            {pledge.received} {pledge.unit}
          </span>
        </Detail>
        <Detail label="还差">
          <span data-testid="pledge-remaining">
            {pledge.remaining} {pledge.unit}
          </span>
        </Detail>
        <Detail label="预计送达">{pledge.expectedAt}</Detail>
      </dl>

      {pledge.status === 'active' ? (
        <Form method="post" className="space-y-3 border-t border-stone-200 pt-4" {...getFormProps(form)}>
          <input type="hidden" name="pledgeId" value={pledge.id} />
          <FormMessage id={form.errorId}>{[...(form.errors ?? []), ...(fields.pledgeId.errors ?? [])].join('；')}</FormMessage>
          <Field
            label={`本次到达数量（${pledge.unit}）`}
            {...getInputProps(fields.quantity, { type: 'number' })}
            inputMode="numeric"
            max={pledge.remaining}
            hint={`最多 ${pledge.remaining} ${pledge.unit}；超出认捐的部分请到“登记捐赠”记录为现场捐赠。`}
            errors={fields.quantity.errors}
          />
          <TextareaField
            label="物资状况（可选）"
            {...getTextareaProps(fields.conditionNote)}
            hint="例如“包装完好”“2 袋破损已退回”。"
            errors={fields.conditionNote.errors}
          />
          <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
            登记到达
          </button>
        </Form>
      ) : (
        <p className="text-sm text-stone-700">
          该认捐{pledge.statusLabel}，不能再登记到达。如另有物资送到，请在“登记捐赠”中记录为现场捐赠。
        </p>
      )}

      <div className="space-y-2 border-t border-stone-200 pt-4">
        <h3 className="font-semibold">到达记录（{pledge.arrivals.length}）</h3>
        {pledge.arrivals.length === 0 ? (
          <p className="text-sm text-stone-700">还没有到达记录。</p>
        ) : (
          <ul className="space-y-2 text-sm" data-testid="arrivals">
            {pledge.arrivals.map((a) => (
              <li key={a.id} className="rounded-lg border border-stone-200 p-2">
                <p>
                  {a.receivedAt} · {a.quantity} {pledge.unit}
                  {a.conditionNote ? ` · ${a.conditionNote}` : ''}
                </p>
                <p className="mt-1 flex flex-wrap gap-3">
                  <Link to={`/ledger/${a.receiptNo}`} className="link font-mono">
                    {a.receiptNo}
                  </Link>
                  <Link to={`/ledger/${a.receiptNo}/receipt`} className="link" aria-label={`打印回执 ${a.receiptNo}`}>
                    打印回执
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}

export default function IntakePage() {
  const { slug, code, match, active } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="space-y-6">
      <section aria-labelledby="intake-title" className="space-y-3">
        <h2 id="intake-title" className="text-xl font-semibold">
          门口登记
        </h2>
        <Form method="get" className="space-y-2">
          <Field
            label="认捐编号"
            name="code"
            defaultValue={code}
            autoComplete="off"
            autoCapitalize="characters"
            hint="捐赠人“我的捐赠”页面上的编号；也可用手机扫描其中的二维码直接打开。"
          />
          <button type="submit" className="btn-primary">
            查找
          </button>
        </Form>
        <p className="text-sm text-stone-700">
          没有认捐的物资或现金？请到{' '}
          <Link to={`/staff/${slug}/gifts/new`} className="link">
            登记捐赠
          </Link>
          。
        </p>
      </section>

      {actionData?.message ? (
        <FormMessage tone={actionData.ok ? 'success' : 'error'}>
          {actionData.message}
          {actionData.receiptNo ? (
            <>
              {' '}
              <Link to={`/ledger/${actionData.receiptNo}/receipt`} className="link">
                打印回执
              </Link>
            </>
          ) : null}
        </FormMessage>
      ) : null}

      {code && !match ? (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          未找到认捐编号为 <span className="font-mono">{code}</span> 的认捐。请核对编号；只能登记送到本机构的认捐。
        </p>
      ) : null}
      {match ? <MatchedPledge key={match.id} pledge={match} /> : null}

      <section aria-labelledby="active-pledges" className="space-y-2">
        <h2 id="active-pledges" className="text-lg font-semibold">
          待送达的认捐（{active.length}）
        </h2>
        {active.length === 0 ? (
          <p className="text-sm text-stone-700">目前没有待送达的认捐。</p>
        ) : (
          <ul className="space-y-2">
            {active.map((p) => (
              <li key={p.id} className="card text-sm">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <Link to={`?code=${encodeURIComponent(p.code)}`} className="link font-mono" aria-label={`查看认捐编号 ${p.code}`}>
                    {p.code}
                  </Link>
                  <span className="text-stone-700">预计 {p.expectedAt}</span>
                </div>
                <p className="mt-1 font-medium text-stone-900">{p.needTitle}</p>
                <p className="text-stone-700">
                  {p.donorDisplay} · 认捐 {p.quantity} {p.unit} · 已到 {p.received} · 还差 {p.remaining}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
