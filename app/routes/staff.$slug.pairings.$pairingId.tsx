import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { pairingStatuses } from '~db/enums'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage, SelectField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { pairingStatusLabels } from '~/programmes/labels'
import { progressLabel } from '~/visits/labels'
import { suggestTutors } from '~/programmes/matching.server'
import { TutorSuggestionList } from '~/programmes/tutor-suggestions'
import { changeStatus, getPairing, linkableNeeds, linkNeed, setRenovationStep, unlinkNeed } from '~/programmes/pairings.server'
import { pairingNeedSchema, pairingStatusSchema, renovationSchema } from '~/programmes/validation'
import { invariantFound, invariantResponse, requireIdParam } from '~/utils/http.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '结对详情', description: '机构工作人员：结对详情' })

function load(request: Request, params: { slug?: string; pairingId?: string }) {
  const staff = requireStaff(request, params.slug)
  const pairing = invariantFound(getPairing(staff.institution.id, requireIdParam(params, 'pairingId')))
  return { ...staff, detail: pairing }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution, detail } = load(request, params)
  const { programme, pairing } = detail
  return {
    pairing: {
      id: pairing.id,
      startDate: pairing.startDate,
      plannedVisits: pairing.plannedVisits,
      status: pairing.status,
      endReason: pairing.endReason,
      renovation: pairing.renovation,
    },
    programme: { id: programme.id, name: programme.name, kind: programme.kind },
    subject: detail.familyAlias ?? detail.childPseudonym ?? '',
    team: detail.team,
    confirmedVisits: detail.confirmedVisits,
    nextDueOn: detail.progress.nextDueOn,
    overdueDays: detail.progress.overdueDays,
    linkedNeeds: detail.linkedNeeds,
    needOptions: programme.kind === 'companionship' ? linkableNeeds(institution.id) : [],
    suggestions: pairing.childId
      ? suggestTutors(institution.id, pairing.childId, programme.kind === 'tutoring' ? programme.id : undefined)
      : null,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution, detail } = load(request, params)
  const actor = actorFrom(user, context)
  const formData = await request.formData()
  const intent = formData.get('intent')
  const id = detail.pairing.id
  const refused = (target: string, result: ReturnType<typeof refusalReply>) => data({ target, result }, { status: 400 })
  if (intent === 'status') {
    const submission = parseWithZod(formData, { schema: pairingStatusSchema })
    if (submission.status !== 'success') return refused('status', submission.reply())
    const outcome = changeStatus(actor, institution.id, id, submission.value.status, submission.value.reason)
    if (!outcome.ok) return refused('status', refusalReply(submission, outcome))
  } else if (intent === 'renovation') {
    const submission = parseWithZod(formData, { schema: renovationSchema })
    const target = `renovation:${String(formData.get('step') ?? '')}`
    if (submission.status !== 'success') return refused(target, submission.reply())
    const outcome = setRenovationStep(actor, institution.id, id, submission.value.step, submission.value.doneOn ?? null)
    if (!outcome.ok) return refused(target, refusalReply(submission, outcome))
  } else if (intent === 'link-need' || intent === 'unlink-need') {
    const submission = parseWithZod(formData, { schema: pairingNeedSchema })
    if (submission.status !== 'success') return refused('needs', submission.reply())
    const change = submission.value.intent === 'link-need' ? linkNeed : unlinkNeed
    const outcome = change(actor, institution.id, id, submission.value.needId)
    if (!outcome.ok) return refused('needs', refusalReply(submission, outcome))
  } else {
    invariantResponse(false, '未知操作')
  }
  return redirect(`/staff/${institution.slug}/pairings/${id}?saved=1`)
}

