import { and, eq, not, sql, type SQL } from 'drizzle-orm'
import { wishes, type WishStatus } from '~db/schema'

// "A wish is open to claim" — the one rule the public list, the wish page, the claim, the
// waitlist offer and the campaign-end job all ask: it is published, and the campaign it belongs
// to (if any) has not ended. Between a campaign's end and the job that marks its wishes
// 'expired', a published wish is therefore already closed everywhere.

/** The rule over a row: the wish's status and its campaign's end (null when it has no campaign). */
export function isOpenToClaim(wish: { status: WishStatus; campaignEndsAt: Date | null }, at: Date): boolean {
  return wish.status === 'published' && !(wish.campaignEndsAt && wish.campaignEndsAt.getTime() <= at.getTime())
}

/** The campaign of the wish in the current row has ended by `at` (no join needed). */
function campaignEndedSql(at: Date): SQL {
  return sql`exists (select 1 from campaigns c where c.id = ${wishes.campaignId} and c.ends_at <= ${at.getTime()})`
}

/** The rule as a condition on the wishes table. */
export function openToClaimSql(at: Date): SQL {
  return and(eq(wishes.status, 'published'), not(campaignEndedSql(at))) as SQL
}

/** Published, but closed to claims because its campaign has ended (what the job marks 'expired'). */
export function closedPublishedSql(at: Date): SQL {
  return and(eq(wishes.status, 'published'), campaignEndedSql(at)) as SQL
}
