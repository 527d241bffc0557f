import type { z } from 'zod'

// Server-side form parsing for plain <Form>s: errors per field plus the submitted values, so
// the page re-renders what was typed with the Chinese error next to each field.

export type FormReply = { ok: boolean; message: string | null; errors: Record<string, string[]>; values: Record<string, string | string[]> }

export function formValues(formData: FormData): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === 'string')
    values[key] = all.length > 1 ? all : (all[0] ?? '')
  }
  return values
}

export function parseForm<S extends z.ZodTypeAny>(formData: FormData, schema: S): { ok: true; value: z.infer<S> } | { ok: false; reply: FormReply } {
  const values = formValues(formData)
  const parsed = schema.safeParse(values)
  if (parsed.success) return { ok: true, value: parsed.data }
  const flat = parsed.error.flatten()
  return { ok: false, reply: { ok: false, message: flat.formErrors[0] ?? null, errors: flat.fieldErrors as Record<string, string[]>, values } }
}

export function refusal(message: string, values: Record<string, string | string[]> = {}): FormReply {
  return { ok: false, message, errors: {}, values }
}
