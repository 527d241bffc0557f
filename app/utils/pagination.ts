import { z } from 'zod'

// Keyset pagination: a page ends at a (sort key, id) pair, and the next page starts strictly
// after it, so rows inserted meanwhile never shift or repeat what a reader sees.
export type Cursor = { k: number; id: number }

const cursorSchema = z.object({ k: z.number().int(), id: z.number().int().positive() })

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url')
}

/** A malformed cursor reads as "first page" rather than an error. */
export function decodeCursor(value: string | null | undefined): Cursor | null {
  if (!value) return null
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export const PAGE_SIZE = 20

/** Split a query result fetched with limit+1 into a page and the cursor after it. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => Cursor): { items: T[]; next: string | null } {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return { items, next: rows.length > limit && last ? encodeCursor(keyOf(last)) : null }
}

/**
 * A public list's query string: its filters (the schema's keys, trimmed, empty meaning "all";
 * the schema decides what a bad value reads as) and the keyset cursor of the page asked for.
 */
export function listQuery<S extends z.AnyZodObject>(
  request: Request,
  schema: S,
): { filters: z.infer<S>; cursor: string | null; paged: boolean } {
  const params = new URL(request.url).searchParams
  const raw: Record<string, string> = {}
  for (const key of Object.keys(schema.shape)) {
    const value = params.get(key)?.trim()
    if (value) raw[key] = value
  }
  const cursor = params.get('cursor') || null
  return { filters: schema.parse(raw), cursor, paged: cursor !== null }
}
