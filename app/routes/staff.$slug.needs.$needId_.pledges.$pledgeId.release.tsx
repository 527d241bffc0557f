import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { ConfirmStep } from '~/components/confirm-step'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage, TextareaField } from '~/components/forms'
import { pledgeForRelease, releasePledge } from '~/needs/pledges.server'
import { releasePledgeSchema } from '~/needs/validation'
import { formatDate } from '~/utils/format'
import { invariantFound, notFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

// 释放认捐: the confirm step (a page of its own, so it works without JavaScript). Staff of the
// need's home release one active pledge with a reason the pledger is sent.

export const meta: MetaFunction = () => pageMeta({ title: '释放认捐', description: '机构工作人员：释放一条认捐' })

function idsFrom(params: Record<string, string | undefined>) {
  return { needId: requireIdParam(params, 'needId'), pledgeId: requireIdParam(params, 'pledgeId') }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const { needId, pledgeId } = idsFrom(params)
  const pledge = invariantFound(pledgeForRelease(institution.id, needId, pledgeId))
  return { pledge, needPath: `/staff/${institution.slug}/needs/${needId}` }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const { needId, pledgeId } = idsFrom(params)
  invariantFound(pledgeForRelease(institution.id, needId, pledgeId))
  const submission = parseWithZod(await request.formData(), { schema: releasePledgeSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = releasePledge(actorFrom(user, context), institution.id, pledgeId, submission.value.reason)
  if (!outcome.ok) {
    if (outcome.reason === 'not_found') notFound()
    const invalid = outcome.reason === 'invalid'
    return data(
      { result: refusalReply(submission, { message: outcome.message, field: invalid ? 'reason' : undefined }) },
      { status: invalid ? 400 : 409 },
    )
  }
  return redirect(`/staff/${institution.slug}/needs/${needId}?released=1`)
}

export default function ReleasePledge() {
  const { pledge, needPath } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const outstanding = pledge.quantity - pledge.received
  return (
    <section className="card space-y-4" aria-labelledby="release-heading">
      <h2 id="release-heading" className="text-xl font-semibold">
        释放认捐 {pledge.code}
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-stone-800">
        <dt className="font-medium">需求</dt>
        <dd>{pledge.title}</dd>
        <dt className="font-medium">认捐人</dt>
        <dd>{pledge.pledgerName}</dd>
        <dt className="font-medium">数量 / 已收到</dt>
        <dd>
          {pledge.quantity} / {pledge.received} {pledge.unit}
        </dd>
        <dt className="font-medium">预计送达</dt>
        <dd>{formatDate(pledge.expectedAt)}</dd>
      </dl>
      {pledge.status !== 'active' ? (
        <p className="text-stone-800">这条认捐已结束，不能再释放。</p>
      ) : (
        <ConfirmStep
          title={`确定要释放这条认捐吗？尚未送达的 ${outstanding} ${pledge.unit}将重新开放给其他爱心人士${pledge.received > 0 ? `，已收到的 ${pledge.received} ${pledge.unit}仍计入捐赠公示` : ''}。认捐人会收到通知和下面填写的原因。`}
          confirmLabel="确认释放"
          cancelTo={needPath}
          cancelLabel="不释放，返回需求"
          busy={navigation.state === 'submitting'}
          noValidate
        >
          <FormMessage>{actionData?.result?.error?.['']?.join('；')}</FormMessage>
          <TextareaField
            label="释放原因（会告知认捐人）"
            id="reason"
            name="reason"
            maxLength={200}
            required
            defaultValue={String(actionData?.result?.initialValue?.reason ?? '')}
            errors={actionData?.result?.error?.reason}
          />
        </ConfirmStep>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
