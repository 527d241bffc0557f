import type { PublicDisplay } from '~db/schema'

export const ANONYMOUS_DONOR = '爱心人士'

/**
 * How a donor appears in public, from their own choice (docs/product.md rule 2):
 * the name they gave, masked to its first character (王**), or 爱心人士.
 */
export function donorPublicName(displayName: string, choice: PublicDisplay): string {
  const name = displayName.trim()
  if (choice === 'anonymous' || !name) return ANONYMOUS_DONOR
  if (choice === 'masked') {
    const chars = Array.from(name)
    return `${chars[0]}${'*'.repeat(Math.max(2, chars.length - 1))}`
  }
  return name
}
