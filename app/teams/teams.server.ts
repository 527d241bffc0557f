import { and, asc, desc, eq, isNotNull, lt, sql } from 'drizzle-orm'
import { db, writeTransaction, type Tx } from '~db/client.server'
import { campaigns, institutions, needs, payments, teams, users, wishes } from '~db/schema'
import type { paymentTargets, PublicDisplay } from '~db/enums'
import { recordAudit, type Actor } from '~/audit/audit.server'
import { correctedSoFar } from '~/donations/ledger.server'
import { donorPublicName } from '~/donations/display'
import { publishedPhotos } from '~/feedback-photos/feedback-photos.server'
import { publicTextProblem } from '~/privacy/public-text.server'
import { now } from '~/utils/clock.server'
import { formatFen } from '~/utils/format'
import { shanghaiDateString } from '~/utils/shanghai-date'
import { TEAM_GOAL_MAX_FEN, TEAM_GOAL_MIN_FEN } from './limits'
import type { TeamInput } from './validation'

// 一起捐 (team giving, issue 14): a member's page for a home, campaign, wish or need that others
// give through. Gifts through a team are ordinary donations in the public log (the leaf does
// not change); the link is payments.team_id, and the team's raised total and gift count are
// kept on its row in the gift's own transaction (teamGiftCompleted / teamGiftCorrected, called
// from app/payments/payments.server.ts), net of refunds and lost disputes
// (docs/decisions/025-team-giving.md).

export type Team = typeof teams.$inferSelect
type Target = (typeof paymentTargets)[number]

/**
 * What a team is for, as the gift flow resolves it (payments' resolveGiftTarget): passed in by
 * the route so that this domain does not import payments (payments calls into teams).
 */
export type TeamTarget = {
  target: Target
  targetId: number
  institutionId: number
  campaignId: number | null
  wishId: number | null
  needId: number | null
  /** A wish's estimated value: the most a team for it may aim at. */
  defaultAmountFen: number | null
}

export type TeamRefusal = { ok: false; message: string; field?: 'name' | 'goal' | 'story' | 'endsOn' | 'starterDisplay' | 'reason' }
export type TeamResult = { ok: true; team: Team } | TeamRefusal

export const TEAM_NOT_ACCEPTING = '这个一起捐已结束或不在进行中，请直接捐款给受捐对象。'

class Refused extends Error {
  constructor(readonly refusal: TeamRefusal) {
    super(refusal.message)
  }
}
const refuse = (message: string, field?: TeamRefusal['field']): never => {
  throw new Refused({ ok: false, message, ...(field ? { field } : {}) })
}
function attempt(fn: () => TeamResult): TeamResult {
  try {
    return fn()
  } catch (error) {
    if (error instanceof Refused) return error.refusal
    throw error
  }
}

/** Goal bounds: ¥1–¥500,000, and no more than a wish's estimated value when it has one. */
function checkGoal(goalFen: number, target: Pick<TeamTarget, 'defaultAmountFen'>): void {
  if (!Number.isSafeInteger(goalFen) || goalFen < TEAM_GOAL_MIN_FEN || goalFen > TEAM_GOAL_MAX_FEN)
    refuse(`目标金额须在 ${formatFen(TEAM_GOAL_MIN_FEN)} 至 ${formatFen(TEAM_GOAL_MAX_FEN)} 之间`, 'goal')
  if (target.defaultAmountFen !== null && target.defaultAmountFen > 0 && goalFen > target.defaultAmountFen)
    refuse(`目标金额不能超过这个心愿的参考价值 ${formatFen(target.defaultAmountFen)}`, 'goal')
}

function checkText(tx: Tx, institutionId: number, input: Pick<TeamInput, 'name' | 'story'>): void {
  // docs/product.md rule 1: team text is public text like any other.
  const problem = publicTextProblem(tx, [institutionId], [
    ['name', input.name],
    ['story', input.story],
  ] as const)
  if (problem) refuse(problem.message, problem.field)
}

function checkEndsOn(endsOn: string | undefined): string | null {
  if (!endsOn) return null
  if (endsOn < shanghaiDateString(now())) refuse('截止日期不能早于今天', 'endsOn')
  return endsOn
}

/**
 * Start a team. `resolveTarget` answers, inside this transaction, whether the target still
 * accepts gifts (null when it does not): the route passes payments' resolveGiftTarget.
 */
