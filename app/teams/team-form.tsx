import type { SubmissionResult } from '@conform-to/react'
import { Form } from '@remix-run/react'
import type { PublicDisplay } from '~db/enums'
import { PublicDisplayFieldset } from '~/wishes/public-display-fieldset'
import { Field, FormMessage, TextareaField } from '~/components/forms'
import { serverReply } from '~/components/server-reply'
import { TEAM_GOAL_HINT, TEAM_STORY_MAX } from './limits'

type TeamValues = { name: string; goal: string; story: string; endsOn: string; starterDisplay: string }

/**
 * The 一起捐 form (start and edit): validated on the server only; errors beside each field and
 * the typed values come back. Works without JavaScript.
 */
export function TeamForm({
  id,
  action,
  lastResult,
  defaults,
  displayName,
  submitLabel,
  goalHint,
}: {
  id: string
  action?: string
  lastResult: SubmissionResult<string[]> | undefined
  defaults: Partial<TeamValues>
  displayName: string
  submitLabel: string
  goalHint?: string
}) {
  const reply = serverReply<TeamValues>(lastResult)
  const value = (name: keyof TeamValues) => reply.values[name] ?? defaults[name] ?? ''
  const display = (value('starterDisplay') || 'masked') as PublicDisplay
  const displayErrors = reply.errors('starterDisplay')
  return (
    <Form method="post" action={action} className="space-y-5" noValidate key={reply.key} id={id}>
      <FormMessage id={`${id}-error`}>{reply.formErrors?.join('；')}</FormMessage>
      <input type="hidden" name="intent" value="save" />
      <Field
        id={`${id}-name`}
        name="name"
        label="一起捐名称"
        hint="例如「三年二班一起捐」，2 至 30 个字"
        defaultValue={value('name')}
        errors={reply.errors('name')}
        autoComplete="off"
      />
      <Field
        id={`${id}-goal`}
        name="goal"
        label="目标金额（元）"
        hint={goalHint ?? `${TEAM_GOAL_HINT}`}
        inputMode="decimal"
        defaultValue={value('goal')}
        errors={reply.errors('goal')}
        autoComplete="off"
      />
      <TextareaField
        id={`${id}-story`}
        name="story"
        label="一起捐说明（选填）"
        hint={`最多 ${TEAM_STORY_MAX} 个字。这是公开内容：请不要写孩子的姓名、电话、身份证号或学校。`}
        defaultValue={value('story')}
        errors={reply.errors('story')}
        maxLength={TEAM_STORY_MAX}
      />
      <Field
        id={`${id}-endsOn`}
        name="endsOn"
        type="date"
        label="截止日期（选填）"
        hint="截止日后不再通过这个页面接受捐款，例如 2026-06-01"
        defaultValue={value('endsOn')}
        errors={reply.errors('endsOn')}
      />
      <PublicDisplayFieldset
        idPrefix={id}
        name="starterDisplay"
        legend="页面上如何显示发起人"
        displayName={displayName}
        chosen={display}
        errors={displayErrors}
      />
      <button type="submit" className="btn-primary w-full">
        {submitLabel}
      </button>
    </Form>
  )
}
