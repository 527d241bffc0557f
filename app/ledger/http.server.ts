// JSON responses of the public ledger API (/api/ledger/*).

export function jsonResponse(body: unknown, init: { status?: number; noStore?: boolean } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': init.noStore ? 'no-store' : 'no-cache',
      'Access-Control-Allow-Origin': '*',
    },
  })
}

/** A 400/404 error body with the message in Chinese and English. */
export function jsonError(status: 400 | 404, zh: string, en: string): Response {
  return jsonResponse({ error: { status, message: `${zh} / ${en}`, zh, en } }, { status, noStore: true })
}

/** Parse a non-negative integer query parameter; undefined when absent, NaN when malformed. */
export function intParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name)
  if (raw === null || raw === '') return undefined
  return /^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN
}
