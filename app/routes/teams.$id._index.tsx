import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { getUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { FeedbackPhotoBlock } from '~/feedback-photos/feedback-photo-block'
import { shareCardImage } from '~/share/share-card.server'
import { teamShareCard } from '~/teams/card.server'
import { teamStatusLabels } from '~/teams/limits'
import { getPublicTeam, teamMembers } from '~/teams/teams.server'
import { formatDate, formatFen } from '~/utils/format'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { siteUrl } from '~/utils/origin.server'

// 一起捐 team page (public, light: plain markup and links, no form code). Progress comes from
// the totals kept on the team row; members appear by their own display choice.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const team = invariantFound(getPublicTeam(requireIdParam(params, 'id')), '没有找到这个一起捐')
  if (team.hidden) return data({ hidden: true as const, name: null }, { status: 410 })
  const shareUrl = siteUrl(`/teams/${team.id}`, request)
  const card = teamShareCard(team, shareUrl)
  const user = getUser(request)
  return {
    hidden: false as const,
    team,
    members: teamMembers(team.id),
    shareUrl,
    shareImage: shareCardImage(request, `/teams/${team.id}/card.png`, card),
    isStarter: user?.id === team.starterId,
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data || data.hidden) return pageMeta({ title: '一起捐', description: '这个一起捐页面不存在或已被机构隐藏。' })
  const { team } = data
  const title = `${team.name} · 一起捐`
  const description = `一起捐给${team.home.name}（${team.target.kind}：${team.target.title}）：已筹 ${formatFen(team.raisedFen)}，目标 ${formatFen(team.goalFen)}。`
  return pageMeta({ title, shareTitle: title, description, url: data.shareUrl, image: data.shareImage })
}

export default function TeamPage() {
  const page = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  if (page.hidden)
    return (
      <div className="mx-auto max-w-xl space-y-4">
        <h1 className="text-2xl font-semibold">一起捐页面已隐藏</h1>
        <p className="text-stone-800">受捐机构隐藏了这个一起捐页面。您仍可以在机构页面直接捐款。</p>
        <Link to="/give" className="link">
          选择机构捐款
        </Link>
      </div>
    )
  const { team, members, isStarter } = page
  const percent = Math.min(100, Math.floor((team.raisedFen * 100) / team.goalFen))
  const progressText = `已筹 ${formatFen(team.raisedFen)}，目标 ${formatFen(team.goalFen)}（${percent}%），共 ${team.giftCount} 笔捐款`
  return (
    <article className="mx-auto max-w-2xl space-y-6">
      {searchParams.get('created') ? (
        <FormMessage tone="success">一起捐已发起！把这个页面分享给朋友，大家通过“一起捐”按钮捐款就会计入进度。</FormMessage>
      ) : null}
      <header className="space-y-2">
        <p className="text-sm text-stone-700">
          一起捐 · {teamStatusLabels[team.status]}
          {team.endsOn ? ` · 截止 ${formatDate(team.endsOn)}` : ''}
        </p>
        <h1 className="text-2xl font-semibold leading-snug">{team.name}</h1>
        <p className="text-stone-800">
          一起捐给{team.target.kind}：
          <Link to={team.target.href} className="link">
            {team.target.title}
          </Link>
          {team.target.kind !== '机构' ? (
            <>
              {' '}
              ·{' '}
              <Link to={`/institutions/${team.home.slug}`} className="link">
                {team.home.name}
              </Link>
            </>
          ) : null}{' '}
          · {team.home.city}
        </p>
        <p className="text-stone-800">发起人：{team.starter}</p>
      </header>

      <section aria-labelledby="team-progress-title" className="card space-y-3">
        <h2 id="team-progress-title" className="text-lg font-semibold">
          进度
        </h2>
        <p className="text-2xl font-semibold" data-testid="team-raised">
          {formatFen(team.raisedFen)}
          <span className="text-base font-normal text-stone-700"> / 目标 {formatFen(team.goalFen)}</span>
        </p>
        <div className="h-3 w-full overflow-hidden rounded-full bg-brand-50" role="img" aria-label={progressText}>
          <div className="h-full rounded-full bg-brand-700" style={{ width: `${percent}%` }} />
        </div>
        <p className="text-stone-800" data-testid="team-progress-text">
          {progressText}
        </p>
        {team.acceptsGifts ? (
          <Link to={`/give?${team.giveQuery}`} className="btn-primary w-full sm:w-auto">
            一起捐
          </Link>
        ) : (
          <p className="text-stone-800">这个一起捐已结束，不再通过本页接受捐款。</p>
        )}
        <p className="text-sm text-stone-700">
          每一笔都是给{team.home.name}的定向捐赠，由支付服务商确认后记入
          <Link to="/ledger" className="link">
            公开捐赠记录
          </Link>
          ；退款会从进度中扣除。
        </p>
      </section>

      {team.story ? (
        <section aria-labelledby="team-story-title" className="card">
          <h2 id="team-story-title" className="text-lg font-semibold">
            发起人的话
          </h2>
          <p className="mt-2 whitespace-pre-line text-stone-900">{team.story}</p>
        </section>
      ) : null}

      <section aria-labelledby="team-members-title" className="card space-y-2">
        <h2 id="team-members-title" className="text-lg font-semibold">
          参与者（{members.length}）
        </h2>
        {members.length === 0 ? (
          <p className="text-stone-800">还没有人通过这个页面捐款，来做第一个吧。</p>
        ) : (
          <ul className="flex flex-wrap gap-2" data-testid="team-members">
            {members.map((name, i) => (
              <li key={`${name}-${i}`} className="rounded-full bg-stone-100 px-3 py-1 text-stone-900">
                {name}
              </li>
            ))}
          </ul>
        )}
      </section>

      {team.target.feedback.status ? (
        <section aria-labelledby="team-feedback-title" className="card space-y-2" data-testid="team-feedback">
          <h2 id="team-feedback-title" className="text-lg font-semibold">
            机构反馈
          </h2>
          <p className="text-stone-900">{team.target.feedback.status}</p>
        </section>
      ) : null}
      <FeedbackPhotoBlock
        photos={team.target.feedback.photos.map((p) => ({ key: p.key, altText: p.altText }))}
        headingId="team-feedback-photos"
      />

      {isStarter ? (
        <p>
          <Link to={`/teams/${team.id}/edit`} className="link">
            修改或结束这个一起捐
          </Link>
        </p>
      ) : null}
    </article>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
