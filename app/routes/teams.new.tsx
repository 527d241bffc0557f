import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { requireVerifiedContact } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { giftTargetFromQuery, resolveGiftTarget } from '~/payments/payments.server'
import { TeamForm } from '~/teams/team-form'
import { createTeam } from '~/teams/teams.server'
import { teamSchema } from '~/teams/validation'
import { TEAM_GOAL_HINT } from '~/teams/limits'
import { formatFen } from '~/utils/format'
import { invariantFound } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

// 发起一起捐: a signed-in member with a verified contact starts a team page for a home, campaign,
// wish or need that still accepts gifts (?home= / ?campaign= / ?wish= / ?need=, as /give).

const targetLabels = { institution: '机构', campaign: '活动', wish: '微心愿', need: '物资需求' } as const

export const meta: MetaFunction = () => pageMeta({ title: '发起一起捐', description: '邀请朋友一起定向捐款给福利机构。' })

function loadTarget(request: Request) {
  return invariantFound(giftTargetFromQuery(new URL(request.url).searchParams), '没有找到这个捐款对象，或它已不再接受捐款')
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireVerifiedContact(request)
  const target = loadTarget(request)
  return {
    target: {
      kind: targetLabels[target.target],
      title: target.target === 'institution' ? target.institutionName : target.title,
      institutionName: target.institutionName,
      defaultAmountFen: target.target === 'wish' ? target.defaultAmountFen : null,
    },
    displayName: user.displayName,
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireVerifiedContact(request)
  const target = loadTarget(request)
  const submission = parseWithZod(await request.formData(), { schema: teamSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = createTeam(user.id, submission.value, (tx) => resolveGiftTarget(target.target, target.targetId, tx))
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome) }, { status: 400 })
  return redirect(`/teams/${outcome.team.id}?created=1`)
}

export default function NewTeamPage() {
  const { target, displayName } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const location = useLocation()
  const cap = target.defaultAmountFen && target.defaultAmountFen > 0 ? target.defaultAmountFen : null
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">发起一起捐</h1>
      <section className="card space-y-2" aria-labelledby="team-target-title">
        <p className="text-sm text-stone-700">一起捐给 · {target.kind}</p>
        <h2 id="team-target-title" className="text-xl font-semibold">
          {target.title}
        </h2>
        <p className="text-stone-800">受捐机构：{target.institutionName}</p>
        <p className="text-stone-800">
          朋友们通过您的一起捐页面捐款，每一笔都是给这家机构的定向捐赠，由支付服务商确认后记入公开捐赠记录；页面显示目标、进度和参与者（按每个人自己选择的显示方式）。
        </p>
      </section>
      <TeamForm
        id="new-team"
        action={`/teams/new${location.search}`}
        lastResult={actionData?.result}
        defaults={{ starterDisplay: 'masked' }}
        displayName={displayName}
        submitLabel="发起一起捐"
        goalHint={cap ? `${TEAM_GOAL_HINT}，且不超过心愿参考价值 ${formatFen(cap)}` : undefined}
      />
      <p className="text-sm text-stone-700">
        想自己直接捐款？{' '}
        <Link to={`/give${location.search}`} className="link">
          前往捐款
        </Link>
      </p>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
