import { Form } from '@remix-run/react'
import { Field, SelectField, TextareaField } from '~/components/forms'
import { categoryLabels } from '~/wishes/labels'

export type NeedFormValues = Partial<
  Record<'title' | 'category' | 'itemDescription' | 'specification' | 'unit' | 'quantityNeeded' | 'perPledgeMax' | 'urgency' | 'deadline' | 'deliveryAddress' | 'deliveryHours', string>
>

const categoryOptions = [{ value: '', label: '请选择' }, ...Object.entries(categoryLabels).map(([value, label]) => ({ value, label }))]
const urgencyOptions = [
  { value: 'normal', label: '普通' },
  { value: 'urgent', label: '紧急' },
]

/** Create / edit form for a need; a plain form validated on the server. */
export function NeedForm({ values, errors, submitLabel, formError }: { values: NeedFormValues; errors: Record<string, string[] | undefined>; submitLabel: string; formError?: string | null }) {
  return (
    <Form method="post" className="space-y-4" noValidate>
      <input type="hidden" name="intent" value="save" />
      {formError ? (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          {formError}
        </p>
      ) : null}
      <Field label="需求名称" name="title" required maxLength={60} defaultValue={values.title ?? ''} errors={errors.title} hint="如：饮用水、冬季棉衣" />
      <div className="grid grid-cols-2 gap-3">
        <SelectField label="类别" name="category" defaultValue={values.category ?? 'material'} options={categoryOptions} errors={errors.category} />
        <SelectField label="紧急程度" name="urgency" defaultValue={values.urgency ?? 'normal'} options={urgencyOptions} errors={errors.urgency} />
      </div>
      <TextareaField label="物品说明" name="itemDescription" maxLength={500} defaultValue={values.itemDescription ?? ''} errors={errors.itemDescription} />
      <Field label="规格（尺码等，不指定品牌）" name="specification" maxLength={200} defaultValue={values.specification ?? ''} errors={errors.specification} />
      <div className="grid grid-cols-3 gap-3">
        <Field label="需要数量" name="quantityNeeded" type="number" inputMode="numeric" min={1} required defaultValue={values.quantityNeeded ?? ''} errors={errors.quantityNeeded} />
        <Field label="单位" name="unit" required maxLength={6} defaultValue={values.unit ?? ''} errors={errors.unit} hint="袋 件 箱 套…" />
        <Field label="每份认捐上限" name="perPledgeMax" type="number" inputMode="numeric" min={1} defaultValue={values.perPledgeMax ?? ''} errors={errors.perPledgeMax} hint="可不填" />
      </div>
      <Field label="截止日期" name="deadline" type="date" defaultValue={values.deadline ?? ''} errors={errors.deadline} hint="可不填" />
      <Field label="送达地址" name="deliveryAddress" maxLength={200} defaultValue={values.deliveryAddress ?? ''} errors={errors.deliveryAddress} hint="不填则使用机构公开地址" />
      <Field label="接收时间" name="deliveryHours" maxLength={100} defaultValue={values.deliveryHours ?? ''} errors={errors.deliveryHours} hint="如：周一至周五 9:00–17:00" />
      <button type="submit" className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  )
}