export function createTeam(starterId: number, input: TeamInput, resolveTarget: (tx: Tx) => TeamTarget | null): TeamResult {
  return attempt(() =>
    writeTransaction((tx) => {
      const target = resolveTarget(tx)
      if (!target) refuse('这个捐款对象已不再接受捐款，不能发起一起捐')
      const t = target as TeamTarget
      checkGoal(input.goal, t)
      checkText(tx, t.institutionId, input)
      const endsOn = checkEndsOn(input.endsOn)
      const team = tx
        .insert(teams)
        .values({
          institutionId: t.institutionId,
          target: t.target,
          campaignId: t.campaignId,
          wishId: t.wishId,
          needId: t.needId,
          starterId,
          starterDisplay: input.starterDisplay,
          name: input.name,
          story: input.story ?? '',
          goalFen: input.goal,
          endsOn,
        })
        .returning()
        .get()
      return { ok: true as const, team }
    }),
  )
}

function ownTeam(tx: Tx, teamId: number, userId: number): Team {
  const team = tx.select().from(teams).where(eq(teams.id, teamId)).get()
  if (!team || team.starterId !== userId) refuse('没有找到这个一起捐')
  return team as Team
}

/** The starter edits name, text, goal, end date and display (checked again like a new team). */
export function updateTeam(userId: number, teamId: number, input: TeamInput): TeamResult {
  return attempt(() =>
    writeTransaction((tx) => {
      const team = ownTeam(tx, teamId, userId)
      if (team.status === 'hidden') refuse('这个一起捐已被机构隐藏，不能再修改')
      const wish = team.wishId
        ? tx.select({ value: wishes.estimatedValueFen }).from(wishes).where(eq(wishes.id, team.wishId)).get()
        : undefined
      checkGoal(input.goal, { defaultAmountFen: wish?.value ?? null })
      checkText(tx, team.institutionId, input)
      const endsOn = input.endsOn === team.endsOn ? team.endsOn : checkEndsOn(input.endsOn)
      const updated = tx
        .update(teams)
        .set({
          name: input.name,
          story: input.story ?? '',
          goalFen: input.goal,
          endsOn,
          starterDisplay: input.starterDisplay,
          updatedAt: now(),
        })
        .where(eq(teams.id, team.id))
        .returning()
        .get()
      return { ok: true as const, team: updated }
    }),
  )
}

/** The starter ends the team: no new gifts through it; the page and its totals stay. */
export function closeTeam(userId: number, teamId: number): TeamResult {
  return attempt(() =>
    writeTransaction((tx) => {
      const team = ownTeam(tx, teamId, userId)
      if (team.status !== 'open') return { ok: true as const, team }
      const updated = tx.update(teams).set({ status: 'closed', updatedAt: now() }).where(eq(teams.id, team.id)).returning().get()
      return { ok: true as const, team: updated }
    }),
  )
}

/**
 * Staff of the team's home hide a page that misuses the home's name: the reason is kept on the
 * row and in the audit log. Staff of any other home get "not found".
 */
export function hideTeam(actor: Actor, institutionId: number, teamId: number, reason: string): TeamResult {
  return attempt(() =>
    writeTransaction((tx) => {
      const team = tx.select().from(teams).where(eq(teams.id, teamId)).get()
      if (!team || team.institutionId !== institutionId) refuse('没有找到这个一起捐')
      const t = team as Team
      if (t.status === 'hidden') return { ok: true as const, team: t }
      const updated = tx
        .update(teams)
        .set({ status: 'hidden', hiddenReason: reason, hiddenBy: actor.userId, updatedAt: now() })
        .where(eq(teams.id, t.id))
        .returning()
        .get()
      recordAudit(tx, actor, {
        institutionId,
        action: 'team.hide',
        entityType: 'team',
        entityId: t.id,
        summary: { name: t.name, reason, previousStatus: t.status },
      })
      return { ok: true as const, team: updated }
    }),
  )
}

/** Whether gifts may start through the team today (open, not past its end date). */
export function teamAcceptsGifts(team: Pick<Team, 'status' | 'endsOn'>, at = now()): boolean {
  return team.status === 'open' && (team.endsOn === null || team.endsOn >= shanghaiDateString(at))
}

/**
 * Inside startGift's transaction: the team may take this gift only while it is open and the
 * gift goes to the team's own target.
 */
export function teamAcceptsGift(tx: Tx, teamId: number, target: Pick<TeamTarget, 'target' | 'targetId'>): boolean {
  const team = tx.select().from(teams).where(eq(teams.id, teamId)).get()
  if (!team || !teamAcceptsGifts(team)) return false
  return team.target === target.target && targetIdOf(team) === target.targetId
}

