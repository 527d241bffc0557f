import { Form, Link } from '@remix-run/react'
import { useId, type ReactNode } from 'react'

/**
 * The second step of a destructive action: what will happen, the real submit button and a way
 * back. The page shows it after a link (`?cancel=…`), a preview post or on a page of its own, so
 * it works without JavaScript and nothing is destroyed by one stray tap.
 */
export function ConfirmStep({
  title,
  confirmLabel,
  cancelTo,
  cancelLabel = '不取消',
  intent,
  fields = {},
  busy = false,
  noValidate,
  children,
}: {
  /** The question, e.g. 确定取消认领吗？ */
  title: ReactNode
  confirmLabel: string
  /** The same page without the confirm step. */
  cancelTo: string
  cancelLabel?: string
  /** Sent as intent=… by the confirm button. */
  intent?: string
  /** Hidden fields that say what is confirmed (ids, a reason typed in the first step). */
  fields?: Record<string, string | number>
  busy?: boolean
  noValidate?: boolean
  /** More of what will happen, a form message, fields such as a reason. */
  children?: ReactNode
}) {
  const titleId = useId()
  return (
    <div role="alertdialog" aria-labelledby={titleId} className="rounded-lg border border-red-300 bg-red-50 p-3">
      <Form method="post" noValidate={noValidate} className="space-y-3">
        <p id={titleId} className="font-medium text-red-900">
          {title}
        </p>
        {children}
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <div className="flex flex-wrap gap-3">
          <button type="submit" name={intent ? 'intent' : undefined} value={intent} className="btn-danger" disabled={busy}>
            {confirmLabel}
          </button>
          <Link to={cancelTo} className="btn-secondary">
            {cancelLabel}
          </Link>
        </div>
      </Form>
    </div>
  )
}
