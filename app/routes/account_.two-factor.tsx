import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { z } from 'zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { getSession, requireUser, signedInHome } from '~/auth/auth.server'
import { disableTwoFactor, enableTwoFactor, twoFactorRequiredOf, twoFactorSetup } from '~/auth/two-factor.server'
import { disableTwoFactorSchema, enableTwoFactorSchema } from '~/auth/two-factor-validation'
import { safeRedirect } from '~/auth/validation'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { Field, FormMessage } from '~/components/forms'
import { QrCode } from '~/components/qr-code'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'

// Setting up two-step sign-in (app/auth/two-factor.server.ts): the key as a QR code and as text,
// confirmed by a code from the app before it counts; then the recovery code, shown once. The
// consoles send staff here first when their home or the platform requires it.

export const meta: MetaFunction = () => pageMeta({ title: '两步验证', description: '用手机上的验证器应用保护您的账号。' })

export async function loader({ request }: LoaderFunctionArgs) {
  const user = requireUser(request)
  const url = new URL(request.url)
  const enabled = getSession(request).twoFactor.enabled
  return {
    enabled,
    required: twoFactorRequiredOf(user),
    recovered: url.searchParams.get('recovered') === '1',
    redirectTo: safeRedirect(url.searchParams.get('redirectTo'), ''),
    setup: enabled ? null : await twoFactorSetup(user),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request)
  const formData = await request.formData()
  if (formData.get('intent') === 'disable') {
    const submission = parseWithZod(formData, { schema: disableTwoFactorSchema })
    if (submission.status !== 'success')
      return data({ intent: 'disable' as const, result: submission.reply({ hideFields: ['code'] }) }, { status: 400 })
    const outcome = await disableTwoFactor({ user, code: submission.value.code, ip: context.ip })
    if (!outcome.ok) {
      return data(
        { intent: 'disable' as const, result: refusalReply(submission, outcome, { hideFields: ['code'] }) },
        { status: outcome.status },
      )
    }
    return { intent: 'disabled' as const, result: submission.reply({ resetForm: true }) }
  }
  const submission = parseWithZod(formData, { schema: enableTwoFactorSchema })
  const keyText = String(formData.get('key') ?? '')
  if (submission.status !== 'success') {
    // The same key comes back, so the app the user already set up still matches.
    return data(
      { intent: 'enable' as const, result: submission.reply({ hideFields: ['code'] }), setup: await twoFactorSetup(user, keyText) },
      { status: 400 },
    )
  }
  const { session } = getSession(request)
  const outcome = await enableTwoFactor({
    userId: user.id,
    sessionId: session?.id ?? '',
    keyText,
    code: submission.value.code,
    ip: context.ip,
  })
  if (!outcome.ok) {
    return data(
      {
        intent: 'enable' as const,
        result: refusalReply(submission, outcome, { hideFields: ['code'] }),
        setup: await twoFactorSetup(user, keyText),
      },
      { status: outcome.status },
    )
  }
  return {
    intent: 'enabled' as const,
    recoveryCode: outcome.recoveryCode,
    next: safeRedirect(submission.value.redirectTo, '') || signedInHome(user.id),
  }
}

