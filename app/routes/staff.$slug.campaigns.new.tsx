import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { CampaignForm } from '~/campaigns/campaign-form'
import { createCampaign, partnerCandidates } from '~/campaigns/campaigns.server'
import { campaignSchema } from '~/campaigns/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '发起活动', description: '机构工作人员：发起心愿活动' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  return { partners: partnerCandidates(institution.id) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const submission = parseWithZod(await request.formData(), { schema: campaignSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = createCampaign(actorFrom(user, context), institution.id, submission.value)
  if (!outcome.ok) {
    return data({ result: refusalReply(submission, outcome) }, { status: 400 })
  }
  return redirect(`/staff/${institution.slug}/campaigns/${outcome.campaign.id}?created=1`)
}

export default function NewCampaign() {
  const { partners } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <section className="card space-y-4" aria-labelledby="new-campaign-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="new-campaign-heading" className="text-xl font-semibold">
          发起活动
        </h2>
        <Link to=".." relative="path" className="link text-sm">
          返回活动列表
        </Link>
      </div>
      <CampaignForm id="new-campaign" lastResult={actionData?.result} partnerCandidates={partners} submitLabel="创建活动" />
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
