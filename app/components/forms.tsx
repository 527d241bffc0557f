import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react'

export type ListOfErrors = Array<string | null | undefined> | null | undefined

export function ErrorList({ id, errors }: { id?: string; errors?: ListOfErrors }) {
  const shown = errors?.filter(Boolean)
  if (!shown?.length) return null
  return (
    <ul id={id} className="mt-1 space-y-0.5 text-sm text-red-800">
      {shown.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  )
}

type FieldProps = {
  label: ReactNode
  hint?: ReactNode
  errors?: ListOfErrors
  className?: string
}

type ControlProps = { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined }

/** Label, hint and errors around one control, wired up with aria-invalid/aria-describedby. */
function FieldShell({
  id: givenId,
  label,
  hint,
  errors,
  className,
  children,
}: FieldProps & { id?: string; children: (control: ControlProps) => ReactNode }) {
  const fallbackId = useId()
  const id = givenId ?? fallbackId
  const errorId = `${id}-error`
  const hintId = `${id}-hint`
  const hasErrors = Boolean(errors?.filter(Boolean).length)
  const describedBy = [hasErrors ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-stone-800">
        {label}
      </label>
      {children({ id, 'aria-invalid': hasErrors || undefined, 'aria-describedby': describedBy })}
      {hint ? (
        <p id={hintId} className="mt-1 text-sm text-stone-600">
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  )
}

export function Field({ label, hint, errors, className, ...inputProps }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldShell id={inputProps.id} label={label} hint={hint} errors={errors} className={className}>
      {(control) => <input {...inputProps} {...control} className="input" />}
    </FieldShell>
  )
}

export function TextareaField({ label, hint, errors, className, ...props }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldShell id={props.id} label={label} hint={hint} errors={errors} className={className}>
      {(control) => <textarea {...props} {...control} className="input min-h-24" />}
    </FieldShell>
  )
}

export function SelectField({
  label,
  hint,
  errors,
  className,
  options,
  ...props
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: ReadonlyArray<{ value: string; label: string }> }) {
  return (
    <FieldShell id={props.id} label={label} hint={hint} errors={errors} className={className}>
      {(control) => (
        <select {...props} {...control} className="input">
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  )
}

/** A form-level message (e.g. wrong password) announced to screen readers. */
export function FormMessage({ id, children, tone = 'error' }: { id?: string; children?: ReactNode; tone?: 'error' | 'success' }) {
  if (!children) return null
  return (
    <div
      id={id}
      role={tone === 'error' ? 'alert' : 'status'}
      className={
        tone === 'error'
          ? 'rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-900'
          : 'rounded-lg border border-green-300 bg-green-50 p-3 text-sm text-green-900'
      }
    >
      {children}
    </div>
  )
}

/**
 * When a Conform form checks a field again after its first submit: while typing, never on blur.
 * Revalidating on blur removed an error line as the submit button was pressed, the button moved
 * up under the pointer and the click was lost (wide screens, issue 13). Every form uses this.
 */
export const REVALIDATE_WHILE_TYPING = 'onInput' as const
