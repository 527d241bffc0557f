import { sql } from 'drizzle-orm'
import { blob, check, index, integer, primaryKey, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'
import {
  institutionKinds,
  orgTypes,
  registrationKinds,
  membershipRoles,
  genders,
  needCategories,
  wishStatuses,
  publicDisplays,
  claimStatuses,
  releaseReasons,
  waitlistStatuses,
  notificationChannels,
  notificationStatuses,
  donationKinds,
  designations,
  donationChannels,
  slotKinds,
  slotStatuses,
  bookingKinds,
  bookingStatuses,
  qualificationKinds,
  verificationStatuses,
  serviceSources,
  needUrgencies,
  needStatuses,
  pledgeStatuses,
  paymentStatuses,
  monthlyGiftStatuses,
  monthlyGiftTargets,
  paymentTargets,
  ledgerLeafKinds,
  disclosurePeriods,
  disclosureStatuses,
  programmeKinds,
  cadences,
  applicationStatuses,
  pairingStatuses,
  pairingRoles,
  visitStatuses,
} from './enums'
export {
  institutionKinds,
  orgTypes,
  registrationKinds,
  membershipRoles,
  genders,
  needCategories,
  wishStatuses,
  publicDisplays,
  claimStatuses,
  releaseReasons,
  waitlistStatuses,
  notificationChannels,
  notificationStatuses,
  donationKinds,
  designations,
  donationChannels,
  slotKinds,
  slotStatuses,
  bookingKinds,
  bookingStatuses,
  qualificationKinds,
  verificationStatuses,
  serviceSources,
  needUrgencies,
  needStatuses,
  pledgeStatuses,
  paymentStatuses,
  paymentTargets,
  ledgerLeafKinds,
  disclosurePeriods,
  disclosureStatuses,
  programmeKinds,
  cadences,
  applicationStatuses,
  pairingStatuses,
  pairingRoles,
  visitStatuses,
} from './enums'
export type {
  InstitutionKind,
  OrgType,
  RegistrationKind,
  MembershipRole,
  NeedCategory,
  WishStatus,
  PublicDisplay,
  SlotKind,
  SlotStatus,
  BookingStatus,
  QualificationKind,
  VerificationStatus,
  NeedStatus,
  PledgeStatus,
} from './enums'
import type { QualificationKind, VisitActivity } from './enums'

// All times are UTC instants stored as integer milliseconds; the UI shows them in Asia/Shanghai.
const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`)

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
    // Claim deadlines for wishes, set per home (docs/product.md rule 6).
    claimBuyDays: integer('claim_buy_days').notNull().default(7),
    claimDeliverDays: integer('claim_deliver_days').notNull().default(14),
    // Days after a pledge's expected delivery date before an undelivered pledge is released.
    pledgeGraceDays: integer('pledge_grace_days').notNull().default(7),
    // The home's manager requires two-step sign-in of its staff (app/auth/two-factor.server.ts).
    requireTwoFactor: integer('require_two_factor', { mode: 'boolean' }).notNull().default(false),
    // 机构信息 (public, filled by the home's managers; app/institutions/trust.server.ts).
    registrationKind: text('registration_kind', { enum: registrationKinds }).notNull().default('uscc'),
    registrationNo: text('registration_no').notNull().default(''),
    registrationAuthority: text('registration_authority').notNull().default(''),
    orgType: text('org_type', { enum: orgTypes }), // null until the home says
    publicFundraising: integer('public_fundraising', { mode: 'boolean' }).notNull().default(false),
    // 平台已核验: set by a platform admin; cleared when the home edits a verified fact.
    factsVerifiedAt: integer('facts_verified_at', { mode: 'timestamp_ms' }),
    factsVerifiedBy: integer('facts_verified_by').references((): AnySQLiteColumn => users.id),
    // 收件人 and 联系电话 for parcels: shown only to a claimer or pledger and the home's staff.
    shippingRecipient: text('shipping_recipient').notNull().default(''),
    shippingPhone: text('shipping_phone').notNull().default(''),
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
    // Set when the phone number / e-mail address was proven with a code (app/auth/contact-verification.server.ts).
    phoneVerifiedAt: integer('phone_verified_at', { mode: 'timestamp_ms' }),
    emailVerifiedAt: integer('email_verified_at', { mode: 'timestamp_ms' }),
    // Two-step sign-in (app/auth/two-factor.server.ts): the TOTP key, AES-GCM encrypted with
    // TOTP_ENCRYPTION_KEY (null: not set up); the time step of the last accepted code (a code is
    // never accepted twice); the SHA-256 of the one recovery code.
    totpKey: text('totp_key'),
    totpLastCounter: integer('totp_last_counter'),
    recoveryCodeHash: text('recovery_code_hash'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_phone_unique')
      .on(t.phone)
      .where(sql`phone IS NOT NULL`),
    uniqueIndex('users_email_unique')
      .on(t.email)
      .where(sql`email IS NOT NULL`),
  ],
)

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
    /** The absolute end (created + the lifetime of the account's kind at sign-in); also the cookie's Expires. */
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    /** Last request seen, written at most every few minutes (null: none since signing in). */
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' }),
    /** Coarse device from the User-Agent at sign-in ("Chrome · Android"), and the address. */
    device: text('device').notNull().default(''),
    ip: text('ip'),
    // The second step (a TOTP or recovery code) was passed in this session.
    twoFactorVerified: integer('two_factor_verified', { mode: 'boolean' }).notNull().default(false),
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

// ---- 微心愿 -------------------------------------------------------------------------------

// Staff-only: the real identity never leaves the staff console (docs/product.md rule 1).
export const children = sqliteTable(
  'children',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    realName: text('real_name').notNull(),
    birthDate: text('birth_date').notNull(), // YYYY-MM-DD; only the age band is ever public
    gender: text('gender', { enum: genders }).notNull(),
    pseudonym: text('pseudonym').notNull(), // 化名, the only name shown in public
    privateNotes: text('private_notes').notNull().default(''),
    archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('children_institution_idx').on(t.institutionId, t.archivedAt)],
)

export const campaigns = sqliteTable(
  'campaigns',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    ownerInstitutionId: integer('owner_institution_id')
      .notNull()
      .references(() => institutions.id),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('campaigns_owner_idx').on(t.ownerInstitutionId)],
)

// A campaign may span several homes (e.g. a cross-region pairing such as 奉甘两地微心愿).
export const campaignInstitutions = sqliteTable(
  'campaign_institutions',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.institutionId] }), index('campaign_institutions_institution_idx').on(t.institutionId)],
)

export const wishes = sqliteTable(
  'wishes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    childId: integer('child_id')
      .notNull()
      .references(() => children.id),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    category: text('category', { enum: needCategories }).notNull(),
    title: text('title').notNull(),
    story: text('story').notNull().default(''), // ≤ 300 characters
    itemDetails: text('item_details').notNull().default(''),
    quantity: integer('quantity').notNull().default(1),
    estimatedValueFen: integer('estimated_value_fen'),
    imageKey: text('image_key'), // file name under DATA_DIR/images, EXIF stripped
    status: text('status', { enum: wishStatuses }).notNull().default('draft'),
    // Set when staff publish after the privacy check; flags they confirmed are kept here.
    privacyConfirmedFlags: text('privacy_confirmed_flags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }),
    fulfilledAt: integer('fulfilled_at', { mode: 'timestamp_ms' }),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }), // withdrawn or expired
    thankYouMessage: text('thank_you_message'), // shown to the donor only
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('wishes_public_idx').on(t.status, t.publishedAt, t.id),
    index('wishes_institution_idx').on(t.institutionId, t.status),
    index('wishes_campaign_idx').on(t.campaignId),
    index('wishes_child_idx').on(t.childId),
  ],
)

export const claims = sqliteTable(
  'claims',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    wishId: integer('wish_id')
      .notNull()
      .references(() => wishes.id),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    status: text('status', { enum: claimStatuses }).notNull().default('active'),
    publicDisplay: text('public_display', { enum: publicDisplays }).notNull(),
    referenceCode: text('reference_code').notNull().unique(), // written on the parcel
    buyBy: integer('buy_by', { mode: 'timestamp_ms' }).notNull(),
    deliverBy: integer('deliver_by', { mode: 'timestamp_ms' }).notNull(),
    purchasedAt: integer('purchased_at', { mode: 'timestamp_ms' }),
    shippedAt: integer('shipped_at', { mode: 'timestamp_ms' }),
    trackingNumber: text('tracking_number'),
    partialArrivalNote: text('partial_arrival_note'),
    partialArrivalAt: integer('partial_arrival_at', { mode: 'timestamp_ms' }),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }),
    releasedAt: integer('released_at', { mode: 'timestamp_ms' }),
    releaseReason: text('release_reason', { enum: releaseReasons }),
    createdAt: createdAt(),
  },
  (t) => [
    // Rule 4: at most one active claim per wish, whatever the race.
    uniqueIndex('claims_one_active_per_wish')
      .on(t.wishId)
      .where(sql`status = 'active'`),
    index('claims_user_idx').on(t.userId, t.id),
    index('claims_status_deadline_idx').on(t.status, t.buyBy, t.deliverBy),
    // The console's parcels to receive and claims near their deadline (app/institutions/console.server.ts).
    index('claims_home_status_idx').on(t.institutionId, t.status, t.deliverBy),
  ],
)

// 候补: donors queue for a claimed wish; on release the first gets a 24-hour exclusive offer.
export const wishWaitlist = sqliteTable(
  'wish_waitlist',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    wishId: integer('wish_id')
      .notNull()
      .references(() => wishes.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    status: text('status', { enum: waitlistStatuses }).notNull().default('waiting'),
    offeredAt: integer('offered_at', { mode: 'timestamp_ms' }),
    offerExpiresAt: integer('offer_expires_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('wish_waitlist_one_open_entry')
      .on(t.wishId, t.userId)
      .where(sql`status IN ('waiting', 'offered')`),
    index('wish_waitlist_queue_idx').on(t.wishId, t.status, t.id),
  ],
)

// ---- Notifications -------------------------------------------------------------------------

// Outbox: written in the same transaction as the change it announces, delivered by the jobs.
export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').references(() => users.id),
    channel: text('channel', { enum: notificationChannels }).notNull(),
    recipient: text('recipient').notNull(),
    template: text('template').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    dedupeKey: text('dedupe_key').unique(), // e.g. reminder:buy:claim:12 — sent at most once
    status: text('status', { enum: notificationStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('notifications_status_idx').on(t.status, t.id), index('notifications_user_idx').on(t.userId, t.id)],
)

// ---- The public donation log ---------------------------------------------------------------

// Append-only (docs/product.md rule 3): triggers refuse UPDATE and DELETE; a mistake is fixed by a
// new entry whose corrects_id points at the one it reverses, with a published reason.
export const donations = sqliteTable(
  'donations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }), // the monotonic sequence
    receiptNo: text('receipt_no').notNull().unique(), // WN-2026-000123
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    kind: text('kind', { enum: donationKinds }).notNull(),
    description: text('description').notNull(), // public
    quantity: integer('quantity'),
    unit: text('unit'),
    estimatedValueFen: integer('estimated_value_fen'),
    amountFen: integer('amount_fen'), // money gifts
    donorDisplay: text('donor_display').notNull(), // frozen at recording time
    donorUserId: integer('donor_user_id').references(() => users.id), // private
    designation: text('designation', { enum: designations }).notNull(),
    wishId: integer('wish_id').references(() => wishes.id),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    designationRef: integer('designation_ref'), // need id etc., for designations added later
    channel: text('channel', { enum: donationChannels }).notNull(),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
    recordedBy: integer('recorded_by').references(() => users.id),
    correctsId: integer('corrects_id').references((): AnySQLiteColumn => donations.id),
    correctionReason: text('correction_reason'),
    paymentReference: text('payment_reference'), // bank transfer reference etc.; staff-only
    createdAt: createdAt(),
  },
  (t) => [
    index('donations_need_idx').on(t.designation, t.designationRef),
    index('donations_public_idx').on(t.institutionId, t.id),
    index('donations_received_idx').on(t.receivedAt, t.id),
    // A home's entries of a period (disclosure drafts): a range, not a walk of the home's history.
    index('donations_home_received_idx').on(t.institutionId, t.receivedAt),
    index('donations_donor_idx').on(t.donorUserId, t.id),
    index('donations_wish_idx').on(t.wishId),
    index('donations_corrects_idx').on(t.correctsId),
    // The /ledger month filter, newest first, without sorting a month (migration 0012). The
    // expression must stay identical to donationMonthSql in app/donations/ledger.server.ts.
    index('donations_month_idx').on(sql`strftime('%Y-%m', ${t.receivedAt} / 1000, 'unixepoch', '+8 hours')`, t.id),
    index('donations_home_month_idx').on(t.institutionId, sql`strftime('%Y-%m', ${t.receivedAt} / 1000, 'unixepoch', '+8 hours')`, t.id),
  ],
)

// Months (Asia/Shanghai) that have public log entries, with their count: the 月份 filter of
// /ledger reads this instead of scanning the log. Kept by a trigger on donations (migration 0011).
export const donationMonths = sqliteTable('donation_months', {
  month: text('month').primaryKey(), // YYYY-MM in Asia/Shanghai
  entries: integer('entries').notNull(),
})

// ---- 志愿服务 ------------------------------------------------------------------------------

// A recurring series (e.g. 每月第二个周六 9:30–11:30) generates slots; editing it updates the
// future slots that have no bookings.
export const slotSeries = sqliteTable(
  'slot_series',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    rrule: text('rrule').notNull(), // RFC 5545 RRULE, times in Asia/Shanghai wall-clock
    durationMinutes: integer('duration_minutes').notNull(),
    template: text('template', { mode: 'json' }).$type<Record<string, unknown>>().notNull(), // the slot fields every occurrence gets
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('slot_series_institution_idx').on(t.institutionId)],
)

export const slots = sqliteTable(
  'slots',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    seriesId: integer('series_id').references(() => slotSeries.id),
    kind: text('kind', { enum: slotKinds }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    location: text('location').notNull().default(''),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }).notNull(),
    capacity: integer('capacity').notNull(), // people
    // People on confirmed bookings / holding a live 候补 offer: kept by triggers on bookings in the
    // writer's transaction (migration 0023), so booking and slot lists never sum the bookings.
    confirmedPlaces: integer('confirmed_places').notNull().default(0),
    heldPlaces: integer('held_places').notNull().default(0),
    opensAt: integer('opens_at', { mode: 'timestamp_ms' }), // booking window; null = open now
    closesAt: integer('closes_at', { mode: 'timestamp_ms' }), // null = until the start
    allowGroups: integer('allow_groups', { mode: 'boolean' }).notNull().default(true),
    groupMinDaysAhead: integer('group_min_days_ahead').notNull().default(0),
    groupMaxSize: integer('group_max_size').notNull().default(20),
    cancelCutoffHours: integer('cancel_cutoff_hours').notNull().default(24),
    offerHoldHours: integer('offer_hold_hours').notNull().default(12),
    minAge: integer('min_age'),
    requiredQualifications: text('required_qualifications', { mode: 'json' }).$type<QualificationKind[]>().notNull().default([]),
    requiresBackgroundCheck: integer('requires_background_check', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: slotStatuses }).notNull().default('draft'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('slots_public_idx').on(t.status, t.startsAt, t.id),
    index('slots_institution_idx').on(t.institutionId, t.startsAt),
    index('slots_series_idx').on(t.seriesId),
  ],
)

export const bookings = sqliteTable(
  'bookings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slotId: integer('slot_id')
      .notNull()
      .references(() => slots.id),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: bookingKinds }).notNull(),
    partySize: integer('party_size').notNull().default(1),
    organisation: text('organisation'), // groups
    contactName: text('contact_name').notNull(),
    contactPhone: text('contact_phone').notNull(), // private to the home's staff
    attendeeNames: text('attendee_names').notNull().default(''),
    status: text('status', { enum: bookingStatuses }).notNull(),
    code: text('code').notNull().unique(), // short code on the 来访接待单
    offerExpiresAt: integer('offer_expires_at', { mode: 'timestamp_ms' }),
    confirmedAt: integer('confirmed_at', { mode: 'timestamp_ms' }),
    checkedInAt: integer('checked_in_at', { mode: 'timestamp_ms' }),
    checkedInCount: integer('checked_in_count'),
    checkedOutAt: integer('checked_out_at', { mode: 'timestamp_ms' }),
    cancelledAt: integer('cancelled_at', { mode: 'timestamp_ms' }),
    cancelReason: text('cancel_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    // One live booking per member per slot.
    uniqueIndex('bookings_one_live_per_member')
      .on(t.slotId, t.userId)
      .where(sql`status IN ('confirmed', 'waitlisted', 'offered')`),
    index('bookings_slot_status_idx').on(t.slotId, t.status, t.id),
    index('bookings_user_idx').on(t.userId, t.id),
  ],
)

// 志愿者: real name and phone are private to staff of homes the volunteer booked with.
export const volunteerProfiles = sqliteTable(
  'volunteer_profiles',
  {
    userId: integer('user_id')
      .primaryKey()
      .references(() => users.id),
    realName: text('real_name').notNull(),
    phone: text('phone').notNull(),
    birthDate: text('birth_date'), // YYYY-MM-DD, for minimum-age slots
    backgroundCheckStatus: text('background_check_status', { enum: verificationStatuses }).notNull().default('none'),
    backgroundCheckEvidence: text('background_check_evidence').notNull().default(''),
    backgroundCheckVerifiedBy: integer('background_check_verified_by').references(() => users.id),
    backgroundCheckVerifiedAt: integer('background_check_verified_at', { mode: 'timestamp_ms' }),
    backgroundCheckInstitutionId: integer('background_check_institution_id').references(() => institutions.id),
    backgroundCheckExpiresAt: integer('background_check_expires_at', { mode: 'timestamp_ms' }),
    backgroundCheckNote: text('background_check_note'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('volunteer_profiles_background_idx').on(t.backgroundCheckStatus)],
)

export const volunteerQualifications = sqliteTable(
  'volunteer_qualifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: qualificationKinds }).notNull(),
    evidence: text('evidence').notNull(), // what proves it (certificate name and number, issuer)
    status: text('status', { enum: verificationStatuses }).notNull().default('pending'),
    verifiedBy: integer('verified_by').references(() => users.id),
    verifiedAt: integer('verified_at', { mode: 'timestamp_ms' }),
    institutionId: integer('institution_id').references(() => institutions.id), // the home that verified
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('volunteer_qualifications_user_kind').on(t.userId, t.kind),
    index('volunteer_qualifications_user_idx').on(t.userId),
    index('volunteer_qualifications_status_idx').on(t.status, t.userId),
  ],
)

// 志愿时长: one row per person per served item (a checked-in booking now, visits later).
export const serviceRecords = sqliteTable(
  'service_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    source: text('source', { enum: serviceSources }).notNull(),
    sourceId: integer('source_id').notNull(),
    description: text('description').notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    endedAt: integer('ended_at', { mode: 'timestamp_ms' }).notNull(),
    minutes: integer('minutes').notNull(),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('service_records_source_unique').on(t.source, t.sourceId, t.userId),
    index('service_records_user_idx').on(t.userId, t.startedAt),
  ],
)

// ---- 物资需求 ------------------------------------------------------------------------------

export const needs = sqliteTable(
  'needs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    title: text('title').notNull(),
    category: text('category', { enum: needCategories }).notNull(),
    itemDescription: text('item_description').notNull().default(''),
    specification: text('specification').notNull().default(''), // size etc., brand-neutral
    unit: text('unit').notNull(), // 袋 件 箱 套 …
    quantityNeeded: integer('quantity_needed').notNull(),
    perPledgeMax: integer('per_pledge_max'),
    urgency: text('urgency', { enum: needUrgencies }).notNull().default('normal'),
    deadline: integer('deadline', { mode: 'timestamp_ms' }),
    deliveryAddress: text('delivery_address').notNull().default(''),
    deliveryHours: text('delivery_hours').notNull().default(''),
    status: text('status', { enum: needStatuses }).notNull().default('open'),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('needs_public_idx').on(t.status, t.id), index('needs_institution_idx').on(t.institutionId, t.status)],
)

export const pledges = sqliteTable(
  'pledges',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    needId: integer('need_id')
      .notNull()
      .references(() => needs.id),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    quantity: integer('quantity').notNull(), // promised; reduced by the pledger before delivery
    expectedAt: integer('expected_at', { mode: 'timestamp_ms' }).notNull(),
    publicDisplay: text('public_display', { enum: publicDisplays }).notNull(),
    code: text('code').notNull().unique(), // shown as text and QR on the pledger's page
    status: text('status', { enum: pledgeStatuses }).notNull().default('active'),
    releasedAt: integer('released_at', { mode: 'timestamp_ms' }),
    // Set when staff of the home release the pledge (null when the deadline job released it).
    releasedBy: integer('released_by').references(() => users.id),
    releaseReason: text('release_reason'),
    cancelledAt: integer('cancelled_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('pledges_need_idx').on(t.needId, t.status),
    index('pledges_user_idx').on(t.userId, t.id),
    index('pledges_status_expected_idx').on(t.status, t.expectedAt),
    // The console's pledges arriving today and overdue, per home.
    index('pledges_home_status_expected_idx').on(t.institutionId, t.status, t.expectedAt),
  ],
)

// Each arrival against a pledge is one ledger entry (several per pledge for partial deliveries).
export const pledgeArrivals = sqliteTable(
  'pledge_arrivals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => pledges.id),
    donationId: integer('donation_id')
      .notNull()
      .unique()
      .references(() => donations.id),
    quantity: integer('quantity').notNull(),
    conditionNote: text('condition_note').notNull().default(''),
    receivedBy: integer('received_by').references(() => users.id),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('pledge_arrivals_pledge_idx').on(t.pledgeId)],
)

// A walk-in donor's name and contact: private to the home's staff, never on public pages.
export const walkInDonors = sqliteTable('walk_in_donors', {
  donationId: integer('donation_id')
    .primaryKey()
    .references(() => donations.id),
  name: text('name').notNull(),
  contact: text('contact').notNull().default(''),
})

// ---- 捐赠公示 ------------------------------------------------------------------------------

// A money gift's checkout attempt. The donation itself is recorded only from the payment
// provider's webhook, never from the browser's redirect.
export const payments = sqliteTable(
  'payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    provider: text('provider').notNull(), // 'stripe' | 'mock'
    checkoutSessionId: text('checkout_session_id').unique(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    target: text('target', { enum: paymentTargets }).notNull(),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    wishId: integer('wish_id').references(() => wishes.id),
    needId: integer('need_id').references(() => needs.id),
    amountFen: integer('amount_fen').notNull(),
    publicDisplay: text('public_display', { enum: publicDisplays }).notNull(),
    status: text('status', { enum: paymentStatuses }).notNull().default('open'),
    paymentIntentId: text('payment_intent_id'),
    donationId: integer('donation_id').references(() => donations.id),
    // What the provider reported refunded / lost in a dispute so far (cumulative), already
    // recorded as corrections; later events only add the difference.
    refundedFen: integer('refunded_fen').notNull().default(0),
    disputedFen: integer('disputed_fen').notNull().default(0),
    // 一起捐 (app/teams): the team page the gift was given through, if any. Not in the log's leaf.
    teamId: integer('team_id').references((): AnySQLiteColumn => teams.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('payments_user_idx').on(t.userId, t.id),
    index('payments_intent_idx').on(t.paymentIntentId),
    index('payments_team_idx').on(t.teamId, t.id),
  ],
)

// Each webhook event is processed exactly once (inserted in the same transaction as its effect).
export const processedEvents = sqliteTable('processed_events', {
  eventId: text('event_id').primaryKey(),
  type: text('type').notNull(),
  processedAt: integer('processed_at', { mode: 'timestamp_ms' }).notNull(),
  // Set when the event was consumed but refused (e.g. amount or session mismatch): nothing recorded.
  error: text('error'),
})

// 用途: how gifts were used. Append-only like the donation log.
export const allocations = sqliteTable(
  'allocations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }).notNull(),
    purpose: text('purpose').notNull(), // "购买冬季棉衣 12 件"
    amountFen: integer('amount_fen'),
    items: text('items').notNull().default(''),
    beneficiaryDescription: text('beneficiary_description').notNull().default(''), // anonymised
    evidenceImageKeys: text('evidence_image_keys', { mode: 'json' }).$type<string[]>().notNull().default([]),
    recordedBy: integer('recorded_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('allocations_institution_idx').on(t.institutionId, t.id),
    index('allocations_home_used_idx').on(t.institutionId, t.usedAt, t.id),
  ],
)

export const allocationSources = sqliteTable(
  'allocation_sources',
  {
    allocationId: integer('allocation_id')
      .notNull()
      .references(() => allocations.id),
    donationId: integer('donation_id')
      .notNull()
      .references(() => donations.id),
    // The part of the allocation's amount drawn on this source (money sources only). Null for
    // uses without an amount; rows written before it existed count the whole amount (conservative).
    drawnFen: integer('drawn_fen'),
  },
  (t) => [primaryKey({ columns: [t.allocationId, t.donationId] }), index('allocation_sources_donation_idx').on(t.donationId)],
)

// The append-only Merkle log (RFC 9162 hashing) over every donation and allocation entry.
export const ledgerLeaves = sqliteTable(
  'ledger_leaves',
  {
    leafIndex: integer('leaf_index').primaryKey(), // 0-based, dense
    kind: text('kind', { enum: ledgerLeafKinds }).notNull(),
    refId: integer('ref_id').notNull(),
    canonical: text('canonical').notNull(), // the exact bytes hashed (UTF-8 canonical JSON)
    leafHash: text('leaf_hash').notNull(), // hex SHA-256(0x00 || canonical)
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('ledger_leaves_ref_unique').on(t.kind, t.refId)],
)

// Hashes of the complete subtrees of that tree, stored as leaves are appended (same transaction),
// so roots and proofs read O(log n) rows: node (level, idx) covers leaves [idx·2^level,
// (idx+1)·2^level). Level 0 is ledger_leaves.leaf_hash and is not repeated here. WITHOUT ROWID
// and append-only (migration 0011); docs/decisions/012-incremental-merkle-tree.md.
export const ledgerNodes = sqliteTable(
  'ledger_nodes',
  {
    level: integer('level').notNull(), // ≥ 1
    idx: integer('idx').notNull(),
    hash: blob('hash', { mode: 'buffer' }).notNull(), // 32 bytes: SHA-256(0x01 || left || right)
  },
  (t) => [primaryKey({ columns: [t.level, t.idx] })],
)

export const disclosures = sqliteTable(
  'disclosures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    period: text('period', { enum: disclosurePeriods }).notNull(),
    periodStart: integer('period_start', { mode: 'timestamp_ms' }).notNull(),
    periodEnd: integer('period_end', { mode: 'timestamp_ms' }).notNull(), // exclusive
    label: text('label').notNull(), // 2026年11月 / 2026年第4季度
    status: text('status', { enum: disclosureStatuses }).notNull().default('draft'),
    summary: text('summary', { mode: 'json' }).$type<Record<string, unknown>>(), // frozen at publication
    treeSize: integer('tree_size'),
    rootHash: text('root_hash'),
    signature: text('signature'),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    publishedBy: integer('published_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('disclosures_period_unique').on(t.institutionId, t.period, t.periodStart),
    index('disclosures_public_idx').on(t.status, t.publishedAt),
  ],
)

// The list figures of each published disclosure, copied from its frozen summary by a trigger at
// publication (migration 0012), so /disclosures does not read every summary's JSON.
export const disclosureTotals = sqliteTable('disclosure_totals', {
  disclosureId: integer('disclosure_id')
    .primaryKey()
    .references(() => disclosures.id),
  moneyFen: integer('money_fen').notNull(),
  goodsValueFen: integer('goods_value_fen').notNull(),
  entryCount: integer('entry_count').notNull(),
})

// ---- 焕新乐园 and tutoring ------------------------------------------------------------------

export const programmes = sqliteTable(
  'programmes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id), // the home or social organisation running it
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    kind: text('kind', { enum: programmeKinds }).notNull(),
    description: text('description').notNull().default(''),
    asksOfVolunteers: text('asks_of_volunteers').notNull().default(''), // public: what it asks
    plannedVisits: integer('planned_visits').notNull().default(12),
    cadence: text('cadence', { enum: cadences }).notNull().default('monthly'),
    durationMonths: integer('duration_months').notNull().default(12),
    requiredQualifications: text('required_qualifications', { mode: 'json' }).$type<QualificationKind[]>().notNull().default([]),
    requiresBackgroundCheck: integer('requires_background_check', { mode: 'boolean' }).notNull().default(true),
    acceptingApplications: integer('accepting_applications', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('programmes_institution_idx').on(t.institutionId)],
)

// Staff-only, like children: the public sees only the alias (e.g. 小雨家).
export const families = sqliteTable(
  'families',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    alias: text('alias').notNull(),
    householdDescription: text('household_description').notNull().default(''),
    address: text('address').notNull().default(''),
    contacts: text('contacts').notNull().default(''),
    archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('families_institution_idx').on(t.institutionId)],
)

export const familyChildren = sqliteTable(
  'family_children',
  {
    familyId: integer('family_id')
      .notNull()
      .references(() => families.id),
    childId: integer('child_id')
      .notNull()
      .references(() => children.id),
  },
  (t) => [primaryKey({ columns: [t.familyId, t.childId] })],
)

export const programmeApplications = sqliteTable(
  'programme_applications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    programmeId: integer('programme_id')
      .notNull()
      .references(() => programmes.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    motivation: text('motivation').notNull().default(''),
    availability: text('availability').notNull().default(''),
    status: text('status', { enum: applicationStatuses }).notNull().default('pending'),
    reviewedBy: integer('reviewed_by').references(() => users.id),
    reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('programme_applications_one_open')
      .on(t.programmeId, t.userId)
      .where(sql`status = 'pending'`),
    index('programme_applications_programme_status_idx').on(t.programmeId, t.status),
  ],
)

export const pairings = sqliteTable(
  'pairings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    programmeId: integer('programme_id')
      .notNull()
      .references(() => programmes.id),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    familyId: integer('family_id').references(() => families.id),
    childId: integer('child_id').references(() => children.id), // tutoring pairs with one child
    startDate: text('start_date').notNull(), // YYYY-MM-DD (Asia/Shanghai)
    plannedVisits: integer('planned_visits').notNull(),
    status: text('status', { enum: pairingStatuses }).notNull().default('active'),
    endReason: text('end_reason'),
    // The volunteer staff assigned to cover the next visit only; cleared once they log one.
    substituteUserId: integer('substitute_user_id').references(() => users.id),
    // 居住空间改造: 方案确定 采购 施工 完成, each with its date once done.
    renovation: text('renovation', { mode: 'json' }).$type<Array<{ step: string; doneOn: string | null }>>().notNull().default([]),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('pairings_programme_idx').on(t.programmeId, t.status), index('pairings_institution_idx').on(t.institutionId)],
)

export const pairingMembers = sqliteTable(
  'pairing_members',
  {
    pairingId: integer('pairing_id')
      .notNull()
      .references(() => pairings.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: pairingRoles }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.pairingId, t.userId] }), index('pairing_members_user_idx').on(t.userId)],
)

// The renovation may draw on in-kind needs.
export const pairingNeeds = sqliteTable(
  'pairing_needs',
  {
    pairingId: integer('pairing_id')
      .notNull()
      .references(() => pairings.id),
    needId: integer('need_id')
      .notNull()
      .references(() => needs.id),
  },
  (t) => [primaryKey({ columns: [t.pairingId, t.needId] })],
)

export const visits = sqliteTable(
  'visits',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pairingId: integer('pairing_id')
      .notNull()
      .references(() => pairings.id),
    visitedOn: text('visited_on').notNull(), // YYYY-MM-DD
    durationMinutes: integer('duration_minutes').notNull(),
    attendeeIds: text('attendee_ids', { mode: 'json' }).$type<number[]>().notNull(),
    substituteUserId: integer('substitute_user_id').references(() => users.id), // for one visit
    activities: text('activities', { mode: 'json' }).$type<VisitActivity[]>().notNull(),
    note: text('note').notNull().default(''), // staff and the team only, never public
    followUp: text('follow_up').notNull().default(''), // private
    status: text('status', { enum: visitStatuses }).notNull().default('logged'),
    queryNote: text('query_note'),
    loggedBy: integer('logged_by').references(() => users.id),
    confirmedBy: integer('confirmed_by').references(() => users.id),
    confirmedAt: integer('confirmed_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('visits_pairing_idx').on(t.pairingId, t.visitedOn), index('visits_status_pairing_idx').on(t.status, t.pairingId)],
)

// Tutoring matching: a child's study need and a volunteer's offer.
export const studyNeeds = sqliteTable('study_needs', {
  childId: integer('child_id')
    .primaryKey()
    .references(() => children.id),
  subjects: text('subjects', { mode: 'json' }).$type<string[]>().notNull(),
  grade: integer('grade').notNull(), // 1–12
  availability: text('availability', { mode: 'json' }).$type<string[]>().notNull(), // e.g. 'sat-pm'
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
})

export const tutoringOffers = sqliteTable('tutoring_offers', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id),
  subjects: text('subjects', { mode: 'json' }).$type<string[]>().notNull(),
  grades: text('grades', { mode: 'json' }).$type<number[]>().notNull(),
  availability: text('availability', { mode: 'json' }).$type<string[]>().notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
})

// 志愿服务记录证明: a certificate anyone can check by its code.
export const serviceCertificates = sqliteTable('service_certificates', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  code: text('code').notNull().unique(),
  userId: integer('user_id')
    .notNull()
    .references(() => users.id),
  fromDate: text('from_date').notNull(),
  toDate: text('to_date').notNull(),
  totalMinutes: integer('total_minutes').notNull(),
  snapshot: text('snapshot', { mode: 'json' }).$type<Record<string, unknown>>().notNull(), // name, homes, items at issue time
  issuedAt: integer('issued_at', { mode: 'timestamp_ms' }).notNull(),
})

// ---- Platform totals -----------------------------------------------------------------------

// Running totals for the home page and each institution page (已收到捐赠, 物资件数, 心愿实现数,
// 志愿服务时长): one row per home plus row 0 for all homes together, kept by triggers on
// donations, wishes and service_records in the writer's own transaction (migration
// public_totals), so no request reads history.
export const publicTotals = sqliteTable('public_totals', {
  institutionId: integer('institution_id').primaryKey(), // 0 = every home together; no FK for that row
  moneyFen: integer('money_fen').notNull().default(0), // money gifts in the log, net of corrections
  goodsItems: integer('goods_items').notNull().default(0), // goods received for needs, net of corrections
  wishesFulfilled: integer('wishes_fulfilled').notNull().default(0),
  serviceMinutes: integer('service_minutes').notNull().default(0), // confirmed volunteer service
})

// ---- Page cache ----------------------------------------------------------------------------

// One row whose counter is bumped by triggers on every table that public pages show (migration
// public_generation); each server process's page cache drops its pages when it changes
// (server/page-cache.ts, docs/decisions/015-public-page-cache.md).
export const publicGeneration = sqliteTable('public_generation', {
  id: integer('id').primaryKey(),
  generation: integer('generation').notNull().default(0),
})

// Leases for work that exactly one process may do at a time (background jobs), whatever number
// of server processes share this file: taken and renewed in a BEGIN IMMEDIATE transaction by
// app/jobs/lease.server.ts; a dead holder's lease lapses at expires_at.
export const jobLeases = sqliteTable('job_leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
})

// Sign-in and registration limits (app/auth/rate-limit.server.ts), shared by every server
// process: per address a counter over a fixed window, per account its failures and block. A row
// past expires_at counts as absent and is pruned.
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    blockedUntil: integer('blocked_until', { mode: 'timestamp_ms' }),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('rate_limits_expires_idx').on(t.expiresAt)],
)

// One-time codes sent by SMS or e-mail (app/auth/verification-codes.server.ts): password reset
// now, contact verification later. Only the SHA-256 of the code is stored; a code lives ten
// minutes, is used at most once and allows a few wrong guesses. A row is written for every
// request, whether or not an account exists (user_id then stays null), so the work and the answer
// do not reveal which accounts exist.
export const verificationCodes = sqliteTable(
  'verification_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    purpose: text('purpose', { enum: ['password_reset', 'contact_verification'] }).notNull(),
    /** 'phone:13800138000' or 'email:a@b.example', normalised. */
    identifier: text('identifier').notNull(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('verification_codes_identifier_idx').on(t.purpose, t.identifier, t.id),
    index('verification_codes_expires_idx').on(t.expiresAt),
  ],
)

// 执行反馈: photos staff attach to a fulfilled wish, a received need or a 用途 entry
// (app/feedback-photos/*). Stored EXIF-stripped under DATA_DIR/feedback-photos (not the public
// images folder). Each upload and each blur runs the local face detector; docs/product.md rule 1:
// a photo is public only while its last detection found no face — the CHECK below refuses any
// other published row, whatever writes it.
export const feedbackPhotos = sqliteTable(
  'feedback_photos',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    subjectKind: text('subject_kind', { enum: ['wish', 'need', 'allocation'] }).notNull(),
    subjectId: integer('subject_id').notNull(),
    imageKey: text('image_key').notNull(),
    altText: text('alt_text').notNull(),
    /** The last detection: clear (no face), faces (boxes in `faces`), failed (no result: never public). */
    detection: text('detection', { enum: ['clear', 'faces', 'failed'] }).notNull(),
    faces: text('faces', { mode: 'json' })
      .$type<Array<{ x: number; y: number; width: number; height: number; score: number }>>()
      .notNull()
      .default([]),
    status: text('status', { enum: ['pending', 'published'] })
      .notNull()
      .default('pending'),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    createdAt: createdAt(),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('feedback_photos_subject_idx').on(t.subjectKind, t.subjectId, t.status),
    index('feedback_photos_institution_idx').on(t.institutionId, t.id),
    check('feedback_photos_published_only_clear', sql`${t.status} <> 'published' OR ${t.detection} = 'clear'`),
  ],
)

// ---- 一起捐 (team giving) -------------------------------------------------------------------

// A member's team page for a home, campaign, wish or need (app/teams/*). Gifts given through it
// carry payments.team_id and are ordinary donations in the log; raised_fen and gift_count are
// kept here by app/teams/progress.server.ts in the gift's own transaction (completion adds,
// refunds and lost disputes subtract), so the page never sums payments.
export const teams = sqliteTable(
  'teams',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    target: text('target', { enum: paymentTargets }).notNull(),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    wishId: integer('wish_id').references(() => wishes.id),
    needId: integer('need_id').references(() => needs.id),
    starterId: integer('starter_id')
      .notNull()
      .references(() => users.id),
    /** How the starter appears as 发起人 (docs/product.md rule 2). */
    starterDisplay: text('starter_display', { enum: publicDisplays }).notNull().default('masked'),
    name: text('name').notNull(),
    story: text('story').notNull().default(''),
    goalFen: integer('goal_fen').notNull(),
    /** Last day (Asia/Shanghai, YYYY-MM-DD) gifts may start through the team, or null. */
    endsOn: text('ends_on'),
    raisedFen: integer('raised_fen').notNull().default(0),
    giftCount: integer('gift_count').notNull().default(0),
    status: text('status', { enum: ['open', 'closed', 'hidden'] })
      .notNull()
      .default('open'),
    hiddenReason: text('hidden_reason'),
    hiddenBy: integer('hidden_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('teams_starter_idx').on(t.starterId, t.id),
    index('teams_institution_idx').on(t.institutionId, t.id),
    check('teams_goal_positive', sql`${t.goalFen} > 0`),
    check('teams_raised_not_negative', sql`${t.raisedFen} >= 0 AND ${t.giftCount} >= 0`),
  ],
)

// ---- 月捐 (issue 14) -----------------------------------------------------------------------

// A donor's monthly gift to a home or one of its campaigns, through a provider subscription
// (app/payments/monthly.server.ts). Stored before the provider is called, like payments; the
// charges are recorded only from signed webhooks (monthly_gift_charges).
export const monthlyGifts = sqliteTable(
  'monthly_gifts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    provider: text('provider').notNull(), // 'stripe' | 'mock'
    idempotencyKey: text('idempotency_key').notNull().unique(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    target: text('target', { enum: monthlyGiftTargets }).notNull(),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    amountFen: integer('amount_fen').notNull(),
    // The amount before the last change: an invoice already issued for it is still accepted.
    previousAmountFen: integer('previous_amount_fen'),
    publicDisplay: text('public_display', { enum: publicDisplays }).notNull(),
    remindBeforeCharge: integer('remind_before_charge', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: monthlyGiftStatuses }).notNull().default('open'),
    checkoutSessionId: text('checkout_session_id').unique(),
    subscriptionId: text('subscription_id').unique(),
    customerId: text('customer_id'),
    nextChargeAt: integer('next_charge_at', { mode: 'timestamp_ms' }),
    // The last failed renewal, as the provider reported it (shown to the donor).
    failedAttempts: integer('failed_attempts').notNull().default(0),
    nextRetryAt: integer('next_retry_at', { mode: 'timestamp_ms' }),
    cancelledAt: integer('cancelled_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('monthly_gifts_user_idx').on(t.userId, t.id),
    index('monthly_gifts_next_charge_idx').on(t.status, t.nextChargeAt),
    check('monthly_gifts_amount', sql`${t.amountFen} BETWEEN 100 AND 500000`),
    check('monthly_gifts_target', sql`(${t.target} = 'campaign') = (${t.campaignId} IS NOT NULL)`),
  ],
)

// One row per provider invoice of a monthly gift: paid (with its ledger entry) or failed (shown
// to the donor). The unique invoice id makes a repeated or out-of-order delivery record nothing.
export const monthlyGiftCharges = sqliteTable(
  'monthly_gift_charges',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    monthlyGiftId: integer('monthly_gift_id')
      .notNull()
      .references(() => monthlyGifts.id),
    invoiceId: text('invoice_id').notNull().unique(),
    status: text('status', { enum: ['paid', 'failed'] }).notNull(),
    amountFen: integer('amount_fen').notNull(),
    paymentIntentId: text('payment_intent_id'),
    donationId: integer('donation_id')
      .unique()
      .references(() => donations.id),
    attemptCount: integer('attempt_count').notNull().default(0),
    nextRetryAt: integer('next_retry_at', { mode: 'timestamp_ms' }),
    refundedFen: integer('refunded_fen').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('monthly_gift_charges_gift_idx').on(t.monthlyGiftId, t.id), index('monthly_gift_charges_intent_idx').on(t.paymentIntentId)],
)

// 「N 位月捐人 · 每月 ¥X」 on institution and campaign pages: live (active or past_due) monthly gifts
// and their monthly total per home (scope 'institution', gifts to the home and its campaigns)
// and per campaign. Kept by triggers on monthly_gifts in the writer's transaction: no request
// reads history.
export const monthlyGiftTotals = sqliteTable(
  'monthly_gift_totals',
  {
    scope: text('scope', { enum: ['institution', 'campaign'] }).notNull(),
    scopeId: integer('scope_id').notNull(),
    donors: integer('donors').notNull().default(0),
    monthlyFen: integer('monthly_fen').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scope, t.scopeId] })],
)

// ---- 配捐 (issue 14, docs/decisions/024-matching-pledges.md) --------------------------------

// A partner organisation: an account acting for an organisation, verified by a platform admin
// before it may pledge. One organisation per applying account.
export const partners = sqliteTable(
  'partners',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    registrationNo: text('registration_no').notNull(), // 统一社会信用代码, normalised
    contactName: text('contact_name').notNull(), // staff/admin only
    contactPhone: text('contact_phone').notNull(), // staff/admin only
    description: text('description').notNull().default(''), // public, privacy-checked
    status: text('status', { enum: ['pending', 'verified', 'refused'] })
      .notNull()
      .default('pending'),
    reviewedBy: integer('reviewed_by').references(() => users.id),
    reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }),
    refusalReason: text('refusal_reason').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('partners_user_unique').on(t.userId), index('partners_status_idx').on(t.status)],
)

// A matching pledge to a home (campaign_id null) or to one of its campaigns. matched_fen is the
// running total of matched entries net of reversals, written in the gift's own transaction;
// the CHECK is the backstop that no writer can take it over the cap.
export const matchingPledges = sqliteTable(
  'matching_pledges',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    partnerId: integer('partner_id')
      .notNull()
      .references(() => partners.id),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    campaignId: integer('campaign_id').references(() => campaigns.id),
    ratioPermille: integer('ratio_permille').notNull(),
    capFen: integer('cap_fen').notNull(),
    perGiftCapFen: integer('per_gift_cap_fen').notNull(),
    /** Asia/Shanghai calendar days, inclusive; startsAt/endsAt are the instants they span. */
    startsOn: text('starts_on').notNull(),
    endsOn: text('ends_on').notNull(),
    startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
    endsAt: integer('ends_at', { mode: 'timestamp_ms' }).notNull(),
    status: text('status', { enum: ['proposed', 'accepted', 'declined'] })
      .notNull()
      .default('proposed'),
    matchedFen: integer('matched_fen').notNull().default(0),
    settledFen: integer('settled_fen').notNull().default(0),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    decidedBy: integer('decided_by').references(() => users.id),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('matching_pledges_target_idx').on(t.institutionId, t.campaignId, t.status),
    index('matching_pledges_partner_idx').on(t.partnerId),
    check('matching_pledges_ratio', sql`${t.ratioPermille} IN (500, 1000)`),
    check('matching_pledges_amounts', sql`${t.capFen} > 0 AND ${t.perGiftCapFen} > 0`),
    check('matching_pledges_matched_within_cap', sql`${t.matchedFen} >= 0 AND ${t.matchedFen} <= ${t.capFen}`),
    check('matching_pledges_period', sql`${t.endsAt} > ${t.startsAt}`),
  ],
)

// One row per matched gift: which gift entry was matched by which matched entry, for how much.
// Append-only (triggers); a refund's reversal is a correction of the matched entry.
export const matchingMatches = sqliteTable(
  'matching_matches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => matchingPledges.id),
    giftDonationId: integer('gift_donation_id')
      .notNull()
      .unique()
      .references(() => donations.id),
    matchedDonationId: integer('matched_donation_id')
      .notNull()
      .unique()
      .references(() => donations.id),
    amountFen: integer('amount_fen').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('matching_matches_pledge_idx').on(t.pledgeId), check('matching_matches_amount', sql`${t.amountFen} > 0`)],
)

// Bank transfers from the partner to the home, recorded by the home's staff. Append-only: a
// mistaken row is reversed by a negative row pointing at it (corrects_id) with a reason.
export const matchingSettlements = sqliteTable(
  'matching_settlements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pledgeId: integer('pledge_id')
      .notNull()
      .references(() => matchingPledges.id),
    amountFen: integer('amount_fen').notNull(),
    transferredOn: text('transferred_on').notNull(),
    bankReference: text('bank_reference').notNull().default(''),
    note: text('note').notNull().default(''),
    correctsId: integer('corrects_id').references((): AnySQLiteColumn => matchingSettlements.id),
    correctionReason: text('correction_reason'),
    recordedBy: integer('recorded_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('matching_settlements_pledge_idx').on(t.pledgeId, t.id),
    uniqueIndex('matching_settlements_corrects_unique').on(t.correctsId),
    check(
      'matching_settlements_sign',
      sql`(${t.correctsId} IS NULL AND ${t.amountFen} > 0) OR (${t.correctsId} IS NOT NULL AND ${t.amountFen} < 0)`,
    ),
  ],
)
