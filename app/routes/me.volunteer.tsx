import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { qualificationKinds, type VerificationStatus } from '~db/enums'
import { requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage, SelectField, TextareaField } from '~/components/forms'
import { serverReply } from '~/components/server-reply'
import { formatDate, formatDateTime } from '~/utils/format'
import { HoursTotals, hoursText } from '~/components/hours-totals'
import { invariantResponse } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { myOpenApplications } from '~/programmes/applications.server'
import { applicationStatusLabels } from '~/programmes/labels'
import { ReadinessNote } from '~/programmes/readiness-note'
import { serviceSummary } from '~/volunteers/hours.server'
import { qualificationLabels, verificationLabels } from '~/volunteers/labels'
import { removeQualificationSchema } from '~/volunteers/profile-validation'
import {
  addQualification,
  backgroundCheckSchema,
  getProfile,
  profileSchema,
  qualificationSchema,
  removeQualification,
  saveProfile,
  submitBackgroundCheck,
} from '~/volunteers/profiles.server'

export const meta: MetaFunction = () => [
  ...pageMeta({ title: '志愿者资料', description: '实名资料、资质、背景核验和我的志愿时长。' }),
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const { profile, background, qualifications } = getProfile(user.id)
  const saved = new URL(request.url).searchParams.get('saved')
  return {
    saved,
    profile: profile ? { realName: profile.realName, phone: profile.phone, birthDate: profile.birthDate ?? '' } : null,
    background,
    qualifications,
    hours: serviceSummary(user.id),
    applications: myOpenApplications(user.id),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')

  if (intent === 'profile') {
    const submission = parseWithZod(formData, { schema: profileSchema })
    if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
    const outcome = saveProfile(user.id, submission.value)
    if (!outcome.ok) return data({ intent, result: refusalReply(submission, outcome) }, { status: 409 })
    return redirect('/me/volunteer?saved=profile#profile')
  }
  if (intent === 'qualification') {
    const submission = parseWithZod(formData, { schema: qualificationSchema })
    if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
    addQualification(user.id, submission.value.kind, submission.value.evidence)
    return redirect('/me/volunteer?saved=qualification#qualifications')
  }
  if (intent === 'remove-qualification') {
    const submission = parseWithZod(formData, { schema: removeQualificationSchema })
    if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 404 })
    const outcome = removeQualification(user.id, submission.value.qualificationId)
    if (!outcome.ok) return data({ intent, result: refusalReply(submission, outcome) }, { status: 404 })
    return redirect('/me/volunteer?saved=removed#qualifications')
  }
  if (intent === 'background') {
    const submission = parseWithZod(formData, { schema: backgroundCheckSchema })
    if (submission.status !== 'success') return data({ intent, result: submission.reply() }, { status: 400 })
    const outcome = submitBackgroundCheck(user.id, submission.value.evidence)
    if (!outcome.ok) return data({ intent, result: refusalReply(submission, outcome) }, { status: 409 })
    return redirect('/me/volunteer?saved=background#background')
  }
  invariantResponse(false, '未知操作')
}

const savedMessages: Record<string, string> = {
  profile: '实名资料已保存',
  qualification: '资质已提交，等待机构核验',
  removed: '资质已删除',
  background: '背景核验材料已提交，等待机构审核',
}

const stateClasses: Record<VerificationStatus | 'expired', string> = {
  none: 'bg-stone-100 text-stone-800',
  pending: 'bg-amber-100 text-amber-900',
  verified: 'bg-green-100 text-green-900',
  rejected: 'bg-red-100 text-red-900',
  expired: 'bg-red-100 text-red-900',
}

function StateBadge({ state }: { state: VerificationStatus | 'expired' }) {
  const label = state === 'expired' ? '已过期' : verificationLabels[state]
  return <span className={`inline-block rounded-full px-2 py-0.5 text-sm font-medium ${stateClasses[state]}`}>{label}</span>
}

