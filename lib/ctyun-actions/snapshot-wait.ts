/**
 * `ctyun:ebs:createSnapshot.sync`: create, then wait until the snapshot is `available`.
 *
 * Never a second snapshot for one name: the clientToken makes a create idempotent on the order flow only (a disk's
 * first snapshot, shared/ctyun-api.md §8.2), so a Task re-executed after a crash, or retried after a timeout, could
 * otherwise make another. Every start therefore first looks for a snapshot of the disk under its name and adopts it
 * (the name is the operation's identity, like the clientToken: the nightly job's is `<prefix>-<run id>`). The look
 * reads the same shared listing as the waits below, so the disks of one run starting together share it; alone, it is
 * one list-ebs-snap call per disk.
 *
 * A disk busy with an earlier snapshot's creation or deletion (the previous night's prune) refuses the create, with
 * whatever code (§8.3): then the disk's snapshots are read, and while one of them is at work the create waits —
 * polled, so the run may suspend — for up to DISK_BUSY_MAX_WAIT_MS, and is sent (after another look) once none is.
 *
 * The waits of one name poll one listing together: list-ebs-snap by name answers for every disk at once, with the
 * snapshot's id and status, so a disk whose snapshot is listed needs no poll of its own. The creation (order or job,
 * §3.2) is polled only when the listing cannot say which snapshot is this wait's: none of the disk under that name
 * yet, or several — it gives the id, and tells a failed order from one still in progress.
 */
import {
  adoptableSnapshot,
  creationName,
  CREATION_SCHEDULE,
  CtyunResourceFailedError,
  mayBeStateRefusal,
  RESOURCE_SCHEDULE,
  SHARED_SNAPSHOTS_SCHEDULE,
  snapshotProbeResult,
  type CtyunClient,
  type Snapshot,
  type SnapshotCreation,
} from '../ctyun'
import type { PollGroups } from './poll-groups'
import type { ActionContext, ProbeOutcome } from '../engine'
import { failed, firstWait, waitMore } from './wait-outcomes'

export interface SnapshotWaitHandle {
  regionID: string
  /** With `snapshotName`: the wait polls the name's listing (handles saved before these fields poll by id). */
  diskID?: string
  snapshotName?: string
  /** Absent while the create waits for a busy disk (`blocked`). */
  creation?: SnapshotCreation
  /** The create waits until the disk has no snapshot at work: what to send then, and what CTyun and the disk said. */
  blocked?: { request: Record<string, unknown>; status: string; refusal: string }
  snapshotID?: string
  /** Time waited (wait-outcomes.ts); the first probe sets it. While blocked: the time the create has waited. */
  waitedMs?: number
  /** When the create was sent (poll-groups' clock): no listing from before then says anything about this snapshot. */
  startedAt?: number
  /** Polls of the order that said 完成 without ids (orders.probeOrder gives up after a few, §8.9). */
  doneWithoutIds?: number
}

/**
 * How long a create waits for its disk to finish an earlier snapshot's creation or deletion: TF allows a snapshot
 * 15 minutes to become available (§8.9); a disk busy for longer than that and a margin is stuck, not busy.
 */
export const DISK_BUSY_MAX_WAIT_MS = 20 * 60_000

