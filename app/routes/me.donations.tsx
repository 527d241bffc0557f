import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { QrCode } from '~/components/qr-code'
import { donorPublicName } from '~/donations/display'
import { myPledgeActionSchema } from '~/needs/pledge-validation'
import { pledgeStatusWords } from '~/needs/labels'
import { cancelPledge, listMyOtherDonations, listMyPledges, reducePledge } from '~/needs/pledges.server'
import { formatDate, formatDateTime, formatFen } from '~/utils/format'
import { notFound } from '~/utils/http.server'
import { parseId } from '~/utils/ids'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { teamStatusLabels } from '~/teams/limits'
import { listMyTeams } from '~/teams/teams.server'
import { siteQrCode } from '~/utils/qr.server'

export const meta: MetaFunction = () => pageMeta({ title: '我的捐赠', description: '您的物资认捐、认捐编号和每一笔捐赠的回执。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const pledges = await Promise.all(
    listMyPledges(user.id).map(async (p) => ({
      ...p,
      // Staff scan this at the door to open the pledge in their intake page.
      qrSvg: p.status === 'active' ? (await siteQrCode(request, `/staff/${p.homeSlug}/intake?code=${p.code}`)).svg : null,
    })),
  )
  return { pledges, others: listMyOtherDonations(user.id), displayName: user.displayName, teams: listMyTeams(user.id) }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request)
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: myPledgeActionSchema })
  if (submission.status !== 'success')
    return data({ pledgeId: parseId(formData.get('pledgeId')), result: submission.reply() }, { status: 400 })
  const input = submission.value
  const outcome =
    input.intent === 'reduce'
      ? reducePledge({ userId: user.id, pledgeId: input.pledgeId, quantity: input.quantity })
      : cancelPledge({ userId: user.id, pledgeId: input.pledgeId })
  if (!outcome.ok) {
    if (outcome.reason === 'not_found') notFound()
    return data({ pledgeId: input.pledgeId as number | null, result: refusalReply(submission, outcome) }, { status: 409 })
  }
  return redirect(`/me/donations?updated=${input.pledgeId}#pledge-${input.pledgeId}`)
}

type Pledge = Awaited<ReturnType<typeof loader>>['pledges'][number]

