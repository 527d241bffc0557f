import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react'
import { requireVerifiedContact } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { serverReply } from '~/components/server-reply'
import { MONTHLY_PRESETS_FEN } from '~/payments/amount'
import { AmountFieldset } from '~/payments/gift-form-fields'
import { PublicDisplayFieldset } from '~/wishes/public-display-fieldset'
import { GiftKindChoice } from '~/payments/monthly-count'
import { startMonthlySchema } from '~/payments/monthly-validation'
import { formatFen } from '~/utils/format'
import { invariantFound } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

// 每月捐 (issue 14): a monthly gift to a home (?home=) or one of its campaigns (?campaign=),
// through the provider's subscription checkout. Validated on the server only, like /give. Each
// month's charge is recorded in the public log only from the provider's webhook.

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({
    title: data ? `每月捐给${data.target.institutionName}` : '每月捐',
    description: '每月定向捐款给福利机构，每次扣款都记入公开捐赠记录，可随时修改、暂停或取消。',
  })

async function loadTarget(request: Request) {
  const params = new URL(request.url).searchParams
  if (!params.has('home') && !params.has('campaign')) throw redirect('/give')
  const { giftTargetFromQuery } = await import('~/payments/payments.server')
  const target = giftTargetFromQuery(params)
  return invariantFound(
    target && (target.target === 'institution' || target.target === 'campaign') ? target : null,
    '没有找到这个捐款对象，或它已不再接受捐款（每月捐只面向机构和活动）',
  )
}

export async function loader({ request }: LoaderFunctionArgs) {
  const target = await loadTarget(request)
  const user = requireVerifiedContact(request)
  const { onlineGiftsAvailable, ONLINE_GIFTS_UNAVAILABLE } = await import('~/payments/provider.server')
  return { target, displayName: user.displayName, unavailable: onlineGiftsAvailable() ? null : ONLINE_GIFTS_UNAVAILABLE }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireVerifiedContact(request)
  const target = await loadTarget(request)
  const submission = parseWithZod(await request.formData(), { schema: startMonthlySchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const { startMonthlyGift } = await import('~/payments/monthly.server')
  const { siteOrigin } = await import('~/utils/origin.server')
  const outcome = await startMonthlyGift({
    userId: user.id,
    target: target.target === 'campaign' ? 'campaign' : 'institution',
    targetId: target.targetId,
    ...submission.value,
    origin: siteOrigin(request),
  })
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome) }, { status: 409 })
  return redirect(outcome.url)
}

export default function GiveMonthlyPage() {
  const { target, displayName, unavailable } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const location = useLocation()
  const reply = serverReply<{ amount: string; customAmount: string; publicDisplay: string; remind: string }>(actionData?.result)
  const errors = {
    form: reply.formErrors,
    amount: reply.errors('amount'),
    customAmount: reply.errors('customAmount'),
    publicDisplay: reply.errors('publicDisplay'),
  }
  const chosenAmount = reply.values.amount ?? String(MONTHLY_PRESETS_FEN[1])
  const chosenDisplay = reply.values.publicDisplay ?? 'masked'
  const submitting = navigation.state === 'submitting'
  const title = target.target === 'institution' ? target.institutionName : target.title

  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">每月捐</h1>
      <GiftKindChoice query={location.search} current="monthly" />
      {unavailable ? (
        <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-stone-900">
          {unavailable}
        </p>
      ) : null}
      <section className="card space-y-2" aria-labelledby="target-title">
        <p className="text-sm text-stone-700">定向捐赠 · {target.target === 'institution' ? '机构' : '活动'} · 每月</p>
        <h2 id="target-title" className="text-xl font-semibold">
          {title}
        </h2>
        {target.target !== 'institution' ? <p className="text-stone-800">受捐机构：{target.institutionName}</p> : null}
        <p className="text-stone-800">
          每月从您的银行卡扣款一次，给 <strong>{target.institutionName}</strong>{' '}
          的定向捐赠。每次扣款成功后记入公开捐赠记录，并发给您收据编号。
        </p>
        <p className="text-stone-800">随时可以在“我的月捐”中修改金额、暂停或取消，立即生效。</p>
      </section>

      <Form method="post" action={`/give/monthly${location.search}`} className="space-y-5" noValidate key={reply.key}>
        <FormMessage id="monthly-form-error">{errors.form?.join('；')}</FormMessage>
        <AmountFieldset
          idPrefix="monthly"
          legend="每月金额"
          presets={MONTHLY_PRESETS_FEN.map((fen) => ({ fen, label: `${formatFen(fen)} / 月` }))}
          chosen={chosenAmount}
          customLabel="其他金额（元 / 月）"
          customHint="选择“其他金额”时填写，如 50 或 66.60；每月 ¥1 至 ¥5,000。"
          customValue={reply.values.customAmount ?? ''}
          errors={errors.amount}
          customErrors={errors.customAmount}
        />

        <PublicDisplayFieldset idPrefix="monthly" displayName={displayName} chosen={chosenDisplay} errors={errors.publicDisplay} />

        <label className="flex min-h-11 items-center gap-3 rounded-lg border border-stone-300 p-3">
          <input type="checkbox" name="remind" defaultChecked={reply.values.remind === 'on'} className="size-5" />
          <span>每次扣款前 3 天提醒我</span>
        </label>

        <button type="submit" className="btn-primary w-full" disabled={submitting}>
          {submitting ? '正在前往支付…' : '前往支付，开通每月捐'}
        </button>
        <p className="text-sm text-stone-700">
          只想捐一次？{' '}
          <Link to={`/give${location.search}`} className="link">
            一次性捐款
          </Link>
        </p>
      </Form>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
