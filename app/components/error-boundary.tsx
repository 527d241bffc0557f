import { Link, isRouteErrorResponse, useRouteError } from '@remix-run/react'

const messages: Record<number, { title: string; body: string }> = {
  400: { title: '请求有误', body: '提交的内容无法处理，请返回检查后再试。' },
  403: { title: '没有访问权限', body: '您没有权限查看此页面。如需开通，请联系机构管理员。' },
  404: { title: '页面不存在', body: '您访问的页面不存在或已被移除。' },
  429: { title: '操作过于频繁', body: '请稍后再试。' },
}

/** Chinese error pages for every route: 404/403 from thrown responses, 500 for the rest. */
export function GeneralErrorBoundary() {
  const error = useRouteError()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const message = messages[status] ?? { title: '服务器出错了', body: '抱歉，页面加载失败。我们已记录此问题，请稍后再试。' }
  if (status >= 500 && typeof document !== 'undefined') console.error(error)
  return (
    <section className="mx-auto max-w-xl py-12 text-center" aria-labelledby="error-title">
      <p className="text-5xl font-bold text-brand-700">{status}</p>
      <h1 id="error-title" className="mt-4 text-2xl font-semibold">
        {message.title}
      </h1>
      <p className="mt-2 text-stone-700">{message.body}</p>
      <p className="mt-6">
        <Link to="/" className="btn-primary">
          返回首页
        </Link>
      </p>
    </section>
  )
}
