import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { cancelClaim, listMyClaims, markPurchased, markShipped, type MyClaim } from '~/claims/claims.server'
import { myClaimActionSchema } from '~/claims/validation'
import { listMyWaitlist } from '~/claims/waitlist.server'
import { ConfirmStep } from '~/components/confirm-step'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { donorPublicName } from '~/donations/display'
import { formatDateTime } from '~/utils/format'
import { notFound } from '~/utils/http.server'
import { parseId } from '~/utils/ids'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { categoryLabels } from '~/wishes/labels'

export const meta: MetaFunction = () => pageMeta({ title: '我的认领', description: '您认领的微心愿、期限、寄送地址和认领编号。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const claims = listMyClaims(user.id)
  // After 确认认领 the claim page sends the donor here with ?claimed=<id>: confirm it, once, at the top.
  const claimedId = parseId(new URL(request.url).searchParams.get('claimed'))
  const justClaimed = claimedId === null ? null : (claims.find((c) => c.id === claimedId && c.status === 'active') ?? null)
  return { claims, justClaimed, waitlist: listMyWaitlist(user.id), displayName: user.displayName }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: myClaimActionSchema })
  const postedClaimId = parseId(formData.get('claimId'))
  const postedIntent = String(formData.get('intent') ?? '')
  if (submission.status !== 'success') {
    return data({ claimId: postedClaimId, intent: postedIntent, result: submission.reply() }, { status: 400 })
  }
  const input = submission.value
  const outcome =
    input.intent === 'purchased'
      ? markPurchased({ userId: user.id, claimId: input.claimId })
      : input.intent === 'shipped'
        ? markShipped({ userId: user.id, claimId: input.claimId, trackingNumber: input.trackingNumber ?? null })
        : cancelClaim({ userId: user.id, claimId: input.claimId })
  if (!outcome.ok) {
    if (outcome.reason === 'not_found') notFound()
    return data(
      { claimId: input.claimId, intent: postedIntent, result: refusalReply(submission, { message: outcome.message }) },
      { status: 409 },
    )
  }
  return redirect(`/me/claims#claim-${input.claimId}`)
}

function statusText(claim: MyClaim): string {
  if (claim.status === 'released') {
    if (claim.releaseReason === 'cancelled') return '已取消认领'
    if (claim.releaseReason === 'deadline') return '已超过期限，认领已释放'
    return '机构已撤回这个心愿，认领已结束'
  }
  if (claim.status === 'delivered') return claim.wishStatus === 'fulfilled' ? '已实现：礼物已交到孩子手中' : '机构已签收，正在转交给孩子'
  if (claim.partialArrivalAt) return '机构已收到部分物品'
  if (claim.shippedAt) return '已寄出，等待机构签收'
  if (claim.purchasedAt) return '已购买，请在期限前寄出或送达'
  return '待购买'
}

