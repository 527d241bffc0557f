import type { MetaDescriptor } from '@remix-run/node'

export const SITE_NAME = '微暖'
export const SITE_TAGLINE = '慈善之光，虽微而暖'

/** Title, description and Open Graph tags for a page. Never pass private fields here. */
export function pageMeta({ title, description }: { title?: string; description: string }): MetaDescriptor[] {
  const fullTitle = title ? `${title} · ${SITE_NAME}` : `${SITE_NAME} · ${SITE_TAGLINE}`
  return [
    { title: fullTitle },
    { name: 'description', content: description },
    { property: 'og:title', content: fullTitle },
    { property: 'og:description', content: description },
    { property: 'og:type', content: 'website' },
    { property: 'og:site_name', content: SITE_NAME },
    { property: 'og:locale', content: 'zh_CN' },
  ]
}
