import { Link, useLocation } from '@remix-run/react'

/**
 * Keyset paging links for a list page: back to the first page once paged, and the next page
 * when there is one. Both keep the current filters; plain links, so they work without JS.
 */
export function Pager({ next, paged, nextLabel = '下一页' }: { next: string | null; paged: boolean; nextLabel?: string }) {
  const location = useLocation()
  const hrefWith = (cursor: string | null) => {
    const params = new URLSearchParams(location.search)
    if (cursor) params.set('cursor', cursor)
    else params.delete('cursor')
    const query = params.toString()
    return `${location.pathname}${query ? `?${query}` : ''}`
  }
  if (!paged && !next) return null
  return (
    <nav aria-label="翻页" className="mt-4 flex flex-wrap gap-3">
      {paged ? (
        <Link to={hrefWith(null)} className="btn-secondary">
          回到第一页
        </Link>
      ) : null}
      {next ? (
        <Link to={hrefWith(next)} className="btn-secondary" rel="next">
          {nextLabel}
        </Link>
      ) : null}
    </nav>
  )
}
