/** Public URL of a stored wish image (served by routes/images.$key.tsx). */
export function wishImageUrl(key: string): string {
  return `/images/${encodeURIComponent(key)}`
}