export default function MyClaimsPage() {
  const { claims, justClaimed, waitlist, displayName } = useLoaderData<typeof loader>()
  return (
    <div className="mx-auto max-w-2xl space-y-8">
      <h1 className="text-2xl font-semibold">我的认领</h1>

      {justClaimed ? (
        <section
          role="status"
          aria-labelledby="claimed-title"
          className="space-y-2 rounded-lg border border-brand-200 bg-brand-50 p-4 text-stone-900"
          data-testid="claim-confirmation"
        >
          <h2 id="claimed-title" className="text-xl font-semibold">
            认领成功
          </h2>
          <p>
            您已认领 {justClaimed.pseudonym}（化名）的心愿“{justClaimed.title}”，认领编号{' '}
            <strong className="font-mono">{justClaimed.referenceCode}</strong>。
          </p>
          <ol className="list-decimal space-y-1 pl-5">
            <li>
              请在 <strong>{formatDateTime(justClaimed.buyBy)}</strong> 前购买，并在下方点“已购买”；
            </li>
            <li>
              请在 <strong>{formatDateTime(justClaimed.deliverBy)}</strong> 前寄出或送到{justClaimed.home}，把认领编号写在包裹上；
            </li>
            <li>机构签收后会记入公开捐赠记录。期限前两天我们会提醒您，逾期未完成的认领会自动释放。</li>
          </ol>
          <p className="text-sm text-stone-700">这份认领随时可以在“我的认领”（账户菜单）中找到，就在本页下方。</p>
        </section>
      ) : null}

      {waitlist.length ? (
        <section id="waitlist" aria-labelledby="waitlist-title" className="space-y-3">
          <h2 id="waitlist-title" className="text-xl font-semibold">
            我的候补
          </h2>
          <ul className="space-y-3">
            {waitlist.map((entry) => (
              <li key={entry.id} id={`waitlist-${entry.wishId}`} className="card space-y-2">
                <p className="font-medium">
                  {entry.pseudonym}（化名）：{entry.title}
                </p>
                <p className="text-sm text-stone-700">{entry.home}</p>
                {entry.offerIsLive ? (
                  <>
                    <p role="status" className="font-medium text-brand-800">
                      轮到您了！这个心愿为您保留到 {formatDateTime(entry.offerExpiresAt!)}。
                    </p>
                    <Link to={`/wishes/${entry.wishId}/claim`} className="btn-primary inline-block">
                      认领
                    </Link>
                  </>
                ) : (
                  <p className="text-stone-800">候补第 {entry.position} 位</p>
                )}
                <Form method="post" action={`/wishes/${entry.wishId}/waitlist`}>
                  <input type="hidden" name="intent" value="leave" />
                  <button type="submit" className="link text-sm">
                    退出候补
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="claims-title" className="space-y-4">
        <h2 id="claims-title" className="text-xl font-semibold">
          认领记录
        </h2>
        {claims.length === 0 ? (
          <p className="text-stone-800">
            您还没有认领心愿。{' '}
            <Link to="/wishes" className="link">
              去看看孩子们的微心愿
            </Link>
          </p>
        ) : (
          <ul className="space-y-4">
            {claims.map((claim) => (
              <li key={claim.id}>
                <ClaimCard claim={claim} displayName={displayName} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

function ClaimCard({ claim, displayName }: { claim: MyClaim; displayName: string }) {
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const navigation = useNavigation()
  const mine = actionData && actionData.claimId === claim.id ? actionData : null
  const confirmingCancel = searchParams.get('cancel') === String(claim.id)
  const active = claim.status === 'active'
  const busy = navigation.state === 'submitting' && navigation.formData?.get('claimId') === String(claim.id)

  return (
    <article id={`claim-${claim.id}`} aria-labelledby={`claim-${claim.id}-title`} className="card space-y-3">
      <div>
        <p className="text-sm text-stone-700">
          {claim.pseudonym}（化名）· {categoryLabels[claim.category]} · {claim.home}
        </p>
        <h3 id={`claim-${claim.id}-title`} className="text-lg font-semibold">
          <Link to={`/wishes/${claim.wishId}`} className="hover:underline">
            {claim.title}
          </Link>
        </h3>
        <p className="mt-1 font-medium text-brand-800" data-testid="claim-status">
          {statusText(claim)}
        </p>
      </div>

      {claim.status !== 'released' ? (
        <div>
          <p className="text-sm text-stone-700">认领编号（请写在包裹上）</p>
          <p className="font-mono text-3xl font-bold tracking-wider text-stone-900" data-testid="reference-code">
            {claim.referenceCode}
          </p>
          {active ? (
            <Link to={`/me/claims/${claim.id}/label`} className="link text-sm">
              打印包裹标签（含签收二维码）
            </Link>
          ) : null}
        </div>
      ) : null}

      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        {active && !claim.purchasedAt ? (
          <>
            <dt className="text-stone-700">购买期限</dt>
            <dd>{formatDateTime(claim.buyBy)}</dd>
          </>
        ) : null}
        {active ? (
          <>
            <dt className="text-stone-700">送达期限</dt>
            <dd>{formatDateTime(claim.deliverBy)}</dd>
            <dt className="text-stone-700">寄送地址</dt>
            <dd>
              {claim.home}：{claim.deliveryAddress || '请联系机构确认地址'}
              {claim.homePhone ? `（电话 ${claim.homePhone}）` : ''}
            </dd>
            {claim.shippingRecipient || claim.shippingPhone ? (
              <>
                <dt className="text-stone-700">收件人</dt>
                <dd data-testid="shipping-recipient">
                  {claim.shippingRecipient || claim.home}
                  {claim.shippingPhone ? `，联系电话 ${claim.shippingPhone}` : ''}
                </dd>
              </>
            ) : null}
          </>
        ) : null}
        {claim.purchasedAt ? (
          <>
            <dt className="text-stone-700">购买时间</dt>
            <dd>{formatDateTime(claim.purchasedAt)}</dd>
          </>
        ) : null}
        {claim.shippedAt ? (
          <>
            <dt className="text-stone-700">寄出时间</dt>
            <dd>{formatDateTime(claim.shippedAt)}</dd>
          </>
        ) : null}
        {claim.trackingNumber ? (
          <>
            <dt className="text-stone-700">快递单号</dt>
            <dd className="font-mono" data-testid="tracking-number">
              {claim.trackingNumber}
            </dd>
          </>
        ) : null}
        {claim.partialArrivalNote ? (
          <>
            <dt className="text-stone-700">到货说明</dt>
            <dd>{claim.partialArrivalNote}</dd>
          </>
        ) : null}
        {claim.receivedAt ? (
          <>
            <dt className="text-stone-700">签收时间</dt>
            <dd>{formatDateTime(claim.receivedAt)}</dd>
          </>
        ) : null}
        {claim.releasedAt ? (
          <>
            <dt className="text-stone-700">结束时间</dt>
            <dd>{formatDateTime(claim.releasedAt)}</dd>
          </>
        ) : null}
        <dt className="text-stone-700">公开显示</dt>
        <dd>{donorPublicName(displayName, claim.publicDisplay)}</dd>
      </dl>

      {claim.thankYouMessage ? (
        <figure className="rounded-lg border border-brand-200 bg-brand-50 p-3">
          <figcaption className="text-sm font-medium text-brand-800">{claim.home}的感谢（仅您可见）</figcaption>
          <blockquote className="mt-1 whitespace-pre-line text-stone-900">{claim.thankYouMessage}</blockquote>
        </figure>
      ) : null}

      {claim.receiptNo ? (
        <p>
          <Link to={`/ledger/${claim.receiptNo}`} className="link">
            查看公开捐赠记录 {claim.receiptNo}
          </Link>
        </p>
      ) : null}

      {active ? (
        <div className="space-y-3 border-t border-stone-200 pt-3">
          <FormMessage id={`claim-${claim.id}-message`}>{mine?.result.error?.['']?.join('；')}</FormMessage>
          {!claim.purchasedAt ? (
            <Form method="post" preventScrollReset>
              <input type="hidden" name="claimId" value={claim.id} />
              <button type="submit" name="intent" value="purchased" className="btn-secondary w-full" disabled={busy}>
                已购买
              </button>
            </Form>
          ) : null}
          {!claim.shippedAt ? (
            <ShipForm claimId={claim.id} lastResult={mine?.intent === 'shipped' ? mine.result : undefined} busy={busy} />
          ) : null}
          {confirmingCancel ? (
            <ConfirmStep
              title="确定取消认领吗？心愿会重新开放给其他爱心人士，候补中的第一位会先收到通知。"
              confirmLabel="确认取消认领"
              cancelTo={`/me/claims#claim-${claim.id}`}
              intent="cancel"
              fields={{ claimId: claim.id }}
              busy={busy}
            />
          ) : (
            <p>
              <Link to={`/me/claims?cancel=${claim.id}#claim-${claim.id}`} className="link text-sm">
                取消认领
              </Link>
            </p>
          )}
        </div>
      ) : null}
    </article>
  )
}

function ShipForm({ claimId, lastResult, busy }: { claimId: number; lastResult?: SubmissionResult<string[]>; busy: boolean }) {
  // A plain form validated on the server: keeps zod and Conform's client out of this page.
  const errors = lastResult?.error?.trackingNumber
  const typed = (lastResult?.initialValue as { trackingNumber?: string } | undefined)?.trackingNumber
  return (
    <Form method="post" className="space-y-2" preventScrollReset noValidate>
      <input type="hidden" name="claimId" value={claimId} />
      <input type="hidden" name="intent" value="shipped" />
      <Field
        label="快递单号（选填）"
        hint="寄出后填写，方便机构查询；自己送达可不填"
        id={`ship-${claimId}-trackingNumber`}
        name="trackingNumber"
        type="text"
        key={typed ?? ''}
        defaultValue={typed ?? ''}
        autoComplete="off"
        errors={errors}
      />
      <button type="submit" className="btn-primary w-full" disabled={busy}>
        已寄出
      </button>
    </Form>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
