import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { getSession } from '~/auth/auth.server'
import { invalidateSession, serializeBlankSessionCookie } from '~/auth/session.server'

// Signing out changes state, so it is POST only; a GET just goes home.
export async function loader() {
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  const { session } = getSession(request)
  if (session) invalidateSession(session.id)
  return redirect('/', { headers: { 'Set-Cookie': serializeBlankSessionCookie() } })
}
