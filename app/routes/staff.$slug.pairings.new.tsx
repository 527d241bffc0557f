import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { db } from '~db/client.server'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { listChildren } from '~/children/children.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { ErrorList, Field, FormMessage, SelectField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { acceptedApplicants } from '~/programmes/applications.server'
import { listFamilies } from '~/programmes/families.server'
import { createPairing, teamProblems } from '~/programmes/pairings.server'
import { getProgramme, listProgrammes } from '~/programmes/programmes.server'
import { now } from '~/utils/clock.server'
import { pairingSchema } from '~/programmes/validation'
import { parseId } from '~/utils/ids'
import { pageMeta } from '~/utils/meta'
import { shanghaiDateString } from '~/utils/shanghai-date'
import { refusalReply } from '~/utils/submission.server'
import { requirementWords } from '~/volunteers/eligibility.server'

export const meta: MetaFunction = () => pageMeta({ title: '新建结对', description: '机构工作人员：新建结对' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const programmes = listProgrammes(institution.id)
  const chosenId = parseId(new URL(request.url).searchParams.get('programme')) ?? programmes[0]?.id
  const programme = chosenId ? getProgramme(institution.id, chosenId) : undefined
  const today = shanghaiDateString(now())
  const volunteers = programme
    ? acceptedApplicants(institution.id, programme.id).map((a) => ({
        userId: a.userId,
        name: a.realName ?? a.displayName,
        problems: teamProblems(db, programme, [a.userId], today).flatMap((p) => p.missing.map((m) => m.message)),
      }))
    : []
  return {
    programmes: programmes.map((p) => ({ id: p.id, name: p.name, plannedVisits: p.plannedVisits })),
    programmeId: programme?.id ?? null,
    plannedVisits: programme?.plannedVisits ?? 12,
    today,
    families: listFamilies(institution.id).map((f) => ({ id: f.id, alias: f.alias })),
    children: listChildren(institution.id).map((c) => ({ id: c.id, label: c.pseudonym })),
    volunteers,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const submission = parseWithZod(await request.formData(), { schema: pairingSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = createPairing(actorFrom(user, context), institution.id, submission.value)
  if (!outcome.ok) {
    const lines = (outcome.problems ?? []).map((p) => `${p.name}：${requirementWords(p.missing)}`)
    return data(
      { result: refusalReply(submission, { message: lines.length ? `${outcome.message}：${lines.join('\n')}` : outcome.message }) },
      { status: 400 },
    )
  }
  return redirect(`/staff/${institution.slug}/pairings/${outcome.pairing.id}?created=1`)
}

export default function NewPairing() {
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'new-pairing',
    lastResult: actionData?.result,
    defaultValue: { programmeId: String(d.programmeId ?? ''), startDate: d.today, plannedVisits: String(d.plannedVisits) },
    constraint: getZodConstraint(pairingSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: pairingSchema }),
  })
  const memberList = ([] as unknown[]).concat(fields.memberUserIds.initialValue ?? []).map(String)
  const options = (empty: string, rows: Array<{ id: number; label: string }>) => [
    { value: '', label: empty },
    ...rows.map((r) => ({ value: String(r.id), label: r.label })),
  ]
  return (
    <section className="card space-y-4" aria-labelledby="new-pairing-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="new-pairing-heading" className="text-xl font-semibold">
          新建结对
        </h2>
        <Link to=".." relative="path" className="link text-sm">
          返回结对列表
        </Link>
      </div>
      <Form method="get" className="flex flex-wrap items-end gap-2">
        <SelectField
          label="项目"
          name="programme"
          defaultValue={String(d.programmeId ?? '')}
          options={d.programmes.map((p) => ({ value: String(p.id), label: p.name }))}
        />
        <button type="submit" className="btn-secondary">
          切换项目
        </button>
      </Form>
      {d.programmeId ? (
        <Form method="post" className="space-y-3" {...getFormProps(form)}>
          <FormMessage id={form.errorId}>
            {form.errors?.length ? <span className="whitespace-pre-line">{form.errors.join('；')}</span> : null}
          </FormMessage>
          <input type="hidden" name={fields.programmeId.name} value={d.programmeId} />
          <ErrorList errors={fields.programmeId.errors} />
          <SelectField
            label="结对家庭"
            {...getSelectProps(fields.familyId)}
            errors={fields.familyId.errors}
            options={options(
              '（不选家庭）',
              d.families.map((f) => ({ id: f.id, label: f.alias })),
            )}
          />
          <SelectField
            label="或结对儿童（学业辅导）"
            {...getSelectProps(fields.childId)}
            errors={fields.childId.errors}
            options={options('（不选儿童）', d.children)}
          />
          <Field label="开始日期" {...getInputProps(fields.startDate, { type: 'date' })} errors={fields.startDate.errors} />
          <Field
            label="计划次数"
            {...getInputProps(fields.plannedVisits, { type: 'number' })}
            inputMode="numeric"
            errors={fields.plannedVisits.errors}
          />
          {d.volunteers.length ? (
            <>
              <SelectField
                label="带队志愿者"
                {...getSelectProps(fields.leadUserId)}
                errors={fields.leadUserId.errors}
                options={[
                  { value: '', label: '请选择' },
                  ...d.volunteers.map((u) => ({
                    value: String(u.userId),
                    label: u.problems.length ? `${u.name}（尚不符合要求）` : u.name,
                  })),
                ]}
              />
              <fieldset className="space-y-1">
                <legend className="text-sm font-medium text-stone-800">其他队员（最多 2 人）</legend>
                {d.volunteers.map((u) => (
                  <label key={u.userId} className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      name={fields.memberUserIds.name}
                      value={u.userId}
                      defaultChecked={memberList.includes(String(u.userId))}
                    />
                    {u.name}
                  </label>
                ))}
                <ErrorList errors={fields.memberUserIds.errors} />
              </fieldset>
              <section aria-labelledby="eligibility-heading" className="rounded-lg border border-stone-200 p-3">
                <h3 id="eligibility-heading" className="font-semibold">
                  志愿者资格
                </h3>
                <ul className="space-y-1 text-sm">
                  {d.volunteers.map((u) => (
                    <li key={u.userId}>
                      {u.name}：
                      {u.problems.length ? (
                        <span className="text-red-800">{u.problems.join('；')}</span>
                      ) : (
                        <span className="text-green-800">符合要求</span>
                      )}
                    </li>
                  ))}
                </ul>
              </section>
            </>
          ) : (
            <p className="text-stone-700">该项目还没有已接受的志愿者申请。请先在项目页审核申请。</p>
          )}
          <button type="submit" className="btn-primary w-full sm:w-auto">
            创建结对
          </button>
        </Form>
      ) : (
        <p className="text-stone-700">
          请先
          <Link to="../../programmes/new" relative="path" className="link">
            新建项目
          </Link>
          。
        </p>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
