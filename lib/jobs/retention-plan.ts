import { isOwnSnapshotName } from './snapshot-name'

/**
 * Which of a disk's snapshots the nightly job deletes. Only snapshots it created itself (by name, see
 * snapshot-name.ts) are candidates; everything else is kept whatever its age. With both rules, a snapshot is
 * pruned when it is past `maxAgeDays` AND not among the newest `keepLast` — so keepLast is a floor that age never
 * breaks. With one rule, that rule alone decides.
 */
export interface RetentionRule {
  maxAgeDays?: number
  keepLast?: number
}

export interface RetainableSnapshot {
  snapshotID: string
  snapshotName: string
  snapshotStatus?: string
  /** "2022-11-08T10:07:28Z" in the API; epoch ms accepted too. */
  createTime: string | number
}

export interface RetentionPlan {
  prune: string[]
  keep: string[]
  /** Snapshots not made by this job, never touched. */
  foreign: string[]
}

export class RetentionRuleError extends Error {
  override name = 'RetentionRuleError'
}

const DAY_MS = 86_400_000

export function planRetention(
  snapshots: readonly RetainableSnapshot[],
  { prefix, rule, now, protect = [] }: { prefix: string; rule: RetentionRule; now: Date; protect?: readonly string[] },
): RetentionPlan {
  checkRule(rule)
  const foreign: string[] = []
  const own: Array<{ id: string; at: number }> = []
  for (const snapshot of snapshots) {
    if (!isOwnSnapshotName(prefix, snapshot.snapshotName)) foreign.push(snapshot.snapshotID)
    else own.push({ id: snapshot.snapshotID, at: createdAt(snapshot) })
  }
  own.sort((a, b) => b.at - a.at) // newest first
  const prune: string[] = []
  const keep: string[] = []
  own.forEach(({ id, at }, index) => {
    const pastAge = rule.maxAgeDays === undefined || now.getTime() - at > rule.maxAgeDays * DAY_MS
    const beyondKeep = rule.keepLast === undefined || index >= rule.keepLast
    const noRule = rule.maxAgeDays === undefined && rule.keepLast === undefined
    if (!noRule && pastAge && beyondKeep && !protect.includes(id)) prune.push(id)
    else keep.push(id)
  })
  return { prune, keep, foreign }
}

function createdAt(snapshot: RetainableSnapshot): number {
  const at = typeof snapshot.createTime === 'number' ? snapshot.createTime : Date.parse(snapshot.createTime)
  // An unreadable date must never make a snapshot look old enough to delete.
  return Number.isFinite(at) ? at : Number.POSITIVE_INFINITY
}

function checkRule(rule: RetentionRule): void {
  for (const field of ['maxAgeDays', 'keepLast'] as const) {
    const value = rule[field]
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new RetentionRuleError(`retention.${field} must be a whole number ≥ 0, not ${JSON.stringify(value)}`)
    }
  }
}
