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

function describedBy(errorId: string, hintId: string, hasErrors: boolean, hasHint: boolean) {
  return [hasErrors ? errorId : null, hasHint ? hintId : null].filter(Boolean).join(' ') || undefined
}

export function Field({ label, hint, errors, className, ...inputProps }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const fallbackId = useId()
  const id = inputProps.id ?? fallbackId
  const errorId = `${id}-error`
  const hintId = `${id}-hint`
  const hasErrors = Boolean(errors?.filter(Boolean).length)
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-stone-800">
        {label}
      </label>
      <input
        {...inputProps}
        id={id}
        className="input"
        aria-invalid={hasErrors || undefined}
        aria-describedby={describedBy(errorId, hintId, hasErrors, Boolean(hint))}
      />
      {hint ? (
        <p id={hintId} className="mt-1 text-sm text-stone-600">
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
  )
}

export function TextareaField({
  label,
  hint,
  errors,
  className,
  ...props
}: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const fallbackId = useId()
  const id = props.id ?? fallbackId
  const errorId = `${id}-error`
  const hintId = `${id}-hint`
  const hasErrors = Boolean(errors?.filter(Boolean).length)
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-stone-800">
        {label}
      </label>
      <textarea
        {...props}
        id={id}
        className="input min-h-24"
        aria-invalid={hasErrors || undefined}
        aria-describedby={describedBy(errorId, hintId, hasErrors, Boolean(hint))}
      />
      {hint ? (
        <p id={hintId} className="mt-1 text-sm text-stone-600">
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
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
  const fallbackId = useId()
  const id = props.id ?? fallbackId
  const errorId = `${id}-error`
  const hintId = `${id}-hint`
  const hasErrors = Boolean(errors?.filter(Boolean).length)
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-stone-800">
        {label}
      </label>
      <select
        {...props}
        id={id}
        className="input"
        aria-invalid={hasErrors || undefined}
        aria-describedby={describedBy(errorId, hintId, hasErrors, Boolean(hint))}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={hintId} className="mt-1 text-sm text-stone-600">
          {hint}
        </p>
      ) : null}
      <ErrorList id={errorId} errors={errors} />
    </div>
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
