import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { PrintLayout } from '~/components/print-layout'
import { QrCode } from '~/components/qr-code'
import { pageMeta } from '~/utils/meta'
import { categoryLabels } from '~/wishes/labels'
import { getPublicWish } from '~/wishes/public.server'
import { siteQrCode } from '~/utils/qr.server'
import { invariantFound, requireIdParam } from '~/utils/http.server'

// A printable A4 poster for offline wish walls (心愿墙). Public fields only: pseudonym, age band,
// the wish and the home; the QR code links to the public wish page.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const wish = invariantFound(getPublicWish(requireIdParam(params, 'id')))
  const qr = await siteQrCode(request, `/wishes/${wish.id}`)
  return {
    poster: {
      id: wish.id,
      pseudonym: wish.pseudonym,
      ageBand: wish.ageBand,
      category: wish.category,
      title: wish.title,
      open: wish.open,
      story: wish.story,
      homeName: wish.home.name,
      city: wish.home.city,
    },
    url: qr.url,
    qrSvg: qr.svg,
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        ...pageMeta({
          title: `心愿海报：${data.poster.title}`,
          description: `${data.poster.pseudonym}（${data.poster.ageBand}）的微心愿海报`,
        }),
        { name: 'robots', content: 'noindex' },
      ]
    : pageMeta({ title: '心愿不存在', description: '这个心愿不存在或尚未公开。' })

export default function WishPosterPage() {
  const { poster, url, qrSvg } = useLoaderData<typeof loader>()
  return (
    // On paper the poster fills one A4 sheet.
    <PrintLayout
      paper={{ size: 'A4', margin: '12mm' }}
      back={{ to: `/wishes/${poster.id}`, label: '返回心愿详情' }}
      hint="也可以使用浏览器菜单中的“打印”，选择 A4 纸张。海报只包含化名、年龄段和心愿内容。"
    >
      <article className="mx-auto flex max-w-[210mm] flex-col items-center gap-5 rounded-2xl border-4 border-brand-700 bg-white px-6 py-8 text-center print:min-h-[265mm] print:justify-center print:border-0 print:shadow-none">
        <p className="text-lg font-semibold tracking-widest text-brand-700">微暖 · 微心愿</p>
        <h1 className="text-3xl font-bold leading-snug text-stone-900 sm:text-4xl print:text-[30pt]">{poster.title}</h1>
        <p className="text-xl text-stone-900">
          <span className="font-semibold">{poster.pseudonym}</span>（化名）· {poster.ageBand} · {categoryLabels[poster.category]}
        </p>
        {poster.story ? (
          <p className="max-w-prose whitespace-pre-line text-left text-lg leading-relaxed text-stone-900">{poster.story}</p>
        ) : null}
        <figure className="flex flex-col items-center gap-2">
          <QrCode svg={qrSvg} label="心愿页面的二维码" className="size-48 sm:size-56 print:size-[75mm]" testId="poster-qr" />
          <figcaption className="text-base text-stone-800">
            {poster.open ? '微信或手机相机扫码，认领这个心愿' : '微信或手机相机扫码，查看这个心愿'}
          </figcaption>
        </figure>
        <p className="break-all text-sm text-stone-700">{url}</p>
        <p className="text-lg text-stone-900">
          {poster.homeName} · {poster.city}
        </p>
      </article>
    </PrintLayout>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