function targetIdOf(team: Pick<Team, 'target' | 'campaignId' | 'wishId' | 'needId' | 'institutionId'>): number {
  if (team.target === 'campaign') return team.campaignId as number
  if (team.target === 'wish') return team.wishId as number
  if (team.target === 'need') return team.needId as number
  return team.institutionId
}

// ---- Progress, kept in the gift's transaction ------------------------------------------------

type TeamPayment = { teamId: number | null; amountFen: number }

/** A gift through a team was recorded (completePayment): add it, once, in the same transaction. */
export function teamGiftCompleted(tx: Tx, payment: TeamPayment): void {
  if (payment.teamId === null) return
  tx.update(teams)
    .set({ raisedFen: sql`${teams.raisedFen} + ${payment.amountFen}`, giftCount: sql`${teams.giftCount} + 1` })
    .where(eq(teams.id, payment.teamId))
    .run()
}

/**
 * Part of a gift through a team was reversed (refund or lost dispute, correctGift): take it off
 * the total; a gift reversed in full no longer counts as a gift.
 */
export function teamGiftCorrected(tx: Tx, payment: TeamPayment, amountFen: number, wholeRest: boolean): void {
  if (payment.teamId === null || amountFen <= 0) return
  tx.update(teams)
    .set({
      raisedFen: sql`max(0, ${teams.raisedFen} - ${amountFen})`,
      giftCount: wholeRest ? sql`max(0, ${teams.giftCount} - 1)` : teams.giftCount,
    })
    .where(eq(teams.id, payment.teamId))
    .run()
}

/** The team's totals counted from scratch from its payments and their corrections (tests, checks). */
export function recountTeam(teamId: number, tx: Tx | typeof db = db): { raisedFen: number; giftCount: number } {
  const rows = tx
    .select({ amountFen: payments.amountFen, donationId: payments.donationId })
    .from(payments)
    .where(and(eq(payments.teamId, teamId), eq(payments.status, 'completed'), isNotNull(payments.donationId)))
    .all()
  let raisedFen = 0
  let giftCount = 0
  for (const row of rows) {
    const net = row.amountFen - correctedSoFar(tx, row.donationId as number).amountFen
    if (net > 0) {
      raisedFen += net
      giftCount += 1
    }
  }
  return { raisedFen, giftCount }
}

// ---- Reading -----------------------------------------------------------------------------------

const PRIVACY_ORDER: Record<PublicDisplay, number> = { name: 0, masked: 1, anonymous: 2 }

/**
 * The donors through the team, once each, by their own display choice: a donor who gave more
 * than once appears by the most private choice they made (so an anonymous gift is never tied to
 * a name). Gifts refunded or lost in a dispute in full are left out.
 */
export function teamMembers(teamId: number): string[] {
  const rows = db
    .select({ userId: payments.userId, choice: payments.publicDisplay, displayName: users.displayName })
    .from(payments)
    .innerJoin(users, eq(users.id, payments.userId))
    .where(
      and(
        eq(payments.teamId, teamId),
        eq(payments.status, 'completed'),
        lt(sql`${payments.refundedFen} + ${payments.disputedFen}`, payments.amountFen),
      ),
    )
    .orderBy(asc(payments.id))
    .all()
  const byUser = new Map<number, { displayName: string; choice: PublicDisplay }>()
  for (const row of rows) {
    const seen = byUser.get(row.userId)
    if (!seen) byUser.set(row.userId, { displayName: row.displayName, choice: row.choice })
    else if (PRIVACY_ORDER[row.choice] > PRIVACY_ORDER[seen.choice]) seen.choice = row.choice
  }
  return [...byUser.values()].map((m) => donorPublicName(m.displayName, m.choice))
}

export type TeamFeedback = {
  /** 已送达 wording when the target's items reached the home, else null. */
  status: string | null
  photos: Array<{ key: string; altText: string }>
}

