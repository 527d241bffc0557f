import type { MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ProgrammeLinks } from '~/programmes/programme-links'
import { listPublicProgrammes } from '~/programmes/programmes.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { InstitutionCard } from '~/components/institution-card'
import { WishCardList } from '~/wishes/wish-card'
import { institutionKindLabels, listInstitutions } from '~/institutions/institutions.server'
import { pageMeta } from '~/utils/meta'
import { newestOpenWishes, wishTotals } from '~/wishes/public.server'
import { platformTotals } from '~/institutions/trust.server'
import { PublicTotalsList } from '~/institutions/public-totals'

export const meta: MetaFunction = () =>
  pageMeta({ description: '微暖连接儿童福利机构与爱心人士：认领孩子们的微心愿，预约志愿服务，捐赠物资，每一笔捐赠公开可查。' })

export async function loader() {
  const homes = listInstitutions().map((i) => ({ ...i, kindLabel: institutionKindLabels[i.kind] }))
  return {
    homes,
    totals: wishTotals(),
    platform: platformTotals(),
    openWishes: newestOpenWishes({ limit: 6 }),
    programmes: listPublicProgrammes({ limit: 4 }),
  }
}

const sections = [
  { to: '/wishes', title: '微心愿', body: '孩子们的小小心愿：一本课外书、一张学习书桌、一套文具。' },
  { to: '/volunteer', title: '志愿服务', body: '每月第二个周六社会开放日、学业辅导、焕新乐园家庭陪伴。' },
  { to: '/needs', title: '物资需求', body: '饮用水、四季衣物、被褥、米面油……按需捐赠，不多不少。' },
  { to: '/disclosures', title: '捐赠公示', body: '每一笔捐赠都在阳光下运行，公开记录，人人可查。' },
  { to: '/campaigns', title: '活动', body: '六一、新年等微心愿活动，以及近期结束的活动。' },
  { to: '/give', title: '捐款', body: '定向捐款给一家机构，每一笔都记入公开捐赠记录。' },
]

export default function Index() {
  const { homes, totals, platform, openWishes, programmes } = useLoaderData<typeof loader>()
  return (
    <div className="space-y-10">
      <section className="rounded-2xl bg-brand-50 px-5 py-8 sm:px-8" aria-labelledby="hero-title">
        <h1 id="hero-title" className="text-3xl font-bold text-brand-800 sm:text-4xl">
          慈善之光，虽微而暖
        </h1>
        <p className="mt-3 max-w-2xl text-lg text-stone-800">
          微暖帮助儿童福利院、SOS
          儿童村、救助管理站和社区临时救助点向社会敞开大门：机构发布孩子们的心愿与需要，爱心人士认领、捐赠、陪伴，每一份心意都公开可查。
        </p>
        <p className="mt-5 flex flex-wrap gap-3">
          <Link to="/wishes" className="btn-primary">
            看看孩子们的心愿
          </Link>
          <Link to="/volunteer" className="btn-secondary">
            成为志愿者
          </Link>
        </p>
      </section>

      <section aria-labelledby="platform-totals-title" className="space-y-3">
        <h2 id="platform-totals-title" className="text-xl font-semibold">
          平台数据
        </h2>
        <PublicTotalsList totals={platform} testId="platform-totals" />
        <p className="text-sm text-stone-700">
          捐款为公开捐赠记录中的善款（已扣除更正）；物资为各机构收到的需求物资件数；志愿服务时长为已确认的服务时长。
          <Link to="/ledger" className="link">
            查看公开捐赠记录
          </Link>
        </p>
      </section>

      <section aria-labelledby="ways-title">
        <h2 id="ways-title" className="text-xl font-semibold">
          您可以这样帮助
        </h2>
        <ul className="mt-4 grid gap-3 sm:grid-cols-2">
          {sections.map((s) => (
            <li key={s.to} className="card">
              <Link to={s.to} className="text-lg font-semibold text-brand-800 underline-offset-2 hover:underline">
                {s.title}
              </Link>
              <p className="mt-1 text-stone-700">{s.body}</p>
            </li>
          ))}
        </ul>
      </section>

      {programmes.length ? (
        <section aria-labelledby="programmes-title" className="space-y-3">
          <h2 id="programmes-title" className="text-xl font-semibold">
            长期志愿项目
          </h2>
          <p className="text-stone-700">焕新乐园家庭陪伴（一年 12 次）、学业辅导等，需要实名资料和背景核验。</p>
          <ProgrammeLinks programmes={programmes} />
        </section>
      ) : null}

      <section aria-labelledby="wish-totals-title" className="space-y-4">
        <h2 id="wish-totals-title" className="text-xl font-semibold">
          微心愿进展
        </h2>
        <dl className="grid grid-cols-3 gap-3 text-center" data-testid="wish-totals">
          {[
            { label: '已发布', value: totals.published },
            { label: '已认领', value: totals.claimed },
            { label: '已实现', value: totals.fulfilled },
          ].map((t) => (
            <div key={t.label} className="card flex flex-col-reverse">
              <dt className="text-sm text-stone-700">{t.label}</dt>
              <dd className="text-2xl font-bold text-brand-800">{t.value}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="open-wishes-title" className="space-y-3">
        <h2 id="open-wishes-title" className="text-xl font-semibold">
          等待认领的心愿
        </h2>
        <WishCardList wishes={openWishes} empty={<p>目前所有公开的心愿都已被认领，谢谢每一位爱心人士！新的心愿发布后会出现在这里。</p>} />
        <p>
          <Link to="/wishes" className="link">
            查看全部心愿
          </Link>
        </p>
      </section>

      <section aria-labelledby="homes-title">
        <h2 id="homes-title" className="text-xl font-semibold">
          参与的机构
        </h2>
        {homes.length ? (
          <ul className="mt-4 grid gap-3 sm:grid-cols-2">
            {homes.map((h) => (
              <InstitutionCard key={h.slug} institution={h} />
            ))}
          </ul>
        ) : (
          <p className="mt-3 text-stone-700">还没有机构加入。</p>
        )}
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
