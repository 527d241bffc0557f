import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react'
import { requireVerifiedContact } from '~/auth/auth.server'
import { MatchLine } from '~/matching/pledge-figures'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { serverReply } from '~/components/server-reply'
import { PRESET_AMOUNTS_FEN } from '~/payments/amount'
import { AmountFieldset } from '~/payments/gift-form-fields'
import { PublicDisplayFieldset } from '~/wishes/public-display-fieldset'
import { GiftKindChoice } from '~/payments/monthly-count'
import { formatFen } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { invariantFound } from '~/utils/http.server'
import { parseId } from '~/utils/ids'
import { refusalReply } from '~/utils/submission.server'
import { giftSchema } from '~/payments/validation'

// 捐款: a directed money gift to one home (or its campaign, wish or need). Validated on the
// server only (public page: no zod in the browser). The gift is recorded in the public log
// only when the payment provider confirms it (webhooks.stripe.tsx).

const targetLabels = { institution: '机构', campaign: '活动', wish: '微心愿', need: '物资需求' } as const

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({
    title: data?.kind === 'give' ? `捐款给${data.target.institutionName}` : '捐款',
    description: '定向捐款给福利机构，每一笔都记入公开捐赠记录。',
  })

async function loadTarget(request: Request) {
  const { giftTargetFromQuery } = await import('~/payments/payments.server')
  const target = giftTargetFromQuery(new URL(request.url).searchParams)
  return invariantFound(target, '没有找到这个捐款对象，或它已不再接受捐款')
}

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams
  const { closedGiftTargetFromQuery, giftTargetFromQuery, namesGiftTarget } = await import('~/payments/payments.server')
  // /give alone: choose the home to give to (public, no sign-in needed to look).
  if (!namesGiftTarget(params)) {
    const { listInstitutions } = await import('~/institutions/institutions.server')
    return { kind: 'choose' as const, homes: listInstitutions().map((h) => ({ slug: h.slug, name: h.name, city: h.city })) }
  }
  const target = giftTargetFromQuery(params)
  // A fulfilled wish, a received need or an ended campaign: say so, and offer its home instead.
  if (!target)
    return data(
      { kind: 'closed' as const, closed: invariantFound(closedGiftTargetFromQuery(params), '没有找到这个捐款对象') },
      { status: 410 },
    )
  const user = requireVerifiedContact(request)
  const { onlineGiftsAvailable, ONLINE_GIFTS_UNAVAILABLE } = await import('~/payments/provider.server')
  // 一起捐: a gift through a team page (?team=<id>) counts toward that team (app/teams).
  const { teamForGivePage } = await import('~/teams/teams.server')
  const { liveMatchFor } = await import('~/matching/matching.server') // 配捐 (docs/decisions/024)
  return {
    kind: 'give' as const,
    target,
    match: liveMatchFor({ institutionId: target.institutionId, campaignId: target.campaignId }),
    displayName: user.displayName,
    unavailable: onlineGiftsAvailable() ? null : ONLINE_GIFTS_UNAVAILABLE,
    team: params.has('team') ? teamForGivePage(parseId(params.get('team'))) : null,
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireVerifiedContact(request)
  const target = await loadTarget(request)
  const formData = await request.formData()
  const presetsFen = target.defaultAmountFen === null ? PRESET_AMOUNTS_FEN : [...PRESET_AMOUNTS_FEN, target.defaultAmountFen]
  const submission = parseWithZod(formData, { schema: giftSchema(presetsFen) })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })

  const { startGift } = await import('~/payments/payments.server')
  const { siteOrigin } = await import('~/utils/origin.server')
  const origin = siteOrigin(request)
  const { amountFen, publicDisplay } = submission.value
  const teamId = parseId(new URL(request.url).searchParams.get('team'))
  const outcome = await startGift({
    userId: user.id,
    target: target.target,
    targetId: target.targetId,
    amountFen,
    publicDisplay,
    origin,
    teamId,
  })
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome) }, { status: 409 })
  return redirect(outcome.url)
}

export default function GivePage() {
  const page = useLoaderData<typeof loader>()
  if (page.kind === 'choose') return <ChooseHome homes={page.homes} />
  if (page.kind === 'closed') return <NoLongerTakingGifts closed={page.closed} />
  return <GiveForm target={page.target} displayName={page.displayName} unavailable={page.unavailable} team={page.team} match={page.match} />
}

