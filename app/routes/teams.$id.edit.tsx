import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { TeamForm } from '~/teams/team-form'
import { closeTeam, getOwnTeam, updateTeam } from '~/teams/teams.server'
import { teamEditSchema } from '~/teams/validation'
import { fenToYuan } from '~/utils/format'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

// The starter edits their team (privacy-checked again) or ends it.

export const meta: MetaFunction = () => pageMeta({ title: '修改一起捐', description: '修改或结束您发起的一起捐。' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const team = invariantFound(getOwnTeam(requireIdParam(params, 'id'), user.id), '没有找到这个一起捐')
  return {
    team: {
      id: team.id,
      status: team.status,
      name: team.name,
      goal: fenToYuan(team.goalFen),
      story: team.story,
      endsOn: team.endsOn ?? '',
      starterDisplay: team.starterDisplay,
      hiddenReason: team.hiddenReason,
    },
    displayName: user.displayName,
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = requireUser(request)
  const teamId = requireIdParam(params, 'id')
  invariantFound(getOwnTeam(teamId, user.id), '没有找到这个一起捐')
  const submission = parseWithZod(await request.formData(), { schema: teamEditSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const input = submission.value
  const outcome = input.intent === 'close' ? closeTeam(user.id, teamId) : updateTeam(user.id, teamId, input)
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome) }, { status: 400 })
  return redirect(`/teams/${teamId}`)
}

export default function EditTeamPage() {
  const { team, displayName } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <p>
        <Link to={`/teams/${team.id}`} className="link">
          ← 返回一起捐页面
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">修改一起捐</h1>
      {team.status === 'hidden' ? (
        <p role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-stone-900">
          机构隐藏了这个一起捐页面，原因：{team.hiddenReason}
        </p>
      ) : (
        <>
          <TeamForm
            id="edit-team"
            lastResult={actionData?.result}
            defaults={{ ...team }}
            displayName={displayName}
            submitLabel="保存修改"
          />
          {team.status === 'open' ? (
            <Form method="post" className="card space-y-2">
              <h2 className="text-lg font-semibold">结束一起捐</h2>
              <p className="text-stone-800">结束后页面和已筹金额仍然公开，但不再通过本页接受新的捐款。</p>
              <input type="hidden" name="intent" value="close" />
              <button type="submit" className="btn-secondary">
                结束这个一起捐
              </button>
            </Form>
          ) : (
            <p className="text-stone-800">这个一起捐已结束。</p>
          )}
        </>
      )}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
