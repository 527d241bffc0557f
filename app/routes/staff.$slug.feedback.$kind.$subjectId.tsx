import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, FormMessage } from '~/components/forms'
import {
  blurFeedbackPhoto,
  deleteFeedbackPhoto,
  feedbackSubject,
  publishFeedbackPhoto,
  redetectFeedbackPhoto,
  staffPhotoViews,
  uploadFeedbackPhoto,
} from '~/feedback-photos/feedback-photos.server'
import { MAX_ALT_LENGTH, MAX_PHOTOS_PER_SUBJECT, subjectKinds, type SubjectKind } from '~/feedback-photos/limits'
import { imageMessages, MAX_IMAGE_BYTES } from '~/images/images.server'
import { formatDateTime } from '~/utils/format'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'

// 执行反馈 photos of one wish, need or 用途 entry (app/feedback-photos). Upload → face detection →
// 待处理; faces are blurred with one button (and detected again), and only a photo with no face
// detected can be published (docs/product.md rule 1). Works without JavaScript.

export const meta: MetaFunction = () => pageMeta({ title: '执行反馈照片', description: '机构工作人员：执行反馈照片' })

const kindLabels: Record<SubjectKind, string> = { wish: '心愿', need: '物资需求', allocation: '用途记录' }
const backPaths: Record<SubjectKind, (id: number) => string> = {
  wish: (id) => `../../../wishes/${id}`,
  need: (id) => `../../../needs/${id}`,
  allocation: () => `../../../allocations`,
}

const altSchema = z.object({
  altText: z
    .string({ required_error: '请填写照片说明（供看不到图片的读者使用）' })
    .trim()
    .min(1, '请填写照片说明（供看不到图片的读者使用）')
    .max(MAX_ALT_LENGTH, `照片说明不能超过 ${MAX_ALT_LENGTH} 个字`),
})

function kindParam(value: string | undefined): SubjectKind {
  const kind = subjectKinds.find((k) => k === value)
  return invariantFound(kind)
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const kind = kindParam(params.kind)
  const subjectId = requireIdParam(params, 'subjectId')
  const subject = invariantFound(feedbackSubject(institution.id, kind, subjectId))
  const photos = await staffPhotoViews(institution.id, kind, subjectId)
  return { slug: institution.slug, kind, subject, photos, canUpload: photos.length < MAX_PHOTOS_PER_SUBJECT }
}

type ActionResult = {
  intent: 'upload' | 'blur' | 'publish' | 'delete' | 'redetect' | null
  photoId?: number
  ok: boolean
  message: string | null
  fieldErrors?: { image?: string[]; altText?: string[] }
  values?: { altText: string }
}

function reply(body: ActionResult, status = body.ok ? 200 : 400) {
  return data(body, { status })
}