export default function PairingDetail() {
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errorsFor = (target: string) =>
    actionData?.target === target ? Object.values(actionData.result.error ?? {}).flatMap((e) => e ?? []) : []
  const [statusForm, statusFields] = useForm({
    id: 'pairing-status',
    lastResult: actionData?.target === 'status' ? actionData.result : undefined,
    defaultValue: { status: d.pairing.status },
    constraint: getZodConstraint(pairingStatusSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: pairingStatusSchema }),
  })
  const closed = d.pairing.status === 'completed' || d.pairing.status === 'ended'
  return (
    <div className="space-y-4">
      <section className="card space-y-2" aria-labelledby="pairing-heading">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="pairing-heading" className="text-xl font-semibold">
            {d.subject} · {d.programme.name}
          </h2>
          <Link to=".." relative="path" className="link text-sm">
            返回结对列表
          </Link>
        </div>
        <p className="text-lg font-semibold">{progressLabel(d.confirmedVisits, d.pairing.plannedVisits)}</p>
        {d.nextDueOn ? (
          <p className="text-stone-800">
            下次陪伴应在 {d.nextDueOn} 前
            {d.overdueDays > 0 ? <strong className="text-red-800">（已逾期 {d.overdueDays} 天）</strong> : null}
          </p>
        ) : null}
        <p className="text-stone-800">
          状态：{pairingStatusLabels[d.pairing.status]} · 开始于 {d.pairing.startDate}
          {d.pairing.endReason ? ` · 结束原因：${d.pairing.endReason}` : ''}
        </p>
        <h3 className="font-semibold">志愿者团队</h3>
        <ul className="list-disc pl-5">
          {d.team.map((m) => (
            <li key={m.userId}>
              {m.realName ?? m.displayName}
              {m.role === 'lead' ? '（带队）' : ''}
              {m.lapse ? (
                <strong className="block text-red-800">资格已失效：{m.lapse}。在更新并重新核验之前，不能记录走访或签到。</strong>
              ) : null}
            </li>
          ))}
        </ul>
        {closed ? null : (
          <Form method="post" className="space-y-2" {...getFormProps(statusForm)}>
            <FormMessage id={statusForm.errorId}>{statusForm.errors?.join('；')}</FormMessage>
            <input type="hidden" name="intent" value="status" />
            <div className="flex flex-wrap items-end gap-2">
              <SelectField
                label="更改状态"
                {...getSelectProps(statusFields.status)}
                errors={statusFields.status.errors}
                options={pairingStatuses.map((s) => ({ value: s, label: pairingStatusLabels[s] }))}
              />
              <Field
                label="原因（提前结束时必填）"
                {...getInputProps(statusFields.reason, { type: 'text' })}
                errors={statusFields.reason.errors}
              />
              <button type="submit" className="btn-secondary">
                保存状态
              </button>
            </div>
          </Form>
        )}
      </section>
      {d.pairing.renovation.length ? (
        <section className="card space-y-2" aria-labelledby="renovation-heading">
          <h2 id="renovation-heading" className="text-lg font-semibold">
            居住空间改造
          </h2>
          <ol className="space-y-2">
            {d.pairing.renovation.map((s) => (
              <li key={s.step}>
                <Form method="post" className="flex flex-wrap items-end gap-2">
                  <input type="hidden" name="intent" value="renovation" />
                  <input type="hidden" name="step" value={s.step} />
                  <Field
                    label={`${s.step}${s.doneOn ? `（已完成 ${s.doneOn}）` : '（未完成）'}`}
                    name="doneOn"
                    type="date"
                    defaultValue={s.doneOn ?? ''}
                    errors={errorsFor(`renovation:${s.step}`)}
                  />
                  <button type="submit" className="btn-secondary">
                    保存「{s.step}」
                  </button>
                </Form>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {d.programme.kind === 'companionship' ? (
        <section className="card space-y-2" aria-labelledby="needs-heading">
          <h2 id="needs-heading" className="text-lg font-semibold">
            改造所需物资
          </h2>
          <FormMessage>{errorsFor('needs').join('；') || null}</FormMessage>
          {d.linkedNeeds.length ? (
            <ul className="space-y-1">
              {d.linkedNeeds.map((n) => (
                <li key={n.id} className="flex flex-wrap items-center gap-2">
                  <span>
                    {n.title}：已收到 {n.progress.received} / {n.progress.needed} {n.unit}，仍需 {n.progress.stillNeeded} {n.unit}
                  </span>
                  <Form method="post">
                    <input type="hidden" name="intent" value="unlink-need" />
                    <input type="hidden" name="needId" value={n.id} />
                    <button type="submit" className="btn-secondary">
                      取消关联「{n.title}」
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-stone-700">尚未关联物资需求。</p>
          )}
          {d.needOptions.length ? (
            <Form method="post" className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="intent" value="link-need" />
              <SelectField
                label="关联物资需求"
                name="needId"
                options={d.needOptions.map((n) => ({ value: String(n.id), label: n.title }))}
              />
              <button type="submit" className="btn-secondary">
                关联
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
      {d.suggestions ? (
        <section className="card space-y-2" aria-labelledby="suggest-heading">
          <h2 id="suggest-heading" className="text-lg font-semibold">
            辅导志愿者推荐
          </h2>
          <TutorSuggestionList suggestions={d.suggestions} />
        </section>
      ) : null}
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
