import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { actorFrom, requireStaff } from '~/auth/auth.server'
import { GeneralErrorBoundary } from '~/components/error-boundary'
import { OPEN_DAY_PRESET } from '~/slots/labels'
import { createSeries, seriesInputFrom } from '~/slots/series.server'
import { SeriesForm, SlotForm, type SeriesFormDefaults, type SlotFormDefaults } from '~/slots/slot-form'
import { createSlot, slotInputFrom } from '~/slots/slots.server'
import { seriesSchema, slotSchema } from '~/slots/validation'
import { now } from '~/utils/clock.server'
import { pageMeta } from '~/utils/meta'
import { refusalReply } from '~/utils/submission.server'
import { shanghaiDateString } from '~/utils/shanghai-date'

export const meta: MetaFunction = () => pageMeta({ title: '新建志愿活动', description: '机构工作人员：新建志愿活动或重复活动' })

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { institution } = requireStaff(request, params.slug)
  const search = new URL(request.url).searchParams
  const type = search.get('type') === 'series' ? 'series' : 'once'
  const today = shanghaiDateString(now())
  const common = {
    location: institution.publicAddress,
    capacity: '20',
    groupMinDaysAhead: '0',
    groupMaxSize: '10',
    cancelCutoffHours: '24',
    offerHoldHours: '12',
    allowGroups: 'on',
  }
  const seriesDefaults: SeriesFormDefaults =
    search.get('preset') === 'open-day'
      ? {
          ...common,
          kind: OPEN_DAY_PRESET.kind,
          title: OPEN_DAY_PRESET.title,
          description: OPEN_DAY_PRESET.description,
          recurrence: OPEN_DAY_PRESET.recurrence,
          weekday: '6',
          startTime: OPEN_DAY_PRESET.startTime,
          endTime: OPEN_DAY_PRESET.endTime,
          capacity: String(OPEN_DAY_PRESET.capacity),
          allowGroups: OPEN_DAY_PRESET.allowGroups ? 'on' : '',
          groupMinDaysAhead: String(OPEN_DAY_PRESET.groupMinDaysAhead),
          groupMaxSize: String(OPEN_DAY_PRESET.groupMaxSize),
          cancelCutoffHours: String(OPEN_DAY_PRESET.cancelCutoffHours),
          firstDate: today,
        }
      : { ...common, kind: 'activity', recurrence: 'weekly', weekday: '6', startTime: '14:00', endTime: '16:00', firstDate: today }
  const slotDefaults: SlotFormDefaults = { ...common, kind: 'activity', startTime: '09:30', endTime: '11:30' }
  return { type, preset: search.get('preset') === 'open-day', seriesDefaults, slotDefaults, presetLabel: OPEN_DAY_PRESET.label }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, institution } = requireStaff(request, params.slug)
  const formData = await request.formData()
  const publish = formData.get('intent') === 'publish'
  const actor = actorFrom(user, context)
  if (formData.get('type') === 'series') {
    const submission = parseWithZod(formData, { schema: seriesSchema })
    if (submission.status !== 'success') return data({ type: 'series' as const, result: submission.reply() }, { status: 400 })
    const outcome = createSeries(actor, institution.id, seriesInputFrom(submission.value), { publish })
    if (!outcome.ok) {
      return data({ type: 'series' as const, result: refusalReply(submission, outcome) }, { status: 400 })
    }
    return redirect(`/staff/${institution.slug}/series/${outcome.series.id}?created=${outcome.generated}`)
  }
  const submission = parseWithZod(formData, { schema: slotSchema })
  if (submission.status !== 'success') return data({ type: 'once' as const, result: submission.reply() }, { status: 400 })
  const outcome = createSlot(actor, institution.id, slotInputFrom(submission.value), { publish })
  if (!outcome.ok) {
    return data({ type: 'once' as const, result: refusalReply(submission, outcome) }, { status: 400 })
  }
  return redirect(`/staff/${institution.slug}/slots/${outcome.slot.id}?created=1`)
}

function SubmitButtons({ type }: { type: 'once' | 'series' }) {
  return (
    <>
      <input type="hidden" name="type" value={type} />
      {/* Saving as a draft comes first so that Enter in a field never publishes. */}
      <button type="submit" name="intent" value="save" className="btn-secondary">
        保存为草稿
      </button>
      <button type="submit" name="intent" value="publish" className="btn-primary">
        保存并发布
      </button>
    </>
  )
}

export default function NewSlot() {
  const { type: requested, preset, seriesDefaults, slotDefaults, presetLabel } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const type = actionData?.type ?? requested
  return (
    <section className="card space-y-4" aria-labelledby="new-slot-heading">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="new-slot-heading" className="text-xl font-semibold">
          新建志愿活动
        </h2>
        <Link to=".." relative="path" className="link text-sm">
          返回活动列表
        </Link>
      </div>
      <nav aria-label="活动方式" className="flex flex-wrap gap-2">
        <Link
          to="?type=once"
          className={type === 'once' ? 'btn-primary' : 'btn-secondary'}
          aria-current={type === 'once' ? 'page' : undefined}
        >
          单次活动
        </Link>
        <Link
          to="?type=series"
          className={type === 'series' ? 'btn-primary' : 'btn-secondary'}
          aria-current={type === 'series' ? 'page' : undefined}
        >
          重复活动
        </Link>
      </nav>
      {type === 'series' ? (
        <>
          <div className="rounded-lg bg-brand-50 p-3 text-stone-800">
            <p>按规则自动生成未来 6 个月的场次；以后修改规则时，已有人预约的场次保持不变。</p>
            <p className="mt-2">
              <Link to="?type=series&preset=open-day" className="link font-medium">
                使用预设：{presetLabel}
              </Link>
              {preset ? <span className="ml-2 text-sm text-stone-700">（已按预设填写，可再修改）</span> : null}
            </p>
          </div>
          <SeriesForm
            key={preset ? 'preset' : 'blank'}
            id="new-series"
            lastResult={actionData?.type === 'series' ? actionData.result : null}
            defaultValue={seriesDefaults}
            submit={<SubmitButtons type="series" />}
          />
        </>
      ) : (
        <SlotForm
          id="new-slot"
          lastResult={actionData?.type === 'once' ? actionData.result : null}
          defaultValue={slotDefaults}
          submit={<SubmitButtons type="once" />}
        />
      )}
    </section>
  )
}

export { GeneralErrorBoundary as ErrorBoundary }
