/**
 * When to poll a cloud-side wait next, from what has been seen so far (the engine's `.sync` probes return it as
 * `pollAfterMs`). Two rules, neither tuned to any particular duration:
 *
 * - Elapsed-proportional: wait a fixed fraction of the time already waited (never less than `minMs`, never more
 *   than `maxMs`). A wait that ends at T is seen by about T × (1 + ratio) at the latest, whatever T is: a 2 s
 *   lifecycle is seen within a second or so, a 3-minute one without polling it every second. The caps are TF's
 *   documented intervals (shared/ctyun-api.md §5: orders and jobs every 5 s, snapshots and backups every 30 s).
 * - Progress (a CBR task's `backupTaskPercent`): the end that linear progress through the first observation that
 *   showed progress and the latest one points to. Percent values are whole numbers (floored), so the end is known
 *   only between two bounds: the poll goes at the earlier one until they are close, then at the later one, which
 *   sees the end in one poll.
 */

/**
 * How long Terraform's provider waits for each kind of thing before it gives up (shared/ctyun-api.md §5, §8.9): the
 * first poll at once, then one per interval, `count` polls in all. The client's default deadlines are never shorter.
 */
export const TF_WAITS = {
  /** Orders (create, refund): 5 s × 60 (business/order_looper.go). */
  orderMs: 60 * 5_000,
  /** `/v4/job/info` jobs: 5 s × 60 (business/job_helper.go). */
  jobMs: 60 * 5_000,
  /** An EBS snapshot to become `available`: 30 s × 30 = 15 min (resource_ctyun_ebs_snapshot.go). */
  snapshotAvailableMs: 30 * 30_000,
  /** An image to become `active`: 5 s × 60 (resource_ctyun_image.go). */
  imageMs: 60 * 5_000,
} as const

/**
 * An order that reports 3 (完成) before its resource id list is filled is polled this many more times, then it is an
 * error (TF OrderLoop, §8.9).
 */
export const EMPTY_DONE_ORDER_POLLS = 3

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
/**
 * The snapshots of a nightly run, polled through one listing for all its disks (TF polls each every 30 s): doubling,
 * so a wait of T is seen by 2T or T + 30 s, whichever is sooner, in about log2(T / 2 s) calls for the whole run. The
 * first look is at 2 s: a snapshot's order or job alone takes longer (TF re-polls an order after 5 s), so a look at
 * 1 s only costs a call (measured: the realistic nightly job 26 → 24 calls, same time; `npx tsx bench/run.ts demo-job`).
 */
export const SHARED_SNAPSHOTS_SCHEDULE: ElapsedSchedule = { minMs: 2_000, ratio: 1, maxMs: 30_000 }
/**
 * A CBR task before it reports progress (Preparing): its end is found from the percent later, so back off fast; first
 * look at 2 s (CBR prepares for seconds to minutes before it executes).
 */
export const BACKUP_PREPARING_SCHEDULE: ElapsedSchedule = { minMs: 2_000, ratio: 1, maxMs: 30_000 }

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
 * Delay until the next poll of a wait that shows percent progress, or undefined while there is no rate yet (no
 * progress since `first`). Shown percents are whole numbers (floored), so linear progress through both marks puts the
 * true end between two bounds: the earliest (the fastest rate they allow) and the latest (the slowest). When the two
 * are within `END_TOLERANCE` of the time waited, the poll goes at the latest bound: the end is seen in that one poll,
 * at most that late. Otherwise at the earliest, which is never late and gives a mark far enough on to narrow them.
 * At least `minMs`; at most twice the time already waited (or `maxMs`, if longer), so a rate that picks up later is
 * not missed by much.
 * @example progressPollDelay({ atMs: 16_000, percent: 0 }, { atMs: 24_000, percent: 4 }, RESOURCE_SCHEDULE) // 48000
 */
export function progressPollDelay(
  first: ProgressMark,
  latest: ProgressMark,
  { minMs, maxMs }: ElapsedSchedule,
): number | undefined {
  const span = latest.atMs - first.atMs
  if (!(span > 0) || !(latest.percent > first.percent)) return undefined
  const fastestRate = (latest.percent + 1 - first.percent) / span
  const slowestRate = (latest.percent - (first.percent + 1)) / span
  const earliest = Math.max(0, 100 - (latest.percent + 1)) / fastestRate
  const latestEnd = slowestRate > 0 ? (100 - latest.percent) / slowestRate : Number.POSITIVE_INFINITY
  const tolerance = Math.max(minMs, END_TOLERANCE * latest.atMs)
  const delay = latestEnd - earliest <= tolerance ? latestEnd : earliest
  return Math.round(Math.min(Math.max(maxMs, 2 * latest.atMs), Math.max(minMs, delay)))
}

/** How late, as a fraction of the time waited, a progress wait may see its end to save a poll (see progressPollDelay). */
export const END_TOLERANCE = 0.05

/** A percent field as a number in 0..100, or undefined (`"42"`, `42`, `"42%"` are read; anything else is not). */
export function percentOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined
}
