import type { LoaderFunctionArgs } from '@remix-run/node'
import { listPublishedDisclosures } from '~/disclosures/disclosures.server'

// Published disclosures with their signed tree heads, for scripts/verify-ledger.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const limitRaw = Number(url.searchParams.get('limit') ?? 100)
  const limit = Number.isInteger(limitRaw) && limitRaw >= 1 && limitRaw <= 500 ? limitRaw : 100
  const page = listPublishedDisclosures({
    institutionSlug: url.searchParams.get('home') || null,
    cursor: url.searchParams.get('cursor') || null,
    limit,
  })
  const body = {
    disclosures: page.items.map((d) => ({
      id: d.id,
      institution: d.institutionSlug,
      label: d.label,
      period: d.period,
      periodStart: d.periodStart.toISOString(),
      periodEnd: d.periodEnd.toISOString(),
      publishedAt: d.publishedAt?.toISOString() ?? null,
      treeSize: d.treeSize,
      rootHash: d.rootHash,
      signature: d.signature,
    })),
    next: page.next,
  }
  return new Response(JSON.stringify(body), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'public, max-age=60',
      'Access-Control-Allow-Origin': '*',
    },
  })
}
