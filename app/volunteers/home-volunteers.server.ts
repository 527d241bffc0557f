import { eq, sql, type SQL } from 'drizzle-orm'
import { db, type Tx } from '~db/client.server'
import { users, volunteerProfiles } from '~db/schema'

// A home's own volunteers: people who applied to one of its programmes, booked one of its
// slots, are on one of its pairing teams or have served it. Only they may be shown to its staff
// by real name or picked for its pairings and substitutes (docs/product.md rule 7); everyone else is
// another home's business, and the home learns nothing about them — not even that they exist.

/** SQL list of the user ids of this home's volunteers, for `IN (…)`. */
export function homeVolunteerIdsSql(institutionId: number): SQL {
  return sql`(
    SELECT pa.user_id FROM programme_applications pa JOIN programmes pr ON pr.id = pa.programme_id WHERE pr.institution_id = ${institutionId}
    UNION SELECT b.user_id FROM bookings b WHERE b.institution_id = ${institutionId}
    UNION SELECT pm.user_id FROM pairing_members pm JOIN pairings p ON p.id = pm.pairing_id WHERE p.institution_id = ${institutionId}
    UNION SELECT sr.user_id FROM service_records sr WHERE sr.institution_id = ${institutionId}
  )`
}

export function isVolunteerOfHome(tx: Tx | typeof db, institutionId: number, userId: number): boolean {
  return Boolean(tx.get<{ one: number } | undefined>(sql`SELECT 1 AS one WHERE ${userId} IN ${homeVolunteerIdsSql(institutionId)}`))
}

/**
 * The names a home's volunteer is known by: the account's display name and, once they filled in
 * their profile, the real name. Only for volunteers of the home (isVolunteerOfHome).
 */
export function volunteerNames(tx: Tx | typeof db, userId: number): { displayName: string; realName: string | null } {
  const row = tx
    .select({ displayName: users.displayName, realName: volunteerProfiles.realName })
    .from(users)
    .leftJoin(volunteerProfiles, eq(volunteerProfiles.userId, users.id))
    .where(eq(users.id, userId))
    .get()
  return { displayName: row?.displayName ?? `用户 ${userId}`, realName: row?.realName ?? null }
}
