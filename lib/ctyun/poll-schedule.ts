/**
 * When to poll a cloud-side wait next, from what has been seen so far (the engine's `.sync` probes return it as
 * `pollAfterMs`). Two rules, neither tuned to any particular duration:
 *
 * - Elapsed-proportional: wait a fixed fraction of the time already waited (never less than `minMs`, never more
 *   than `maxMs`). A wait that ends at T is seen by about T × (1 + ratio) at the latest, whatever T is: a 2 s
 *   lifecycle is seen within a second or so, a 3-minute one without polling it every second. The caps are TF's
 *   documented intervals (shared/ctyun-api.md §5: orders and jobs every 5 s, snapshots and backups every 30 s).
 * - Progress (a CBR task's `backupTaskPercent`): the earliest end that linear progress allows, from the first
 *   observation that showed progress and the latest one. Percent values are whole numbers (floored), so the rate is
 *   bounded from above and the end from below: the poll lands at or just before the end, then once more.
 */

export interface ElapsedSchedule {
  /** Shortest delay (the first poll after a create). */
  minMs: number
  /** Fraction of the time already waited. */
  ratio: number
  /** Longest delay. */
  maxMs: number
}

/**
 * Orders and jobs on the way to a resource id (TF polls every 5 s). Backs off faster than the resource's own wait:
 * both are timed from the create, so a late sight of the id only matters if the resource is ready by then too.
 */
export const CREATION_SCHEDULE: ElapsedSchedule = { minMs: 1_000, ratio: 1, maxMs: 5_000 }
/** Resources becoming ready, e.g. a snapshot → available (TF polls every 30 s): seen at most ~half as late again. */
export const RESOURCE_SCHEDULE: ElapsedSchedule = { minMs: 1_000, ratio: 0.5, maxMs: 30_000 }
/** A CBR task before it reports progress (Preparing): its end is found from the percent later, so back off fast. */
export const BACKUP_PREPARING_SCHEDULE: ElapsedSchedule = { minMs: 1_000, ratio: 1, maxMs: 30_000 }

/**
 * @example elapsedPollDelay(0, RESOURCE_SCHEDULE) // 1000 · elapsedPollDelay(20_000, RESOURCE_SCHEDULE) // 10000
 */
export function elapsedPollDelay(elapsedMs: number, { minMs, ratio, maxMs }: ElapsedSchedule): number {
  return Math.round(Math.min(maxMs, Math.max(minMs, ratio * Math.max(0, elapsedMs))))
}

/** A percent seen at some point of a wait (ms since the wait began). */
export interface ProgressMark {
  atMs: number
  percent: number
}

/**
 * Delay until the earliest end linear progress allows, or undefined while there is no rate yet (no progress since
 * `first`). Between `minMs` and, so a rate that speeds up later is not missed by much, the time already waited
 * (or `maxMs` if that is longer).
 * @example progressPollDelay({ atMs: 15_000, percent: 0 }, { atMs: 30_000, percent: 9 }, RESOURCE_SCHEDULE) // 120000
 */
export function progressPollDelay(first: ProgressMark, latest: ProgressMark, { minMs, maxMs }: ElapsedSchedule): number | undefined {
  const span = latest.atMs - first.atMs
  if (!(span > 0) || !(latest.percent > first.percent)) return undefined
  // The true percent lies in [shown, shown + 1): the fastest rate consistent with both marks, and the least left.
  const fastestRate = (latest.percent + 1 - first.percent) / span
  const leastLeft = Math.max(0, 100 - (latest.percent + 1))
  const delay = leastLeft / fastestRate
  return Math.round(Math.min(Math.max(maxMs, latest.atMs), Math.max(minMs, delay)))
}

/** A percent field as a number in 0..100, or undefined (`"42"`, `42`, `"42%"` are read; anything else is not). */
export function percentOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined
}
