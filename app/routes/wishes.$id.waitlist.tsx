import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { requireUser } from '~/auth/auth.server'
import { joinWaitlist, leaveWaitlist } from '~/claims/waitlist.server'
import { invariantResponse, requireIdParam } from '~/utils/http.server'

// 候补 queue of a claimed wish: POST intent=join|leave. There is no page of its own; the
// outcome is shown where the donor came from (the claim page or 我的认领).

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/wishes/${requireIdParam(params, 'id')}`)
}

export async function action({ request, params }: ActionFunctionArgs) {
  const wishId = requireIdParam(params, 'id')
  const user = requireUser(request)
  const intent = (await request.formData()).get('intent')
  if (intent === 'join') {
    const joined = joinWaitlist({ userId: user.id, wishId })
    if (joined.ok) return redirect(`/wishes/${wishId}/claim?notice=joined`)
    return redirect(`/wishes/${wishId}/claim?notice=${joined.reason}`)
  }
  if (intent === 'leave') {
    leaveWaitlist({ userId: user.id, wishId })
    return redirect('/me/claims#waitlist')
  }
  invariantResponse(false, '请求有误：未知的候补操作')
}