const detectionMessages = {
  clear: '已上传（已去除拍摄地点等信息）。未检测到人脸，确认后可公开。',
  faces: '已上传，但检测到人脸，照片暂不公开（待处理）。请模糊人脸或删除照片。',
  failed: '已上传，但人脸检测没有结果，照片暂不公开（待处理）。请重新检测。',
} as const

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const kind = kindParam(params.kind)
  const subjectId = requireIdParam(params, 'subjectId')
  invariantFound(feedbackSubject(institution.id, kind, subjectId))
  const actor = actorFrom(user, context)

  if ((request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) {
    let formData: FormData
    try {
      formData = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMAGE_BYTES }))
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError)
        return reply({ intent: 'upload', ok: false, message: null, fieldErrors: { image: [imageMessages.tooLarge] } }, 413)
      throw error
    }
    const altRaw = String(formData.get('altText') ?? '')
    const values = { altText: altRaw }
    const submission = parseWithZod(formData, { schema: altSchema })
    const file = formData.get('image')
    const imageErrors = !(file instanceof File) || file.size === 0 ? [imageMessages.empty] : undefined
    if (submission.status !== 'success' || imageErrors) {
      const altErrors = submission.status === 'success' ? undefined : submission.error?.altText
      return reply({
        intent: 'upload',
        ok: false,
        message: null,
        fieldErrors: { image: imageErrors, altText: altErrors ?? undefined },
        values,
      })
    }
    const outcome = await uploadFeedbackPhoto(actor, institution.id, kind, subjectId, {
      bytes: new Uint8Array(await (file as File).arrayBuffer()),
      altText: submission.value.altText,
    })
    if (!outcome.ok) {
      const field = outcome.field ?? null
      return reply({
        intent: 'upload',
        ok: false,
        message: field ? null : outcome.message,
        fieldErrors: field ? { [field]: [outcome.message] } : undefined,
        values,
      })
    }
    return reply({ intent: 'upload', photoId: outcome.photoId, ok: true, message: detectionMessages[outcome.detection] })
  }

  const formData = await request.formData()
  const intent = formData.get('intent')
  const photoId = Number(formData.get('photoId'))
  if (!Number.isSafeInteger(photoId) || photoId <= 0) return reply({ intent: null, ok: false, message: '未知照片' })
  if (intent === 'blur' || intent === 'redetect') {
    const outcome =
      intent === 'blur'
        ? await blurFeedbackPhoto(actor, institution.id, photoId)
        : await redetectFeedbackPhoto(actor, institution.id, photoId)
    if (!outcome.ok) return reply({ intent, photoId, ok: false, message: outcome.message })
    const message =
      outcome.detection === 'clear'
        ? intent === 'blur'
          ? '人脸已模糊，重新检测未发现人脸，确认后可公开。'
          : '重新检测未发现人脸，确认后可公开。'
        : outcome.detection === 'faces'
          ? '重新检测仍发现人脸，请再次模糊或删除照片。'
          : '人脸检测没有结果，请稍后重新检测。'
    return reply({ intent, photoId, ok: outcome.detection === 'clear', message }, 200)
  }
  if (intent === 'publish') {
    const outcome = publishFeedbackPhoto(actor, institution.id, photoId)
    if (!outcome.ok) return reply({ intent, photoId, ok: false, message: outcome.message })
    return reply({ intent, photoId, ok: true, message: '照片已公开，已通知捐赠人' })
  }
  if (intent === 'delete') {
    const outcome = await deleteFeedbackPhoto(actor, institution.id, photoId)
    if (!outcome.ok) return reply({ intent, photoId, ok: false, message: outcome.message })
    return reply({ intent, photoId, ok: true, message: '照片已删除' })
  }
  return reply({ intent: null, ok: false, message: '未知操作' })
}

const detectionLabels = { clear: '未检测到人脸', faces: '检测到人脸', failed: '检测没有结果' } as const

