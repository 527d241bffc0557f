import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { WishForm } from '~/wishes/wish-form'
import { wishSchema } from '~/wishes/wish-validation'
import { campaignOptions, childOptions, createWish, wishInputFrom } from '~/wishes/wishes.server'

export const meta: MetaFunction = () => pageMeta({ title: '新建微心愿', description: '机构工作人员：新建微心愿' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const url = new URL(request.url)
  return {
    children: childOptions(institution.id),
    campaigns: campaignOptions(institution.id),
    childId: url.searchParams.get('childId') ?? '',
    campaignId: url.searchParams.get('campaignId') ?? '',
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const submission = parseWithZod(await request.formData(), { schema: wishSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const outcome = createWish(actorFrom(user, context), institution.id, wishInputFrom(submission.value))
  if (!outcome.ok) {
    return data({ result: refusalReply(submission, outcome) }, { status: 400 })
  }
  // The draft's page runs the privacy check and offers publishing.
  return redirect(`/staff/${institution.slug}/wishes/${outcome.wish.id}?created=1`)
}

export default function NewWish() {
  const { children, campaigns, childId, campaignId } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <section className="card space-y-4" aria-labelledby="new-wish-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="new-wish-heading" className="text-xl font-semibold">
          新建微心愿
        </h2>
        <Link to=".." relative="path" className="link text-sm">
          返回心愿列表
        </Link>
      </div>
      {children.length ? (
        <>
          <p className="text-sm text-stone-700">心愿先保存为草稿；保存后系统会进行隐私检查，处理完提示即可发布。</p>
          <WishForm
            id="new-wish"
            mode="new"
            lastResult={actionData?.result}
            defaultValue={{ childId, campaignId, quantity: '1' }}
            childOptions={children}
            campaignOptions={campaigns}
          />
        </>
      ) : (
        <p className="text-stone-800">
          还没有在院儿童档案。请先{' '}
          <Link to="../../children/new" relative="path" className="link">
            新建儿童档案
          </Link>
          。
        </p>
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
