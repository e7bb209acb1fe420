/**
 * `ctyun:cbr:executePolicy.sync`: run a CBR policy now (backupPolicyOp 3), then wait for its task to complete.
 *
 * The waits of one region poll one task listing together (poll-groups.ts): the list has no task-id filter (doc api
 * 7961), and one unfiltered page usually holds every task just started. Its order is not documented, so the shared
 * listing reads at most one page per task it looks for — never more calls than one lookup per task — and a task it
 * did not reach is looked up on its own (filtered by its instance, as before).
 */
import {
  BACKUP_PREPARING_SCHEDULE,
  collect,
  elapsedPollDelay,
  percentOf,
  progressPollDelay,
  RESOURCE_SCHEDULE,
  taskProbeResult,
  type BackupTask,
  type CtyunClient,
  type ProgressMark,
} from '../ctyun'
import type { PollGroups } from './poll-groups'
import type { ActionContext, ProbeOutcome } from '../engine'
import { firstWait, nextPoll, orFail, waitMore } from './wait-outcomes'

export interface BackupTaskWaitHandle {
  regionID: string
  backupTaskID: string
  backupSrcInstanceID?: string
  /** Time waited (wait-outcomes.ts); the first probe sets it. */
  waitedMs?: number
  /** When the task was started or adopted (poll-groups' clock): no listing from before then is news about it. */
  startedAt?: number
  /** The first poll that showed the task Executing with a percent: with the latest, its rate (poll-schedule.ts). */
  firstProgress?: ProgressMark
}

/** How far CTyun's clock may be ahead of or behind ours when matching a task to the attempt that started it. */
const CLOCK_SKEW_MS = 60_000

/**
 * A start re-issued this long after its attempt was first scheduled may follow a crash: then a task its first try
 * started may have ended already, and only the instance's own listing (every status) shows it. A fresher start sees
 * such a task among the running ones (a CBR backup prepares and executes for minutes, §3.5).
 */
export const FRESH_START_MS = 10_000

/** Where the next poll lands: on a grid of this step of the groups' clock, so that waits polled near one another
 * in time come due together and share one listing round instead of each starting its own. */
export const POLL_GRID_MS = 5_000

/** A wait not heard from for this long no longer counts towards its region's round (it ended, or moved away). */
const WAITER_STALE_MS = 10 * 60_000

