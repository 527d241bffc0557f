import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { genders } from '~db/enums'
import { Field, FormMessage, SelectField, TextareaField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { childSchema, genderLabels, type ChildInput } from './validation'

const genderOptions = [{ value: '', label: '请选择' }, ...genders.map((g) => ({ value: g, label: genderLabels[g] }))]

/** Create or edit a child's staff-only record. Works without JavaScript. */
export function ChildForm({
  id,
  lastResult,
  defaultValue,
  suggestedPseudonym,
  submitLabel,
}: {
  id: string
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: Partial<ChildInput>
  suggestedPseudonym?: string
  submitLabel: string
}) {
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    constraint: getZodConstraint(childSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: childSchema }),
  })
  return (
    <Form method="post" className="grid gap-4 sm:grid-cols-2" {...getFormProps(form)}>
      <div className="sm:col-span-2">
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      </div>
      <p className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 sm:col-span-2">
        真实姓名、出生日期和备注只有本机构工作人员可见；公众只会看到化名和年龄段。
      </p>
      <Field
        label="真实姓名（仅工作人员可见）"
        {...getInputProps(fields.realName, { type: 'text' })}
        autoComplete="off"
        errors={fields.realName.errors}
      />
      <Field
        label="出生日期（仅工作人员可见）"
        hint="公开页面只显示年龄段，例如 6–8岁"
        {...getInputProps(fields.birthDate, { type: 'date' })}
        errors={fields.birthDate.errors}
      />
      <SelectField label="性别" {...getSelectProps(fields.gender)} options={genderOptions} errors={fields.gender.errors} />
      <Field
        label="化名（公开显示）"
        hint={
          suggestedPseudonym
            ? `建议化名：${suggestedPseudonym}。可直接使用，也可以换一个；请勿使用真实姓名中的字。`
            : '请勿使用真实姓名中的字。'
        }
        {...getInputProps(fields.pseudonym, { type: 'text' })}
        autoComplete="off"
        errors={fields.pseudonym.errors}
      />
      <TextareaField
        className="sm:col-span-2"
        label="备注（仅工作人员可见，可选）"
        {...getTextareaProps(fields.privateNotes)}
        errors={fields.privateNotes.errors}
      />
      <button type="submit" name="intent" value="save" className="btn-primary sm:col-span-2 sm:justify-self-start">
        {submitLabel}
      </button>
    </Form>
  )
}