export default function VolunteerProfilePage() {
  const { saved, profile, background, qualifications, hours, applications } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const mine = (intent: string) => (actionData && actionData.intent === intent ? actionData.result : undefined)
  const profileResult = mine('profile')
  const qualResult = mine('qualification')
  const bgResult = mine('background')
  const removeResult = mine('remove-qualification')

  return (
    <div className="mx-auto max-w-2xl space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">志愿者资料</h1>
        <p className="mt-1 text-stone-700">
          预约需要实名或资质的志愿活动前，请在这里填写资料。看看{' '}
          <Link to="/volunteer" className="link">
            正在招募的志愿活动
          </Link>
          ，或查看{' '}
          <Link to="/me/bookings" className="link">
            我的预约
          </Link>
          ；全部服务明细和证明见{' '}
          <Link to="/me/service" className="link">
            志愿服务记录
          </Link>
          ；参与结对陪伴或学业辅导见{' '}
          <Link to="/me/pairings" className="link">
            我的结对
          </Link>
          、{' '}
          <Link to="/me/tutoring" className="link">
            辅导意向
          </Link>
          。
        </p>
      </div>

      {saved && savedMessages[saved] ? <FormMessage tone="success">{savedMessages[saved]}</FormMessage> : null}

      {applications.length ? (
        <section id="applications" aria-labelledby="applications-title" className="card space-y-3">
          <h2 id="applications-title" className="text-xl font-semibold">
            我申请的项目
          </h2>
          <ul className="space-y-3">
            {applications.map((a) => (
              <li key={a.id} className="space-y-2">
                <p>
                  <Link to={`/programmes/${a.programmeSlug}`} className="link font-medium">
                    {a.programmeName}
                  </Link>
                  <span className="text-stone-700">
                    {' '}
                    · {a.homeName} · {applicationStatusLabels[a.status]}
                  </span>
                </p>
                <ReadinessNote missing={a.missing} homeName={a.homeName} status={a.status} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section id="profile" aria-labelledby="profile-title" className="card space-y-4">
        <div>
          <h2 id="profile-title" className="text-xl font-semibold">
            实名资料
          </h2>
          <p className="mt-1 text-sm text-stone-700">
            仅您本人和您预约过的机构的工作人员可以看到，不会公开显示。按《志愿服务条例》，志愿者以真实身份登记，服务时长据此记录。
          </p>
        </div>
        <ProfileForm key={profileResult ? 'retry' : 'saved'} lastResult={profileResult} profile={profile} busy={busy} />
      </section>

      <section id="qualifications" aria-labelledby="qualifications-title" className="card space-y-4">
        <div>
          <h2 id="qualifications-title" className="text-xl font-semibold">
            专业资质
          </h2>
          <p className="mt-1 text-sm text-stone-700">需要专业背景的活动（如特殊教育、康复）只接受资质已被机构核验的志愿者。</p>
        </div>
        <FormMessage>
          {removeResult?.error ? Object.values(removeResult.error).flat().filter(Boolean).join('；') || '没有找到这项资质' : null}
        </FormMessage>
        {qualifications.length ? (
          <ul className="divide-y divide-stone-200" data-testid="qualifications">
            {qualifications.map((q) => (
              <li key={q.id} className="space-y-1 py-3">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{qualificationLabels[q.kind]}</span>
                  <StateBadge state={q.status} />
                </div>
                <p className="text-sm text-stone-800">证明材料：{q.evidence}</p>
                {q.status === 'verified' && q.verifiedAt ? (
                  <p className="text-sm text-stone-700">
                    由{q.verifiedByHome ?? '机构'}于 {formatDate(q.verifiedAt)} 核验
                  </p>
                ) : null}
                {q.status === 'rejected' ? (
                  <p className="text-sm text-red-800">
                    {q.verifiedByHome ?? '机构'}未通过：{q.note}。可修改证明材料后重新提交。
                  </p>
                ) : null}
                <Form method="post">
                  <input type="hidden" name="intent" value="remove-qualification" />
                  <input type="hidden" name="qualificationId" value={q.id} />
                  <button type="submit" className="link text-sm" disabled={busy}>
                    删除「{qualificationLabels[q.kind]}」
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-stone-800">还没有添加资质。</p>
        )}
        <QualificationForm
          key={qualResult ? 'q-retry' : `q-${qualifications.map((q) => `${q.id}:${q.evidence}`).join('|')}`}
          lastResult={qualResult}
          busy={busy}
        />
      </section>

      <section id="background" aria-labelledby="background-title" className="card space-y-4">
        <div>
          <h2 id="background-title" className="text-xl font-semibold">
            背景核验
          </h2>
          <p className="mt-1 text-sm text-stone-700">
            按《未成年人保护法》第六十二条，与儿童密切接触的志愿者须经机构核验无性侵害、虐待、拐卖、暴力伤害等违法犯罪记录。
          </p>
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm" data-testid="background-check">
          <dt className="text-stone-700">状态</dt>
          <dd>
            <StateBadge state={background.state} />
          </dd>
          {background.evidence ? (
            <>
              <dt className="text-stone-700">已提交材料</dt>
              <dd>{background.evidence}</dd>
            </>
          ) : null}
          {background.verifiedAt &&
          (background.state === 'verified' || background.state === 'expired' || background.state === 'rejected') ? (
            <>
              <dt className="text-stone-700">{background.state === 'rejected' ? '审核机构' : '核验机构'}</dt>
              <dd>
                {background.verifiedByHome ?? '机构'}（{formatDateTime(background.verifiedAt)}）
              </dd>
            </>
          ) : null}
          {background.expiresAt ? (
            <>
              <dt className="text-stone-700">有效期至</dt>
              <dd>{formatDate(background.expiresAt)}</dd>
            </>
          ) : null}
          {background.state === 'rejected' && background.note ? (
            <>
              <dt className="text-stone-700">未通过原因</dt>
              <dd className="text-red-800">{background.note}</dd>
            </>
          ) : null}
        </dl>
        {profile ? (
          <BackgroundForm
            key={bgResult ? 'b-retry' : `b-${background.evidence}`}
            lastResult={bgResult}
            firstTime={background.state === 'none'}
            busy={busy}
          />
        ) : (
          <p className="text-stone-800">请先填写并保存上方的实名资料，再提交背景核验材料。</p>
        )}
      </section>

      <section id="hours" aria-labelledby="hours-title" className="card space-y-4">
        <h2 id="hours-title" className="text-xl font-semibold">
          我的志愿时长
        </h2>
        <p className="text-3xl font-bold text-brand-800" data-testid="total-hours">
          {hoursText(hours.totalHours)}
        </p>
        {hours.items.length === 0 ? (
          <p className="text-stone-800">签到并签退后，服务时长会记录在这里。</p>
        ) : (
          <>
            <HoursTotals totals={hours} testIdPrefix="hours" />
            <div>
              <h3 className="font-semibold">服务记录</h3>
              <ul className="mt-1 divide-y divide-stone-200" data-testid="service-items">
                {hours.items.map((item) => (
                  <li key={item.id} className="py-2 text-sm">
                    <p className="font-medium text-stone-900">{item.description}</p>
                    <p className="text-stone-700">
                      {item.home} · {formatDateTime(item.startedAt)}–{formatDateTime(item.endedAt).slice(-5)} · {hoursText(item.hours)}
                    </p>
                  </li>
                ))}
              </ul>
            </div>
          </>
        )}
      </section>
    </div>
  )
}

type FormProps = { lastResult: SubmissionResult<string[]> | undefined; busy: boolean }

// Each form is validated on the server only (no zod nor Conform client in this page's
// JavaScript); what was typed comes back from the reply. A new key after saving starts afresh.

function ProfileForm({
  lastResult,
  profile,
  busy,
}: FormProps & { profile: { realName: string; phone: string; birthDate: string } | null }) {
  const reply = serverReply<z.input<typeof profileSchema>>(lastResult)
  const v = lastResult ? reply.values : (profile ?? {})
  return (
    <Form method="post" className="space-y-4" noValidate>
      <input type="hidden" name="intent" value="profile" />
      <FormMessage>{reply.formErrors?.join('；')}</FormMessage>
      <Field
        label="真实姓名"
        id="realName"
        name="realName"
        type="text"
        autoComplete="name"
        defaultValue={v.realName ?? ''}
        errors={reply.errors('realName')}
      />
      <Field
        label="手机号"
        id="phone"
        name="phone"
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        defaultValue={v.phone ?? ''}
        errors={reply.errors('phone')}
        hint="中国大陆手机号，机构联系您时使用"
      />
      <Field
        label="出生日期"
        id="birthDate"
        name="birthDate"
        type="date"
        defaultValue={v.birthDate ?? ''}
        errors={reply.errors('birthDate')}
        hint="部分活动有年龄要求，按活动当天的年龄计算"
      />
      <button type="submit" className="btn-primary w-full sm:w-auto" disabled={busy}>
        保存实名资料
      </button>
    </Form>
  )
}

function QualificationForm({ lastResult, busy }: FormProps) {
  const reply = serverReply<z.input<typeof qualificationSchema>>(lastResult)
  return (
    <Form method="post" className="space-y-4 border-t border-stone-200 pt-4" noValidate>
      <h3 className="font-semibold">添加或更新资质</h3>
      <input type="hidden" name="intent" value="qualification" />
      <FormMessage>{reply.formErrors?.join('；')}</FormMessage>
      <SelectField
        label="资质类别"
        id="qualification-kind"
        name="kind"
        defaultValue={reply.values.kind ?? ''}
        errors={reply.errors('kind')}
        options={[{ value: '', label: '请选择' }, ...qualificationKinds.map((k) => ({ value: k, label: qualificationLabels[k] }))]}
      />
      <TextareaField
        label="证明材料说明"
        id="qualification-evidence"
        name="evidence"
        defaultValue={reply.values.evidence ?? ''}
        errors={reply.errors('evidence')}
        hint="例如：教师资格证（小学语文），证书编号 2019xxxxxxxx，某某市教育局颁发。核验时请携带原件。"
      />
      <button type="submit" className="btn-secondary w-full sm:w-auto" disabled={busy}>
        提交资质
      </button>
    </Form>
  )
}

function BackgroundForm({ lastResult, firstTime, busy }: FormProps & { firstTime: boolean }) {
  const reply = serverReply<z.input<typeof backgroundCheckSchema>>(lastResult)
  return (
    <Form method="post" className="space-y-4" noValidate>
      <input type="hidden" name="intent" value="background" />
      <FormMessage>{reply.formErrors?.join('；')}</FormMessage>
      <TextareaField
        label={firstTime ? '背景核验材料说明' : '重新提交材料说明'}
        id="background-evidence"
        name="evidence"
        defaultValue={reply.values.evidence ?? ''}
        errors={reply.errors('evidence')}
        hint="例如：无犯罪记录证明，某某市公安局某某分局开具，2026-03-02。首次到机构时请携带原件。"
      />
      <button type="submit" className="btn-secondary w-full sm:w-auto" disabled={busy}>
        提交背景核验
      </button>
    </Form>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