function targetView(team: Team) {
  if (team.target === 'wish' && team.wishId !== null) {
    const wish = db.select({ title: wishes.title, status: wishes.status }).from(wishes).where(eq(wishes.id, team.wishId)).get()
    const delivered =
      wish?.status === 'fulfilled' ? '心愿已实现，礼物已交到孩子手中' : wish?.status === 'received' ? '机构已收到这个心愿的礼物' : null
    return {
      kind: '微心愿',
      title: wish?.title ?? '',
      href: `/wishes/${team.wishId}`,
      feedback: { status: delivered, photos: delivered ? publishedPhotos('wish', [team.wishId]) : [] },
    }
  }
  if (team.target === 'need' && team.needId !== null) {
    const need = db.select({ title: needs.title, status: needs.status }).from(needs).where(eq(needs.id, team.needId)).get()
    const delivered = need?.status === 'fully_received' ? '机构已全部收到这项物资' : null
    return {
      kind: '物资需求',
      title: need?.title ?? '',
      href: `/needs/${team.needId}`,
      feedback: { status: delivered, photos: delivered ? publishedPhotos('need', [team.needId]) : [] },
    }
  }
  if (team.target === 'campaign' && team.campaignId !== null) {
    const campaign = db
      .select({ name: campaigns.name, slug: campaigns.slug })
      .from(campaigns)
      .where(eq(campaigns.id, team.campaignId))
      .get()
    return {
      kind: '公益活动',
      title: campaign?.name ?? '',
      href: `/campaigns/${campaign?.slug ?? ''}`,
      feedback: { status: null, photos: [] },
    }
  }
  return { kind: '机构', title: '', href: '', feedback: { status: null, photos: [] } }
}

/** The query string of /give for a gift through this team. */
export function teamGiveQuery(team: Team, homeSlug: string): string {
  const target =
    team.target === 'institution'
      ? `home=${encodeURIComponent(homeSlug)}`
      : team.target === 'campaign'
        ? `campaign=${encodeURIComponent(
            db
              .select({ slug: campaigns.slug })
              .from(campaigns)
              .where(eq(campaigns.id, team.campaignId as number))
              .get()?.slug ?? '',
          )}`
        : `${team.target}=${targetIdOf(team)}`
  return `${target}&team=${team.id}`
}

/** Everything the public team page shows; null when there is no such team. Never an account name unless chosen. */
export function getPublicTeam(teamId: number) {
  const row = db
    .select({
      team: teams,
      home: { name: institutions.name, slug: institutions.slug, city: institutions.city },
      starterName: users.displayName,
    })
    .from(teams)
    .innerJoin(institutions, eq(institutions.id, teams.institutionId))
    .innerJoin(users, eq(users.id, teams.starterId))
    .where(eq(teams.id, teamId))
    .get()
  if (!row) return null
  const { team, home } = row
  const target = targetView(team)
  return {
    id: team.id,
    name: team.name,
    story: team.story,
    status: team.status,
    hidden: team.status === 'hidden',
    acceptsGifts: teamAcceptsGifts(team),
    goalFen: team.goalFen,
    raisedFen: team.raisedFen,
    giftCount: team.giftCount,
    endsOn: team.endsOn,
    starter: donorPublicName(row.starterName, team.starterDisplay),
    starterId: team.starterId,
    home,
    target: { ...target, title: target.title || home.name, href: target.href || `/institutions/${home.slug}` },
    giveQuery: teamGiveQuery(team, home.slug),
    institutionId: team.institutionId,
  }
}

export type PublicTeam = NonNullable<ReturnType<typeof getPublicTeam>>

/** A team for the /give page's note (only while it takes gifts). */
export function teamForGivePage(teamId: number | null) {
  if (teamId === null) return null
  const team = db.select().from(teams).where(eq(teams.id, teamId)).get()
  if (!team) return null
  return { id: team.id, name: team.name, acceptsGifts: teamAcceptsGifts(team) }
}

/** The starter's own team, for the edit page; null when it is not theirs. */
export function getOwnTeam(teamId: number, userId: number): Team | null {
  return (
    db
      .select()
      .from(teams)
      .where(and(eq(teams.id, teamId), eq(teams.starterId, userId)))
      .get() ?? null
  )
}

/** 我发起的一起捐 (on /me/donations). */
export function listMyTeams(userId: number) {
  return db
    .select({
      id: teams.id,
      name: teams.name,
      status: teams.status,
      goalFen: teams.goalFen,
      raisedFen: teams.raisedFen,
      giftCount: teams.giftCount,
      hiddenReason: teams.hiddenReason,
      homeName: institutions.name,
    })
    .from(teams)
    .innerJoin(institutions, eq(institutions.id, teams.institutionId))
    .where(eq(teams.starterId, userId))
    .orderBy(desc(teams.id))
    .all()
}

/** A home's teams, for its staff (newest first). */
export function listHomeTeams(institutionId: number, limit = 100) {
  return db
    .select({
      id: teams.id,
      name: teams.name,
      story: teams.story,
      status: teams.status,
      goalFen: teams.goalFen,
      raisedFen: teams.raisedFen,
      giftCount: teams.giftCount,
      hiddenReason: teams.hiddenReason,
    })
    .from(teams)
    .where(eq(teams.institutionId, institutionId))
    .orderBy(desc(teams.id))
    .limit(limit)
    .all()
}
