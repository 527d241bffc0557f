import {
  getCollectionProps,
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
  type SubmissionResult,
} from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import type { ReactNode } from 'react'
import { qualificationKinds, slotKinds } from '~db/enums'
import { ErrorList, Field, FormMessage, SelectField, TextareaField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { qualificationLabels, slotKindLabels } from '~/volunteers/labels'
import { recurrenceKinds, recurrenceLabels, weekdayLabels } from './labels'
import { seriesSchema, slotSchema, type SeriesFormInput, type SlotFormInput } from './validation'

// Staff forms for a one-off slot and for a recurring series (staff pages: zod runs in the
// browser too). Both work without JavaScript: the server re-renders values and errors.

type Defaults<T> = Partial<Record<Exclude<keyof T, 'requiredQualifications'>, string>> & { requiredQualifications?: string[] }
export type SlotFormDefaults = Defaults<SlotFormInput>
export type SeriesFormDefaults = Defaults<SeriesFormInput>

type SharedKey =
  | 'kind'
  | 'title'
  | 'description'
  | 'location'
  | 'capacity'
  | 'allowGroups'
  | 'groupMinDaysAhead'
  | 'groupMaxSize'
  | 'cancelCutoffHours'
  | 'offerHoldHours'
  | 'minAge'
  | 'requiredQualifications'
  | 'requiresBackgroundCheck'

type SharedFields<F extends Record<string, unknown>> = { [K in SharedKey]: FieldMetadata<SlotFormInput[K], F, string[]> }

const kindOptions = [{ value: '', label: '请选择' }, ...slotKinds.map((k) => ({ value: k, label: slotKindLabels[k] }))]
const qualificationOptions = qualificationKinds.map((q) => q as string)

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="grid gap-4 rounded-lg border border-stone-300 p-3 sm:col-span-2 sm:grid-cols-2">
      <legend className="px-1 font-semibold">{title}</legend>
      {children}
    </fieldset>
  )
}

function Checkbox({
  meta,
  label,
  hint,
}: {
  meta: FieldMetadata<boolean | undefined, Record<string, unknown>, string[]>
  label: string
  hint?: string
}) {
  const props = getInputProps(meta, { type: 'checkbox' })
  return (
    <div className="sm:col-span-2">
      <label className="flex items-center gap-2 text-stone-800">
        <input {...props} className="h-5 w-5" aria-describedby={hint ? `${props.id}-hint` : undefined} />
        {label}
      </label>
      {hint ? (
        <p id={`${props.id}-hint`} className="mt-1 text-sm text-stone-700">
          {hint}
        </p>
      ) : null}
      <ErrorList errors={meta.errors} />
    </div>
  )
}

function AboutFields<F extends Record<string, unknown>>({ fields }: { fields: SharedFields<F> }) {
  return (
    <Section title="基本信息">
      <SelectField label="活动类型" {...getSelectProps(fields.kind)} options={kindOptions} errors={fields.kind.errors} />
      <Field
        label="活动名称"
        hint="例如：社会开放日、周六学业辅导"
        {...getInputProps(fields.title, { type: 'text' })}
        autoComplete="off"
        errors={fields.title.errors}
      />
      <TextareaField
        className="sm:col-span-2"
        label="活动说明（可选）"
        hint="公开显示。请勿写儿童的真实姓名、学校或照片信息。"
        {...getTextareaProps(fields.description)}
        errors={fields.description.errors}
      />
      <Field
        className="sm:col-span-2"
        label="地点（可选）"
        hint="例如：福利院一楼开放区域"
        {...getInputProps(fields.location, { type: 'text' })}
        errors={fields.location.errors}
      />
    </Section>
  )
}

function RuleFields<F extends Record<string, unknown>>({ fields, window }: { fields: SharedFields<F>; window: ReactNode }) {
  return (
    <>
      <Section title="名额与预约">
        <Field
          label="名额（人数）"
          {...getInputProps(fields.capacity, { type: 'number' })}
          inputMode="numeric"
          errors={fields.capacity.errors}
        />
        <Field
          label="取消截止（活动开始前几小时）"
          hint="此后志愿者不能自行取消，需联系机构"
          {...getInputProps(fields.cancelCutoffHours, { type: 'number' })}
          inputMode="numeric"
          errors={fields.cancelCutoffHours.errors}
        />
        <Field
          label="候补名额保留时长（小时）"
          hint="有人取消时，候补第一位有这么长时间确认"
          {...getInputProps(fields.offerHoldHours, { type: 'number' })}
          inputMode="numeric"
          errors={fields.offerHoldHours.errors}
        />
        {window}
      </Section>
      <Section title="团体预约">
        <Checkbox
          meta={fields.allowGroups as FieldMetadata<boolean | undefined, Record<string, unknown>, string[]>}
          label="接受团体预约"
          hint="设置了下方志愿者要求（最低年龄、背景核验或资质）的活动只接受个人预约，团体预约不会开放"
        />
        <Field
          label="团体须提前几天预约"
          {...getInputProps(fields.groupMinDaysAhead, { type: 'number' })}
          inputMode="numeric"
          errors={fields.groupMinDaysAhead.errors}
        />
        <Field
          label="每个团体最多人数"
          {...getInputProps(fields.groupMaxSize, { type: 'number' })}
          inputMode="numeric"
          errors={fields.groupMaxSize.errors}
        />
      </Section>
      <Section title="志愿者要求">
        <Field
          label="最低年龄（可选）"
          {...getInputProps(fields.minAge, { type: 'number' })}
          inputMode="numeric"
          errors={fields.minAge.errors}
        />
        <Checkbox
          meta={fields.requiresBackgroundCheck as FieldMetadata<boolean | undefined, Record<string, unknown>, string[]>}
          label="需与儿童密切接触：要求通过背景核验"
          hint="志愿者须提交无犯罪记录等材料，经机构核验后才能预约（未成年人保护法第六十二条）"
        />
        <fieldset className="sm:col-span-2">
          <legend className="mb-1 text-sm font-medium text-stone-800">需要的资质（可多选，须经机构核验）</legend>
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
            {getCollectionProps(fields.requiredQualifications, { type: 'checkbox', options: qualificationOptions }).map((props) => (
              <label key={props.key} className="flex items-center gap-2 text-stone-800">
                <input {...props} key={props.key} className="h-5 w-5" />
                {qualificationLabels[props.value as (typeof qualificationKinds)[number]]}
              </label>
            ))}
          </div>
          <ErrorList errors={fields.requiredQualifications.errors} />
        </fieldset>
      </Section>
    </>
  )
}

