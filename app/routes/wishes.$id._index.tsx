import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { WishCardList, WishStatusBadge } from '~/wishes/wish-card'
import { formatFen } from '~/utils/format'
import { pageMeta } from '~/utils/meta'
import { categoryLabels } from '~/wishes/labels'
import { getPublicWish, similarOpenWishes } from '~/wishes/public.server'
import { siteUrl } from '~/utils/origin.server'
import { wishShareCard } from '~/share/cards.server'
import { shareCardImage } from '~/share/share-card.server'
import { invariantFound, requireIdParam } from '~/utils/http.server'
import { publishedPhotos } from '~/feedback-photos/feedback-photos.server'
import { FeedbackPhotoBlock } from '~/feedback-photos/feedback-photo-block'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const wish = invariantFound(getPublicWish(requireIdParam(params, 'id')))
  const shareUrl = siteUrl(`/wishes/${wish.id}`, request)
  return {
    wish,
    similar: wish.open ? [] : similarOpenWishes(wish.id),
    shareUrl,
    shareImage: shareCardImage(request, `/wishes/${wish.id}/card.png`, wishShareCard(wish, shareUrl)),
    feedbackPhotos: publishedPhotos('wish', [wish.id]).map((p) => ({ key: p.key, altText: p.altText })),
  }
}

