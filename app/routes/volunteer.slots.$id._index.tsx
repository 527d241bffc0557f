import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { formatSlotTime, remainingLabel } from '~/slots/labels'
import { getPublicSlot } from '~/slots/public.server'
import { formatDateTime } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { slotKindLabels } from '~/volunteers/labels'
import { invariantFound, requireIdParam } from '~/utils/http.server'

// The public page of one slot. Its booking page (volunteer.slots.$id.book) is a sibling route,
// hence this file is the index.

export async function loader({ params }: LoaderFunctionArgs) {
  const slot = invariantFound(getPublicSlot(requireIdParam(params, 'id')))
  return {
    slot: {
      ...slot,
      startsAt: slot.startsAt.toISOString(),
      endsAt: slot.endsAt.toISOString(),
      opensAt: slot.opensAt?.toISOString() ?? null,
      closesAt: slot.closesAt?.toISOString() ?? null,
    },
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return pageMeta({ title: '志愿活动', description: '志愿活动不存在或已下线。' })
  const { slot } = data
  return pageMeta({
    title: `${slot.title} · ${slot.home.name}`,
    description: `${slotKindLabels[slot.kind]}：${formatSlotTime(slot.startsAt, slot.endsAt)}，${slot.home.name}（${slot.home.city}）。${slot.status === 'cancelled' ? '本场活动已取消。' : remainingLabel(slot.remaining, slot.capacity)}`,
  })
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-[8rem_1fr]">
      <dt className="font-medium text-stone-700">{label}</dt>
      <dd className="text-stone-900">{children}</dd>
    </div>
  )
}

export default function SlotPage() {
  const { slot } = useLoaderData<typeof loader>()
  const full = slot.remaining <= 0
  const address = [slot.home.province, slot.home.city, slot.home.district].filter(Boolean).join(' ')
  return (
    <article className="space-y-4" aria-labelledby="slot-title">
      <p className="text-sm">
        <Link to="/volunteer" className="link">
          志愿服务
        </Link>{' '}
        <span aria-hidden="true">›</span> {slotKindLabels[slot.kind]}
      </p>
      <header className="space-y-1">
        <p className="flex flex-wrap gap-1">
          <span className="rounded-full bg-brand-50 px-2 py-0.5 text-sm text-brand-800">{slotKindLabels[slot.kind]}</span>
        </p>
        <h1 id="slot-title" className="text-2xl font-semibold">
          {slot.title}
        </h1>
        <p className="text-stone-800">
          <Link to={`/institutions/${slot.home.slug}`} className="link">
            {slot.home.name}
          </Link>{' '}
          · {slot.home.city}
        </p>
      </header>

      {slot.booking === 'cancelled' ? (
        <p role="status" className="rounded-lg border border-red-300 bg-red-50 p-3 text-red-900" data-testid="slot-cancelled">
          本场活动已取消。已预约的志愿者会收到通知。欢迎
          <Link to="/volunteer" className="link">
            预约其他场次
          </Link>
          。
        </p>
      ) : null}

      <section className="card space-y-3" aria-labelledby="booking-heading">
        <h2 id="booking-heading" className="text-lg font-semibold">
          名额与预约
        </h2>
        {slot.booking !== 'cancelled' ? (
          <p className={`text-xl font-semibold ${full ? 'text-red-800' : 'text-green-800'}`} data-testid="slot-remaining">
            {remainingLabel(slot.remaining, slot.capacity)}
            {full && slot.waitlist > 0 ? (
              <span className="ml-2 text-base font-normal text-stone-700">（{slot.waitlist} 组在候补）</span>
            ) : null}
          </p>
        ) : null}
        {slot.booking === 'open' ? (
          <div className="space-y-2">
            <Link to={`/volunteer/slots/${slot.id}/book`} className="btn-primary w-full sm:w-auto">
              {full ? '加入候补' : '预约'}
            </Link>
            {full ? <p className="text-sm text-stone-700">名额已满。加入候补后，有人取消时系统会按顺序为您保留名额并通知您确认。</p> : null}
            {slot.closesAt ? <p className="text-sm text-stone-700">预约截止：{formatDateTime(slot.closesAt)}</p> : null}
          </div>
        ) : null}
        {slot.booking === 'not_open' && slot.opensAt ? (
          <p className="text-stone-800">预约将于 {formatDateTime(slot.opensAt)} 开放，请届时再来。</p>
        ) : null}
        {slot.booking === 'closed' ? <p className="text-stone-800">预约已截止。如有疑问请联系机构。</p> : null}
        {slot.booking === 'ended' ? <p className="text-stone-800">本场活动已结束。</p> : null}
      </section>

      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading" className="text-lg font-semibold">
          活动详情
        </h2>
        <dl className="mt-1 divide-y divide-stone-200">
          <Row label="时间">{formatSlotTime(slot.startsAt, slot.endsAt)}（北京时间）</Row>
          <Row label="地点">
            {slot.location || slot.home.publicAddress || address}
            {slot.location && slot.home.publicAddress ? (
              <span className="block text-sm text-stone-700">机构地址：{slot.home.publicAddress}</span>
            ) : null}
          </Row>
          <Row label="名额">{slot.capacity} 人</Row>
          <Row label="团体">{slot.groupRules}</Row>
          <Row label="取消">{slot.cancelCutoff}</Row>
          <Row label="志愿者要求">
            {slot.requirements.length ? (
              <>
                <ul className="list-disc space-y-1 pl-5" data-testid="slot-requirements">
                  {slot.requirements.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
                <p className="mt-1 text-sm text-stone-700">
                  请先在
                  <Link to="/me/volunteer" className="link">
                    志愿者资料
                  </Link>
                  中填写实名信息并提交证明材料，由机构核验。
                </p>
              </>
            ) : (
              '无特殊要求，欢迎报名'
            )}
          </Row>
          {slot.home.publicPhone ? <Row label="联系机构">{slot.home.publicPhone}</Row> : null}
        </dl>
      </section>

      {slot.description ? (
        <section className="card space-y-2" aria-labelledby="about-heading">
          <h2 id="about-heading" className="text-lg font-semibold">
            活动说明
          </h2>
          <p className="whitespace-pre-line text-stone-800">{slot.description}</p>
        </section>
      ) : null}
    </article>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
