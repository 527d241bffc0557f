import type { InstitutionKind, MembershipRole, OrgType, RegistrationKind } from '~db/schema'

export const institutionKindLabels: Record<InstitutionKind, string> = {
  welfare_home: '儿童福利院',
  sos_village: 'SOS 儿童村',
  protection_center: '未成年人救助保护中心',
  rescue_station: '救助管理站',
  community_point: '社区临时救助点',
  social_org: '社会工作服务机构',
}

export const roleLabels: Record<MembershipRole, string> = { manager: '管理员', staff: '工作人员' }

export const orgTypeLabels: Record<OrgType, string> = {
  civil_affairs: '民政部门主管的福利机构',
  charity: '慈善组织（已认定）',
  other: '其他社会组织',
}

export const registrationKindLabels: Record<RegistrationKind, string> = {
  uscc: '统一社会信用代码（18 位）',
  legacy: '登记证号（尚无统一社会信用代码）',
}
