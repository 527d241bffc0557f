import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, FormMessage } from '~/components/forms'
import { teamStatusLabels } from '~/teams/limits'
import { hideTeam, listHomeTeams } from '~/teams/teams.server'
import { hideTeamSchema } from '~/teams/validation'
import { formatFen } from '~/utils/format'
import { parseId } from '~/utils/ids'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

// Staff: the 一起捐 pages members started for this home; hide one that misuses the home's name
// (the reason is kept on the team and in the audit log).

export const meta: MetaFunction = () => pageMeta({ title: '一起捐', description: '机构工作人员：为本机构发起的一起捐' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  return { teams: listHomeTeams(institution.id) }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const formData = await request.formData()
  const teamId = parseId(formData.get('teamId'))
  const submission = parseWithZod(formData, { schema: hideTeamSchema })
  if (submission.status !== 'success') return data({ teamId, result: submission.reply() }, { status: 400 })
  const outcome = hideTeam(actorFrom(user, context), institution.id, submission.value.teamId, submission.value.reason)
  if (!outcome.ok) return data({ teamId, result: refusalReply(submission, outcome) }, { status: 404 })
  return redirect(`/staff/${institution.slug}/teams?hidden=${outcome.team.id}`)
}

export default function StaffTeams() {
  const { teams } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <section className="space-y-4" aria-labelledby="teams-heading">
      <h2 id="teams-heading" className="text-xl font-semibold">
        一起捐
      </h2>
      <p className="text-sm text-stone-700">
        爱心人士为本机构（或本机构的心愿、物资需求、活动）发起的一起捐页面。若页面冒用机构名义或内容不当，可以隐藏它并写明原因。
      </p>
      {teams.length ? (
        <ul className="space-y-3">
          {teams.map((t) => {
            const errors = actionData?.teamId === t.id ? actionData.result : undefined
            const reasonErrors = (errors?.error?.reason ?? undefined) as string[] | undefined
            const formErrors = (errors?.error?.[''] ?? undefined) as string[] | undefined
            return (
              <li key={t.id} className="card space-y-2">
                <p className="flex flex-wrap items-center justify-between gap-2">
                  <Link to={`/teams/${t.id}`} className="link font-semibold">
                    {t.name}
                  </Link>
                  <span className="text-sm text-stone-700">{teamStatusLabels[t.status]}</span>
                </p>
                <p className="text-sm text-stone-800">
                  已筹 {formatFen(t.raisedFen)} / 目标 {formatFen(t.goalFen)} · {t.giftCount} 笔
                </p>
                {t.story ? <p className="whitespace-pre-line text-sm text-stone-800">{t.story}</p> : null}
                {t.status === 'hidden' ? (
                  <p className="text-sm text-stone-800">隐藏原因：{t.hiddenReason}</p>
                ) : (
                  <Form method="post" className="space-y-2">
                    <FormMessage>{formErrors?.join('；')}</FormMessage>
                    <input type="hidden" name="teamId" value={t.id} />
                    <label htmlFor={`hide-reason-${t.id}`} className="block text-sm font-medium text-stone-800">
                      隐藏原因
                    </label>
                    <input
                      id={`hide-reason-${t.id}`}
                      name="reason"
                      className="input"
                      defaultValue={(errors?.initialValue?.reason as string | undefined) ?? ''}
                      aria-invalid={reasonErrors ? true : undefined}
                      aria-describedby={reasonErrors ? `hide-reason-${t.id}-error` : undefined}
                    />
                    <ErrorList id={`hide-reason-${t.id}-error`} errors={reasonErrors} />
                    <button type="submit" className="btn-secondary">
                      隐藏这个页面
                    </button>
                  </Form>
                )}
              </li>
            )
          })}
        </ul>
      ) : (
        <p className="card text-stone-700">还没有人为本机构发起一起捐。</p>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
