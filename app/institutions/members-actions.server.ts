import { parseWithZod } from '@conform-to/zod'
import { data } from '@remix-run/node'
import type { Actor } from '~/audit/audit.server'
import { siteOrigin } from '~/utils/origin.server'
import { createInvitation, listMembers, listOpenInvitations, removeMember, revokeInvitation } from './institutions.server'
import { invitationSchema, removeMemberSchema, revokeInvitationSchema } from './validation'

/** What the members panel shows; shared by a manager's console and the platform admin. */
export function loadMembersPanel(institutionId: number) {
  return {
    members: listMembers(institutionId).map((m) => ({ ...m, since: m.since.toISOString() })),
    invitations: listOpenInvitations(institutionId).map((i) => ({
      ...i,
      expiresAt: i.expiresAt.toISOString(),
      createdAt: i.createdAt.toISOString(),
    })),
  }
}

/** Invite, revoke or remove: the panel's form posts one of these intents. */
export async function handleMembersAction(request: Request, actor: Actor, institutionId: number) {
  const formData = await request.formData()
  const intent = formData.get('intent')
  if (intent === 'invite') {
    const submission = parseWithZod(formData, { schema: invitationSchema })
    if (submission.status !== 'success')
      return data({ intent, ok: false, result: submission.reply(), inviteUrl: null, message: null }, { status: 400 })
    const { token } = createInvitation(actor, { institutionId, role: submission.value.role, note: submission.value.note })
    return data({
      intent,
      ok: true,
      result: submission.reply({ resetForm: true }),
      inviteUrl: `${siteOrigin(request)}/invite/${token}`,
      message: null,
    })
  }
  if (intent === 'revoke') {
    const submission = parseWithZod(formData, { schema: revokeInvitationSchema })
    if (submission.status !== 'success')
      return data(
        { intent, ok: false, result: null, inviteUrl: null, message: submission.error?.invitationId?.[0] ?? '该邀请已失效' },
        { status: 400 },
      )
    const ok = revokeInvitation(actor, institutionId, submission.value.invitationId)
    return data({ intent, ok, result: null, inviteUrl: null, message: ok ? '邀请已撤销' : '该邀请已失效' }, { status: ok ? 200 : 400 })
  }
  if (intent === 'remove') {
    const submission = parseWithZod(formData, { schema: removeMemberSchema })
    if (submission.status !== 'success')
      return data(
        { intent, ok: false, result: null, inviteUrl: null, message: submission.error?.membershipId?.[0] ?? '找不到该成员' },
        { status: 400 },
      )
    const outcome = removeMember(actor, institutionId, submission.value.membershipId)
    return data(
      { intent, ok: outcome.ok, result: null, inviteUrl: null, message: outcome.ok ? '成员已移除' : outcome.message },
      { status: outcome.ok ? 200 : 400 },
    )
  }
  return data({ intent: null, ok: false, result: null, inviteUrl: null, message: '未知操作' }, { status: 400 })
}
