/** Public URL of a published feedback photo (served by routes/feedback-photos.$key.tsx). */
export function feedbackPhotoUrl(key: string): string {
  return `/feedback-photos/${encodeURIComponent(key)}`
}
