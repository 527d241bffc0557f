import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import type { SubmissionResult } from '@conform-to/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { deleteWishImage, imageMessages, MAX_IMAGE_BYTES, storeWishImage } from '~/images/images.server'
import { wishImageUrl } from '~/images/url'
import { now } from '~/utils/clock.server'
import { formatDateTime, formatFen } from '~/utils/format'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { ageBand, categoryLabels, wishStatusLabels } from '~/wishes/labels'
import { checkWishPrivacy } from '~/wishes/privacy.server'
import { WishForm, type FlagView } from '~/wishes/wish-form'
import { wishSchema } from '~/wishes/wish-validation'
import {
  campaignOptions,
  childOptions,
  flagViews,
  getStaffWish,
  publishWishes,
  setWishImage,
  updateWish,
  wishFormDefaults,
  wishInputFrom,
  withdrawWish,
} from '~/wishes/wishes.server'

export const meta: MetaFunction = () => pageMeta({ title: '编辑微心愿', description: '机构工作人员：微心愿' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const { wish, child, campaignName, activeClaim, flags, editable } = invariantFound(
    getStaffWish(institution.id, requireIdParam(params, 'wishId')),
  )
  return {
    wish: {
      id: wish.id,
      title: wish.title,
      status: wish.status,
      category: wish.category,
      story: wish.story,
      itemDetails: wish.itemDetails,
      quantity: wish.quantity,
      estimatedValueFen: wish.estimatedValueFen,
      imageKey: wish.imageKey,
      publishedAt: wish.publishedAt?.toISOString() ?? null,
      receivedAt: wish.receivedAt?.toISOString() ?? null,
      fulfilledAt: wish.fulfilledAt?.toISOString() ?? null,
      closedAt: wish.closedAt?.toISOString() ?? null,
    },
    child: { id: child.id, pseudonym: child.pseudonym, ageBand: ageBand(child.birthDate, now()), archived: Boolean(child.archivedAt) },
    campaignName,
    activeClaim: activeClaim
      ? {
          referenceCode: activeClaim.referenceCode,
          buyBy: activeClaim.buyBy.toISOString(),
          deliverBy: activeClaim.deliverBy.toISOString(),
          purchasedAt: activeClaim.purchasedAt?.toISOString() ?? null,
          shippedAt: activeClaim.shippedAt?.toISOString() ?? null,
          trackingNumber: activeClaim.trackingNumber,
        }
      : null,
    editable,
    defaults: wishFormDefaults(wish),
    flags: flagViews(flags, wish.privacyConfirmedFlags),
    children: editable ? childOptions(institution.id) : [],
    campaigns: editable ? campaignOptions(institution.id, wish.campaignId) : [],
  }
}

type ActionResult = {
  intent: 'save' | 'publish' | 'withdraw' | 'image' | 'remove-image' | null
  ok: boolean
  message: string | null
  result?: SubmissionResult<string[]>
  flags?: FlagView[]
}

function reply(body: ActionResult, status = body.ok ? 200 : 400) {
  return data(body, { status })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const wishId = requireIdParam(params, 'wishId')
  const found = invariantFound(getStaffWish(institution.id, wishId))
  const actor = actorFrom(user, context)

  if ((request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) {
    let formData: FormData
    try {
      formData = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMAGE_BYTES }))
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) return reply({ intent: 'image', ok: false, message: imageMessages.tooLarge }, 413)
      throw error
    }
    const file = formData.get('image')
    if (!(file instanceof File) || file.size === 0) return reply({ intent: 'image', ok: false, message: imageMessages.empty })
    const stored = await storeWishImage(new Uint8Array(await file.arrayBuffer()))
    if (!stored.ok) return reply({ intent: 'image', ok: false, message: stored.message })
    const outcome = setWishImage(actor, institution.id, wishId, stored.key)
    if (!outcome.ok) {
      await deleteWishImage(stored.key)
      return reply({ intent: 'image', ok: false, message: outcome.message })
    }
    await deleteWishImage(outcome.previousKey)
    return reply({ intent: 'image', ok: true, message: '图片已上传（已去除拍摄地点等信息）' })
  }

  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent === 'withdraw') {
    const outcome = withdrawWish(actor, institution.id, wishId)
    if (!outcome.ok) return reply({ intent, ok: false, message: outcome.message })
    return reply({ intent, ok: true, message: outcome.releasedClaimIds.length ? '心愿已撤回，认领已取消并已通知爱心人士' : '心愿已撤回' })
  }
  if (intent === 'remove-image') {
    const outcome = setWishImage(actor, institution.id, wishId, null)
    if (!outcome.ok) return reply({ intent, ok: false, message: outcome.message })
    await deleteWishImage(outcome.previousKey)
    return reply({ intent, ok: true, message: '图片已删除' })
  }
  if (intent !== 'save' && intent !== 'publish') return reply({ intent: null, ok: false, message: '未知操作' })

  const submission = parseWithZod(formData, { schema: wishSchema })
  if (submission.status !== 'success') return reply({ intent, ok: false, message: null, result: submission.reply() })
  const confirmed = submission.value.confirmedFlags ?? []
  const saved = updateWish(actor, institution.id, wishId, wishInputFrom(submission.value), confirmed)
  if (!saved.ok) {
    const result = refusalReply(submission, saved)
    return reply({ intent, ok: false, message: null, result, flags: saved.flags ? flagViews(saved.flags, confirmed) : undefined })
  }
  if (intent === 'save') return reply({ intent, ok: true, message: '已保存', result: submission.reply() })

  const outcome = publishWishes(actor, institution.id, [wishId])
  const refused = outcome.refused[0]
  if (refused) {
    const flags = checkWishPrivacy(saved.wish, found.child)
    return reply({
      intent,
      ok: false,
      message: `已保存，但未发布：${refused.message}`,
      result: submission.reply(),
      flags: flagViews(flags, saved.wish.privacyConfirmedFlags),
    })
  }
  return reply({ intent, ok: true, message: '心愿已发布，爱心人士现在可以看到并认领', result: submission.reply() })
}

