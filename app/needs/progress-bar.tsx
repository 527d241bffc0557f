type NeedProgress = { needed: number; received: number; pledged: number; stillNeeded: number }

/** Needed / pledged / received as numbers and a bar: received solid, pledged lighter. */
export function NeedProgressBar({ progress, unit, label }: { progress: NeedProgress; unit: string; label: string }) {
  const { needed, pledged, received, stillNeeded } = progress
  const pct = (n: number) => (needed > 0 ? Math.min(100, Math.max(0, (n / needed) * 100)) : 0)
  return (
    <div className="space-y-1">
      <div
        role="img"
        aria-label={`${label}：需要 ${needed} ${unit}，已认捐 ${pledged} ${unit}，已收到 ${received} ${unit}`}
        className="relative h-3 w-full overflow-hidden rounded-full bg-stone-200"
      >
        <div className="absolute inset-y-0 left-0 bg-amber-300" style={{ width: `${pct(pledged)}%` }} />
        <div className="absolute inset-y-0 left-0 bg-green-700" style={{ width: `${pct(received)}%` }} />
      </div>
      <p className="flex flex-wrap gap-x-3 text-sm text-stone-700">
        <span>
          需要 {needed} {unit}
        </span>
        <span>
          已认捐 {pledged} {unit}
        </span>
        <span>
          已收到 {received} {unit}
        </span>
      </p>
      <p className="font-medium text-stone-900">{stillNeeded > 0 ? `还需 ${stillNeeded} ${unit}` : '已认捐满'}</p>
    </div>
  )
}
