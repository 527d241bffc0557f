import { getFormProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { z } from 'zod'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { claimReleaseReasonLabels, claimStatusLabels } from '~/claims/labels'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage, TextareaField } from '~/components/forms'
import { normaliseCode, PARCEL_CODE } from '~/utils/door-code.server'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { deliverySchema, fulfilSchema, partialSchema } from '~/wishes/delivery-validation'
import { wishStatusLabels } from '~/wishes/labels'
import {
  findClaimByReference,
  listActiveClaims,
  listAwaitingFulfilment,
  markWishFulfilled,
  markWishReceived,
  recordPartialArrival,
  type ClaimForReceiving,
} from '~/wishes/delivery.server'

export const meta: MetaFunction = () => pageMeta({ title: '签收', description: '按认领编号签收心愿礼物' })

function dt(value: Date | null): string | null {
  return value ? formatDateTime(value) : null
}

function forPage(c: ClaimForReceiving) {
  return {
    claimId: c.claimId,
    referenceCode: c.referenceCode,
    status: c.status,
    statusLabel: claimStatusLabels[c.status],
    releaseReason: c.releaseReason ? claimReleaseReasonLabels[c.releaseReason] : null,
    donorDisplay: c.donorDisplay,
    wishId: c.wishId,
    wishTitle: c.wishTitle,
    wishStatus: c.wishStatus,
    wishStatusLabel: wishStatusLabels[c.wishStatus],
    quantity: c.quantity,
    pseudonym: c.pseudonym,
    buyBy: dt(c.buyBy),
    deliverBy: dt(c.deliverBy),
    purchasedAt: dt(c.purchasedAt),
    shippedAt: dt(c.shippedAt),
    trackingNumber: c.trackingNumber,
    partialArrivalNote: c.partialArrivalNote,
    receivedAt: dt(c.receivedAt),
    releasedAt: dt(c.releasedAt),
    fulfilledAt: dt(c.fulfilledAt),
    thankYouMessage: c.thankYouMessage,
    receiptNo: c.receiptNo,
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const raw = new URL(request.url).searchParams.get('code') ?? ''
  const code = normaliseCode(raw, PARCEL_CODE)
  const match = code ? findClaimByReference(institution.id, code) : null
  return {
    code,
    match: match ? forPage(match) : null,
    active: listActiveClaims(institution.id).map(forPage),
    awaiting: listAwaitingFulfilment(institution.id).map(forPage),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: deliverySchema })
  if (submission.status !== 'success') {
    return data(
      {
        intent: String(formData.get('intent') ?? ''),
        result: submission.reply(),
        ok: false,
        message: null,
        receiptNo: null as string | null,
      },
      { status: 400 },
    )
  }
  const actor = actorFrom(user, context)
  const input = submission.value
  if (input.intent === 'partial') {
    const outcome = recordPartialArrival(actor, institution.id, input.claimId, input.note)
    return outcome.ok
      ? data({ intent: input.intent, result: submission.reply({ resetForm: true }), ok: true, message: '已登记部分到达', receiptNo: null })
      : data({ intent: input.intent, result: submission.reply(), ok: false, message: outcome.message, receiptNo: null }, { status: 409 })
  }
  if (input.intent === 'receive') {
    const outcome = markWishReceived(actor, institution.id, input.claimId)
    return outcome.ok
      ? data({
          intent: input.intent,
          result: submission.reply({ resetForm: true }),
          ok: true,
          message: `已确认收到，并已记入公开捐赠记录（收据编号 ${outcome.receiptNo}）`,
          receiptNo: outcome.receiptNo,
        })
      : data({ intent: input.intent, result: submission.reply(), ok: false, message: outcome.message, receiptNo: null }, { status: 409 })
  }
  const outcome = markWishFulfilled(actor, institution.id, input.wishId, { thankYou: input.thankYou })
  return outcome.ok
    ? data({
        intent: input.intent,
        result: submission.reply({ resetForm: true }),
        ok: true,
        message: '已标记为“已交给孩子”，并已通知捐赠人',
        receiptNo: null,
      })
    : data({ intent: input.intent, result: submission.reply(), ok: false, message: outcome.message, receiptNo: null }, { status: 409 })
}

