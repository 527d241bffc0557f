import { Form } from '@remix-run/react'
import { cadences, programmeKinds, qualificationKinds } from '~db/enums'
import { Field, FormMessage, SelectField, TextareaField } from '~/components/forms'
import { qualificationLabels } from '~/volunteers/labels'
import { cadenceLabels, programmeKindLabels } from './labels'

type Reply = { message: string | null; errors: Record<string, string[] | undefined>; values: Record<string, string | string[]> } | undefined
type Defaults = Record<string, unknown>

/** Create / edit a programme (staff). A plain form: validated on the server. */
export function ProgrammeForm({ reply, defaults, submitLabel }: { reply: Reply; defaults: Defaults; submitLabel: string }) {
  const v = (k: string) => String(reply ? (reply.values[k] ?? '') : (defaults[k] ?? ''))
  const checked = (k: string) => (reply ? reply.values[k] === 'on' : Boolean(defaults[k]))
  const quals = (reply ? reply.values.requiredQualifications : (defaults.requiredQualifications as string[] | undefined)) ?? []
  const qualList = Array.isArray(quals) ? quals : [String(quals)]
  return (
    <Form method="post" className="space-y-3" noValidate>
      <input type="hidden" name="intent" value="save" />
      <FormMessage>{reply?.message}</FormMessage>
      <Field label="项目名称" name="name" defaultValue={v('name')} errors={reply?.errors.name} required />
      <Field label="网址标识" name="slug" hint="用于公开页面地址，例如 huanxin-leyuan" defaultValue={v('slug')} errors={reply?.errors.slug} required />
      <SelectField label="项目类型" name="kind" defaultValue={v('kind') || 'companionship'} errors={reply?.errors.kind} options={programmeKinds.map((k) => ({ value: k, label: programmeKindLabels[k] }))} />
      <TextareaField label="项目介绍（公开）" name="description" defaultValue={v('description')} errors={reply?.errors.description} />
      <TextareaField label="对志愿者的要求（公开）" name="asksOfVolunteers" defaultValue={v('asksOfVolunteers')} errors={reply?.errors.asksOfVolunteers} />
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label="计划次数" name="plannedVisits" type="number" inputMode="numeric" defaultValue={v('plannedVisits') || '12'} errors={reply?.errors.plannedVisits} />
        <SelectField label="频率" name="cadence" defaultValue={v('cadence') || 'monthly'} errors={reply?.errors.cadence} options={cadences.map((c) => ({ value: c, label: cadenceLabels[c] }))} />
        <Field label="周期（月）" name="durationMonths" type="number" inputMode="numeric" defaultValue={v('durationMonths') || '12'} errors={reply?.errors.durationMonths} />
      </div>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-stone-800">须具备的已核验资质</legend>
        <div className="flex flex-wrap gap-3">
          {qualificationKinds.map((q) => (
            <label key={q} className="flex items-center gap-1">
              <input type="checkbox" name="requiredQualifications" value={q} defaultChecked={qualList.includes(q)} />
              {qualificationLabels[q]}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="flex items-center gap-2">
        <input type="checkbox" name="requiresBackgroundCheck" defaultChecked={checked('requiresBackgroundCheck')} />
        须通过背景核验
      </label>
      <label className="flex items-center gap-2">
        <input type="checkbox" name="acceptingApplications" defaultChecked={checked('acceptingApplications')} />
        接受志愿者申请
      </label>
      <button type="submit" className="btn-primary w-full sm:w-auto">
        {submitLabel}
      </button>
    </Form>
  )
}
