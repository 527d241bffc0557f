/** Chinese labels for audit actions shown to staff; unknown actions show their code. */
export const auditActionLabels: Record<string, string> = {
  'institution.create': '创建机构',
  'invitation.create': '发出邀请',
  'invitation.accept': '接受邀请',
  'invitation.accept_refused': '邀请已被使用',
  'invitation.revoke': '撤销邀请',
  'membership.remove': '移除成员',
  'membership.remove_refused': '移除成员被拒绝',
}