/**
 * The share card shows pseudonym, age band and the wish; its picture is the generated card
 * (app/share), never the wish's photo, which could show a child.
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return pageMeta({ title: '心愿不存在', description: '这个心愿不存在或尚未公开。' })
  const { wish } = data
  const description = (wish.story || `${wish.home.name}的孩子的微心愿`).replace(/\s+/g, ' ').slice(0, 120)
  const title = `${wish.pseudonym}（${wish.ageBand}）的心愿：${wish.title}`
  return pageMeta({
    title,
    shareTitle: title, // previews show the wish alone, without the site's name
    description,
    url: data.shareUrl,
    image: data.shareImage,
  })
}

export default function WishPage() {
  const { wish, similar, feedbackPhotos } = useLoaderData<typeof loader>()
  const { home } = wish
  return (
    <article className="space-y-6">
      <p>
        <Link to="/wishes" className="link">
          ← 全部心愿
        </Link>
      </p>
      <header className="space-y-2">
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <span className="rounded-full bg-brand-50 px-2.5 py-0.5 font-medium text-brand-800">{categoryLabels[wish.category]}</span>
          <WishStatusBadge status={wish.open || wish.status !== 'published' ? wish.status : 'expired'} />
        </p>
        <h1 className="text-2xl font-semibold leading-snug">{wish.title}</h1>
        <p className="text-stone-800">
          <span className="font-medium">{wish.pseudonym}</span>（化名）· {wish.ageBand} ·{' '}
          <Link to={`/institutions/${home.slug}`} className="link">
            {home.name}
          </Link>{' '}
          · {home.city}
        </p>
        {wish.campaign ? (
          <p className="text-sm text-stone-700">
            所属活动：
            <Link to={`/campaigns/${wish.campaign.slug}`} className="link">
              {wish.campaign.name}
            </Link>
          </p>
        ) : null}
      </header>

      {wish.imageKey ? (
        <img
          src={`/images/${encodeURIComponent(wish.imageKey)}`}
          alt={`心愿物品图片：${wish.title}`}
          className="max-h-80 w-full rounded-xl object-contain"
          loading="lazy"
        />
      ) : null}

      <ClaimPanel wish={wish} />

      <FeedbackPhotoBlock photos={feedbackPhotos} />

      {wish.story ? (
        <section aria-labelledby="story-title" className="card">
          <h2 id="story-title" className="text-lg font-semibold">
            心愿故事
          </h2>
          <p className="mt-2 whitespace-pre-line text-stone-900">{wish.story}</p>
        </section>
      ) : null}

      <section aria-labelledby="item-title" className="card">
        <h2 id="item-title" className="text-lg font-semibold">
          心愿物品
        </h2>
        <dl className="mt-2 grid grid-cols-[6rem_1fr] gap-x-3 gap-y-1.5">
          <dt className="text-stone-700">物品</dt>
          <dd>{wish.title}</dd>
          {wish.itemDetails ? (
            <>
              <dt className="text-stone-700">规格说明</dt>
              <dd className="whitespace-pre-line break-words">{wish.itemDetails}</dd>
            </>
          ) : null}
          <dt className="text-stone-700">数量</dt>
          <dd>{wish.quantity}</dd>
          {wish.estimatedValueFen !== null ? (
            <>
              <dt className="text-stone-700">参考价值</dt>
              <dd>约 {formatFen(wish.estimatedValueFen)}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section aria-labelledby="delivery-title" className="card">
        <h2 id="delivery-title" className="text-lg font-semibold">
          如何送达
        </h2>
        <ol className="mt-2 list-decimal space-y-1.5 pl-5 text-stone-900">
          <li>登录后点击“认领这个心愿”，并选择公示时如何显示您的称呼（全名、部分隐藏或“爱心人士”）。</li>
          <li>
            认领后 <strong>{home.claimBuyDays} 天内</strong>购买，并在“我的认领”中标记“已购买”。
          </li>
          <li>
            认领后 <strong>{home.claimDeliverDays} 天内</strong>寄送或送到机构，请在包裹上写明“我的认领”中的<strong>认领编号</strong>
            ，方便机构核对。
          </li>
          <li>机构收到后登记入账，在捐赠公示中生成一条记录，再把礼物交给孩子。</li>
        </ol>
        <p className="mt-2 text-sm text-stone-700">超过期限未完成的认领会被自动释放，期限前两天会提醒您。</p>
      </section>

      <section aria-labelledby="home-title" className="card">
        <h2 id="home-title" className="text-lg font-semibold">
          收件机构
        </h2>
        <p className="mt-2 font-medium">{home.name}</p>
        <p className="text-stone-800">
          {home.publicAddress ? home.publicAddress : `${home.province} ${home.city} ${home.district}`.trim()}
        </p>
        {home.publicAddress ? null : <p className="mt-1 text-sm text-stone-700">认领后可在“我的认领”中查看详细收件信息。</p>}
      </section>

      {wish.receipts.length ? (
        <section aria-labelledby="receipts-title" className="card">
          <h2 id="receipts-title" className="text-lg font-semibold">
            捐赠公示记录
          </h2>
          <ul className="mt-2 space-y-1">
            {wish.receipts.map((r) => (
              <li key={r.receiptNo}>
                <Link to={`/ledger/${r.receiptNo}`} className="link">
                  {r.receiptNo}
                </Link>{' '}
                · {r.donorDisplay}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <p>
        <Link to={`/wishes/${wish.id}/poster`} className="link">
          打印心愿海报（心愿墙用）
        </Link>
      </p>

      {similar.length ? (
        <section aria-labelledby="similar-title" className="space-y-3">
          <h2 id="similar-title" className="text-lg font-semibold">
            这些心愿还在等待认领
          </h2>
          <WishCardList wishes={similar} empty={null} />
        </section>
      ) : null}
    </article>
  )
}

function ClaimPanel({ wish }: { wish: { id: number; status: string; open: boolean } }) {
  if (wish.open) {
    return (
      <p className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Link to={`/wishes/${wish.id}/claim`} className="btn-primary w-full sm:w-auto">
          认领这个心愿
        </Link>{' '}
        <Link to={`/give?wish=${wish.id}`} className="btn-secondary w-full sm:w-auto">
          以捐款代替实物
        </Link>{' '}
        <Link to={`/teams/new?wish=${wish.id}`} className="link inline-flex min-h-11 items-center">
          发起一起捐
        </Link>
      </p>
    )
  }
  if (wish.status === 'published') {
    return (
      <div className="card">
        <p className="font-semibold">已不再接受认领</p>
        <p className="mt-1 text-stone-800">这个心愿所属的活动已经结束。</p>
      </div>
    )
  }
  if (wish.status === 'claimed') {
    return (
      <div className="card space-y-2">
        <p className="font-semibold">已被认领</p>
        <p className="text-stone-800">
          这个心愿已有爱心人士认领。您可以加入候补：如果认领被释放，排在第一位的候补会获得 24 小时的优先认领机会。
        </p>
        <Form method="post" action={`/wishes/${wish.id}/waitlist`}>
          <input type="hidden" name="intent" value="join" />
          <button type="submit" className="btn-secondary">
            加入候补
          </button>
        </Form>
      </div>
    )
  }
  return (
    <div className="card">
      <p className="font-semibold">{wish.status === 'fulfilled' ? '已实现' : '已收到'}</p>
      <p className="mt-1 text-stone-800">
        {wish.status === 'fulfilled' ? '礼物已经交到孩子手中，感谢爱心人士！' : '机构已收到礼物，正在转交给孩子。'}
      </p>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
