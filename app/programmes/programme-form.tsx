import {
  getCollectionProps,
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { cadences, programmeKinds, qualificationKinds } from '~db/enums'
import { ErrorList, Field, FormMessage, SelectField, TextareaField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { qualificationLabels } from '~/volunteers/labels'
import { cadenceLabels, programmeKindLabels } from './labels'
import { programmeSchema } from './validation'

export type ProgrammeFormDefaults = {
  name?: string
  slug?: string
  kind?: string
  description?: string
  asksOfVolunteers?: string
  plannedVisits?: number | string
  cadence?: string
  durationMonths?: number | string
  requiredQualifications?: string[]
  requiresBackgroundCheck?: boolean
  acceptingApplications?: boolean
}

const qualificationOptions = qualificationKinds.map((q) => q as string)

/** Create / edit a programme (staff): zod runs in the browser and again on the server. */
export function ProgrammeForm({
  id,
  lastResult,
  defaultValue,
  submitLabel,
}: {
  id: string
  lastResult?: SubmissionResult<string[]> | null
  defaultValue: ProgrammeFormDefaults
  submitLabel: string
}) {
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue: { kind: 'companionship', cadence: 'monthly', plannedVisits: 12, durationMonths: 12, ...defaultValue },
    constraint: getZodConstraint(programmeSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: programmeSchema }),
  })
  return (
    <Form method="post" className="space-y-3" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      <Field label="项目名称" {...getInputProps(fields.name, { type: 'text' })} errors={fields.name.errors} />
      <Field
        label="网址标识"
        hint="用于公开页面地址，例如 huanxin-leyuan"
        {...getInputProps(fields.slug, { type: 'text' })}
        errors={fields.slug.errors}
      />
      <SelectField
        label="项目类型"
        {...getSelectProps(fields.kind)}
        errors={fields.kind.errors}
        options={programmeKinds.map((k) => ({ value: k, label: programmeKindLabels[k] }))}
      />
      <TextareaField label="项目介绍（公开）" {...getTextareaProps(fields.description)} errors={fields.description.errors} />
      <TextareaField
        label="对志愿者的要求（公开）"
        {...getTextareaProps(fields.asksOfVolunteers)}
        errors={fields.asksOfVolunteers.errors}
      />
      <div className="grid gap-3 sm:grid-cols-3">
        <Field
          label="计划次数"
          {...getInputProps(fields.plannedVisits, { type: 'number' })}
          inputMode="numeric"
          errors={fields.plannedVisits.errors}
        />
        <SelectField
          label="频率"
          {...getSelectProps(fields.cadence)}
          errors={fields.cadence.errors}
          options={cadences.map((c) => ({ value: c, label: cadenceLabels[c] }))}
        />
        <Field
          label="周期（月）"
          {...getInputProps(fields.durationMonths, { type: 'number' })}
          inputMode="numeric"
          errors={fields.durationMonths.errors}
        />
      </div>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-stone-800">须具备的已核验资质</legend>
        <div className="flex flex-wrap gap-3">
          {getCollectionProps(fields.requiredQualifications, { type: 'checkbox', options: qualificationOptions }).map((props) => (
            <label key={props.key} className="flex items-center gap-1">
              <input {...props} key={props.key} />
              {qualificationLabels[props.value as (typeof qualificationKinds)[number]]}
            </label>
          ))}
        </div>
        <ErrorList errors={fields.requiredQualifications.errors} />
      </fieldset>
      <label className="flex items-center gap-2">
        <input {...getInputProps(fields.requiresBackgroundCheck, { type: 'checkbox' })} />
        须通过背景核验
      </label>
      <label className="flex items-center gap-2">
        <input {...getInputProps(fields.acceptingApplications, { type: 'checkbox' })} />
        接受志愿者申请
      </label>
      <button type="submit" className="btn-primary w-full sm:w-auto">
        {submitLabel}
      </button>
    </Form>
  )
}
