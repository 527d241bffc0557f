import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireUser } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { FormMessage } from '~/components/forms'
import { getTutoringOffer, saveTutoringOffer } from '~/programmes/matching.server'
import { asList, CheckboxGroup, gradeChoices, slotChoices, subjectChoices } from '~/programmes/slot-checkboxes'
import { tutoringOfferSchema } from '~/programmes/validation'
import { pageMeta } from '~/utils/meta'

export const meta: MetaFunction = () => pageMeta({ title: '我的辅导意向', description: '志愿者：可辅导的科目、年级和时间' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const offer = getTutoringOffer(user.id)
  return { offer: offer ? { subjects: offer.subjects, grades: offer.grades, availability: offer.availability } : null }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = requireUser(request)
  const submission = parseWithZod(await request.formData(), { schema: tutoringOfferSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  saveTutoringOffer(user.id, submission.value)
  return redirect('/me/tutoring?saved=1')
}

export default function MyTutoring() {
  const { offer } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [search] = useSearchParams()
  const [form, fields] = useForm<{ subjects: string[]; grades: string[]; availability: string[] }>({
    id: 'tutoring-offer',
    lastResult: actionData?.result,
    defaultValue: offer ? { subjects: offer.subjects, grades: offer.grades.map(String), availability: offer.availability } : undefined,
    // Validated on the server only: keeps zod out of this member page's JavaScript.
    shouldValidate: 'onSubmit',
  })
  const pick = (k: 'subjects' | 'grades' | 'availability') => asList(fields[k].initialValue as string[] | string | undefined)
  return (
    <section className="card space-y-4" aria-labelledby="tutoring-heading">
      <h1 id="tutoring-heading" className="text-2xl font-semibold">
        我的辅导意向
      </h1>
      <p className="text-stone-800">机构会根据科目、年级和时间为需要学业辅导的孩子推荐志愿者。辅导前须通过机构的资质和背景核验。</p>
      {search.get('saved') ? <FormMessage tone="success">已保存。</FormMessage> : null}
      <Form method="post" className="space-y-3" {...getFormProps(form)}>
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
        <CheckboxGroup
          legend="可辅导的科目"
          name="subjects"
          options={subjectChoices}
          chosen={pick('subjects')}
          errors={fields.subjects.errors}
        />
        <CheckboxGroup legend="可辅导的年级" name="grades" options={gradeChoices} chosen={pick('grades')} errors={fields.grades.errors} />
        <CheckboxGroup
          legend="每周方便的时间"
          name="availability"
          options={slotChoices}
          chosen={pick('availability')}
          errors={fields.availability.errors}
        />
        <button type="submit" className="btn-primary w-full sm:w-auto">
          保存辅导意向
        </button>
      </Form>
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
