import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { requireUser } from '~/auth/auth.server'
import { joinWaitlist, leaveWaitlist } from '~/claims/waitlist.server'

// 候补 queue of a claimed wish: POST intent=join|leave. There is no page of its own; the
// outcome is shown where the donor came from (the claim page or 我的认领).

function wishIdFrom(params: { id?: string }): number {
  const id = Number(params.id)
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response('Not Found', { status: 404 })
  return id
}

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/wishes/${wishIdFrom(params)}`)
}

export async function action({ request, params }: ActionFunctionArgs) {
  const wishId = wishIdFrom(params)
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
  throw new Response('Bad Request', { status: 400 })
}
