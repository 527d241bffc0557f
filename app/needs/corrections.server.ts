import type { Actor } from '~/audit/audit.server'
import { correctLedgerEntry, type CorrectResult } from '~/donations/corrections.server'
import { refreshNeedStatus, reopenPledgeIfShort } from './progress.server'

/**
 * Staff correct an entry of their home's log (更正, a reversing entry). A corrected pledge
 * arrival reopens its pledge when it is now short, and a need's status follows its corrected
 * entries — in the same transaction as the correction.
 */
export function correctEntry(actor: Actor, institutionId: number, receiptNo: string, reason: string): CorrectResult {
  return correctLedgerEntry(actor, institutionId, receiptNo, reason, (tx, { originalId, entry }) => {
    reopenPledgeIfShort(tx, originalId)
    if (entry.designation === 'need' && entry.designationRef !== null) refreshNeedStatus(tx, entry.designationRef)
  })
}
