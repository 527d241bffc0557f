import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { Field, FormMessage, TextareaField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { campaignSchema } from './validation'

export type CampaignFormDefaults = { name?: string; description?: string; startsOn?: string; endsOn?: string; partnerSlugs?: string }

/** Create or edit a campaign; partner homes are named by their slug. Works without JavaScript. */
export function CampaignForm({
  id,
  lastResult,
  defaultValue,
  partnerCandidates,
  submitLabel,
}: {
  id: string
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: CampaignFormDefaults
  partnerCandidates: ReadonlyArray<{ slug: string; name: string }>
  submitLabel: string
}) {
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    constraint: getZodConstraint(campaignSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: campaignSchema }),
  })
  return (
    <Form method="post" className="grid gap-4 sm:grid-cols-2" {...getFormProps(form)}>
      <div className="sm:col-span-2">
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      </div>
      <Field
        className="sm:col-span-2"
        label="活动名称"
        hint="例如：六一「润心伴成长」"
        {...getInputProps(fields.name, { type: 'text' })}
        errors={fields.name.errors}
      />
      <Field label="开始日期" {...getInputProps(fields.startsOn, { type: 'date' })} errors={fields.startsOn.errors} />
      <Field
        label="结束日期"
        hint="活动结束后，未认领的心愿将到期"
        {...getInputProps(fields.endsOn, { type: 'date' })}
        errors={fields.endsOn.errors}
      />
      <TextareaField
        className="sm:col-span-2"
        label="活动介绍（可选）"
        {...getTextareaProps(fields.description)}
        errors={fields.description.errors}
      />
      <Field
        className="sm:col-span-2"
        label="合作机构（可选）"
        hint="跨地区结对时填写合作机构的网址标识，多个用逗号分隔，例如 fenghua-baohu"
        {...getInputProps(fields.partnerSlugs, { type: 'text' })}
        autoComplete="off"
        list={`${id}-partners`}
        errors={fields.partnerSlugs.errors}
      />
      <datalist id={`${id}-partners`}>
        {partnerCandidates.map((p) => (
          <option key={p.slug} value={p.slug}>
            {p.name}
          </option>
        ))}
      </datalist>
      <button type="submit" className="btn-primary sm:col-span-2 sm:justify-self-start">
        {submitLabel}
      </button>
    </Form>
  )
}
