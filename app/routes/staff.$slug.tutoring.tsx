import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { listChildren } from '~/children/children.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage, SelectField } from '~/components/forms'
import { formValues, parseForm, refusal } from '~/programmes/forms.server'
import { availabilityLabel } from '~/programmes/labels'
import { TutorSuggestionList } from '~/programmes/tutor-suggestions'
import { listStudyNeeds, saveStudyNeed, studyNeedSchema, suggestTutors } from '~/programmes/matching.server'
import { asList, CheckboxGroup, gradeChoices, slotChoices, subjectChoices } from '~/programmes/slot-checkboxes'
import { pageMeta } from '~/utils/meta'

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
  const form = await request.formData()
  const parsed = parseForm(form, studyNeedSchema)
  if (!parsed.ok) return data(parsed.reply, { status: 400 })
  const outcome = saveStudyNeed(actorFrom(user, context), institution.id, Number(form.get('childId')), parsed.value)
  if (!outcome.ok) return data(refusal(outcome.message, formValues(form)), { status: 400 })
  return redirect(`/staff/${institution.slug}/tutoring?saved=1`)
}

export default function Tutoring() {
  const { children, needs } = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>()
  return (
    <div className="space-y-4">
      <section className="card space-y-3" aria-labelledby="study-need-heading">
        <h2 id="study-need-heading" className="text-xl font-semibold">
          登记学业需求
        </h2>
        <Form method="post" className="space-y-3" noValidate>
          <FormMessage>{reply?.message}</FormMessage>
          <SelectField label="儿童" name="childId" defaultValue={asList(reply?.values.childId)[0]} options={children.map((c) => ({ value: String(c.id), label: c.label }))} />
          <CheckboxGroup legend="科目" name="subjects" options={subjectChoices} chosen={asList(reply?.values.subjects)} errors={reply?.errors.subjects} />
          <SelectField label="年级" name="grade" defaultValue={asList(reply?.values.grade)[0]} errors={reply?.errors.grade} options={gradeChoices} />
          <CheckboxGroup legend="方便的时间" name="availability" options={slotChoices} chosen={asList(reply?.values.availability)} errors={reply?.errors.availability} />
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
