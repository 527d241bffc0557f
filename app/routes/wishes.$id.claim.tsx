import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { requireVerifiedContact } from '~/auth/auth.server'
import { claimWish, getWishForClaim } from '~/claims/claims.server'
import { claimSchema } from '~/claims/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { PublicDisplayFieldset } from '~/wishes/public-display-fieldset'
import { FormMessage } from '~/components/forms'
import { formatDateTime, formatFen } from '~/utils/format'
import { invariantFound, notFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { similarOpenWishes } from '~/wishes/public.server'
import { categoryLabels, wishStatusLabels } from '~/wishes/labels'

// Messages for the 候补 route's redirects back here (?notice=…).
const notices: Record<string, string> = {
  joined: '您已加入候补。心愿被释放时，我们会通知排在第一位的您，并为您保留 24 小时。',
  not_claimed: '这个心愿现在可以直接认领，无需候补。',
  own_claim: '这是您已认领的心愿，无需候补。',
  not_found: '这个心愿已不再接受候补。',
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageMeta({
    title: data ? `认领微心愿：${data.wish.title}` : '认领微心愿',
    description: '认领一个孩子的微心愿，在期限内购买并寄到福利机构。',
  })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const wishId = requireIdParam(params, 'id')
  const user = requireVerifiedContact(request)
  const wish = invariantFound(getWishForClaim(wishId, user.id))
  const notice = new URL(request.url).searchParams.get('notice')
  return {
    wish,
    displayName: user.displayName,
    similar: wish.open ? [] : similarOpenWishes(wishId, 3),
    notice: notice ? (notices[notice] ?? null) : null,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const wishId = requireIdParam(params, 'id')
  const user = requireVerifiedContact(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: claimSchema })
  if (submission.status !== 'success') {
    return data({ result: submission.reply(), reason: 'invalid' as const }, { status: 400 })
  }
  const outcome = claimWish({ userId: user.id, wishId, publicDisplay: submission.value.publicDisplay })
  if (outcome.ok) return redirect(`/me/claims?claimed=${outcome.claimId}#claim-${outcome.claimId}`)
  if (outcome.reason === 'yours') return redirect(`/me/claims#claim-${outcome.claimId}`)
  if (outcome.reason === 'not_found') notFound()
  return data({ result: refusalReply(submission, { message: outcome.message }), reason: outcome.reason }, { status: 409 })
}

export default function ClaimWishPage() {
  const { wish, displayName, similar, notice } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  // A plain form validated on the server: keeps zod and Conform's client out of this page.
  const result = actionData?.result
  const formErrors = result?.error?.['']
  const displayErrors = result?.error?.publicDisplay
  const justTaken = actionData?.reason === 'taken'
  const reservedForOther = wish.offer !== null && !wish.offer.mine
  const canClaim = wish.open && !reservedForOther && wish.myClaimId === null
  const chosen = ((result?.initialValue as { publicDisplay?: string } | undefined)?.publicDisplay ?? 'masked') as string

  return (
    <div className="mx-auto max-w-xl space-y-6">
      <p className="text-sm">
        <Link to={`/wishes/${wish.id}`} className="link">
          ← 返回心愿详情
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">认领微心愿</h1>

      {notice ? (
        <p role="status" className="rounded-lg border border-brand-200 bg-brand-50 p-3 text-stone-800">
          {notice}
        </p>
      ) : null}

      <section className="card space-y-2" aria-labelledby="wish-title">
        <p className="text-sm text-stone-700">
          {wish.pseudonym}（化名）· {wish.ageBand} · {categoryLabels[wish.category]} · {wishStatusLabels[wish.status]}
        </p>
        <h2 id="wish-title" className="text-xl font-semibold">
          {wish.title}
        </h2>
        {wish.itemDetails ? <p className="whitespace-pre-line text-stone-800">{wish.itemDetails}</p> : null}
        <p className="text-sm text-stone-700">
          数量：{wish.quantity}
          {wish.estimatedValueFen != null ? ` · 参考价值 ${formatFen(wish.estimatedValueFen)}` : ''}
        </p>
        <p className="text-sm text-stone-700">
          {wish.home} · {wish.city}
        </p>
      </section>

      {wish.myClaimId !== null ? (
        <p role="status" className="rounded-lg border border-brand-200 bg-brand-50 p-3">
          您已认领这个心愿。{' '}
          <Link to={`/me/claims#claim-${wish.myClaimId}`} className="link">
            查看我的认领
          </Link>
        </p>
      ) : canClaim ? (
        <Form method="post" className="space-y-5" noValidate>
          <FormMessage id="claim-form-error">{formErrors?.join('；')}</FormMessage>
          {wish.offer?.mine ? (
            <p role="status" className="rounded-lg border border-brand-200 bg-brand-50 p-3">
              候补优先：这个心愿为您保留到 {formatDateTime(wish.offer.expiresAt!)}，请在此之前完成认领。
            </p>
          ) : null}
          <section aria-labelledby="deadlines-title" className="space-y-2">
            <h2 id="deadlines-title" className="text-lg font-semibold">
              认领后的期限
            </h2>
            <ul className="list-disc space-y-1 pl-5 text-stone-800">
              <li>
                请在 <strong>{formatDateTime(wish.deadlines.buyBy)}</strong> 前购买（{wish.claimBuyDays}{' '}
                天内），并在“我的认领”中点“已购买”；
              </li>
              <li>
                请在 <strong>{formatDateTime(wish.deadlines.deliverBy)}</strong> 前送达（{wish.claimDeliverDays} 天内）；
              </li>
              <li>期限前两天我们会提醒您；逾期未完成，认领会自动释放给其他爱心人士。</li>
            </ul>
          </section>
          <section aria-labelledby="address-title" className="space-y-1">
            <h2 id="address-title" className="text-lg font-semibold">
              寄送地址
            </h2>
            <p className="text-stone-800">
              {wish.home}：{wish.deliveryAddress || '认领后请联系机构确认地址'}
            </p>
            <p className="text-sm text-stone-700">认领后会得到一个认领编号，请写在包裹上，方便机构核对。</p>
          </section>
          <PublicDisplayFieldset
            idPrefix="claim"
            note="收到礼物后，这份捐赠会记入公开捐赠记录；您的手机号和邮箱永远不会公开。"
            displayName={displayName}
            chosen={chosen}
            errors={displayErrors ?? undefined}
          />
          <button type="submit" className="btn-primary w-full" disabled={navigation.state === 'submitting'}>
            {navigation.state === 'submitting' ? '正在认领…' : '确认认领'}
          </button>
        </Form>
      ) : (
        <section aria-labelledby="unavailable-title" className="space-y-4">
          <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-stone-900">
            <h2 id="unavailable-title" className="text-lg font-semibold">
              {justTaken
                ? '这个心愿刚刚被其他爱心人士认领了'
                : reservedForOther
                  ? '这个心愿正为候补中的爱心人士保留'
                  : wish.status === 'claimed'
                    ? '这个心愿已被其他爱心人士认领'
                    : '这个心愿已不再接受认领'}
            </h2>
            {reservedForOther && wish.offer?.expiresAt ? (
              <p className="mt-1">保留至 {formatDateTime(wish.offer.expiresAt)}；若对方未认领，将依次提供给候补中的下一位。</p>
            ) : null}
          </div>
          {wish.status === 'claimed' || reservedForOther ? (
            wish.onWaitlist ? (
              <p>
                您已在候补队列中。{' '}
                <Link to="/me/claims#waitlist" className="link">
                  查看我的候补
                </Link>
              </p>
            ) : (
              <Form method="post" action={`/wishes/${wish.id}/waitlist`} className="card space-y-2">
                <input type="hidden" name="intent" value="join" />
                <p>加入候补：如果认领人未能按期完成，心愿会先提供给候补第一位，为其保留 24 小时。</p>
                <button type="submit" className="btn-secondary">
                  加入候补
                </button>
              </Form>
            )
          ) : null}
          {similar.length ? (
            <section aria-labelledby="similar-title">
              <h2 id="similar-title" className="text-lg font-semibold">
                看看其他待认领的心愿
              </h2>
              <ul className="mt-2 space-y-2">
                {similar.map((s) => (
                  <li key={s.id}>
                    <Link to={`/wishes/${s.id}`} className="link">
                      {s.pseudonym}（化名）：{s.title}
                    </Link>
                    <span className="text-sm text-stone-700">
                      {' '}
                      · {s.ageBand} · {s.homeName} · {s.city}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <p>
            <Link to={`/wishes?category=${wish.category}`} className="link">
              浏览更多待认领的心愿
            </Link>
          </p>
        </section>
      )}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