function ChooseHome({ homes }: { homes: { slug: string; name: string; city: string }[] }) {
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">捐款</h1>
      <p className="text-stone-800">
        微暖只做定向捐赠：每一笔捐款都直接给一家机构（或它的一个心愿、物资需求、活动），支付服务商确认收款后记入公开捐赠记录。请选择您想支持的机构：
      </p>
      {homes.length === 0 ? (
        <p className="text-stone-800">还没有机构接受捐款。</p>
      ) : (
        <ul className="space-y-2" data-testid="give-homes">
          {homes.map((h) => (
            <li key={h.slug} className="card flex flex-wrap items-center justify-between gap-2">
              <span>
                <span className="font-medium">{h.name}</span>
                <span className="text-sm text-stone-700"> · {h.city}</span>
              </span>
              <span className="flex flex-wrap gap-2">
                <Link to={`/give?home=${h.slug}`} className="btn-secondary">
                  捐款给这家机构
                  <span className="sr-only">：{h.name}</span>
                </Link>
                <Link to={`/teams/new?home=${h.slug}`} className="link self-center">
                  发起一起捐
                  <span className="sr-only">：{h.name}</span>
                </Link>
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="text-sm text-stone-700">
        想指定到一个孩子的心愿？{' '}
        <Link to="/wishes" className="link">
          浏览微心愿
        </Link>
      </p>
    </div>
  )
}

function NoLongerTakingGifts({ closed }: { closed: { title: string; message: string; institutionName: string; institutionSlug: string } }) {
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">不再接受捐款</h1>
      <section role="status" className="card space-y-2" aria-labelledby="closed-title">
        <h2 id="closed-title" className="text-xl font-semibold">
          {closed.title}
        </h2>
        <p className="text-stone-800">{closed.message}</p>
      </section>
      <p className="flex flex-wrap gap-4">
        <Link to={`/give?home=${closed.institutionSlug}`} className="link">
          改为捐款给{closed.institutionName}
        </Link>
        <Link to="/wishes" className="link">
          看看其他等待认领的心愿
        </Link>
      </p>
    </div>
  )
}

type GiftTargetView = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: 'give' }>

function GiveForm({
  target,
  displayName,
  unavailable,
  team,
  match,
}: Pick<GiftTargetView, 'target' | 'displayName' | 'unavailable' | 'team' | 'match'>) {
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const location = useLocation()
  // Validated on the server only: no zod nor Conform client in this public page's JavaScript.
  const reply = serverReply<{ amount: string; customAmount: string; publicDisplay: string }>(actionData?.result)
  const errors = {
    form: reply.formErrors,
    amount: reply.errors('amount'),
    customAmount: reply.errors('customAmount'),
    publicDisplay: reply.errors('publicDisplay'),
  }
  const presets: number[] = [...PRESET_AMOUNTS_FEN]
  if (target.defaultAmountFen !== null && target.defaultAmountFen >= 100 && !presets.includes(target.defaultAmountFen))
    presets.unshift(target.defaultAmountFen)
  const chosenAmount = reply.values.amount ?? String(target.defaultAmountFen ?? PRESET_AMOUNTS_FEN[1])
  const chosenDisplay = reply.values.publicDisplay ?? 'masked'
  const submitting = navigation.state === 'submitting'

  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">捐款</h1>
      {/* 月捐 (issue 14): homes and campaigns also take a monthly gift. */}
      {target.target === 'institution' || target.target === 'campaign' ? <GiftKindChoice query={location.search} current="once" /> : null}
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
          这是一笔给 <strong>{target.institutionName}</strong> 的定向捐赠：款项只用于这家机构
          {target.target === 'institution' ? '' : `的这个${targetLabels[target.target]}`}，使用情况会在机构的公示中说明。
        </p>
        <p className="text-stone-800">
          付款在支付服务商（Stripe）的页面完成。支付服务商确认收款后，这笔捐款才会记入公开捐赠记录，并发给您收据编号。
        </p>
        {team ? (
          <p className="text-stone-800" data-testid="give-team">
            {team.acceptsGifts ? (
              <>
                通过一起捐
                <Link to={`/teams/${team.id}`} className="link">
                  「{team.name}」
                </Link>
                捐款：这笔捐款会计入它的进度。
              </>
            ) : (
              `一起捐「${team.name}」已结束，不再通过它接受捐款。`
            )}
          </p>
        ) : null}
        <MatchLine match={match} />
      </section>

      <Form method="post" action={`/give${location.search}`} className="space-y-5" noValidate key={reply.key}>
        <FormMessage id="give-form-error">{errors.form?.join('；')}</FormMessage>
        <AmountFieldset
          idPrefix="give"
          legend="捐款金额"
          presets={presets.map((fen) => ({
            fen,
            label: (
              <>
                {formatFen(fen)}
                {fen === target.defaultAmountFen ? <span className="block text-sm text-stone-700">心愿参考价值</span> : null}
              </>
            ),
          }))}
          chosen={chosenAmount}
          customLabel="其他金额（元）"
          customHint="选择“其他金额”时填写，如 88 或 88.50；每笔 ¥1 至 ¥50,000。"
          customValue={reply.values.customAmount ?? ''}
          errors={errors.amount}
          customErrors={errors.customAmount}
        />

        <PublicDisplayFieldset idPrefix="give" displayName={displayName} chosen={chosenDisplay} errors={errors.publicDisplay} />

        <button type="submit" className="btn-primary w-full" disabled={submitting}>
          {submitting ? '正在前往支付…' : '前往支付'}
        </button>
        {team ? null : (
          <p className="text-sm text-stone-700">
            想邀请朋友一起捐？{' '}
            <Link to={`/teams/new${location.search}`} className="link">
              发起一起捐
            </Link>
          </p>
        )}
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
