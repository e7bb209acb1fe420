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

export function backupTaskWait(client: CtyunClient, groups: PollGroups) {
  async function findTask(handle: BackupTaskWaitHandle): Promise<BackupTask | undefined> {
    const { regionID, backupTaskID, backupSrcInstanceID } = handle
    const since = handle.startedAt ?? groups.now() - (handle.waitedMs ?? 0)
    const listing = await groups.read(`cbr-tasks|${regionID}`, { since, member: backupTaskID }, (ids) =>
      client.cbr.findTasks({ regionID, backupTaskIDs: ids }),
    )
    const task = listing.found.get(backupTaskID)
    if (task || listing.complete) return task
    return client.cbr.findTask({ regionID, backupTaskID, ...(backupSrcInstanceID ? { backupSrcInstanceID } : {}) })
  }

  /**
   * Every task of the instance (of the region, if unknown), from a listing made after `startedAt`: the starts of one
   * region's instances share one unfiltered listing when it is complete within a page per instance; otherwise the
   * instance's own listing, as before.
   */
  async function tasksSince(
    regionID: string,
    instanceID: string | undefined,
    startedAt: number,
  ): Promise<BackupTask[]> {
    const own = () =>
      collect(client.cbr.listTasks({ regionID, ...(instanceID ? { backupSrcInstanceID: instanceID } : {}) }))
    if (!instanceID) return own()
    const regional = await groups.read(
      `cbr-all-tasks|${regionID}`,
      { since: startedAt, member: instanceID },
      (instances) => client.cbr.scanTasks({ regionID, maxPages: () => instances.size }),
    )
    return regional.complete
      ? [...regional.found.values()].filter((task) => task.backupSrcInstanceID === instanceID)
      : own()
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
      const tasks = (await tasksSince(regionID, instanceID, startedAt)).filter(
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
      if (handle.waitedMs === undefined) return firstWait(handle, BACKUP_PREPARING_SCHEDULE)
      const task = taskProbeResult(await findTask(handle))
      const outcome = orFail(task, `backup task ${handle.backupTaskID}`)
      if (outcome.state !== 'pending') return outcome
      // Executing with a percent: poll near the end that its progress rate points to, not every 30 s.
      const percent = task.status === 'Executing' ? percentOf(task.value?.backupTaskPercent) : undefined
      if (percent === undefined) return waitMore(outcome, handle, BACKUP_PREPARING_SCHEDULE)
      const mark = { atMs: handle.waitedMs, percent }
      const firstProgress = handle.firstProgress ?? mark
      const delay =
        progressPollDelay(firstProgress, mark, RESOURCE_SCHEDULE) ??
        elapsedPollDelay(handle.waitedMs, RESOURCE_SCHEDULE)
      return nextPoll({ ...outcome, status: `${outcome.status} ${percent}%` }, { ...handle, firstProgress }, delay)
    },
  }
}

/** CBR times are Beijing wall-clock text, `2026-11-23 10:07:28`; NaN when absent or unreadable. */
function beijingTimeMs(text: unknown): number {
  return typeof text === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$/.test(text)
    ? Date.parse(`${text.replace(' ', 'T')}+08:00`)
    : Number.NaN
}
