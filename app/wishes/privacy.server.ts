import { createHash } from 'node:crypto'
import { findPersonalData, knownForChild, privacyFindingMessages, type PrivacyFindingKind } from '~/privacy/public-text.server'

// docs/product.md rule 1: before a wish is published, look for text that could identify the child.
// Each finding is a flag that staff either fix (edit the text) or confirm as harmless.

export type PrivacyFlagKind = PrivacyFindingKind
export type WishTextField = 'title' | 'story' | 'itemDetails'

export type PrivacyFlag = {
  /** Stable while the text is unchanged; what wishes.privacy_confirmed_flags stores. */
  key: string
  kind: PrivacyFlagKind
  fields: WishTextField[]
  match: string
  message: string
}

export const privacyFlagMessages = privacyFindingMessages

export const wishTextFieldLabels: Record<WishTextField, string> = { title: '标题', story: '心愿故事', itemDetails: '物品说明' }

function flagKey(kind: PrivacyFlagKind, match: string): string {
  // Hashed so that confirmations do not copy a real name or number into yet another column.
  return `${kind}:${createHash('sha256').update(match).digest('hex').slice(0, 12)}`
}

/**
 * Flags in a wish's public text that may identify the child: their real or given name, digits
 * that look like a mainland mobile or ID number, and school names (pattern or known names).
 * The detection is the shared public-text check (app/privacy/public-text.server.ts).
 */
export function checkWishPrivacy(
  text: { title: string; story: string; itemDetails: string },
  child: { realName: string },
  schoolNames: readonly string[] = [],
): PrivacyFlag[] {
  const known = knownForChild(child, schoolNames)
  const byKey = new Map<string, PrivacyFlag>()
  for (const field of ['title', 'story', 'itemDetails'] as const) {
    for (const { kind, match } of findPersonalData(text[field] ?? '', known)) {
      const key = flagKey(kind, match)
      const existing = byKey.get(key)
      if (existing) {
        if (!existing.fields.includes(field)) existing.fields.push(field)
      } else {
        byKey.set(key, { key, kind, fields: [field], match, message: privacyFlagMessages[kind] })
      }
    }
  }
  return [...byKey.values()]
}

/** Flags staff have not yet confirmed; publishing waits until this is empty. */
export function unconfirmedFlags(flags: PrivacyFlag[], confirmed: readonly string[]): PrivacyFlag[] {
  return flags.filter((f) => !confirmed.includes(f.key))
}