export function snapshotWait(client: CtyunClient, groups: PollGroups) {
  const shares = (handle: { diskID?: unknown; snapshotName?: unknown }) =>
    typeof handle.diskID === 'string' && typeof handle.snapshotName === 'string'

  /** The run's snapshots under the name, from the shared listing (one fetched after `since`). */
  function named(regionID: string, snapshotName: string, diskID: string, since: number): Promise<Snapshot[]> {
    return groups.read(`ebs-snapshots|${regionID}|${snapshotName}`, { since, member: diskID }, () =>
      client.ebs.listSnapshotsNamed({ regionID, snapshotName }),
    )
  }

  /** This wait's snapshot as the shared listing shows it; undefined when the listing cannot tell which it is. */
  async function listed(handle: SnapshotWaitHandle): Promise<{ snapshot?: Snapshot; all: Snapshot[] }> {
    const { regionID, snapshotName, diskID } = handle as Required<SnapshotWaitHandle>
    const since = handle.startedAt ?? groups.now() - (handle.waitedMs ?? 0)
    const all = await named(regionID, snapshotName, diskID, since)
    const ofDisk = all.filter((snapshot) => snapshot.diskID === diskID)
    const snapshot = handle.snapshotID
      ? ofDisk.find((s) => s.snapshotID === handle.snapshotID)
      : ofDisk.length === 1
        ? ofDisk[0]
        : undefined
    return { snapshot, all }
  }

  /**
   * Look, then create: adopts a snapshot of the disk under this name, else sends the create (same clientToken on every
   * try of this attempt). A refusal while the disk has a snapshot at work gives a `blocked` handle when `waitWhenBusy`,
   * and is thrown otherwise.
   */
  async function begin(
    input: Record<string, unknown>,
    context: ActionContext,
    waitWhenBusy: boolean,
  ): Promise<SnapshotWaitHandle> {
    const regionID = String(input.regionID)
    const ids = shares(input)
      ? { diskID: input.diskID as string, snapshotName: input.snapshotName as string }
      : undefined
    // A refusal while the disk, read just after, has no snapshot at work may have raced that work ending: one more
    // look and create. Refused again with the disk still idle, the refusal is about something else and is passed on.
    for (let tries = 1; ; tries++) {
      const startedAt = groups.now()
      const base = { regionID, ...(ids ? { ...ids, startedAt } : {}) }
      if (ids) {
        const existing = adoptableSnapshot(
          (await named(regionID, ids.snapshotName, ids.diskID, startedAt)).filter((s) => s.diskID === ids.diskID),
        )
        if (existing)
          return {
            ...base,
            creation: { flow: 'adopted', snapshotID: existing.snapshotID },
            snapshotID: existing.snapshotID,
          }
      }
      try {
        const creation = await client.ebs.createSnapshot({
          ...(input as never as Parameters<CtyunClient['ebs']['createSnapshot']>[0]),
          clientToken: context.clientToken,
        })
        return { ...base, creation, ...(creation.flow === 'adopted' ? { snapshotID: creation.snapshotID } : {}) }
      } catch (error) {
        if (!ids || !mayBeStateRefusal(error)) throw error
        // Whatever code the refusal carries, the disk's snapshots say whether it was about an earlier one at work.
        const disk = await client.ebs.probeDiskSnapshots({ regionID, diskID: ids.diskID })
        if (disk.state === 'pending') {
          if (!waitWhenBusy) throw error
          return {
            regionID,
            ...ids,
            blocked: { request: input, status: disk.status, refusal: (error as Error).message },
          }
        }
        if (tries >= 2) throw error
      }
    }
  }

  /** A blocked create: still waiting while the disk has a snapshot at work, then looked for and sent. */
  async function unblock(handle: SnapshotWaitHandle, context: ActionContext): Promise<ProbeOutcome> {
    const blocked = handle.blocked!
    const waited = handle.waitedMs ?? 0
    if (waited >= DISK_BUSY_MAX_WAIT_MS) {
      throw new CtyunResourceFailedError({
        resource: `disk ${handle.diskID}`,
        status: `busy: ${blocked.status}`,
        reason: `still busy after ${Math.round(waited / 60_000)} min, so snapshot "${handle.snapshotName}" was not created (CTyun refused it: ${blocked.refusal})`,
      })
    }
    const disk = await client.ebs.probeDiskSnapshots({ regionID: handle.regionID, diskID: handle.diskID! })
    const stillBusy = (status: string, refusal = blocked.refusal): ProbeOutcome =>
      waitMore(
        { state: 'pending', status: `waiting for the disk: ${status}` },
        { ...handle, blocked: { ...blocked, status, refusal } },
        RESOURCE_SCHEDULE,
      )
    if (disk.state === 'pending') return stillBusy(disk.status)
    const next = await begin(blocked.request, context, true)
    if (next.blocked) return stillBusy(next.blocked.status, next.blocked.refusal)
    // The create went out (or found its snapshot): its own wait starts now.
    return firstWait(next, shares(next) ? SHARED_SNAPSHOTS_SCHEDULE : CREATION_SCHEDULE)
  }

  return {
    /** The plain form (`ctyun:ebs:createSnapshot`): look, then create; a busy disk fails the call at once. */
    call(input: Record<string, unknown>, context: ActionContext): Promise<SnapshotWaitHandle> {
      return begin(input, context, false)
    },

    start(input: Record<string, unknown>, context: ActionContext): Promise<SnapshotWaitHandle> {
      return begin(input, context, true)
    },

    async probe(handle: SnapshotWaitHandle, context: ActionContext): Promise<ProbeOutcome> {
      if (handle.blocked)
        return handle.waitedMs === undefined ? firstWait(handle, RESOURCE_SCHEDULE) : unblock(handle, context)
      const shared = shares(handle)
      const schedule = shared ? SHARED_SNAPSHOTS_SCHEDULE : CREATION_SCHEDULE
      // The snapshot's lifecycle began with the create, so every poll is timed from there.
      if (handle.waitedMs === undefined) return firstWait(handle, schedule)
      const creation = handle.creation!
      let snapshotID = handle.snapshotID
      let snapshot: Snapshot | undefined
      let all: Snapshot[] | undefined
      if (shared) ({ snapshot, all } = await listed(handle))
      if (!snapshot && !snapshotID) {
        const created = await client.ebs.probeSnapshotCreation({
          regionID: handle.regionID,
          creation,
          doneWithoutIds: handle.doneWithoutIds,
        })
        if (created.state === 'failed') throw failed(creationName(creation), created)
        if (created.state === 'pending')
          return waitMore(
            { state: 'pending', status: `creating (${created.status})` },
            { ...handle, ...(created.doneWithoutIds ? { doneWithoutIds: created.doneWithoutIds } : {}) },
            schedule,
          )
        snapshotID = created.value!.snapshotID
        if (!all)
          return waitMore(
            { state: 'pending', status: 'snapshot id known' },
            { ...handle, snapshotID },
            RESOURCE_SCHEDULE,
          )
        snapshot = all.find((s) => s.snapshotID === snapshotID)
      }
      const result = all
        ? snapshotProbeResult(snapshot)
        : await client.ebs.probeSnapshot({ regionID: handle.regionID, snapshotID: snapshotID! })
      const id = snapshot?.snapshotID ?? snapshotID
      if (result.state === 'failed') throw failed(`snapshot ${id}`, result)
      if (result.state === 'done') return { state: 'done', status: result.status, value: result.value ?? null }
      return waitMore(
        { state: 'pending', status: result.status },
        { ...handle, ...(id ? { snapshotID: id } : {}) },
        shared ? SHARED_SNAPSHOTS_SCHEDULE : RESOURCE_SCHEDULE,
      )
    },
  }
}
