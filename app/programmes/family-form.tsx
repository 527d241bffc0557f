import { Form } from '@remix-run/react'
import { Field, FormMessage, TextareaField } from '~/components/forms'

type Reply = { message: string | null; errors: Record<string, string[] | undefined>; values: Record<string, string | string[]> } | undefined
type Defaults = { alias?: string; householdDescription?: string; address?: string; contacts?: string; childIds?: number[] }

/** Create / edit a family (staff only; everything but the alias is private). */
export function FamilyForm({ reply, defaults, childOptions, submitLabel }: { reply: Reply; defaults: Defaults; childOptions: Array<{ id: number; label: string }>; submitLabel: string }) {
  const v = (k: keyof Defaults) => String(reply ? (reply.values[k] ?? '') : (defaults[k] ?? ''))
  const raw = reply ? reply.values.childIds : defaults.childIds?.map(String)
  const chosen = raw == null ? [] : Array.isArray(raw) ? raw : [raw]
  return (
    <Form method="post" className="space-y-3" noValidate>
      <input type="hidden" name="intent" value="save" />
      <FormMessage>{reply?.message}</FormMessage>
      <Field label="家庭化名（可公开）" name="alias" hint="例如：小雨家；不要使用真实姓氏" defaultValue={v('alias')} errors={reply?.errors.alias} required />
      <TextareaField label="家庭情况（仅工作人员可见）" name="householdDescription" defaultValue={v('householdDescription')} errors={reply?.errors.householdDescription} />
      <Field label="地址（仅工作人员可见）" name="address" defaultValue={v('address')} errors={reply?.errors.address} />
      <Field label="联系方式（仅工作人员可见）" name="contacts" defaultValue={v('contacts')} errors={reply?.errors.contacts} />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-stone-800">家中的儿童</legend>
        {childOptions.length ? (
          <div className="flex flex-wrap gap-3">
            {childOptions.map((c) => (
              <label key={c.id} className="flex items-center gap-1">
                <input type="checkbox" name="childIds" value={c.id} defaultChecked={chosen.includes(String(c.id))} />
                {c.label}
              </label>
            ))}
          </div>
        ) : (
          <p className="text-sm text-stone-700">本机构还没有儿童档案。</p>
        )}
      </fieldset>
      <button type="submit" className="btn-primary w-full sm:w-auto">
        {submitLabel}
      </button>
    </Form>
  )
}
