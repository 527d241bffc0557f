// One source of "now" for domain code, so tests can move time (deadlines, expiries, offers).
let offsetMs = 0
let frozen: Date | null = null

export function now(): Date {
  return frozen ? new Date(frozen) : new Date(Date.now() + offsetMs)
}

/** Test helpers: freeze the clock at an instant, or shift it, and put it back. */
export const testClock = {
  freeze(at: Date | string) {
    frozen = new Date(at)
  },
  advance(ms: number) {
    if (frozen) frozen = new Date(frozen.getTime() + ms)
    else offsetMs += ms
  },
  reset() {
    frozen = null
    offsetMs = 0
  },
}
