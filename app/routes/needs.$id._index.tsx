import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react'
import { publicDisplays } from '~db/enums'
import { getUser, requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, Field, FormMessage } from '~/components/forms'
import { serverReply } from '~/components/server-reply'
import { donorPublicName } from '~/donations/display'
import { publishedPhotos } from '~/feedback-photos/feedback-photos.server'
import { FeedbackPhotoBlock } from '~/feedback-photos/feedback-photo-block'
import { needStatusLabels } from '~/needs/labels'
import { getPublicNeed } from '~/needs/needs.server'
import { latestExpectedDay, myActivePledgesFor, PLEDGE_MAX_DAYS_AHEAD, pledgeToNeed } from '~/needs/pledges.server'
import { pledgeSchema } from '~/needs/pledge-validation'
import { NeedProgressBar } from '~/needs/progress-bar'
import { now } from '~/utils/clock.server'
import { formatDate } from '~/utils/format'
import { notFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { endOfShanghaiDay, shanghaiDateString } from '~/utils/shanghai-date'
import { categoryLabels, publicDisplayLabels } from '~/wishes/labels'
import { needShareCard } from '~/share/cards.server'
import { shareCardImage } from '~/share/share-card.server'
import { siteUrl } from '~/utils/origin.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const need = getPublicNeed(requireIdParam(params, 'id'))
  if (!need || need.status === 'cancelled') notFound()
  const user = getUser(request)
  const shareUrl = siteUrl(`/needs/${need.id}`, request)
  return {
    need,
    shareUrl,
    shareImage: shareCardImage(request, `/needs/${need.id}/card.png`, needShareCard(need, shareUrl)),
    user: user ? { displayName: user.displayName } : null,
    myPledges: user ? myActivePledgesFor(user.id, need.id) : [],
    feedbackPhotos: publishedPhotos('need', [need.id]).map((p) => ({ key: p.key, altText: p.altText })),
    today: shanghaiDateString(now()),
    latest: latestExpectedDay(need),
    latestHint: need.deadline
      ? `最晚为需求截止日期 ${latestExpectedDay(need)}`
      : `请在 ${PLEDGE_MAX_DAYS_AHEAD} 天内送达（最晚 ${latestExpectedDay(need)}）`,
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? pageMeta({
        title: data.need.title,
        description: `${data.need.homeName}需要「${data.need.title}」${data.need.progress.needed} ${data.need.unit}，还需 ${data.need.progress.stillNeeded} ${data.need.unit}。欢迎认捐。`,
        url: data.shareUrl,
        image: data.shareImage,
      })
    : pageMeta({ title: '物资需求', description: '没有找到这项物资需求' })

export async function action({ request, params }: ActionFunctionArgs) {
  const needId = requireIdParam(params, 'id')
  const user = requireUser(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: pledgeSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const { quantity, expectedAt, publicDisplay } = submission.value
  const outcome = pledgeToNeed({ userId: user.id, needId, quantity, expectedAt: endOfShanghaiDay(expectedAt), publicDisplay })
  if (outcome.ok) return redirect(`/me/donations?pledged=1#pledge-${outcome.pledgeId}`)
  if (outcome.reason === 'not_found') notFound()
  return data({ result: refusalReply(submission, outcome) }, { status: 409 })
}

export default function NeedPage() {
  const { need, user, myPledges, today, latest, latestHint, feedbackPhotos } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const location = useLocation()
  const { progress } = need
  const maxNow = need.perPledgeMax ? Math.min(need.perPledgeMax, progress.stillNeeded) : progress.stillNeeded
  // Validated on the server only: no zod nor Conform client in this public page's JavaScript.
  const reply = serverReply<z.input<typeof pledgeSchema>>(actionData?.result)
  const errors = {
    quantity: reply.errors('quantity'),
    expectedAt: reply.errors('expectedAt'),
    publicDisplay: reply.errors('publicDisplay'),
  }
  const values = reply.values
  const chosen = values.publicDisplay || 'masked'
  const open = need.status === 'open' && progress.stillNeeded > 0

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <header className="space-y-2">
        <p className="text-sm text-stone-700">
          <Link to="/needs" className="link">
            物资需求
          </Link>{' '}
          /{' '}
          <Link to={`/institutions/${need.homeSlug}`} className="link">
            {need.homeName}
          </Link>
          {need.parentName ? (
            <>
              （
              <Link to={`/institutions/${need.parentSlug}`} className="link">
                {need.parentName}
              </Link>
              ）
            </>
          ) : null}
        </p>
        <h1 className="text-2xl font-semibold">{need.title}</h1>
        <div className="flex flex-wrap gap-2 text-sm">
          {need.urgency === 'urgent' ? <span className="rounded bg-red-700 px-2 py-0.5 font-semibold text-white">紧急</span> : null}
          <span className="rounded bg-stone-100 px-2 py-0.5 text-stone-800">{categoryLabels[need.category]}</span>
          <span className="rounded bg-stone-100 px-2 py-0.5 text-stone-800">{needStatusLabels[need.status]}</span>
        </div>
      </header>

      <section aria-labelledby="progress-title" className="card space-y-2">
        <h2 id="progress-title" className="text-lg font-semibold">
          认捐进度
        </h2>
        <NeedProgressBar progress={progress} unit={need.unit} label="认捐进度" />
      </section>
      <FeedbackPhotoBlock photos={feedbackPhotos} />
      {need.status === 'open' || need.status === 'fully_pledged' ? (
        <p className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Link to={`/give?need=${need.id}`} className="btn-secondary w-full sm:w-auto">
            为这项需求捐款
          </Link>{' '}
          <Link to={`/teams/new?need=${need.id}`} className="link inline-flex min-h-11 items-center">
            发起一起捐
          </Link>
        </p>
      ) : null}

      <section aria-labelledby="details-title" className="card space-y-2">
        <h2 id="details-title" className="text-lg font-semibold">
          物品与送达
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-stone-800">
          {need.itemDescription ? (
            <>
              <dt className="font-medium">物品说明</dt>
              <dd className="whitespace-pre-line">{need.itemDescription}</dd>
            </>
          ) : null}
          {need.specification ? (
            <>
              <dt className="font-medium">规格</dt>
              <dd>{need.specification}</dd>
            </>
          ) : null}
          <dt className="font-medium">单位</dt>
          <dd>{need.unit}</dd>
          {need.perPledgeMax ? (
            <>
              <dt className="font-medium">每份上限</dt>
              <dd>
                {need.perPledgeMax} {need.unit}
              </dd>
            </>
          ) : null}
          {need.deadline ? (
            <>
              <dt className="font-medium">截止日期</dt>
              <dd>{formatDate(need.deadline)}</dd>
            </>
          ) : null}
          <dt className="font-medium">送达地址</dt>
          <dd>{need.deliveryAddress || need.homeAddress || need.homeName}</dd>
          {need.deliveryHours ? (
            <>
              <dt className="font-medium">接收时间</dt>
              <dd>{need.deliveryHours}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="pledge-title" className="card space-y-4">
        <h2 id="pledge-title" className="text-lg font-semibold">
          我要认捐
        </h2>
        {myPledges.length ? (
          <p role="status" className="text-stone-800">
            您已认捐 {myPledges.reduce((n, p) => n + p.quantity, 0)} {need.unit}（编号 {myPledges.map((p) => p.code).join('、')}）。{' '}
            <Link to="/me/donations" className="link">
              查看我的捐赠
            </Link>
          </p>
        ) : null}
        {!open ? (
          <p className="text-stone-800">
            {need.status === 'fully_pledged' || progress.stillNeeded === 0
              ? '这项需求已经认捐满了，感谢大家的爱心！'
              : '这项需求已不再接受认捐。'}
          </p>
        ) : !user ? (
          <p className="text-stone-800">
            请先{' '}
            <Link to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`} className="link">
              登录
            </Link>{' '}
            再认捐。
          </p>
        ) : myPledges.length ? (
          <p className="text-stone-800">每人每项需求同时只能有一份进行中的认捐：送达后可以再次认捐，或在“我的捐赠”中修改或取消这一份。</p>
        ) : (
          <Form method="post" className="space-y-4" noValidate key={reply.key}>
            <FormMessage id="pledge-form-error">{reply.formErrors?.join('；')}</FormMessage>
            <Field
              label={`认捐数量（${need.unit}）`}
              name="quantity"
              type="number"
              inputMode="numeric"
              min={1}
              max={maxNow}
              required
              defaultValue={values?.quantity ?? ''}
              hint={`本次最多可认捐 ${maxNow} ${need.unit}${need.perPledgeMax ? `（每份上限 ${need.perPledgeMax}）` : ''}`}
              errors={errors.quantity}
            />
            <Field
              label="预计送达日期"
              name="expectedAt"
              type="date"
              min={today}
              max={latest}
              required
              defaultValue={values?.expectedAt ?? ''}
              hint={latestHint}
              errors={errors.expectedAt}
            />
            <fieldset aria-describedby={errors.publicDisplay ? 'pledge-publicDisplay-error' : undefined}>
              <legend className="font-medium text-stone-800">公开捐赠记录中如何显示您</legend>
              <div className="mt-2 space-y-2">
                {publicDisplays.map((choice) => (
                  <label key={choice} className="flex items-center gap-2">
                    <input type="radio" name="publicDisplay" value={choice} defaultChecked={chosen === choice} className="size-5" />
                    <span>
                      {publicDisplayLabels[choice]}：{donorPublicName(user.displayName, choice)}
                    </span>
                  </label>
                ))}
              </div>
              <ErrorList id="pledge-publicDisplay-error" errors={errors.publicDisplay} />
            </fieldset>
            <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
              确认认捐
            </button>
          </Form>
        )}
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
