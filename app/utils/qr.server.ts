import QRCode from 'qrcode'
import { siteUrl } from './origin.server'

/**
 * A QR code (an SVG string) for a path on this site, made absolute with the site's origin.
 * Rendered on the server and passed to the page as data, so the browser shows the same markup.
 */
export async function siteQrCode(request: Request, path: string): Promise<{ url: string; svg: string }> {
  const url = siteUrl(path, request)
  return { url, svg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }) }
}
