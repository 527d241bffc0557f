import { getCollectionProps, getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react'
import { publicDisplays, type PublicDisplay } from '~db/enums'
import { requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, Field, FormMessage } from '~/components/forms'
import { donorPublicName } from '~/donations/display'
import { GIFT_AMOUNT, PRESET_AMOUNTS_FEN } from '~/payments/amount'
import { formatFen } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { invariantFound } from '~/utils/http.server'
import { refusalReply } from '~/utils/submission.server'
import { giftSchema } from '~/payments/validation'
import { publicDisplayLabels } from '~/wishes/labels'

// 捐款: a directed money gift to one home (or its campaign, wish or need). Validated on the
// server only (public page: no zod in the browser). The gift is recorded in the public log
// only when the payment provider confirms it (webhooks.stripe.tsx).

const targetLabels = { institution: '机构', campaign: '活动', wish: '微心愿', need: '物资需求' } as const

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({ title: data ? `捐款给${data.target.institutionName}` : '捐款', description: '定向捐款给福利机构，每一笔都记入公开捐赠记录。' })

async function loadTarget(request: Request) {
  const { giftTargetFromQuery } = await import('~/payments/payments.server')
  const target = giftTargetFromQuery(new URL(request.url).searchParams)
  return invariantFound(target, '没有找到这个捐款对象，或它已不再接受捐款')
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const target = await loadTarget(request)
  const { onlineGiftsAvailable, ONLINE_GIFTS_UNAVAILABLE } = await import('~/payments/provider.server')
  return { target, displayName: user.displayName, unavailable: onlineGiftsAvailable() ? null : ONLINE_GIFTS_UNAVAILABLE }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request)
  const target = await loadTarget(request)
  const formData = await request.formData()
  const presetsFen = target.defaultAmountFen === null ? PRESET_AMOUNTS_FEN : [...PRESET_AMOUNTS_FEN, target.defaultAmountFen]
  const submission = parseWithZod(formData, { schema: giftSchema(presetsFen) })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })

  const { startGift } = await import('~/payments/payments.server')
  const { siteOrigin } = await import('~/utils/origin.server')
  const origin = siteOrigin(request)
  const { amountFen, publicDisplay } = submission.value
  const outcome = await startGift({ userId: user.id, target: target.target, targetId: target.targetId, amountFen, publicDisplay, origin })
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome) }, { status: 409 })
  return redirect(outcome.url)
}

export default function GivePage() {
  const { target, displayName, unavailable } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const location = useLocation()
  const presets: number[] = [...PRESET_AMOUNTS_FEN]
  if (target.defaultAmountFen !== null && target.defaultAmountFen >= 100 && !presets.includes(target.defaultAmountFen)) presets.unshift(target.defaultAmountFen)
  const [form, fields] = useForm({
    id: 'give',
    lastResult: actionData?.result,
    defaultValue: { amount: String(target.defaultAmountFen ?? PRESET_AMOUNTS_FEN[1]), customAmount: '', publicDisplay: 'masked' },
    // Validated on the server only: keeps zod out of this public page's JavaScript.
    shouldValidate: 'onSubmit',
  })
  const submitting = navigation.state === 'submitting'

  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">捐款</h1>
      {unavailable ? (
        <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-stone-900">
          {unavailable}
        </p>
      ) : null}

      <section className="card space-y-2" aria-labelledby="target-title">
        <p className="text-sm text-stone-700">定向捐赠 · {targetLabels[target.target]}</p>
        <h2 id="target-title" className="text-xl font-semibold">
          {target.target === 'institution' ? target.institutionName : target.title}
        </h2>
        {target.target !== 'institution' ? <p className="text-stone-800">受捐机构：{target.institutionName}</p> : null}
        <p className="text-stone-800">
          这是一笔给 <strong>{target.institutionName}</strong> 的定向捐赠：款项只用于这家机构{target.target === 'institution' ? '' : `的这个${targetLabels[target.target]}`}，使用情况会在机构的公示中说明。
        </p>
        <p className="text-stone-800">付款在支付服务商（Stripe）的页面完成。支付服务商确认收款后，这笔捐款才会记入公开捐赠记录，并发给您收据编号。</p>
      </section>

      <Form method="post" action={`/give${location.search}`} className="space-y-5" {...getFormProps(form)}>
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
        <fieldset aria-describedby={fields.amount.errors ? fields.amount.errorId : undefined}>
          <legend className="text-lg font-semibold">捐款金额</legend>
          <div className="mt-3 grid grid-cols-2 gap-2">
            {getCollectionProps(fields.amount, { type: 'radio', options: [...presets.map(String), 'custom'], ariaAttributes: false }).map(({ key, ...props }) => (
              <label key={key} className={`flex min-h-11 items-center gap-3 rounded-lg border border-stone-300 p-3 ${props.value === 'custom' ? 'col-span-2' : ''}`}>
                <input {...props} className="size-5" />
                {props.value === 'custom' ? (
                  <span>其他金额（在下方填写）</span>
                ) : (
                  <span>
                    {formatFen(Number(props.value))}
                    {Number(props.value) === target.defaultAmountFen ? <span className="block text-sm text-stone-700">心愿参考价值</span> : null}
                  </span>
                )}
              </label>
            ))}
          </div>
          <ErrorList id={fields.amount.errorId} errors={fields.amount.errors} />
          <Field
            className="mt-3"
            label="其他金额（元）"
            hint="选择“其他金额”时填写，如 88 或 88.50；每笔 ¥1 至 ¥50,000。"
            {...getInputProps(fields.customAmount, { type: 'text', ariaAttributes: false })}
            inputMode="decimal"
            autoComplete="off"
            errors={fields.customAmount.errors}
          />
        </fieldset>

        <fieldset aria-describedby={fields.publicDisplay.errors ? fields.publicDisplay.errorId : undefined}>
          <legend className="text-lg font-semibold">公开捐赠记录中如何显示您</legend>
          <p className="mt-1 text-sm text-stone-700">您的手机号和邮箱永远不会公开。</p>
          <div className="mt-3 space-y-2">
            {getCollectionProps(fields.publicDisplay, { type: 'radio', options: [...publicDisplays], ariaAttributes: false }).map(({ key, ...props }) => {
              const choice = props.value as PublicDisplay
              return (
                <label key={key} className="flex min-h-11 items-center gap-3 rounded-lg border border-stone-300 p-3">
                  <input {...props} className="size-5" />
                  <span>
                    {publicDisplayLabels[choice]}
                    <span className="block text-sm text-stone-700">将显示为：{donorPublicName(displayName, choice)}</span>
                  </span>
                </label>
              )
            })}
          </div>
          <ErrorList id={fields.publicDisplay.errorId} errors={fields.publicDisplay.errors} />
        </fieldset>

        <button type="submit" className="btn-primary w-full" disabled={submitting}>
          {submitting ? '正在前往支付…' : '前往支付'}
        </button>
        <p className="text-sm text-stone-700">
          想捐赠物品？{' '}
          <Link to={`/institutions/${target.institutionSlug}`} className="link">
            查看这家机构的微心愿和物资需求
          </Link>
        </p>
      </Form>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
