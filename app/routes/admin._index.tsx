import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { institutionKinds } from '~db/enums'
import { actorFrom, requirePlatformAdmin } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, SelectField, TextareaField, REVALIDATE_WHILE_TYPING } from '~/components/forms'
import { createInstitution, listInstitutions } from '~/institutions/institutions.server'
import { institutionKindLabels } from '~/institutions/labels'
import { institutionSchema } from '~/institutions/validation'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

export const meta: MetaFunction = () => pageMeta({ title: '平台管理', description: '平台管理员：机构与成员' })

export async function loader({ request }: LoaderFunctionArgs) {
  requirePlatformAdmin(request)
  return {
    institutions: listInstitutions().map((i) => ({ slug: i.slug, name: i.name, city: i.city, kindLabel: institutionKindLabels[i.kind] })),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requirePlatformAdmin(request)
  const submission = parseWithZod(await request.formData(), { schema: institutionSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = createInstitution(actorFrom(admin, context), { ...submission.value, parentSlug: submission.value.parentSlug || null })
  if (!outcome.ok) return data({ result: refusalReply(submission, outcome) }, { status: 400 })
  return redirect(`/admin/institutions/${outcome.institution.slug}`)
}

const kindOptions = institutionKinds.map((k) => ({ value: k, label: institutionKindLabels[k] }))

export default function AdminPage() {
  const { institutions } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'new-institution',
    lastResult: actionData?.result,
    constraint: getZodConstraint(institutionSchema),
    shouldRevalidate: REVALIDATE_WHILE_TYPING,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: institutionSchema }),
  })
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">平台管理</h1>
      <p>
        <Link to="/admin/partners" className="link">
          合作机构审核（配捐）
        </Link>
      </p>
      <section className="card" aria-labelledby="list-title">
        <h2 id="list-title" className="font-semibold">
          机构（{institutions.length}）
        </h2>
        <ul className="mt-2 divide-y divide-stone-200">
          {institutions.map((i) => (
            <li key={i.slug} className="py-2">
              <Link to={`/admin/institutions/${i.slug}`} className="link">
                {i.name}
              </Link>
              <span className="ml-2 text-sm text-stone-700">
                {i.kindLabel} · {i.city}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="new-title">
        <h2 id="new-title" className="font-semibold">
          添加机构
        </h2>
        <Form method="post" className="mt-3 grid gap-4 sm:grid-cols-2" {...getFormProps(form)}>
          <Field label="机构名称" {...getInputProps(fields.name, { type: 'text' })} errors={fields.name.errors} />
          <Field
            label="网址标识"
            hint="用于网址，例如 binzhou-fuliyuan"
            {...getInputProps(fields.slug, { type: 'text' })}
            errors={fields.slug.errors}
          />
          <SelectField
            label="机构类型"
            {...getSelectProps(fields.kind)}
            options={[{ value: '', label: '请选择' }, ...kindOptions]}
            errors={fields.kind.errors}
          />
          <SelectField
            label="上级机构（可选）"
            {...getSelectProps(fields.parentSlug)}
            options={[{ value: '', label: '无' }, ...institutions.map((i) => ({ value: i.slug, label: i.name }))]}
            errors={fields.parentSlug.errors}
          />
          <Field label="省份" {...getInputProps(fields.province, { type: 'text' })} errors={fields.province.errors} />
          <Field label="城市" {...getInputProps(fields.city, { type: 'text' })} errors={fields.city.errors} />
          <Field label="区县（可选）" {...getInputProps(fields.district, { type: 'text' })} errors={fields.district.errors} />
          <Field label="公开联系电话（可选）" {...getInputProps(fields.publicPhone, { type: 'tel' })} errors={fields.publicPhone.errors} />
          <Field
            className="sm:col-span-2"
            label="公开地址（可选）"
            {...getInputProps(fields.publicAddress, { type: 'text' })}
            errors={fields.publicAddress.errors}
          />
          <TextareaField
            className="sm:col-span-2"
            label="简介（可选）"
            {...getTextareaProps(fields.description)}
            errors={fields.description.errors}
          />
          <button type="submit" className="btn-primary sm:col-span-2">
            添加机构
          </button>
        </Form>
      </section>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
