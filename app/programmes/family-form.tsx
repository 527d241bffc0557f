import { getFormProps, getInputProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { ErrorList, Field, FormMessage, TextareaField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { familySchema } from './validation'

export type FamilyFormDefaults = {
  alias?: string
  householdDescription?: string | null
  address?: string | null
  contacts?: string | null
  childIds?: number[]
}

/** Create / edit a family (staff only; everything but the alias is private). */
export function FamilyForm({
  id,
  lastResult,
  defaultValue,
  childOptions,
  submitLabel,
}: {
  id: string
  lastResult?: SubmissionResult<string[]> | null
  defaultValue: FamilyFormDefaults
  childOptions: Array<{ id: number; label: string }>
  submitLabel: string
}) {
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue: { ...defaultValue, childIds: defaultValue.childIds?.map(String) },
    constraint: getZodConstraint(familySchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: familySchema }),
  })
  const chosen = ([] as unknown[]).concat(fields.childIds.initialValue ?? []).map(String)
  return (
    <Form method="post" className="space-y-3" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      <Field
        label="家庭化名（可公开）"
        hint="例如：小雨家；不要使用真实姓氏"
        {...getInputProps(fields.alias, { type: 'text' })}
        errors={fields.alias.errors}
      />
      <TextareaField
        label="家庭情况（仅工作人员可见）"
        {...getTextareaProps(fields.householdDescription)}
        errors={fields.householdDescription.errors}
      />
      <Field label="地址（仅工作人员可见）" {...getInputProps(fields.address, { type: 'text' })} errors={fields.address.errors} />
      <Field label="联系方式（仅工作人员可见）" {...getInputProps(fields.contacts, { type: 'text' })} errors={fields.contacts.errors} />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-stone-800">家中的儿童</legend>
        {childOptions.length ? (
          <div className="flex flex-wrap gap-3">
            {childOptions.map((c) => (
              <label key={c.id} className="flex items-center gap-1">
                <input type="checkbox" name={fields.childIds.name} value={c.id} defaultChecked={chosen.includes(String(c.id))} />
                {c.label}
              </label>
            ))}
          </div>
        ) : (
          <p className="text-sm text-stone-700">本机构还没有儿童档案。</p>
        )}
        <ErrorList errors={fields.childIds.errors} />
      </fieldset>
      <button type="submit" className="btn-primary w-full sm:w-auto">
        {submitLabel}
      </button>
    </Form>
  )
}
