import type { BookingStatus, QualificationKind, SlotKind, VerificationStatus } from '~db/enums'

export const slotKindLabels: Record<SlotKind, string> = {
  open_day: '社会开放日',
  tutoring: '学业辅导',
  camp: '营地活动',
  activity: '志愿活动',
}

export const qualificationLabels: Record<QualificationKind, string> = {
  special_education: '特殊教育',
  preschool_education: '学前教育',
  psychology: '心理学',
  rehabilitation: '康复',
  teacher_certificate: '教师资格',
  medical: '医护',
  social_work: '社工',
  other: '其他',
}

export const verificationLabels: Record<VerificationStatus, string> = {
  none: '未提交',
  pending: '待审核',
  verified: '已核验',
  rejected: '未通过',
}

export const bookingStatusLabels: Record<BookingStatus, string> = {
  confirmed: '已确认',
  waitlisted: '候补中',
  offered: '候补名额待确认',
  cancelled: '已取消',
  no_show: '未到场',
}
