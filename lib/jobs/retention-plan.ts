import {
  DEFAULT_RETENTION_TIME_ZONE,
  isKnownTimeZone,
  periodKey,
  RETENTION_PERIODS,
  type RetentionPeriod,
} from './retention-periods'
import { isOwnSnapshotName } from './snapshot-name'

/**
 * Which of a disk's snapshots the nightly job deletes. Only snapshots it created itself (by name, see
 * snapshot-name.ts) are candidates; everything else is kept whatever its age. A snapshot is kept when any rule given
 * keeps it, and pruned when none does:
 * - `maxAgeDays`: it is at most that many days old;
 * - `keepLast`: it is among the newest N;
 * - `daily`/`weekly`/`monthly`/`yearly` (GFS): it is the newest snapshot of one of the N newest days (ISO weeks,
 *   months, years) that have a snapshot, in `timeZone` (default Asia/Shanghai). Periods without a snapshot do not
 *   count, so a job that stopped for a while does not lose its older copies to the gap. A count of 0 keeps nothing
 *   by that rule.
 * With no rule at all nothing is pruned. Protected snapshots (tonight's) and snapshots whose date cannot be read are
 * always kept: an unreadable date never makes a snapshot deletable. A protected snapshot the list lacks counts as made
 * `now` (and takes its place in keepLast and the periods).
 */
export interface RetentionRule {
  maxAgeDays?: number
  keepLast?: number
  daily?: number
  weekly?: number
  monthly?: number
  yearly?: number
  /** IANA time zone the GFS periods are counted in; default Asia/Shanghai. */
  timeZone?: string
}

export interface RetainableSnapshot {
  snapshotID: string
  snapshotName: string
  snapshotStatus?: string
  /** "2022-11-08T10:07:28Z" in the API; epoch ms accepted too. */
  createTime: string | number
}

/** Why a snapshot was kept: the rules that keep it (any one suffices). */
export type KeepReason = 'maxAgeDays' | 'keepLast' | RetentionPeriod | 'protected' | 'undated' | 'noRule'

export interface RetentionPlan {
  prune: string[]
  keep: string[]
  /** Every kept snapshot of the job's own, with the rules that keep it. */
  keptBy: Record<string, KeepReason[]>
  /** Snapshots not made by this job, never touched. */
  foreign: string[]
}

export class RetentionRuleError extends Error {
  override name = 'RetentionRuleError'
}

const DAY_MS = 86_400_000
const COUNT_FIELDS = ['maxAgeDays', 'keepLast', ...RETENTION_PERIODS] as const

/**
 * @example planRetention(snapshots, { prefix: 'ctflow-nightly', rule: { daily: 7, weekly: 4 }, now: new Date() })
 */
export function planRetention(
  snapshots: readonly RetainableSnapshot[],
  { prefix, rule, now, protect = [] }: { prefix: string; rule: RetentionRule; now: Date; protect?: readonly string[] },
): RetentionPlan {
  checkRule(rule)
  const timeZone = rule.timeZone ?? DEFAULT_RETENTION_TIME_ZONE
  const foreign: string[] = []
  const own: Array<{ id: string; at: number }> = []
  for (const snapshot of snapshots) {
    if (!isOwnSnapshotName(prefix, snapshot.snapshotName)) foreign.push(snapshot.snapshotID)
    else own.push({ id: snapshot.snapshotID, at: createdAt(snapshot) })
  }
  // Tonight's snapshot counts as the newest even when the listing does not show it yet (a listing that lags, or a
  // plan run, which made none).
  for (const id of protect) {
    if (!snapshots.some((s) => s.snapshotID === id)) own.push({ id, at: now.getTime() })
  }
  // Newest first; undated ones (NaN) first of all, so keepLast counts them as new (as it always has).
  own.sort((a, b) => rank(b.at) - rank(a.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const reasons = new Map<string, KeepReason[]>(own.map(({ id }) => [id, []]))
  const keepFor = (id: string, reason: KeepReason) => reasons.get(id)!.push(reason)
  const anyRule = COUNT_FIELDS.some((field) => rule[field] !== undefined)

  own.forEach(({ id, at }, index) => {
    if (protect.includes(id)) keepFor(id, 'protected')
    if (Number.isNaN(at)) keepFor(id, 'undated')
    if (!anyRule) keepFor(id, 'noRule')
    if (rule.keepLast !== undefined && index < rule.keepLast) keepFor(id, 'keepLast')
    if (rule.maxAgeDays !== undefined && !Number.isNaN(at) && now.getTime() - at <= rule.maxAgeDays * DAY_MS)
      keepFor(id, 'maxAgeDays')
  })
  for (const period of RETENTION_PERIODS) {
    const count = rule[period]
    if (!count) continue
    const seen = new Set<string>()
    for (const { id, at } of own) {
      if (Number.isNaN(at)) continue
      const key = periodKey(at, period, timeZone)
      if (seen.has(key)) continue // an older snapshot of a period already kept
      seen.add(key)
      if (seen.size > count) break
      keepFor(id, period)
    }
  }

  const prune: string[] = []
  const keep: string[] = []
  const keptBy: Record<string, KeepReason[]> = {}
  for (const { id } of own) {
    const why = reasons.get(id)!
    if (why.length === 0) prune.push(id)
    else {
      keep.push(id)
      keptBy[id] = why
    }
  }
  return { prune, keep, keptBy, foreign }
}

function rank(at: number): number {
  return Number.isNaN(at) ? Number.POSITIVE_INFINITY : at
}

/** Epoch ms, or NaN when the date cannot be read (never old enough to delete). */
function createdAt(snapshot: RetainableSnapshot): number {
  const at = typeof snapshot.createTime === 'number' ? snapshot.createTime : Date.parse(snapshot.createTime)
  return Number.isFinite(at) ? at : Number.NaN
}

/** Names the first field of a rule that is not what it must be (the input schema says the same; this guards the action). */
export function checkRule(rule: RetentionRule): void {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule))
    throw new RetentionRuleError(`retention must be an object, not ${JSON.stringify(rule)}`)
  for (const field of COUNT_FIELDS) {
    const value = rule[field]
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new RetentionRuleError(`retention.${field} must be a whole number ≥ 0, not ${JSON.stringify(value)}`)
    }
  }
  if (rule.timeZone !== undefined && (typeof rule.timeZone !== 'string' || !isKnownTimeZone(rule.timeZone)))
    throw new RetentionRuleError(
      `retention.timeZone must be an IANA time zone such as "Asia/Shanghai" or "UTC", not ${JSON.stringify(rule.timeZone)}`,
    )
}
