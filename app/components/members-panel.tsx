import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { invitationSchema } from '~/institutions/validation'
import { formatDate } from '~/utils/format'
import { Field, FormMessage, SelectField } from './forms'

import { roleLabels } from '~/institutions/labels'

type Props = {
  members: Array<{
    membershipId: number
    displayName: string
    phone: string | null
    email: string | null
    role: 'manager' | 'staff'
    since: string
  }>
  invitations: Array<{ id: number; role: 'manager' | 'staff'; note: string; expiresAt: string }>
  actionData?: { intent: unknown; ok: boolean; result: SubmissionResult<string[]> | null; inviteUrl: string | null; message: string | null }
}

export function MembersPanel({ members, invitations, actionData }: Props) {
  const [form, fields] = useForm({
    id: 'invite',
    lastResult: actionData?.intent === 'invite' ? actionData.result : undefined,
    // Conform resets the fields to this after each invitation; without it the role select is emptied.
    defaultValue: { role: 'staff' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: invitationSchema }),
  })
  return (
    <div className="space-y-6">
      {actionData?.message ? <FormMessage tone={actionData.ok ? 'success' : 'error'}>{actionData.message}</FormMessage> : null}
      <section className="card" aria-labelledby="members-title">
        <h2 id="members-title" className="font-semibold">
          成员（{members.length}）
        </h2>
        <ul className="mt-2 divide-y divide-stone-200">
          {members.map((m) => (
            <li key={m.membershipId} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <span className="font-medium">{m.displayName}</span>
                <span className="ml-2 text-sm text-stone-700">
                  {roleLabels[m.role]} · {m.phone ?? m.email} · {formatDate(m.since)} 加入
                </span>
              </span>
              <Form method="post">
                <input type="hidden" name="membershipId" value={m.membershipId} />
                <button
                  type="submit"
                  name="intent"
                  value="remove"
                  className="btn-danger min-h-9 py-1 text-sm"
                  aria-label={`移除 ${m.displayName}`}
                >
                  移除
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </section>

      <section className="card space-y-3" aria-labelledby="invite-title">
        <h2 id="invite-title" className="font-semibold">
          邀请成员
        </h2>
        <p className="text-sm text-stone-700">生成一次性邀请链接，7 天内有效。请通过微信或短信发给对方本人。</p>
        {actionData?.inviteUrl ? (
          <FormMessage tone="success">
            邀请链接已生成（仅显示一次）：
            <output className="mt-1 block break-all font-mono" data-testid="invite-url">
              {actionData.inviteUrl}
            </output>
          </FormMessage>
        ) : null}
        <Form method="post" className="grid gap-3 sm:grid-cols-2" {...getFormProps(form)}>
          <SelectField
            label="角色"
            name={fields.role.name}
            id={fields.role.id}
            defaultValue="staff"
            errors={fields.role.errors}
            options={[
              { value: 'staff', label: '工作人员' },
              { value: 'manager', label: '管理员' },
            ]}
          />
          <Field
            label="备注（可选）"
            name={fields.note.name}
            id={fields.note.id}
            placeholder="例如：社工 李老师"
            errors={fields.note.errors}
          />
          <button type="submit" name="intent" value="invite" className="btn-primary sm:col-span-2">
            生成邀请链接
          </button>
        </Form>
        {invitations.length ? (
          <div>
            <h3 className="text-sm font-semibold">未使用的邀请</h3>
            <ul className="mt-1 divide-y divide-stone-200">
              {invitations.map((i) => (
                <li key={i.id} className="flex items-center justify-between gap-2 py-2 text-sm">
                  <span>
                    {roleLabels[i.role]} {i.note ? `· ${i.note}` : ''} · {formatDate(i.expiresAt)} 到期
                  </span>
                  <Form method="post">
                    <input type="hidden" name="invitationId" value={i.id} />
                    <button type="submit" name="intent" value="revoke" className="link">
                      撤销
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
    </div>
  )
}