type ClaimOnPage = ReturnType<typeof forPage>

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-stone-700">{label}</dt>
      <dd className="whitespace-pre-line">{children}</dd>
    </>
  )
}

function MatchedClaim({ claim }: { claim: ClaimOnPage }) {
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const [partialForm, partialFields] = useForm<z.input<typeof partialSchema>>({
    id: `partial-${claim.claimId}`,
    lastResult: actionData?.intent === 'partial' ? actionData.result : undefined,
    constraint: getZodConstraint(partialSchema),
    shouldValidate: 'onSubmit',
  })
  const [fulfilForm, fulfilFields] = useForm<z.input<typeof fulfilSchema>>({
    id: `fulfil-${claim.wishId}`,
    lastResult: actionData?.intent === 'fulfil' ? actionData.result : undefined,
    constraint: getZodConstraint(fulfilSchema),
    shouldValidate: 'onSubmit',
  })
  const canReceive = claim.status === 'active' && claim.wishStatus === 'claimed'
  const canFulfil = claim.status === 'delivered' && claim.wishStatus === 'received'
  return (
    <section aria-labelledby="match-title" className="card space-y-4" data-testid="matched-claim">
      <h2 id="match-title" className="text-lg font-semibold">
        认领编号 <span className="font-mono">{claim.referenceCode}</span>
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
        <Detail label="心愿">
          {claim.wishTitle}（{claim.quantity} 件）
        </Detail>
        <Detail label="孩子（化名）">{claim.pseudonym}</Detail>
        <Detail label="捐赠人">{claim.donorDisplay}</Detail>
        <Detail label="状态">
          认领{claim.statusLabel} · 心愿{claim.wishStatusLabel}
          {claim.releaseReason ? `（${claim.releaseReason}）` : ''}
        </Detail>
        <Detail label="购买期限">{claim.buyBy}</Detail>
        <Detail label="送达期限">{claim.deliverBy}</Detail>
        {claim.purchasedAt ? <Detail label="已购买">{claim.purchasedAt}</Detail> : null}
        {claim.shippedAt ? <Detail label="已寄出">{claim.shippedAt}</Detail> : null}
        <Detail label="快递单号">{claim.trackingNumber || '未填写'}</Detail>
        {claim.partialArrivalNote ? <Detail label="部分到达">{claim.partialArrivalNote}</Detail> : null}
        {claim.receivedAt ? <Detail label="收到时间">{claim.receivedAt}</Detail> : null}
        {claim.receiptNo ? (
          <Detail label="收据编号">
            <Link to={`/ledger/${claim.receiptNo}`} className="link font-mono">
              {claim.receiptNo}
            </Link>
          </Detail>
        ) : null}
        {claim.fulfilledAt ? <Detail label="交给孩子">{claim.fulfilledAt}</Detail> : null}
        {claim.thankYouMessage ? <Detail label="感谢留言">{claim.thankYouMessage}</Detail> : null}
      </dl>

      {claim.status === 'released' ? (
        <p className="text-sm text-stone-700">该认领已释放，心愿已重新开放认领；此包裹无需签收。如仍收到实物，请联系捐赠人。</p>
      ) : null}

      {canReceive ? (
        <div className="space-y-4 border-t border-stone-200 pt-4">
          <Form method="post">
            <input type="hidden" name="intent" value="receive" />
            <input type="hidden" name="claimId" value={claim.claimId} />
            <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
              确认收到
            </button>
            <p className="mt-1 text-sm text-stone-700">确认后将生成收据编号并写入公开捐赠记录，同时通知捐赠人。</p>
          </Form>
          <Form method="post" {...getFormProps(partialForm)} className="space-y-2">
            <input type="hidden" name="intent" value="partial" />
            <input type="hidden" name="claimId" value={claim.claimId} />
            <TextareaField
              label="部分到达说明"
              hint="只到了一部分时登记，例如“到了 2 本，还差 1 本”。"
              {...getTextareaProps(partialFields.note)}
              errors={partialFields.note.errors}
            />
            <button type="submit" className="btn-secondary" disabled={busy}>
              登记部分到达
            </button>
          </Form>
        </div>
      ) : null}

      {canFulfil ? (
        <Form method="post" {...getFormProps(fulfilForm)} className="space-y-2 border-t border-stone-200 pt-4">
          <input type="hidden" name="intent" value="fulfil" />
          <input type="hidden" name="wishId" value={claim.wishId} />
          <TextareaField
            label="感谢留言（可选）"
            hint="仅捐赠人本人可见；公开页面只显示“已实现”。请勿写入孩子的真实姓名、学校等信息。"
            maxLength={300}
            {...getTextareaProps(fulfilFields.thankYou)}
            errors={fulfilFields.thankYou.errors}
          />
          <button type="submit" className="btn-primary" disabled={busy}>
            已交给孩子
          </button>
        </Form>
      ) : null}
    </section>
  )
}

