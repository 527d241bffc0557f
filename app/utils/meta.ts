import type { MetaDescriptor } from '@remix-run/node'

export const SITE_NAME = '微暖'
export const SITE_TAGLINE = '慈善之光，虽微而暖'

export type PageMetaOptions = {
  title?: string
  /** The title in link previews (og:title), when it should differ from the tab's title. */
  shareTitle?: string
  description: string
  /** The page's absolute URL (og:url). */
  url?: string
  /** An absolute URL of the page's share card (app/share), the picture apps show beside a link. */
  image?: { url: string; width: number; height: number; alt: string }
}

/**
 * Title, description and Open Graph tags for a page. Never pass private fields here. With an
 * image: og:image (Facebook-style previews, Weibo, QQ), twitter:card, and the schema.org
 * itemprops that WeChat's link preview reads when a page is shared outside its JS-SDK.
 */
export function pageMeta({ title, shareTitle, description, url, image }: PageMetaOptions): MetaDescriptor[] {
  const fullTitle = title ? `${title} · ${SITE_NAME}` : `${SITE_NAME} · ${SITE_TAGLINE}`
  const tags: MetaDescriptor[] = [
    { title: fullTitle },
    { name: 'description', content: description },
    { property: 'og:title', content: shareTitle ?? fullTitle },
    { property: 'og:description', content: description },
    { property: 'og:type', content: 'website' },
    { property: 'og:site_name', content: SITE_NAME },
    { property: 'og:locale', content: 'zh_CN' },
  ]
  if (url) tags.push({ property: 'og:url', content: url })
  if (image) {
    tags.push(
      { property: 'og:image', content: image.url },
      { property: 'og:image:type', content: 'image/png' },
      { property: 'og:image:width', content: String(image.width) },
      { property: 'og:image:height', content: String(image.height) },
      { property: 'og:image:alt', content: image.alt },
      { name: 'twitter:card', content: 'summary_large_image' },
      { itemProp: 'name', content: shareTitle ?? fullTitle },
      { itemProp: 'description', content: description },
      { itemProp: 'image', content: image.url },
    )
  }
  return tags
}
