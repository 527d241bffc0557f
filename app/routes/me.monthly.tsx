import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { ConfirmStep } from '~/components/confirm-step'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { donorPublicName } from '~/donations/display'
import { changeMonthlyGift, listMyMonthlyGifts } from '~/payments/monthly.server'
import { monthlyStatusLabels } from '~/payments/monthly-labels'
import { myMonthlyActionSchema } from '~/payments/monthly-validation'
import { isMockProvider } from '~/payments/provider.server'
import { formatDate, formatDateTime, formatFen, fenToYuan } from '~/utils/format'
import { notFound } from '~/utils/http.server'
import { parseId } from '~/utils/ids'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

// 我的月捐 (issue 14): each monthly gift with its next charge, its charges (receipts and failed
// attempts) and its actions — 修改金额, 暂停 / 恢复, 取消 (immediately, after one confirm step).
// In mock mode only (never in production) two buttons simulate the next renewal.

export const meta: MetaFunction = () =>
  pageMeta({ title: '我的月捐', description: '您的每月捐款：下次扣款日期、扣款记录，修改金额、暂停或取消。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const gifts = listMyMonthlyGifts(user.id).map(({ gift, charges, ...rest }) => ({
    ...rest,
    id: gift.id,
    status: gift.status,
    target: gift.target,
    amountFen: gift.amountFen,
    publicDisplay: gift.publicDisplay,
    remind: gift.remindBeforeCharge,
    nextChargeAt: gift.nextChargeAt,
    failedAttempts: gift.failedAttempts,
    nextRetryAt: gift.nextRetryAt,
    cancelledAt: gift.cancelledAt,
    charges: charges.map((c) => ({
      id: c.charge.id,
      status: c.charge.status,
      amountFen: c.charge.amountFen,
      at: c.charge.updatedAt ?? c.charge.createdAt,
      attempts: c.charge.attemptCount,
      nextRetryAt: c.charge.nextRetryAt,
      receiptNo: c.receiptNo,
      refundedFen: c.charge.refundedFen,
    })),
  }))
  return { gifts, displayName: user.displayName, mock: isMockProvider() }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: myMonthlyActionSchema })
  if (submission.status !== 'success') return data({ giftId: parseId(formData.get('giftId')), result: submission.reply() }, { status: 400 })
  const input = submission.value
  if (input.intent === 'simulate-paid' || input.intent === 'simulate-failed') {
    if (!isMockProvider()) notFound()
    const { simulateMockRenewal } = await import('~/payments/monthly-mock.server')
    const outcome = simulateMockRenewal(input.giftId, user.id, input.intent === 'simulate-paid')
    if (!outcome.ok)
      return data(
        { giftId: input.giftId as number | null, result: refusalReply(submission, { message: outcome.message ?? '模拟扣款失败' }) },
        { status: 409 },
      )
    return redirect(`/me/monthly?updated=${input.giftId}#monthly-${input.giftId}`)
  }
  const outcome =
    input.intent === 'amount'
      ? await changeMonthlyGift({ userId: user.id, giftId: input.giftId, intent: 'amount', amountFen: input.newAmount })
      : await changeMonthlyGift({ userId: user.id, giftId: input.giftId, intent: input.intent })
  if (!outcome.ok) {
    if (outcome.reason === 'not_found') notFound()
    return data({ giftId: input.giftId as number | null, result: refusalReply(submission, outcome) }, { status: 409 })
  }
  return redirect(`/me/monthly?updated=${input.giftId}#monthly-${input.giftId}`)
}

type Gift = Awaited<ReturnType<typeof loader>>['gifts'][number]

export default function MyMonthlyPage() {
  const { gifts } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <h1 className="text-2xl font-semibold">我的月捐</h1>
      {searchParams.get('started') ? (
        <FormMessage tone="success">感谢您！月捐已开通。每次扣款成功后都会记入公开捐赠记录，收据显示在下方。</FormMessage>
      ) : null}
      {searchParams.get('cancelled') ? <FormMessage>支付未完成，月捐没有开通，也没有扣款。</FormMessage> : null}
      {gifts.length === 0 ? (
        <p className="text-stone-800">
          您还没有月捐。{' '}
          <Link to="/give" className="link">
            选择一家机构，开通每月捐
          </Link>
        </p>
      ) : (
        <ul className="space-y-4">
          {gifts.map((g) => (
            <li key={g.id}>
              <MonthlyCard gift={g} />
            </li>
          ))}
        </ul>
      )}
      <p className="text-sm text-stone-700">
        一次性捐款和物资认捐见{' '}
        <Link to="/me/donations" className="link">
          我的捐赠
        </Link>
        。
      </p>
    </div>
  )
}

