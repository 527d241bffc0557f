import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { VerificationStatus } from '~db/enums'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { applicationStatusLabels } from '~/programmes/labels'
import { Field, FormMessage, TextareaField } from '~/components/forms'
import { now } from '~/utils/clock.server'
import { formatDate, formatDateTime } from '~/utils/format'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { parseId } from '~/utils/ids'
import { pageMeta } from '~/utils/meta'
import { addShanghaiDays, shanghaiDateString } from '~/utils/shanghai-date'
import { bookingStatusLabels, qualificationLabels, verificationLabels } from '~/volunteers/labels'
import {
  rejectBackgroundSchema,
  rejectQualificationSchema,
  verifyBackgroundSchema,
  verifyQualificationSchema,
} from '~/volunteers/review-validation'
import {
  BACKGROUND_CHECK_VALID_DAYS,
  getVolunteerForStaff,
  rejectBackgroundCheck,
  rejectQualification,
  verifyBackgroundCheck,
  verifyQualification,
} from '~/volunteers/profiles.server'

export const meta: MetaFunction = () => [
  ...pageMeta({ title: '志愿者资料审核', description: '机构工作人员：核验志愿者' }),
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  // A home sees only volunteers who booked with it or applied to its programmes (rule 7; the real name is private).
  const volunteer = invariantFound(getVolunteerForStaff(institution.id, requireIdParam(params, 'userId')))
  const today = shanghaiDateString(now())
  return {
    volunteer,
    defaultExpiry: addShanghaiDays(today, BACKGROUND_CHECK_VALID_DAYS),
    minExpiry: addShanghaiDays(today, 1),
  }
}

type ActionData = { intent: string; targetId: number | null; ok: boolean; message: string | null; result?: SubmissionResult<string[]> }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const userId = requireIdParam(params, 'userId')
  invariantFound(getVolunteerForStaff(institution.id, userId))
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  // Only says which form the reply belongs to; the id the write uses is parsed by the schema.
  const targetId = parseId(formData.get('qualificationId'))
  const reply = (ok: boolean, message: string | null, result?: SubmissionResult<string[]>, status = ok ? 200 : 400) =>
    data<ActionData>({ intent, targetId, ok, message, result }, { status })
  const invalid = (submission: { reply: () => SubmissionResult<string[]>; error?: Record<string, string[] | null> | null }) => {
    const result = submission.reply()
    // A missing or foreign id has no field to show it beside: say it above the forms.
    return reply(false, submission.error?.qualificationId?.[0] ?? null, result)
  }
  const actor = actorFrom(user, context)

  if (intent === 'verify-qualification') {
    const submission = parseWithZod(formData, { schema: verifyQualificationSchema })
    if (submission.status !== 'success') return invalid(submission)
    const outcome = verifyQualification(actor, institution.id, userId, submission.value.qualificationId)
    return outcome.ok ? reply(true, '资质已核验，已通知志愿者') : reply(false, outcome.message, undefined, 409)
  }
  if (intent === 'reject-qualification') {
    const submission = parseWithZod(formData, { schema: rejectQualificationSchema })
    if (submission.status !== 'success') return invalid(submission)
    const outcome = rejectQualification(actor, institution.id, userId, submission.value.qualificationId, submission.value.note)
    return outcome.ok ? reply(true, '已标记为未通过，已通知志愿者') : reply(false, outcome.message, submission.reply(), 409)
  }
  if (intent === 'verify-background') {
    const submission = parseWithZod(formData, { schema: verifyBackgroundSchema(shanghaiDateString(now())) })
    if (submission.status !== 'success') return invalid(submission)
    const outcome = verifyBackgroundCheck(actor, institution.id, userId, submission.value.expiresOn)
    return outcome.ok ? reply(true, '背景核验已通过，已通知志愿者') : reply(false, outcome.message, submission.reply(), 409)
  }
  if (intent === 'reject-background') {
    const submission = parseWithZod(formData, { schema: rejectBackgroundSchema })
    if (submission.status !== 'success') return invalid(submission)
    const outcome = rejectBackgroundCheck(actor, institution.id, userId, submission.value.note)
    return outcome.ok ? reply(true, '背景核验已标记为未通过，已通知志愿者') : reply(false, outcome.message, submission.reply(), 409)
  }
  return reply(false, '未知操作')
}