export function SlotForm({
  id,
  lastResult,
  defaultValue,
  submit,
}: {
  id: string
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: SlotFormDefaults
  submit: ReactNode
}) {
  const [form, fields] = useForm<SlotFormInput>({
    id,
    lastResult,
    defaultValue,
    constraint: getZodConstraint(slotSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: slotSchema }),
  })
  return (
    <Form method="post" className="grid gap-4 sm:grid-cols-2" {...getFormProps(form)}>
      <div className="sm:col-span-2">
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      </div>
      <AboutFields fields={fields} />
      <Section title="时间（北京时间）">
        <Field label="日期" {...getInputProps(fields.date, { type: 'date' })} errors={fields.date.errors} />
        <Field label="结束日期（跨天活动填写，可选）" {...getInputProps(fields.endDate, { type: 'date' })} errors={fields.endDate.errors} />
        <Field label="开始时间" {...getInputProps(fields.startTime, { type: 'time' })} errors={fields.startTime.errors} />
        <Field label="结束时间" {...getInputProps(fields.endTime, { type: 'time' })} errors={fields.endTime.errors} />
      </Section>
      <RuleFields
        fields={fields}
        window={
          <>
            <Field
              label="预约开放时间（可选）"
              hint="留空则发布后即可预约"
              {...getInputProps(fields.opensAt, { type: 'datetime-local' })}
              errors={fields.opensAt.errors}
            />
            <Field
              label="预约截止时间（可选）"
              hint="留空则截止到活动开始"
              {...getInputProps(fields.closesAt, { type: 'datetime-local' })}
              errors={fields.closesAt.errors}
            />
          </>
        }
      />
      <div className="flex flex-wrap gap-2 sm:col-span-2">{submit}</div>
    </Form>
  )
}

export function SeriesForm({
  id,
  lastResult,
  defaultValue,
  submit,
}: {
  id: string
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: SeriesFormDefaults
  submit: ReactNode
}) {
  const [form, fields] = useForm<SeriesFormInput>({
    id,
    lastResult,
    defaultValue,
    constraint: getZodConstraint(seriesSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: seriesSchema }),
  })
  return (
    <Form method="post" className="grid gap-4 sm:grid-cols-2" {...getFormProps(form)}>
      <div className="sm:col-span-2">
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      </div>
      <AboutFields fields={fields} />
      <Section title="重复规则（北京时间）">
        <SelectField
          label="重复方式"
          {...getSelectProps(fields.recurrence)}
          options={recurrenceKinds.map((r) => ({ value: r, label: recurrenceLabels[r] }))}
          errors={fields.recurrence.errors}
        />
        <SelectField
          label="星期（每周、每两周时使用）"
          {...getSelectProps(fields.weekday)}
          options={weekdayLabels.map((label, value) => ({ value: String(value), label }))}
          errors={fields.weekday.errors}
        />
        <Field label="开始时间" {...getInputProps(fields.startTime, { type: 'time' })} errors={fields.startTime.errors} />
        <Field label="结束时间" {...getInputProps(fields.endTime, { type: 'time' })} errors={fields.endTime.errors} />
        <Field label="从哪天起" {...getInputProps(fields.firstDate, { type: 'date' })} errors={fields.firstDate.errors} />
        <Field
          label="到哪天止（可选）"
          hint="留空则一直重复；系统提前生成未来 6 个月的场次"
          {...getInputProps(fields.untilDate, { type: 'date' })}
          errors={fields.untilDate.errors}
        />
      </Section>
      <RuleFields
        fields={fields}
        window={
          <>
            <Field
              label="提前几天开放预约（可选）"
              hint="留空则发布后即可预约"
              {...getInputProps(fields.opensDaysBefore, { type: 'number' })}
              inputMode="numeric"
              errors={fields.opensDaysBefore.errors}
            />
            <Field
              label="开始前几小时截止预约（可选）"
              hint="留空则截止到活动开始"
              {...getInputProps(fields.closesHoursBefore, { type: 'number' })}
              inputMode="numeric"
              errors={fields.closesHoursBefore.errors}
            />
          </>
        }
      />
      <div className="flex flex-wrap gap-2 sm:col-span-2">{submit}</div>
    </Form>
  )
}
