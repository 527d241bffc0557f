import { availabilityLabel, availabilitySlots, subjectOptions } from './labels'
import { ErrorList } from '~/components/forms'

/** Checkbox groups for subjects, grades and weekly availability (tutoring forms). */
export function CheckboxGroup({
  legend,
  name,
  options,
  chosen,
  errors,
}: {
  legend: string
  name: string
  options: ReadonlyArray<{ value: string; label: string }>
  chosen: string[]
  errors?: string[]
}) {
  return (
    <fieldset className="space-y-1">
      <legend className="text-sm font-medium text-stone-800">{legend}</legend>
      <div className="flex flex-wrap gap-3">
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-1">
            <input type="checkbox" name={name} value={o.value} defaultChecked={chosen.includes(o.value)} />
            {o.label}
          </label>
        ))}
      </div>
      <ErrorList errors={errors} />
    </fieldset>
  )
}

export const subjectChoices = subjectOptions.map((s) => ({ value: s, label: s }))
export const slotChoices = availabilitySlots.map((s) => ({ value: s, label: availabilityLabel(s) }))
export const gradeChoices = Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: `${i + 1} 年级` }))
export function asList(v: string | string[] | number[] | undefined | null): string[] {
  if (v == null) return []
  return Array.isArray(v) ? v.map(String) : [String(v)]
}
