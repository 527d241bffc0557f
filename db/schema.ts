import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'

// All times are UTC instants stored as integer milliseconds; the UI shows them in Asia/Shanghai.
const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`)

export const institutionKinds = [
  'welfare_home',
  'sos_village',
  'protection_center',
  'rescue_station',
  'community_point',
  'social_org',
] as const
export type InstitutionKind = (typeof institutionKinds)[number]

export const institutions = sqliteTable(
  'institutions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    kind: text('kind', { enum: institutionKinds }).notNull(),
    province: text('province').notNull(),
    city: text('city').notNull(),
    district: text('district').notNull().default(''),
    publicAddress: text('public_address').notNull().default(''),
    publicPhone: text('public_phone').notNull().default(''),
    description: text('description').notNull().default(''),
    parentId: integer('parent_id').references((): AnySQLiteColumn => institutions.id),
    createdAt: createdAt(),
  },
  (t) => [index('institutions_parent_idx').on(t.parentId), index('institutions_city_idx').on(t.city)],
)

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    phone: text('phone'),
    email: text('email'),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    isPlatformAdmin: integer('is_platform_admin', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_phone_unique').on(t.phone).where(sql`phone IS NOT NULL`),
    uniqueIndex('users_email_unique').on(t.email).where(sql`email IS NOT NULL`),
  ],
)

export const membershipRoles = ['manager', 'staff'] as const
export type MembershipRole = (typeof membershipRoles)[number]

export const memberships = sqliteTable(
  'memberships',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id, { onDelete: 'cascade' }),
    role: text('role', { enum: membershipRoles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('memberships_user_institution_unique').on(t.userId, t.institutionId),
    index('memberships_institution_idx').on(t.institutionId),
  ],
)

// Lucia session guide: the id is the SHA-256 of the random token kept in the cookie.
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
)

export const invitations = sqliteTable(
  'invitations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // SHA-256 of the token in the link; the token itself is never stored.
    tokenHash: text('token_hash').notNull().unique(),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id, { onDelete: 'cascade' }),
    role: text('role', { enum: membershipRoles }).notNull(),
    note: text('note').notNull().default(''),
    invitedBy: integer('invited_by')
      .notNull()
      .references(() => users.id),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    acceptedBy: integer('accepted_by').references(() => users.id),
    acceptedAt: integer('accepted_at', { mode: 'timestamp_ms' }),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('invitations_institution_idx').on(t.institutionId)],
)

// Append-only: triggers in the migrations refuse UPDATE and DELETE.
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actorId: integer('actor_id').references(() => users.id),
    institutionId: integer('institution_id').references(() => institutions.id),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    summary: text('summary', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    ip: text('ip'),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('audit_log_institution_idx').on(t.institutionId, t.id)],
)
