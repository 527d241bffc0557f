import { feedbackPhotoUrl } from './url'

/** Published 执行反馈 photos of one item, for public pages: plain markup, no client code. */
export function FeedbackPhotoBlock({
  photos,
  headingId = 'feedback-photos-title',
}: {
  photos: Array<{ key: string; altText: string }>
  headingId?: string
}) {
  if (!photos.length) return null
  return (
    <section aria-labelledby={headingId} className="card space-y-3" data-testid="feedback-photos">
      <h2 id={headingId} className="text-lg font-semibold">
        执行反馈
      </h2>
      <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {photos.map((p) => (
          <li key={p.key}>
            <figure className="space-y-1">
              <img src={feedbackPhotoUrl(p.key)} alt={p.altText} className="w-full rounded-lg object-cover" loading="lazy" />
              <figcaption className="text-sm text-stone-700">{p.altText}</figcaption>
            </figure>
          </li>
        ))}
      </ul>
    </section>
  )
}