/** A field's errors and submitted text from a Conform reply, for the form the reply belongs to. */
function replyField(data: ActionData | null, name: string) {
  const typed = data && !data.ok ? data.result?.initialValue?.[name] : undefined
  return { errors: data?.result?.error?.[name] ?? undefined, value: typeof typed === 'string' ? typed : undefined }
}

const badgeClasses: Record<VerificationStatus | 'expired', string> = {
  none: 'bg-stone-100 text-stone-800',
  pending: 'bg-amber-100 text-amber-900',
  verified: 'bg-green-100 text-green-900',
  rejected: 'bg-red-100 text-red-900',
  expired: 'bg-red-100 text-red-900',
}

function Badge({ state }: { state: VerificationStatus | 'expired' }) {
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-sm font-medium ${badgeClasses[state]}`}>
      {state === 'expired' ? '已过期' : verificationLabels[state]}
    </span>
  )
}

export default function StaffVolunteerReview() {
  const { volunteer, defaultExpiry, minExpiry } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const { user, profile, background, qualifications, bookings, applications } = volunteer
  const forForm = (intent: string, targetId: number | null = null) =>
    actionData && actionData.intent === intent && actionData.targetId === targetId ? actionData : null
  const bgVerify = forForm('verify-background')
  const bgReject = forForm('reject-background')
  const topMessage = actionData?.message ? actionData : null

  return (
    <section className="space-y-6" aria-labelledby="volunteer-heading">
      <p>
        <Link to=".." relative="path" className="link text-sm">
          ← 返回志愿者列表
        </Link>
      </p>
      <div>
        <h2 id="volunteer-heading" className="text-xl font-semibold">
          {profile?.realName ?? user.displayName}
        </h2>
        <p className="text-sm text-stone-700">称呼：{user.displayName}。实名资料仅供核验和联系使用，请勿外传。</p>
      </div>

      {topMessage ? <FormMessage tone={topMessage.ok ? 'success' : 'error'}>{topMessage.message}</FormMessage> : null}

      <section aria-labelledby="identity-title" className="card space-y-2">
        <h3 id="identity-title" className="text-lg font-semibold">
          实名资料
        </h3>
        {profile ? (
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
            <dt className="text-stone-700">真实姓名</dt>
            <dd data-testid="real-name">{profile.realName}</dd>
            <dt className="text-stone-700">手机号</dt>
            <dd>
              <a href={`tel:${profile.phone}`} className="link">
                {profile.phone}
              </a>
            </dd>
            <dt className="text-stone-700">出生日期</dt>
            <dd>{profile.birthDate ?? '未填写'}</dd>
          </dl>
        ) : (
          <p className="text-stone-800">这位志愿者还没有填写实名资料。</p>
        )}
      </section>

      <section aria-labelledby="bg-title" className="card space-y-3">
        <h3 id="bg-title" className="text-lg font-semibold">
          背景核验
        </h3>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
          <dt className="text-stone-700">状态</dt>
          <dd>
            <Badge state={background.state} />
          </dd>
          <dt className="text-stone-700">材料说明</dt>
          <dd className="whitespace-pre-line">{background.evidence || '未提交'}</dd>
          {background.verifiedAt && background.state !== 'pending' ? (
            <>
              <dt className="text-stone-700">审核</dt>
              <dd>
                {background.verifiedByHome ?? '机构'}，{formatDateTime(background.verifiedAt)}
              </dd>
            </>
          ) : null}
          {background.expiresAt ? (
            <>
              <dt className="text-stone-700">有效期至</dt>
              <dd>{formatDate(background.expiresAt)}</dd>
            </>
          ) : null}
          {background.note ? (
            <>
              <dt className="text-stone-700">未通过原因</dt>
              <dd>{background.note}</dd>
            </>
          ) : null}
        </dl>
        {background.state === 'pending' ? (
          <div className="grid gap-4 border-t border-stone-200 pt-3 sm:grid-cols-2">
            <Form method="post" className="space-y-3" noValidate>
              <input type="hidden" name="intent" value="verify-background" />
              <Field
                label="有效期至"
                id="bg-expiresOn"
                name="expiresOn"
                type="date"
                min={minExpiry}
                defaultValue={replyField(bgVerify, 'expiresOn').value ?? defaultExpiry}
                errors={replyField(bgVerify, 'expiresOn').errors}
                hint="默认一年；请核对原件后再点核验通过"
              />
              <button type="submit" className="btn-primary w-full" disabled={busy}>
                核验通过
              </button>
            </Form>
            <Form method="post" className="space-y-3" noValidate>
              <input type="hidden" name="intent" value="reject-background" />
              <TextareaField
                label="未通过原因"
                id="bg-note"
                name="note"
                defaultValue={replyField(bgReject, 'note').value ?? ''}
                errors={replyField(bgReject, 'note').errors}
                hint="志愿者会收到这段说明"
              />
              <button type="submit" className="btn-danger w-full" disabled={busy}>
                不通过
              </button>
            </Form>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="quals-title" className="card space-y-3">
        <h3 id="quals-title" className="text-lg font-semibold">
          专业资质
        </h3>
        {qualifications.length === 0 ? <p className="text-stone-800">未添加资质。</p> : null}
        <ul className="divide-y divide-stone-200">
          {qualifications.map((q) => {
            const reject = forForm('reject-qualification', q.id)
            return (
              <li key={q.id} className="space-y-2 py-3" data-testid={`qualification-${q.kind}`}>
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{qualificationLabels[q.kind]}</span>
                  <Badge state={q.status} />
                </div>
                <p className="whitespace-pre-line text-sm">证明材料：{q.evidence}</p>
                {q.verifiedAt && q.status !== 'pending' ? (
                  <p className="text-sm text-stone-700">
                    {q.verifiedByHome ?? '机构'}，{formatDateTime(q.verifiedAt)}
                    {q.note ? `：${q.note}` : ''}
                  </p>
                ) : null}
                {q.status === 'pending' ? (
                  <div className="grid gap-3 sm:grid-cols-2">
                    <Form method="post">
                      <input type="hidden" name="intent" value="verify-qualification" />
                      <input type="hidden" name="qualificationId" value={q.id} />
                      <button type="submit" className="btn-primary w-full" disabled={busy}>
                        核验通过<span className="sr-only">：{qualificationLabels[q.kind]}</span>
                      </button>
                    </Form>
                    <Form method="post" className="space-y-2" noValidate>
                      <input type="hidden" name="intent" value="reject-qualification" />
                      <input type="hidden" name="qualificationId" value={q.id} />
                      <TextareaField
                        label={`「${qualificationLabels[q.kind]}」未通过原因`}
                        id={`q-${q.id}-note`}
                        name="note"
                        defaultValue={replyField(reject, 'note').value ?? ''}
                        errors={replyField(reject, 'note').errors}
                      />
                      <button type="submit" className="btn-danger w-full" disabled={busy}>
                        不通过<span className="sr-only">：{qualificationLabels[q.kind]}</span>
                      </button>
                    </Form>
                  </div>
                ) : null}
              </li>
            )
          })}
        </ul>
      </section>

      {applications.length ? (
        <section aria-labelledby="applications-title" className="card space-y-2">
          <h3 id="applications-title" className="text-lg font-semibold">
            报名本机构的项目
          </h3>
          <ul className="divide-y divide-stone-200 text-sm">
            {applications.map((a) => (
              <li key={a.id} className="flex flex-wrap justify-between gap-2 py-2">
                <Link to={`../../programmes/${a.programmeId}`} relative="path" className="link">
                  {a.programmeName}
                </Link>
                <span className="text-stone-700">
                  {applicationStatusLabels[a.status]} · 报名于 {formatDate(a.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="bookings-title" className="card space-y-2">
        <h3 id="bookings-title" className="text-lg font-semibold">
          在本机构的预约
        </h3>
        {bookings.length === 0 ? <p className="text-sm text-stone-700">没有预约过本机构的活动。</p> : null}
        <ul className="divide-y divide-stone-200 text-sm">
          {bookings.map((b) => (
            <li key={b.id} className="flex flex-wrap justify-between gap-2 py-2">
              <span>
                {b.slotTitle}（{formatDateTime(b.startsAt)}）· {b.partySize} 人
              </span>
              <span className="text-stone-700">
                {b.checkedInAt ? '已签到' : bookingStatusLabels[b.status]} · <span className="font-mono">{b.code}</span>
              </span>
            </li>
          ))}
        </ul>
      </section>
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
