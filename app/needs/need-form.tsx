import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import type { z } from 'zod'
import { Field, FormMessage, SelectField, TextareaField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { categoryLabels } from '~/wishes/labels'
import { needSchema } from './validation'

export type NeedFormDefaults = Partial<Record<keyof z.input<typeof needSchema>, string>>

const categoryOptions = [{ value: '', label: '请选择' }, ...Object.entries(categoryLabels).map(([value, label]) => ({ value, label }))]
const urgencyOptions = [
  { value: 'normal', label: '普通' },
  { value: 'urgent', label: '紧急' },
]

/** Create / edit form for a need (staff page: validated in the browser and again on the server). */
export function NeedForm({
  id,
  lastResult,
  defaultValue,
  submitLabel,
}: {
  id: string
  lastResult?: SubmissionResult<string[]> | null
  defaultValue: NeedFormDefaults
  submitLabel: string
}) {
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    constraint: getZodConstraint(needSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: needSchema }),
  })
  return (
    <Form method="post" className="space-y-4" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      <Field label="需求名称" {...getInputProps(fields.title, { type: 'text' })} errors={fields.title.errors} hint="如：饮用水、冬季棉衣" />
      <div className="grid grid-cols-2 gap-3">
        <SelectField label="类别" {...getSelectProps(fields.category)} options={categoryOptions} errors={fields.category.errors} />
        <SelectField label="紧急程度" {...getSelectProps(fields.urgency)} options={urgencyOptions} errors={fields.urgency.errors} />
      </div>
      <TextareaField label="物品说明" {...getTextareaProps(fields.itemDescription)} errors={fields.itemDescription.errors} />
      <Field
        label="规格（尺码等，不指定品牌）"
        {...getInputProps(fields.specification, { type: 'text' })}
        errors={fields.specification.errors}
      />
      <div className="grid grid-cols-3 gap-3">
        <Field
          label="需要数量"
          {...getInputProps(fields.quantityNeeded, { type: 'number' })}
          inputMode="numeric"
          errors={fields.quantityNeeded.errors}
        />
        <Field label="单位" {...getInputProps(fields.unit, { type: 'text' })} errors={fields.unit.errors} hint="袋 件 箱 套…" />
        <Field
          label="每份认捐上限"
          {...getInputProps(fields.perPledgeMax, { type: 'number' })}
          inputMode="numeric"
          errors={fields.perPledgeMax.errors}
          hint="可不填"
        />
      </div>
      <Field label="截止日期" {...getInputProps(fields.deadline, { type: 'date' })} errors={fields.deadline.errors} hint="可不填" />
      <Field
        label="送达地址"
        {...getInputProps(fields.deliveryAddress, { type: 'text' })}
        errors={fields.deliveryAddress.errors}
        hint="不填则使用机构公开地址"
      />
      <Field
        label="接收时间"
        {...getInputProps(fields.deliveryHours, { type: 'text' })}
        errors={fields.deliveryHours.errors}
        hint="如：周一至周五 9:00–17:00"
      />
      <button type="submit" className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  )
}
