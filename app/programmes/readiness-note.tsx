import { Link } from '@remix-run/react'

// What an applicant to a programme still has to provide before the home can pair them, and who
// checks it (docs/product.md rule 5). Shown on the programme page and on /me/volunteer.

export function ReadinessNote({
  missing,
  homeName,
  status,
}: {
  missing: { key: string; words: string }[]
  homeName: string
  status: 'pending' | 'accepted' | 'declined'
}) {
  if (status === 'declined') return null
  if (missing.length === 0) {
    return (
      <p className="text-sm text-stone-800">
        {status === 'accepted' ? `资料齐全，${homeName}会为您安排结对家庭。` : `资料齐全，请等待${homeName}审核申请。`}
      </p>
    )
  }
  return (
    <div className="space-y-1 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-stone-900" data-testid="application-missing">
      <p className="font-semibold">结对前还需完成：</p>
      <ul className="list-disc pl-5">
        {missing.map((m) => (
          <li key={m.key}>{m.words}</li>
        ))}
      </ul>
      <p>
        请在
        <Link to="/me/volunteer" className="link">
          志愿者资料
        </Link>
        中填写实名资料、提交背景核验材料和资质证明，由{homeName}的工作人员核验。
      </p>
    </div>
  )
}