export default function FeedbackPhotosPage() {
  const { slug, kind, subject, photos, canUpload } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const upload = actionData?.intent === 'upload' ? actionData : null
  const pageMessage = actionData && actionData.intent !== 'upload' ? actionData : null
  const altErrors = upload?.fieldErrors?.altText
  const imageErrors = upload?.fieldErrors?.image
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">执行反馈照片</h2>
        <Link to={backPaths[kind](subject.id)} relative="path" className="link text-sm">
          返回{kindLabels[kind]}
        </Link>
      </div>
      <p className="text-stone-800">
        {kindLabels[kind]}：{subject.title}
      </p>
      <p role="note" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm font-medium text-red-900">
        照片中不能出现儿童的脸。每张照片上传后都会自动检测人脸：检测到人脸的照片不会公开，请用“模糊人脸”处理或删除。
      </p>
      {pageMessage?.message ? <FormMessage tone={pageMessage.ok ? 'success' : 'error'}>{pageMessage.message}</FormMessage> : null}

      <section className="card space-y-3" aria-labelledby="photo-list-heading">
        <h3 id="photo-list-heading" className="font-semibold">
          已上传的照片
        </h3>
        {photos.length ? (
          <ul className="space-y-4">
            {photos.map((p) => (
              <li key={p.id} className="space-y-2 border-t border-stone-200 pt-3 first:border-0 first:pt-0" data-testid="feedback-photo">
                <div className="relative inline-block max-w-full">
                  <img
                    src={`/staff/${slug}/feedback-photos/${p.id}?v=${p.version}`}
                    alt={p.altText}
                    className="block max-h-72 max-w-full rounded-lg"
                  />
                  {p.boxes.map((b, i) => (
                    <span
                      key={i}
                      aria-hidden="true"
                      className="absolute border-2 border-red-600"
                      style={{ left: `${b.left}%`, top: `${b.top}%`, width: `${b.width}%`, height: `${b.height}%` }}
                    />
                  ))}
                </div>
                <p className="text-sm">
                  <span
                    className={`rounded-full px-2 py-0.5 font-medium ${p.status === 'published' ? 'bg-green-100 text-green-900' : 'bg-amber-100 text-amber-900'}`}
                    data-testid="feedback-photo-status"
                  >
                    {p.status === 'published' ? '已公开' : '待处理'}
                  </span>{' '}
                  <span data-testid="feedback-photo-detection">
                    {detectionLabels[p.detection]}
                    {p.detection === 'faces' ? `（${p.boxes.length} 处，红框标出）` : ''}
                  </span>
                  {' · '}上传于 {formatDateTime(p.createdAt)}
                </p>
                <p className="text-sm text-stone-700">照片说明：{p.altText}</p>
                <Form method="post" className="flex flex-wrap gap-2">
                  <input type="hidden" name="photoId" value={p.id} />
                  {p.status === 'pending' && p.detection === 'faces' ? (
                    <button type="submit" name="intent" value="blur" className="btn-primary" disabled={busy}>
                      模糊人脸
                    </button>
                  ) : null}
                  {p.status === 'pending' && p.detection === 'failed' ? (
                    <button type="submit" name="intent" value="redetect" className="btn-secondary" disabled={busy}>
                      重新检测
                    </button>
                  ) : null}
                  {p.status === 'pending' && p.detection === 'clear' ? (
                    <button type="submit" name="intent" value="publish" className="btn-primary" disabled={busy}>
                      公开照片
                    </button>
                  ) : null}
                  <button type="submit" name="intent" value="delete" className="btn-danger" disabled={busy}>
                    删除
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-stone-700">还没有执行反馈照片。</p>
        )}
      </section>

      {canUpload ? (
        <section className="card space-y-3" aria-labelledby="upload-heading">
          <h3 id="upload-heading" className="font-semibold">
            上传照片
          </h3>
          {upload?.message ? <FormMessage tone={upload.ok ? 'success' : 'error'}>{upload.message}</FormMessage> : null}
          <Form method="post" encType="multipart/form-data" className="space-y-3" key={upload?.ok ? `saved-${upload.photoId}` : 'form'}>
            <div>
              <label htmlFor="feedback-image" className="mb-1 block text-sm font-medium text-stone-800">
                照片（JPEG、PNG 或 WebP，不超过 5 MB）
              </label>
              <input
                id="feedback-image"
                name="image"
                type="file"
                accept="image/jpeg,image/png,image/webp"
                className="block w-full text-sm"
                aria-invalid={imageErrors ? true : undefined}
                aria-describedby={imageErrors ? 'feedback-image-error' : undefined}
              />
              <ErrorList id="feedback-image-error" errors={imageErrors} />
            </div>
            <div>
              <label htmlFor="feedback-alt" className="mb-1 block text-sm font-medium text-stone-800">
                照片说明（必填，公开显示给看不到图片的读者）
              </label>
              <input
                id="feedback-alt"
                name="altText"
                type="text"
                maxLength={MAX_ALT_LENGTH}
                defaultValue={upload && !upload.ok ? upload.values?.altText : ''}
                className="input"
                aria-invalid={altErrors ? true : undefined}
                aria-describedby={altErrors ? 'feedback-alt-error' : 'feedback-alt-hint'}
              />
              <p id="feedback-alt-hint" className="mt-1 text-sm text-stone-600">
                例如：新书包已发到孩子们手中（不写姓名）
              </p>
              <ErrorList id="feedback-alt-error" errors={altErrors} />
            </div>
            <button type="submit" className="btn-primary" disabled={busy}>
              {busy ? '正在上传并检测…' : '上传并检测人脸'}
            </button>
          </Form>
        </section>
      ) : (
        <p className="text-sm text-stone-700">每条记录最多 {MAX_PHOTOS_PER_SUBJECT} 张照片。</p>
      )}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
