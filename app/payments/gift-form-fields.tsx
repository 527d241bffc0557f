import type { ReactNode } from 'react'
import { ErrorList } from '~/components/forms'

// The amount part of the two gift forms (一次性捐款 on /give, 每月捐 on
// /give/monthly): plain HTML validated on the server, so the public pages ship no form library.

type Errors = string[] | undefined

/** Preset amounts as radios, 其他金额 with its text field; `idPrefix` keeps ids unique per form. */
export function AmountFieldset({
  idPrefix,
  legend,
  presets,
  chosen,
  customLabel,
  customHint,
  customValue,
  errors,
  customErrors,
}: {
  idPrefix: string
  legend: string
  presets: ReadonlyArray<{ fen: number; label: ReactNode }>
  chosen: string
  customLabel: string
  customHint: string
  customValue: string
  errors: Errors
  customErrors: Errors
}) {
  const customId = `${idPrefix}-customAmount`
  return (
    <fieldset aria-describedby={errors ? `${idPrefix}-amount-error` : undefined}>
      <legend className="text-lg font-semibold">{legend}</legend>
      <div className="mt-3 grid grid-cols-2 gap-2">
        {presets.map(({ fen, label }) => (
          <label key={fen} className="flex min-h-11 items-center gap-3 rounded-lg border border-stone-300 p-3">
            <input type="radio" name="amount" value={String(fen)} defaultChecked={chosen === String(fen)} className="size-5" />
            <span>{label}</span>
          </label>
        ))}
        <label className="col-span-2 flex min-h-11 items-center gap-3 rounded-lg border border-stone-300 p-3">
          <input type="radio" name="amount" value="custom" defaultChecked={chosen === 'custom'} className="size-5" />
          <span>其他金额（在下方填写）</span>
        </label>
      </div>
      <ErrorList id={`${idPrefix}-amount-error`} errors={errors} />
      <div className="mt-3">
        <label htmlFor={customId} className="mb-1 block text-sm font-medium text-stone-800">
          {customLabel}
        </label>
        <input
          id={customId}
          name="customAmount"
          inputMode="decimal"
          autoComplete="off"
          className="input"
          defaultValue={customValue}
          aria-invalid={customErrors ? true : undefined}
          aria-describedby={customErrors ? `${customId}-error ${customId}-hint` : `${customId}-hint`}
        />
        <p id={`${customId}-hint`} className="mt-1 text-sm text-stone-700">
          {customHint}
        </p>
        <ErrorList id={`${customId}-error`} errors={customErrors} />
      </div>
    </fieldset>
  )
}
