import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { needCategories } from '~db/enums'
import { Field, FormMessage, SelectField, TextareaField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { categoryLabels } from './labels'
import { STORY_MAX, wishSchema } from './wish-validation'

export type WishFormDefaults = {
  childId?: string
  category?: string
  title?: string
  story?: string
  itemDetails?: string
  quantity?: string
  estimatedValue?: string
  campaignId?: string
}

/** A privacy finding as the form shows it (computed on the server by privacy.server.ts). */
export type FlagView = { key: string; message: string; match: string; fieldLabels: string; confirmed: boolean }

const categoryOptions = [{ value: '', label: '请选择' }, ...needCategories.map((c) => ({ value: c, label: categoryLabels[c] }))]

/**
 * Create or edit a wish. `mode` decides the buttons: a new wish is saved as a draft first (so
 * the privacy check can run); a draft can be saved or published; a published wish saved.
 */
export function WishForm({
  id,
  mode,
  lastResult,
  defaultValue,
  childOptions,
  campaignOptions,
  flags = [],
}: {
  id: string
  mode: 'new' | 'draft' | 'published'
  lastResult?: SubmissionResult<string[]> | null
  defaultValue?: WishFormDefaults
  childOptions: ReadonlyArray<{ id: number; label: string }>
  campaignOptions: ReadonlyArray<{ id: number; name: string }>
  flags?: FlagView[]
}) {
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue,
    constraint: getZodConstraint(wishSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: wishSchema }),
  })
  const pending = flags.filter((f) => !f.confirmed).length
  return (
    <Form method="post" className="grid gap-4 sm:grid-cols-2" {...getFormProps(form)}>
      <div className="sm:col-span-2">
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      </div>
      <SelectField
        label="为哪位孩子"
        {...getSelectProps(fields.childId)}
        options={[{ value: '', label: '请选择' }, ...childOptions.map((c) => ({ value: String(c.id), label: c.label }))]}
        errors={fields.childId.errors}
      />
      <SelectField label="类别" {...getSelectProps(fields.category)} options={categoryOptions} errors={fields.category.errors} />
      <Field
        className="sm:col-span-2"
        label="心愿标题"
        hint="例如：一套《十万个为什么》"
        {...getInputProps(fields.title, { type: 'text' })}
        autoComplete="off"
        errors={fields.title.errors}
      />
      <TextareaField
        className="sm:col-span-2"
        label="心愿故事"
        hint={`孩子为什么想要它（最多 ${STORY_MAX} 字）。请勿写真实姓名、学校、电话或住址。`}
        {...getTextareaProps(fields.story)}
        errors={fields.story.errors}
      />
      <TextareaField
        className="sm:col-span-2"
        label="物品说明（可选）"
        hint="尺码、规格、购买链接等"
        {...getTextareaProps(fields.itemDetails)}
        errors={fields.itemDetails.errors}
      />
      <Field label="数量" {...getInputProps(fields.quantity, { type: 'number' })} inputMode="numeric" errors={fields.quantity.errors} />
      <Field
        label="估计价值（元，可选）"
        {...getInputProps(fields.estimatedValue, { type: 'text' })}
        inputMode="decimal"
        errors={fields.estimatedValue.errors}
      />
      <SelectField
        className="sm:col-span-2"
        label="所属活动（可选）"
        {...getSelectProps(fields.campaignId)}
        options={[{ value: '', label: '不参加活动' }, ...campaignOptions.map((c) => ({ value: String(c.id), label: c.name }))]}
        errors={fields.campaignId.errors}
      />

      {mode !== 'new' ? (
        <fieldset className="space-y-2 rounded-lg border border-stone-300 p-3 sm:col-span-2" data-testid="privacy-check">
          <legend className="px-1 font-semibold">隐私检查</legend>
          {flags.length ? (
            <>
              <p className="text-sm text-stone-800">
                以下内容可能暴露孩子身份。请修改文字，或在核实无误后逐条勾选确认{pending ? `（还有 ${pending} 条待处理）` : ''}。
              </p>
              <ul className="space-y-2">
                {flags.map((f) => (
                  <li key={f.key} className="rounded-md bg-amber-50 p-2 text-sm text-amber-950">
                    <p>
                      <strong>{f.message}</strong>：「{f.match}」（{f.fieldLabels}）
                    </p>
                    <label className="mt-1 flex items-center gap-2">
                      <input type="checkbox" name="confirmedFlags" value={f.key} defaultChecked={f.confirmed} className="h-4 w-4" />
                      已核实，不会暴露孩子身份
                    </label>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="text-sm text-green-900">未发现真实姓名、电话、身份证号或学校名称。</p>
          )}
        </fieldset>
      ) : null}

      <div className="flex flex-wrap gap-2 sm:col-span-2">
        {/* Save comes first so that pressing Enter in a field saves rather than publishes. */}
        <button type="submit" name="intent" value="save" className={mode === 'draft' ? 'btn-secondary' : 'btn-primary'}>
          {mode === 'published' ? '保存修改' : '保存草稿'}
        </button>
        {mode === 'draft' ? (
          <button type="submit" name="intent" value="publish" className="btn-primary">
            保存并发布
          </button>
        ) : null}
      </div>
    </Form>
  )
}