export default function WishPage() {
  const loaderData = useLoaderData<typeof loader>()
  const { wish, child, campaignName, activeClaim, editable, defaults } = loaderData
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  // Image messages are shown beside the upload form instead.
  const pageAction = actionData?.intent === 'image' || actionData?.intent === 'remove-image' ? null : actionData
  const notice = pageAction?.message ?? (searchParams.get('created') ? '草稿已保存。请查看下方的隐私检查结果，处理后即可发布。' : null)
  const formResult = actionData?.intent === 'save' || actionData?.intent === 'publish' ? actionData.result : null
  const flags = actionData?.flags ?? loaderData.flags
  const withdrawable = wish.status === 'draft' || wish.status === 'published' || wish.status === 'claimed'
  const isPublic = wish.status !== 'draft' && wish.status !== 'withdrawn' && wish.status !== 'expired'
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">
          {wish.title}
          <span
            className="ml-2 rounded-full bg-stone-100 px-2 py-0.5 align-middle text-sm font-normal text-stone-800"
            data-testid="wish-status"
          >
            {wishStatusLabels[wish.status]}
          </span>
        </h2>
        <Link to=".." relative="path" className="link text-sm">
          返回心愿列表
        </Link>
      </div>
      {notice ? <FormMessage tone={pageAction && !pageAction.ok ? 'error' : 'success'}>{notice}</FormMessage> : null}

      <section className="card space-y-1 text-stone-800" aria-labelledby="wish-summary-heading">
        <h3 id="wish-summary-heading" className="font-semibold">
          概况
        </h3>
        <p>
          孩子：
          <Link to={`../../children/${child.id}`} relative="path" className="link">
            {child.pseudonym}（化名）
          </Link>{' '}
          · {child.ageBand} · {categoryLabels[wish.category]}
          {child.archived ? '（档案已归档）' : ''}
        </p>
        {campaignName ? <p>活动：{campaignName}</p> : null}
        {wish.publishedAt ? <p>发布于 {formatDateTime(wish.publishedAt)}</p> : null}
        {wish.closedAt ? <p>结束于 {formatDateTime(wish.closedAt)}</p> : null}
        {isPublic ? (
          <p>
            <Link to={`/wishes/${wish.id}`} className="link">
              查看公开页面
            </Link>
          </p>
        ) : null}
        {wish.status === 'received' || wish.status === 'fulfilled' ? (
          <p>
            <Link to={`../../feedback/wish/${wish.id}`} relative="path" className="link">
              执行反馈照片（上传、人脸模糊与公开）
            </Link>
          </p>
        ) : null}
      </section>

      {activeClaim ? (
        <section className="card space-y-1 text-stone-800" aria-labelledby="claim-heading">
          <h3 id="claim-heading" className="font-semibold">
            认领信息
          </h3>
          <p>
            包裹编号：<span className="font-mono">{activeClaim.referenceCode}</span>
          </p>
          <p>购买期限：{formatDateTime(activeClaim.buyBy)}</p>
          <p>送达期限：{formatDateTime(activeClaim.deliverBy)}</p>
          {activeClaim.purchasedAt ? <p>已购买：{formatDateTime(activeClaim.purchasedAt)}</p> : null}
          {activeClaim.shippedAt ? (
            <p>
              已寄出：{formatDateTime(activeClaim.shippedAt)}
              {activeClaim.trackingNumber ? `（快递单号 ${activeClaim.trackingNumber}）` : ''}
            </p>
          ) : null}
          <p className="text-sm text-stone-700">心愿已被认领，内容不能再修改。</p>
        </section>
      ) : null}

      {editable ? (
        <section className="card space-y-3" aria-labelledby="edit-wish-heading">
          <h3 id="edit-wish-heading" className="font-semibold">
            {wish.status === 'draft' ? '编辑并发布' : '编辑心愿'}
          </h3>
          <WishForm
            key={`${wish.id}-${wish.status}`}
            id={`wish-${wish.id}`}
            mode={wish.status === 'draft' ? 'draft' : 'published'}
            lastResult={formResult}
            defaultValue={defaults}
            childOptions={loaderData.children}
            campaignOptions={loaderData.campaigns}
            flags={flags}
          />
        </section>
      ) : (
        <section className="card space-y-2 text-stone-800" aria-labelledby="wish-details-heading">
          <h3 id="wish-details-heading" className="font-semibold">
            心愿内容
          </h3>
          <p className="whitespace-pre-line">{wish.story}</p>
          {wish.itemDetails ? <p className="whitespace-pre-line text-sm">物品说明：{wish.itemDetails}</p> : null}
          <p className="text-sm">
            数量 {wish.quantity}
            {wish.estimatedValueFen != null ? ` · 估计价值 ${formatFen(wish.estimatedValueFen)}` : ''}
          </p>
        </section>
      )}

      {editable || wish.imageKey ? (
        <section className="card space-y-3" aria-labelledby="image-heading">
          <h3 id="image-heading" className="font-semibold">
            心愿图片（可选）
          </h3>
          <p role="note" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm font-medium text-red-900">
            请勿上传儿童正脸照片。只上传物品图片，例如想要的书或文具。
          </p>
          {wish.imageKey ? (
            <img
              src={wishImageUrl(wish.imageKey)}
              alt={`心愿物品图片：${wish.title}`}
              className="max-h-64 rounded-lg border border-stone-200"
            />
          ) : null}
          {actionData?.intent === 'image' || actionData?.intent === 'remove-image' ? (
            <FormMessage tone={actionData.ok ? 'success' : 'error'}>{actionData.message}</FormMessage>
          ) : null}
          {editable ? (
            <>
              <Form method="post" encType="multipart/form-data" className="space-y-2">
                <label htmlFor="wish-image" className="block text-sm font-medium text-stone-800">
                  选择图片（JPEG、PNG 或 WebP，不超过 5 MB）
                </label>
                <input id="wish-image" name="image" type="file" accept="image/jpeg,image/png,image/webp" className="block w-full text-sm" />
                <button type="submit" className="btn-secondary">
                  上传图片
                </button>
              </Form>
              {wish.imageKey ? (
                <Form method="post">
                  <button type="submit" name="intent" value="remove-image" className="link text-sm">
                    删除图片
                  </button>
                </Form>
              ) : null}
            </>
          ) : null}
        </section>
      ) : null}

      {withdrawable ? (
        <section className="card space-y-2" aria-labelledby="withdraw-heading">
          <h3 id="withdraw-heading" className="font-semibold">
            撤回心愿
          </h3>
          <p className="text-sm text-stone-700">
            {wish.status === 'claimed'
              ? '该心愿已被认领：撤回后认领将被取消，系统会通知爱心人士无需再购买或寄送。'
              : '撤回后心愿不再公开展示。'}
          </p>
          <Form method="post">
            <button type="submit" name="intent" value="withdraw" className="btn-danger">
              撤回心愿
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