export function backupTaskWait(client: CtyunClient, groups: PollGroups) {
  // The waits of each region in this process, by task (or, while starting, instance) id: when each last polled. A
  // round is read for all of them, so it may read up to a page per wait (what each one's own lookup would cost).
  const waiters = new Map<string, Map<string, number>>()
  function waiting(regionID: string, id: string | undefined): number {
    const at = groups.now()
    let region = waiters.get(regionID)
    if (!region) waiters.set(regionID, (region = new Map()))
    if (id !== undefined) region.set(id, at)
    for (const [key, last] of region) if (last < at - WAITER_STALE_MS) region.delete(key)
    return region.size
  }
  function ended(regionID: string, id: string): void {
    waiters.get(regionID)?.delete(id)
  }

  /** The region's running tasks, from one shared round (a listing fetched after `since`). */
  function running(regionID: string, since: number, member: string) {
    waiting(regionID, member)
    return groups.read(`cbr-running|${regionID}`, { since, member }, (members) =>
      client.cbr.runningTasks({ regionID, maxPages: () => Math.max(members.size, waiting(regionID, undefined)) }),
    )
  }

  async function findTask(handle: BackupTaskWaitHandle): Promise<BackupTask | undefined> {
    const { regionID, backupTaskID, backupSrcInstanceID } = handle
    const own = () =>
      client.cbr.findTask({ regionID, backupTaskID, ...(backupSrcInstanceID ? { backupSrcInstanceID } : {}) })
    // Alone in its region: its own lookup (filtered by instance) is one call, where a round takes two.
    if (waiting(regionID, backupTaskID) <= 1 && backupSrcInstanceID) return own()
    // A round from the current step of the poll grid at most (polls come due on it): an older one would show the
    // percent of a while ago as now's, and put the next poll late.
    const since = Math.max(handle.startedAt ?? groups.now() - (handle.waitedMs ?? 0), groups.now() - POLL_GRID_MS)
    const live = await running(regionID, since, backupTaskID)
    const task = live.found.get(backupTaskID)
    if (task) return task
    if (live.complete) {
      // Ended (or not listed yet): the tasks that ended since the round share one listing of the Completed ones, at
      // most a page per task looked for, stopping once all are found — never more calls than a lookup per task.
      const ended = await groups.read(`cbr-completed|${regionID}`, { since, member: backupTaskID }, (ids) =>
        client.cbr.scanTasks({
          regionID,
          backupTaskStatus: 'Completed',
          maxPages: () => Math.max(ids.size, waiting(regionID, undefined)),
          enough: (found) => [...ids].every((id) => found.has(id)),
        }),
      )
      const completed = ended.found.get(backupTaskID)
      if (completed) return completed
    }
    return own()
  }

  /**
   * The tasks of the instance (of the region, if unknown) that adoption must see: the running ones, from the
   * region's shared round (a listing made after `startedAt`); and, for a start that may follow a crash (not fresh)
   * or when that round could not be read whole, every task of the instance from its own listing.
   */
  async function tasksSince(
    regionID: string,
    instanceID: string | undefined,
    startedAt: number,
    fresh: boolean,
  ): Promise<BackupTask[]> {
    const own = () =>
      collect(client.cbr.listTasks({ regionID, ...(instanceID ? { backupSrcInstanceID: instanceID } : {}) }))
    if (!instanceID || !fresh) return own()
    if (waiting(regionID, instanceID) <= 1) {
      ended(regionID, instanceID)
      return own()
    }
    const live = await running(regionID, startedAt, instanceID)
    ended(regionID, instanceID)
    return live.complete ? [...live.found.values()].filter((task) => task.backupSrcInstanceID === instanceID) : own()
  }

  return {
    async start(input: Record<string, unknown>, context: ActionContext): Promise<BackupTaskWaitHandle> {
      // execute-now takes no clientToken, so a run resumed after a crash could start a second backup. Adopt a task of
      // this policy that is still running, or that started since this attempt was first scheduled (its first try got
      // as far as CTyun before the crash) — with a minute's allowance for clock skew. An assumption, stated in
      // README.md. Tasks carry the policy's name and instance, not its ID (doc api 7961), so those
      // come from the input (`backupPolicyName`, `backupSrcInstanceID`, as the policy list returns them) or a lookup.
      const { backupPolicyName, backupSrcInstanceID, ...body } = input
      const regionID = String(body.regionID)
      const startedAt = groups.now()
      const policy =
        typeof backupPolicyName === 'string'
          ? {
              backupPolicyName,
              backupSrcInstanceID: typeof backupSrcInstanceID === 'string' ? backupSrcInstanceID : undefined,
            }
          : (await collect(client.cbr.listPolicies({ regionID, backupPolicyID: String(body.backupPolicyID) }))).find(
              (p) => p.backupPolicyID === body.backupPolicyID,
            )
      const instanceID = policy?.backupSrcInstanceID
      const since = context.scheduledAt === undefined ? Number.POSITIVE_INFINITY : context.scheduledAt - CLOCK_SKEW_MS
      const fresh = context.scheduledAt === undefined || startedAt - context.scheduledAt <= FRESH_START_MS
      const tasks = (await tasksSince(regionID, instanceID, startedAt, fresh)).filter(
        (task) =>
          task.backupPolicyID === body.backupPolicyID ||
          (policy?.backupPolicyName !== undefined &&
            task.backupPolicyName === policy.backupPolicyName &&
            (!instanceID || task.backupSrcInstanceID === instanceID)),
      )
      const adopted =
        tasks.find((task) => ['Executing', 'Preparing'].includes(String(task.backupTaskStatusCode))) ??
        tasks.find((task) => beijingTimeMs(task.backupTaskStartTime) >= since)
      const done = (backupTaskID: string) => ({
        regionID,
        backupTaskID,
        ...(instanceID ? { backupSrcInstanceID: instanceID } : {}),
        startedAt,
      })
      if (adopted?.backupTaskID) return done(adopted.backupTaskID)
      const { backupTaskID } = await client.cbr.executePolicy(body as never)
      return done(backupTaskID)
    },

    async probe(handle: BackupTaskWaitHandle): Promise<ProbeOutcome> {
      if (handle.waitedMs === undefined) return onGrid(firstWait(handle, BACKUP_PREPARING_SCHEDULE), groups.now())
      const task = taskProbeResult(await findTask(handle))
      if (task.state !== 'pending') ended(handle.regionID, handle.backupTaskID)
      const outcome = orFail(task, `backup task ${handle.backupTaskID}`)
      if (outcome.state !== 'pending') return outcome
      // Executing with a percent: poll near the end that its progress rate points to, not every 30 s.
      const percent = task.status === 'Executing' ? percentOf(task.value?.backupTaskPercent) : undefined
      if (percent === undefined) return onGrid(waitMore(outcome, handle, BACKUP_PREPARING_SCHEDULE), groups.now())
      const mark = { atMs: handle.waitedMs, percent }
      const firstProgress = handle.firstProgress ?? mark
      const delay =
        progressPollDelay(firstProgress, mark, RESOURCE_SCHEDULE) ??
        elapsedPollDelay(handle.waitedMs, RESOURCE_SCHEDULE)
      return onGrid(
        nextPoll({ ...outcome, status: `${outcome.status} ${percent}%` }, { ...handle, firstProgress }, delay),
        groups.now(),
      )
    },
  }
}

/**
 * Moves a pending outcome's next poll later, onto the next POLL_GRID_MS step of the clock (at most a step later):
 * the waits of one region then come due in the same instants and share one round of the running-task listing.
 * The time waited counts the added delay.
 * @example onGrid({ state: 'pending', status: 'Preparing', handle: { waitedMs: 2_000 }, pollAfterMs: 2_000 }, 11_000) // pollAfterMs 4_000
 */
export function onGrid(outcome: ProbeOutcome, now: number): ProbeOutcome {
  const delay = outcome.pollAfterMs
  if (outcome.state !== 'pending' || delay === undefined) return outcome
  const aligned = Math.ceil((now + delay) / POLL_GRID_MS) * POLL_GRID_MS - now
  const handle = outcome.handle as { waitedMs?: number } | undefined
  return {
    ...outcome,
    pollAfterMs: aligned,
    ...(handle ? { handle: { ...handle, waitedMs: (handle.waitedMs ?? 0) - delay + aligned } } : {}),
  }
}

/** CBR times are Beijing wall-clock text, `2026-11-23 10:07:28`; NaN when absent or unreadable. */
function beijingTimeMs(text: unknown): number {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$/.test(text)
    ? Date.parse(`${text.replace(' ', 'T')}+08:00`)
    : Number.NaN
}
