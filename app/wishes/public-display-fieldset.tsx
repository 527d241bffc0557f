import { publicDisplays } from '~db/enums'
import { ErrorList } from '~/components/forms'
import { donorPublicName } from '~/donations/display'
import { publicDisplayLabels } from '~/wishes/labels'

/**
 * How a member appears in public (the donation log, a team page): each choice as a radio with the
 * name it would show. Plain HTML, for forms validated on the server; one per form (`idPrefix`).
 */
export function PublicDisplayFieldset({
  idPrefix,
  displayName,
  chosen,
  errors,
  name = 'publicDisplay',
  legend = '公开捐赠记录中如何显示您',
  note = '您的手机号和邮箱永远不会公开。',
}: {
  idPrefix: string
  displayName: string
  chosen: string
  errors: string[] | undefined
  name?: string
  legend?: string
  note?: string
}) {
  const errorId = `${idPrefix}-${name}-error`
  return (
    <fieldset aria-describedby={errors ? errorId : undefined}>
      <legend className="text-lg font-semibold">{legend}</legend>
      <p className="mt-1 text-sm text-stone-700">{note}</p>
      <div className="mt-3 space-y-2">
        {publicDisplays.map((choice) => (
          <label key={choice} className="flex min-h-11 items-center gap-3 rounded-lg border border-stone-300 p-3">
            <input type="radio" name={name} value={choice} defaultChecked={chosen === choice} className="size-5" />
            <span>
              {publicDisplayLabels[choice]}
              <span className="block text-sm text-stone-700">将显示为：{donorPublicName(displayName, choice)}</span>
            </span>
          </label>
        ))}
      </div>
      <ErrorList id={errorId} errors={errors} />
    </fieldset>
  )
}