function ClaimList({
  title,
  id,
  claims,
  empty,
  when,
}: {
  title: string
  id: string
  claims: ClaimOnPage[]
  empty: string
  when: (c: ClaimOnPage) => string
}) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h2 id={id} className="text-lg font-semibold">
        {title}（{claims.length}）
      </h2>
      {claims.length === 0 ? (
        <p className="text-sm text-stone-700">{empty}</p>
      ) : (
        <ul className="space-y-2">
          {claims.map((c) => (
            <li key={c.claimId} className="card text-sm">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <Link
                  to={`?code=${encodeURIComponent(c.referenceCode)}`}
                  className="link font-mono"
                  aria-label={`查看认领编号 ${c.referenceCode}`}
                >
                  {c.referenceCode}
                </Link>
                <span className="text-stone-700">{when(c)}</span>
              </div>
              <p className="mt-1 font-medium text-stone-900">
                {c.pseudonym} · {c.wishTitle}
              </p>
              <p className="text-stone-700">
                捐赠人：{c.donorDisplay}
                {c.trackingNumber ? ` · 快递单号 ${c.trackingNumber}` : ''}
                {c.partialArrivalNote ? ' · 已部分到达' : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export default function ReceivePage() {
  const { code, match, active, awaiting } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="space-y-6">
      <section aria-labelledby="receive-title" className="space-y-3">
        <h2 id="receive-title" className="text-xl font-semibold">
          签收心愿礼物
        </h2>
        <Form method="get" className="space-y-2">
          <Field
            label="认领编号"
            name="code"
            defaultValue={code}
            autoComplete="off"
            autoCapitalize="characters"
            hint="包裹上写的编号，如 WX-AB12CD；也可用手机扫描包裹标签上的二维码直接打开。"
          />
          <button type="submit" className="btn-primary">
            查找
          </button>
        </Form>
      </section>

      {actionData?.message ? (
        <FormMessage tone={actionData.ok ? 'success' : 'error'}>
          {actionData.message}
          {actionData.receiptNo ? (
            <>
              {' '}
              <Link to={`/ledger/${actionData.receiptNo}`} className="link">
                查看公开记录
              </Link>
            </>
          ) : null}
        </FormMessage>
      ) : null}

      {code && !match ? (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          未找到认领编号为 <span className="font-mono">{code}</span> 的认领。请核对包裹上的编号；只能签收寄往本机构的包裹。
        </p>
      ) : null}
      {match ? <MatchedClaim key={match.claimId} claim={match} /> : null}

      <ClaimList title="在途认领" id="active-claims" claims={active} empty="目前没有在途的认领。" when={(c) => `送达期限 ${c.deliverBy}`} />
      <ClaimList
        title="已收到、待交给孩子"
        id="awaiting-fulfilment"
        claims={awaiting}
        empty="没有待交给孩子的礼物。"
        when={(c) => `收到于 ${c.receivedAt}`}
      />
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