export default function MyDonationsPage() {
  const { pledges, others, teams } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()
  return (
    <div className="mx-auto max-w-2xl space-y-8">
      <h1 className="text-2xl font-semibold">我的捐赠</h1>
      {searchParams.get('pledged') ? (
        <FormMessage tone="success">认捐成功！请在预计日期前送达，并出示下面的认捐编号或二维码。</FormMessage>
      ) : null}

      <section aria-labelledby="pledges-title" className="space-y-4">
        <h2 id="pledges-title" className="text-xl font-semibold">
          物资认捐
        </h2>
        {pledges.length === 0 ? (
          <p className="text-stone-800">
            您还没有认捐物资。{' '}
            <Link to="/needs" className="link">
              看看机构需要什么
            </Link>
          </p>
        ) : (
          <ul className="space-y-4">
            {pledges.map((p) => (
              <li key={p.id}>
                <PledgeCard pledge={p} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="others-title" className="space-y-4">
        <h2 id="others-title" className="text-xl font-semibold">
          其他捐赠记录
        </h2>
        {others.length === 0 ? (
          <p className="text-stone-800">暂无其他捐赠记录。微心愿的礼物送达、或在机构现场登记的捐赠会显示在这里。</p>
        ) : (
          <ul className="space-y-3">
            {others.map((d) => (
              <li key={d.receiptNo} className="card space-y-1">
                <p className="font-medium">{d.description}</p>
                <p className="text-sm text-stone-700">
                  {d.home} · {formatDateTime(d.receivedAt)} ·{' '}
                  {d.kind === 'money' ? (d.amountFen === null ? '' : formatFen(d.amountFen)) : `${d.quantity ?? ''} ${d.unit ?? ''}`}
                </p>
                {d.correctionReason ? <p className="text-sm text-stone-800">更正说明：{d.correctionReason}</p> : null}
                <ReceiptLinks receiptNo={d.receiptNo} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="teams-title" className="space-y-4">
        <h2 id="teams-title" className="text-xl font-semibold">
          我发起的一起捐
        </h2>
        {teams.length === 0 ? (
          <p className="text-stone-800">您还没有发起一起捐。在心愿、物资需求、活动或机构页面点击“发起一起捐”，邀请朋友一起定向捐款。</p>
        ) : (
          <ul className="space-y-3" data-testid="my-teams">
            {teams.map((t) => (
              <li key={t.id} className="card space-y-1">
                <p className="font-medium">
                  <Link to={`/teams/${t.id}`} className="link">
                    {t.name}
                  </Link>
                </p>
                <p className="text-sm text-stone-700">
                  {t.homeName} · {teamStatusLabels[t.status]} · 已筹 {formatFen(t.raisedFen)} / 目标 {formatFen(t.goalFen)} · {t.giftCount}{' '}
                  笔
                </p>
                {t.status === 'hidden' ? <p className="text-sm text-stone-800">机构隐藏了这个页面，原因：{t.hiddenReason}</p> : null}
                {t.status === 'open' ? (
                  <Link to={`/teams/${t.id}/edit`} className="link text-sm">
                    修改或结束<span className="sr-only">：{t.name}</span>
                  </Link>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

function ReceiptLinks({ receiptNo }: { receiptNo: string }) {
  return (
    <p className="flex flex-wrap gap-x-4 text-sm">
      <span>回执编号 {receiptNo}</span>
      <Link to={`/ledger/${receiptNo}/receipt`} className="link">
        捐赠回执（可打印）<span className="sr-only">{receiptNo}</span>
      </Link>
      <Link to={`/ledger/${receiptNo}`} className="link">
        公示记录<span className="sr-only">{receiptNo}</span>
      </Link>
    </p>
  )
}

function PledgeCard({ pledge: p }: { pledge: Pledge }) {
  const actionData = useActionData<typeof action>()
  const { displayName } = useLoaderData<typeof loader>()
  const mine = actionData && actionData.pledgeId === p.id ? actionData : null
  // Validated on the server only (no zod in this page's JavaScript); what was typed comes back.
  const typedQuantity = (mine?.result.initialValue as { quantity?: string } | undefined)?.quantity
  const headingId = `pledge-${p.id}-title`
  return (
    <article id={`pledge-${p.id}`} aria-labelledby={headingId} className="card space-y-3">
      <h3 id={headingId} className="text-lg font-semibold">
        <Link to={`/needs/${p.needId}`} className="link">
          {p.title}
        </Link>
      </h3>
      <p className="text-sm text-stone-700">
        {p.home}
        {p.parentName ? `（${p.parentName}）` : ''}
      </p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-stone-800">
        <dt className="font-medium">状态</dt>
        <dd>{pledgeStatusWords(p)}</dd>
        <dt className="font-medium">认捐数量</dt>
        <dd>
          {p.quantity} {p.unit}
        </dd>
        <dt className="font-medium">已收到</dt>
        <dd>
          {p.received} {p.unit}
        </dd>
        <dt className="font-medium">预计送达</dt>
        <dd>{formatDate(p.expectedAt)}</dd>
        <dt className="font-medium">送达地址</dt>
        <dd>{p.deliveryAddress || p.homeAddress || p.home}</dd>
        {p.status === 'active' && (p.shippingRecipient || p.shippingPhone) ? (
          <>
            <dt className="font-medium">收件人</dt>
            <dd data-testid="shipping-recipient">
              {p.shippingRecipient || p.home}
              {p.shippingPhone ? `，联系电话 ${p.shippingPhone}` : ''}
            </dd>
          </>
        ) : null}
        {p.deliveryHours ? (
          <>
            <dt className="font-medium">接收时间</dt>
            <dd>{p.deliveryHours}</dd>
          </>
        ) : null}
        <dt className="font-medium">公开显示为</dt>
        <dd>{donorPublicName(displayName, p.publicDisplay)}</dd>
      </dl>

      {p.status === 'active' ? (
        <div className="flex flex-wrap items-center gap-4 rounded-lg border border-stone-300 p-3">
          {p.qrSvg ? <QrCode svg={p.qrSvg} label={`认捐编号 ${p.code} 的二维码`} /> : null}
          <div>
            <p className="text-sm text-stone-700">认捐编号（送达时出示）</p>
            <p className="font-mono text-4xl font-bold tracking-widest" data-testid="pledge-code">
              {p.code}
            </p>
          </div>
        </div>
      ) : (
        <p className="text-sm text-stone-700">认捐编号 {p.code}</p>
      )}

      {p.receipts.length ? (
        <div>
          <h4 className="font-medium">到达记录与回执</h4>
          <ul className="mt-1 space-y-1">
            {p.receipts.map((r) => (
              <li key={r.receiptNo}>
                <p className="text-sm text-stone-800">
                  {formatDateTime(r.receivedAt)} 收到 {r.quantity} {p.unit}
                </p>
                <ReceiptLinks receiptNo={r.receiptNo} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <FormMessage id={`pledge-${p.id}-message`}>{mine?.result.error?.['']?.join('；')}</FormMessage>
      {p.status === 'active' ? (
        <div className="flex flex-wrap items-end gap-4">
          {p.quantity > Math.max(1, p.received) ? (
            <Form method="post" className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="intent" value="reduce" />
              <input type="hidden" name="pledgeId" value={p.id} />
              <Field
                id={`reduce-${p.id}`}
                label={`减少为（${p.unit}）`}
                name="quantity"
                type="number"
                inputMode="numeric"
                min={Math.max(1, p.received)}
                max={p.quantity - 1}
                key={typedQuantity ?? ''}
                defaultValue={typedQuantity ?? ''}
                errors={mine?.result.error?.quantity}
              />
              <button type="submit" className="btn-secondary">
                减少数量
              </button>
            </Form>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="cancel" />
            <input type="hidden" name="pledgeId" value={p.id} />
            <button type="submit" className="btn-danger">
              {p.received > 0 ? '不再送余下的物资' : '取消认捐'}
            </button>
          </Form>
        </div>
      ) : null}
    </article>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
