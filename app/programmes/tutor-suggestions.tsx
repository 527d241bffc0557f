import { Link } from '@remix-run/react'
import { availabilityLabel } from './labels'

type Suggestions = {
  tutors: Array<{ userId: number; name: string; subjectOverlap: string[]; gradeFit: boolean; availabilityOverlap: string[] }>
  othersEligible: number
  invitePath: string | null
}

/** Ranked tutors of this home by name; other homes' volunteers only as a count and an invitation. */
export function TutorSuggestionList({ suggestions }: { suggestions: Suggestions }) {
  const { tutors, othersEligible, invitePath } = suggestions
  return (
    <div className="space-y-1">
      {tutors.length ? (
        <ol className="list-decimal space-y-1 pl-5">
          {tutors.map((s) => (
            <li key={s.userId}>
              {s.name}：科目 {s.subjectOverlap.join('、')} · {s.gradeFit ? '年级匹配' : '年级不匹配'} · 共同时间{' '}
              {s.availabilityOverlap.map(availabilityLabel).join('、') || '无'}
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-stone-700">本机构的志愿者中暂无符合要求的辅导志愿者。</p>
      )}
      {othersEligible > 0 ? (
        <p className="text-sm text-stone-700" data-testid="others-eligible">
          另有 {othersEligible} 位符合要求的辅导志愿者尚未与本机构建立联系，为保护其隐私不显示姓名。
          {invitePath ? (
            <>
              {' '}
              可分享
              <Link to={invitePath} className="link">
                本机构学业辅导项目的报名页
              </Link>
              邀请他们报名，报名后会出现在这里。
            </>
          ) : (
            ' 开放学业辅导项目的报名后，报名的志愿者会出现在这里。'
          )}
        </p>
      ) : null}
    </div>
  )
}
