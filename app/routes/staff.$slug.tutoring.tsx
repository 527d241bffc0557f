import { getFormProps, getSelectProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { listChildren } from '~/children/children.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage, SelectField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { availabilityLabel } from '~/programmes/labels'
import { TutorSuggestionList } from '~/programmes/tutor-suggestions'
import { listStudyNeeds, saveStudyNeed, suggestTutors } from '~/programmes/matching.server'
import { asList, CheckboxGroup, gradeChoices, slotChoices, subjectChoices } from '~/programmes/slot-checkboxes'
import { studyNeedFormSchema } from '~/programmes/validation'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '学业辅导匹配', description: '机构工作人员：学业需求与辅导志愿者匹配' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  return {
    children: listChildren(institution.id).map((c) => ({ id: c.id, label: c.pseudonym })),
    needs: listStudyNeeds(institution.id).map((n) => ({ ...n, suggestions: suggestTutors(institution.id, n.childId) })),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const submission = parseWithZod(await request.formData(), { schema: studyNeedFormSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const { childId, ...need } = submission.value
  const outcome = saveStudyNeed(actorFrom(user, context), institution.id, childId, need)
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome) }, { status: 400 })
  return redirect(`/staff/${institution.slug}/tutoring?saved=1`)
}

export default function Tutoring() {
  const { children, needs } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'study-need',
    lastResult: actionData?.result,
    constraint: getZodConstraint(studyNeedFormSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: studyNeedFormSchema }),
  })
  return (
    <div className="space-y-4">
      <section className="card space-y-3" aria-labelledby="study-need-heading">
        <h2 id="study-need-heading" className="text-xl font-semibold">
          登记学业需求
        </h2>
        <Form method="post" className="space-y-3" {...getFormProps(form)}>
          <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
          <SelectField
            label="儿童"
            {...getSelectProps(fields.childId)}
            errors={fields.childId.errors}
            options={children.map((c) => ({ value: String(c.id), label: c.label }))}
          />
          <CheckboxGroup
            legend="科目"
            name={fields.subjects.name}
            options={subjectChoices}
            chosen={asList(fields.subjects.initialValue as string[] | string | undefined)}
            errors={fields.subjects.errors}
          />
          <SelectField label="年级" {...getSelectProps(fields.grade)} errors={fields.grade.errors} options={gradeChoices} />
          <CheckboxGroup
            legend="方便的时间"
            name={fields.availability.name}
            options={slotChoices}
            chosen={asList(fields.availability.initialValue as string[] | string | undefined)}
            errors={fields.availability.errors}
          />
          <button type="submit" className="btn-primary w-full sm:w-auto">
            保存学业需求
          </button>
        </Form>
      </section>
      <section className="space-y-2" aria-labelledby="needs-heading">
        <h2 id="needs-heading" className="text-xl font-semibold">
          学业需求与推荐
        </h2>
        {needs.length ? (
          needs.map((n) => (
            <article key={n.childId} className="card space-y-1">
              <h3 className="font-semibold">
                {n.pseudonym} · {n.grade} 年级 · {n.subjects.join('、')}
              </h3>
              <p className="text-sm text-stone-700">方便的时间：{n.availability.map(availabilityLabel).join('、')}</p>
              <TutorSuggestionList suggestions={n.suggestions} />
            </article>
          ))
        ) : (
          <p className="text-stone-700">还没有登记学业需求。</p>
        )}
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
