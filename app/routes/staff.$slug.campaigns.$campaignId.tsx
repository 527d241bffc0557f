import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { CampaignForm } from '~/campaigns/campaign-form'
import { getCampaignForHome, partnerCandidates, updateCampaign } from '~/campaigns/campaigns.server'
import { campaignSchema } from '~/campaigns/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { formatDate } from '~/utils/format'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { shanghaiDateString } from '~/utils/shanghai-date'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '活动', description: '机构工作人员：心愿活动' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const found = invariantFound(getCampaignForHome(institution.id, requireIdParam(params, 'campaignId')))
  const { campaign, homes, isOwner, partners } = found
  return {
    campaign: {
      id: campaign.id,
      slug: campaign.slug,
      name: campaign.name,
      description: campaign.description,
      startsAt: campaign.startsAt.toISOString(),
      endsAt: campaign.endsAt.toISOString(),
    },
    homes,
    isOwner,
    defaults: {
      name: campaign.name,
      description: campaign.description,
      startsOn: shanghaiDateString(campaign.startsAt),
      endsOn: shanghaiDateString(campaign.endsAt),
      partnerSlugs: partners.map((p) => p.slug).join(', '),
    },
    partnerCandidates: isOwner ? partnerCandidates(institution.id) : [],
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const campaignId = requireIdParam(params, 'campaignId')
  invariantFound(getCampaignForHome(institution.id, campaignId))
  const submission = parseWithZod(await request.formData(), { schema: campaignSchema })
  if (submission.status !== 'success') return data({ result: submission.reply(), message: null }, { status: 400 })
  const outcome = updateCampaign(actorFrom(user, context), institution.id, campaignId, submission.value)
  if (!outcome.ok) {
    return data({ result: refusalReply(submission, outcome), message: null }, { status: 400 })
  }
  return data({ result: submission.reply(), message: '活动已保存' })
}

export default function CampaignPage() {
  const { campaign, homes, isOwner, defaults, partnerCandidates } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [searchParams] = useSearchParams()
  const notice = actionData?.message ?? (searchParams.get('created') ? '活动已创建' : null)
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">{campaign.name}</h2>
        <Link to=".." relative="path" className="link text-sm">
          返回活动列表
        </Link>
      </div>
      {notice ? <FormMessage tone="success">{notice}</FormMessage> : null}
      <section className="card space-y-1 text-stone-800" aria-labelledby="campaign-summary-heading">
        <h3 id="campaign-summary-heading" className="font-semibold">
          概况
        </h3>
        <p>
          {formatDate(campaign.startsAt)} – {formatDate(campaign.endsAt)}
        </p>
        <p>参与机构：{homes.map((h) => h.name).join('、')}</p>
        {campaign.description ? <p className="whitespace-pre-line">{campaign.description}</p> : null}
        <p>
          <Link to={`/campaigns/${campaign.slug}`} className="link">
            公开活动页
          </Link>
          {' · '}
          <Link to={`../../wishes/new?campaignId=${campaign.id}`} relative="path" className="link">
            为本活动新建心愿
          </Link>
        </p>
      </section>
      {isOwner ? (
        <section className="card space-y-3" aria-labelledby="edit-campaign-heading">
          <h3 id="edit-campaign-heading" className="font-semibold">
            编辑活动
          </h3>
          <CampaignForm
            id={`campaign-${campaign.id}`}
            lastResult={actionData?.result}
            defaultValue={defaults}
            partnerCandidates={partnerCandidates}
            submitLabel="保存活动"
          />
        </section>
      ) : (
        <p className="card text-stone-700">本机构是该活动的合作机构；活动信息由发起机构维护。</p>
      )}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
