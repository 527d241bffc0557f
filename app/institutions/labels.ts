import type { InstitutionKind, MembershipRole } from '~db/schema'

export const institutionKindLabels: Record<InstitutionKind, string> = {
  welfare_home: '儿童福利院',
  sos_village: 'SOS 儿童村',
  protection_center: '未成年人救助保护中心',
  rescue_station: '救助管理站',
  community_point: '社区临时救助点',
  social_org: '社会工作服务机构',
}

export const roleLabels: Record<MembershipRole, string> = { manager: '管理员', staff: '工作人员' }