function MonthlyCard({ gift: g }: { gift: Gift }) {
  const actionData = useActionData<typeof action>()
  const { displayName, mock } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  const mine = actionData && actionData.giftId === g.id ? actionData : null
  const typedAmount = (mine?.result.initialValue as { newAmount?: string } | undefined)?.newAmount
  const confirmingCancel = searchParams.get('cancel') === String(g.id)
  const headingId = `monthly-${g.id}-title`
  const live = g.status === 'active' || g.status === 'past_due' || g.status === 'paused'
  const title = g.target === 'campaign' ? `活动「${g.campaignName ?? ''}」` : g.homeName
  return (
    <article id={`monthly-${g.id}`} aria-labelledby={headingId} className="card space-y-3" data-testid="monthly-gift">
      <h2 id={headingId} className="text-lg font-semibold">
        每月 {formatFen(g.amountFen)} · {title}
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-stone-800">
        <dt className="font-medium">受捐机构</dt>
        <dd>
          <Link to={`/institutions/${g.homeSlug}`} className="link">
            {g.homeName}
          </Link>
        </dd>
        <dt className="font-medium">状态</dt>
        <dd data-testid="monthly-status">{monthlyStatusLabels[g.status]}</dd>
        {g.status === 'active' || g.status === 'past_due' ? (
          <>
            <dt className="font-medium">下次扣款</dt>
            <dd data-testid="monthly-next">{g.nextChargeAt ? formatDate(g.nextChargeAt) : '等待支付机构确认'}</dd>
          </>
        ) : null}
        {g.status === 'past_due' && g.nextRetryAt ? (
          <>
            <dt className="font-medium">自动重试</dt>
            <dd>
              第 {g.failedAttempts} 次扣款未成功，支付机构将于 {formatDateTime(g.nextRetryAt)} 重试
            </dd>
          </>
        ) : null}
        {g.cancelledAt ? (
          <>
            <dt className="font-medium">取消时间</dt>
            <dd>{formatDateTime(g.cancelledAt)}</dd>
          </>
        ) : null}
        <dt className="font-medium">公开显示为</dt>
        <dd>{donorPublicName(displayName, g.publicDisplay)}</dd>
        <dt className="font-medium">扣款前提醒</dt>
        <dd>{g.remind ? '每次扣款前 3 天提醒' : '不提醒'}</dd>
      </dl>

      <section aria-labelledby={`monthly-${g.id}-charges`}>
        <h3 id={`monthly-${g.id}-charges`} className="font-medium">
          扣款记录
        </h3>
        {g.charges.length === 0 ? (
          <p className="text-sm text-stone-700">还没有扣款记录。</p>
        ) : (
          <ul className="mt-1 space-y-1" data-testid="monthly-charges">
            {g.charges.map((c) => (
              <li key={c.id} className="text-sm text-stone-800">
                {formatDateTime(c.at)} · {formatFen(c.amountFen)} ·{' '}
                {c.status === 'paid' && c.receiptNo ? (
                  <>
                    已到账，收据{' '}
                    <Link to={`/ledger/${c.receiptNo}`} className="link font-mono">
                      {c.receiptNo}
                    </Link>
                    {c.refundedFen > 0 ? `（已退款 ${formatFen(c.refundedFen)}）` : ''}
                  </>
                ) : (
                  <>
                    扣款失败（第 {c.attempts} 次尝试）
                    {c.nextRetryAt ? `，支付机构将于 ${formatDateTime(c.nextRetryAt)} 自动重试` : ''}
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <FormMessage id={`monthly-${g.id}-message`}>{mine?.result.error?.['']?.join('；')}</FormMessage>
      {live ? (
        <div className="space-y-3">
          <Form method="post" className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="amount" />
            <input type="hidden" name="giftId" value={g.id} />
            <Field
              id={`amount-${g.id}`}
              label="新的每月金额（元）"
              name="newAmount"
              inputMode="decimal"
              autoComplete="off"
              hint="每月 ¥1 至 ¥5,000，从下一次扣款起生效"
              key={typedAmount ?? ''}
              defaultValue={typedAmount ?? fenToYuan(g.amountFen)}
              errors={mine?.result.error?.newAmount ?? undefined}
            />
            <button type="submit" className="btn-secondary">
              修改金额
            </button>
          </Form>
          <div className="flex flex-wrap gap-3">
            <Form method="post">
              <input type="hidden" name="giftId" value={g.id} />
              {g.status === 'paused' ? (
                <button type="submit" name="intent" value="resume" className="btn-secondary">
                  恢复月捐
                </button>
              ) : (
                <button type="submit" name="intent" value="pause" className="btn-secondary">
                  暂停月捐
                </button>
              )}
            </Form>
            {confirmingCancel ? null : (
              <Link to={`/me/monthly?cancel=${g.id}#monthly-${g.id}`} className="btn-danger">
                取消月捐
              </Link>
            )}
          </div>
          {confirmingCancel ? (
            <ConfirmStep
              title="确定取消这份月捐吗？"
              confirmLabel="确定取消"
              cancelTo={`/me/monthly#monthly-${g.id}`}
              cancelLabel="不取消"
              intent="cancel"
              fields={{ giftId: g.id }}
            >
              <p className="text-stone-900">取消后立即生效，不会再扣款。已经记入公开捐赠记录的捐款不受影响。</p>
            </ConfirmStep>
          ) : null}
          {mock && g.status !== 'paused' ? (
            <Form method="post" className="flex flex-wrap gap-3 rounded-lg border border-amber-300 bg-amber-50 p-3">
              <p className="w-full text-sm text-stone-900">模拟支付模式（仅本地开发，未配置 Stripe）：</p>
              <input type="hidden" name="giftId" value={g.id} />
              <button type="submit" name="intent" value="simulate-paid" className="btn-secondary">
                模拟下一次扣款
              </button>
              <button type="submit" name="intent" value="simulate-failed" className="btn-secondary">
                模拟扣款失败
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
    </article>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