function EnableForm({
  setup,
  redirectTo,
}: {
  setup: { keyText: string; groupedKey: string; uri: string; qrSvg: string }
  redirectTo: string
}) {
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm<z.input<typeof enableTwoFactorSchema>>({
    id: 'enable-two-factor',
    lastResult: actionData?.intent === 'enable' ? actionData.result : undefined,
    shouldValidate: 'onSubmit',
  })
  return (
    <section className="card space-y-4" aria-labelledby="setup-title">
      <h2 id="setup-title" className="font-semibold">
        开启两步验证
      </h2>
      <ol className="list-decimal space-y-3 pl-5 text-stone-800">
        <li>在手机上安装验证器应用（如 Microsoft Authenticator、Google 身份验证器，或微信小程序“腾讯身份验证器”）。</li>
        <li>
          在应用中添加账号：用另一台设备扫描下面的二维码；或在本机{' '}
          <a href={setup.uri} className="link">
            用验证器应用打开
          </a>
          ；或手动输入密钥。
          <QrCode svg={setup.qrSvg} label="两步验证密钥的二维码" className="mt-3 size-48" testId="totp-qr" />
          <p className="mt-3 text-sm text-stone-700">密钥（基于时间，6 位数字，30 秒）：</p>
          <p className="mt-1 break-all font-mono text-lg tracking-wide" data-testid="totp-key">
            {setup.groupedKey}
          </p>
        </li>
        <li>输入应用中显示的 6 位验证码，确认设置成功。</li>
      </ol>
      <Form method="post" className="space-y-4" {...getFormProps(form)}>
        <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
        <input type="hidden" name="key" value={setup.keyText} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label="验证码"
          hint="6 位数字"
          {...getInputProps(fields.code, { type: 'text' })}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={12}
          errors={fields.code.errors}
        />
        <button type="submit" name="intent" value="enable" className="btn-primary" disabled={navigation.state === 'submitting'}>
          确认并开启
        </button>
      </Form>
    </section>
  )
}

function DisableForm() {
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm<z.input<typeof disableTwoFactorSchema>>({
    id: 'disable-two-factor',
    lastResult: actionData?.intent === 'disable' ? actionData.result : undefined,
    shouldValidate: 'onSubmit',
  })
  return (
    <Form method="post" className="space-y-4" {...getFormProps(form)}>
      <FormMessage id={form.errorId}>{form.errors?.join('；')}</FormMessage>
      <Field
        label="当前验证码"
        hint="关闭前请输入验证器应用中的 6 位验证码"
        {...getInputProps(fields.code, { type: 'text' })}
        autoComplete="one-time-code"
        inputMode="numeric"
        maxLength={12}
        errors={fields.code.errors}
      />
      <button type="submit" name="intent" value="disable" className="btn-danger">
        关闭两步验证
      </button>
    </Form>
  )
}

export default function TwoFactorSettingsPage() {
  const loaderData = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const setup = (actionData?.intent === 'enable' ? actionData.setup : null) ?? loaderData.setup
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">两步验证</h1>
        <p className="mt-1 text-stone-700">
          开启后，登录时除了密码，还要输入手机验证器应用中的 6 位验证码。机构工作人员能看到孩子的真实信息，请务必开启。
        </p>
      </div>
      {loaderData.recovered ? <FormMessage tone="success">恢复码已使用，两步验证已关闭。请用新手机重新设置。</FormMessage> : null}
      {loaderData.required && !loaderData.enabled && actionData?.intent !== 'enabled' ? (
        <FormMessage>您所在的机构要求两步验证：设置完成后才能进入机构后台。</FormMessage>
      ) : null}
      {actionData?.intent === 'enabled' ? (
        <section className="card space-y-3" aria-labelledby="recovery-title">
          <FormMessage tone="success">两步验证已开启。</FormMessage>
          <h2 id="recovery-title" className="font-semibold">
            请保存恢复码
          </h2>
          <p className="text-stone-700">手机丢失时，可以用恢复码登录（只能用一次）。恢复码只显示这一次，请抄写或截图保存在安全的地方。</p>
          <p className="font-mono text-xl tracking-wide" data-testid="recovery-code">
            {actionData.recoveryCode}
          </p>
          <Link to={actionData.next} className="btn-primary inline-block">
            我已保存，继续
          </Link>
        </section>
      ) : loaderData.enabled ? (
        <section className="card space-y-3" aria-labelledby="status-title">
          <h2 id="status-title" className="font-semibold">
            两步验证已开启
          </h2>
          {loaderData.required ? <p className="text-sm text-stone-700">您所在的机构要求两步验证，不能关闭。</p> : <DisableForm />}
        </section>
      ) : actionData?.intent === 'disabled' ? (
        <FormMessage tone="success">两步验证已关闭。</FormMessage>
      ) : setup ? (
        <EnableForm setup={setup} redirectTo={loaderData.redirectTo} />
      ) : null}
      <p>
        <Link to="/account" className="link">
          返回我的账号
        </Link>
      </p>
    </div>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
