/** A section that a later release fills. It says so plainly and shows no invented data. */
export function ComingSoon({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-xl py-8">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div className="card mt-4">
        <p className="inline-block rounded-full bg-brand-100 px-3 py-1 text-sm font-medium text-brand-800">即将开放</p>
        <div className="mt-3 space-y-2 text-stone-800">{children}</div>
      </div>
    </div>
  )
}
