// Value lists shared by the schema and the browser: no drizzle import here, so client
// bundles that need a list of categories or statuses do not pull in the ORM.

export const institutionKinds = [
  'welfare_home',
  'sos_village',
  'protection_center',
  'rescue_station',
  'community_point',
  'social_org',
] as const
export type InstitutionKind = (typeof institutionKinds)[number]

// 机构性质 on the public 机构信息 block: a state welfare unit under 民政 (the homes, protection
// centres, rescue stations and their points), a charity recognised under the 慈善法, or another
// social organisation. Only a recognised charity can hold 公开募捐资格 (docs/product.md, legal context).
export const orgTypes = ['civil_affairs', 'charity', 'other'] as const
export type OrgType = (typeof orgTypes)[number]
// Which number the home gives: the 18-character 统一社会信用代码 (checked, GB 32100-2015) or an
// older 登记证号 kept as typed, for a home that has no unified code.
export const registrationKinds = ['uscc', 'legacy'] as const
export type RegistrationKind = (typeof registrationKinds)[number]

export const membershipRoles = ['manager', 'staff'] as const
export type MembershipRole = (typeof membershipRoles)[number]

export const genders = ['female', 'male'] as const

export const needCategories = ['material', 'study', 'psychological', 'growth', 'physical', 'legal'] as const
export type NeedCategory = (typeof needCategories)[number]

export const wishStatuses = ['draft', 'published', 'claimed', 'received', 'fulfilled', 'withdrawn', 'expired'] as const
export type WishStatus = (typeof wishStatuses)[number]

export const publicDisplays = ['name', 'masked', 'anonymous'] as const
export type PublicDisplay = (typeof publicDisplays)[number]

export const claimStatuses = ['active', 'delivered', 'released'] as const

export const releaseReasons = ['deadline', 'cancelled', 'withdrawn'] as const

export const waitlistStatuses = ['waiting', 'offered', 'claimed', 'lapsed', 'left'] as const

export const notificationChannels = ['email', 'sms'] as const

export const notificationStatuses = ['pending', 'sent', 'failed'] as const

export const donationKinds = ['goods', 'money'] as const

export const designations = ['wish', 'need', 'campaign', 'general'] as const

export const donationChannels = ['wish_claim', 'need_pledge', 'desk', 'bank_transfer', 'online'] as const

export const slotKinds = ['open_day', 'tutoring', 'camp', 'activity'] as const
export type SlotKind = (typeof slotKinds)[number]
export const slotStatuses = ['draft', 'published', 'cancelled'] as const
export type SlotStatus = (typeof slotStatuses)[number]
export const bookingKinds = ['individual', 'group'] as const
// confirmed (checked in / out are timestamps on it) | waitlisted → offered → confirmed | cancelled | no_show
export const bookingStatuses = ['confirmed', 'waitlisted', 'offered', 'cancelled', 'no_show'] as const
export type BookingStatus = (typeof bookingStatuses)[number]
export const qualificationKinds = [
  'special_education',
  'preschool_education',
  'psychology',
  'rehabilitation',
  'teacher_certificate',
  'medical',
  'social_work',
  'other',
] as const
export type QualificationKind = (typeof qualificationKinds)[number]
export const verificationStatuses = ['none', 'pending', 'verified', 'rejected'] as const
export type VerificationStatus = (typeof verificationStatuses)[number]
export const serviceSources = ['slot_booking', 'visit'] as const

export const needUrgencies = ['normal', 'urgent'] as const
export const needStatuses = ['open', 'fully_pledged', 'fully_received', 'closed', 'cancelled'] as const
export type NeedStatus = (typeof needStatuses)[number]
export const pledgeStatuses = ['active', 'fulfilled', 'released', 'cancelled'] as const
export type PledgeStatus = (typeof pledgeStatuses)[number]

export const paymentStatuses = ['open', 'completed', 'failed', 'expired'] as const
export const paymentTargets = ['institution', 'campaign', 'wish', 'need'] as const
export const ledgerLeafKinds = ['donation', 'allocation'] as const
export const disclosurePeriods = ['month', 'quarter'] as const
export const disclosureStatuses = ['draft', 'published'] as const

export const programmeKinds = ['companionship', 'tutoring'] as const
export type ProgrammeKind = (typeof programmeKinds)[number]
export const cadences = ['monthly', 'weekly'] as const
export type Cadence = (typeof cadences)[number]
export const applicationStatuses = ['pending', 'accepted', 'declined'] as const
export const pairingStatuses = ['active', 'paused', 'completed', 'ended'] as const
export type PairingStatus = (typeof pairingStatuses)[number]
export const pairingRoles = ['lead', 'member'] as const
export const visitActivities = ['homework', 'reading', 'games', 'crafts', 'listening', 'outdoor', 'other'] as const
export type VisitActivity = (typeof visitActivities)[number]
export const visitStatuses = ['logged', 'confirmed', 'queried'] as const
export type VisitStatus = (typeof visitStatuses)[number]

// 月捐 (issue 14): a monthly gift's subscription. open (checkout not finished) → active; a failed
// renewal → past_due (the provider retries); paused (no charges); cancelled; expired (checkout never completed).
export const monthlyGiftStatuses = ['open', 'active', 'past_due', 'paused', 'cancelled', 'expired'] as const
export type MonthlyGiftStatus = (typeof monthlyGiftStatuses)[number]
export const monthlyGiftTargets = ['institution', 'campaign'] as const
